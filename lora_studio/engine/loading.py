"""Loading a tokenizer, a base model and an adapter, with progress events and plain errors."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lora_studio.core.atomic import current_dir
from lora_studio.core.events import ErrorKind, Loading
from lora_studio.core.messages import Text, say
from lora_studio.core.runs import ADAPTER, ADAPTER_CONFIG
from lora_studio.engine.errors import EngineError, check_model_dir, looks_like_hub_name

Emit = Callable[[Any], None]


def import_paddle(emit: Emit) -> Any:
    emit(Loading(stage="framework", progress=0.0, message="Loading PaddlePaddle"))
    import paddle

    from lora_studio.engine.runtime import quiet_paddle

    quiet_paddle()
    emit(Loading(stage="framework", progress=1.0, message="Loading PaddlePaddle"))
    return paddle


def resolve_model(
    name: str, download_source: str = "", emit: Emit | None = None, stop: Any = None
) -> str:
    """A local model folder: the folder given (checked), or for a hub name its folder in the
    models library, downloaded first (progress events on ``emit``) unless already complete."""
    if looks_like_hub_name(name):
        return fetch_model(name, download_source, emit or (lambda event: None), stop)
    check_model_dir(name)
    return name


class DownloadStopped(Exception):  # noqa: N818 - not an error: the user asked
    """A stop request arrived while the model was being downloaded."""

    def __init__(self, finished: Any) -> None:
        super().__init__("stopped")
        self.finished = finished


def fetch_model(name: str, source: str, emit: Emit, stop: Any = None) -> str:
    """The library folder of hub model ``name``, downloaded through ``main.py download``'s job
    when it is not complete there. Its failures leave the run folder alone."""
    from lora_studio.core import hubs
    from lora_studio.core.settings import AppSettings
    from lora_studio.engine.download import run_download

    folder = hubs.library_folder(AppSettings.load().models_dir, name)
    if hubs.is_downloaded(folder):
        return folder
    try:
        finished = run_download(name, folder, emit, source=source, stop=stop)
    except EngineError as exc:
        exc.leaves_run_dir_alone = True
        raise
    if finished.status != "completed":
        raise DownloadStopped(finished)
    return folder


def load_tokenizer(name: str, emit: Emit) -> Any:
    from paddleformers.transformers import AutoTokenizer

    emit(Loading(stage="tokenizer", progress=0.0, message="Loading the tokenizer"))
    try:
        tokenizer = AutoTokenizer.from_pretrained(name)
    except Exception as exc:  # noqa: BLE001 - every loader failure means the same to the user
        raise _not_loadable(name, exc) from None
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    if not getattr(tokenizer, "chat_template", None):
        raise EngineError(
            ErrorKind.MODEL_NOT_FOUND,
            say("The model {name} has no chat template in its tokenizer_config.json.", name=name),
            say("Use an instruction-tuned (chat) model such as Qwen2.5-0.5B-Instruct."),
        )
    emit(Loading(stage="tokenizer", progress=1.0, message="Loading the tokenizer"))
    return tokenizer


def load_model(
    name: str, emit: Emit, on_gpu: bool, dtype: str = "float32", quantization: str = "none"
) -> Any:
    """``quantization`` int8 / int4 loads the linear layers as weight-only quantized (CUDA)."""
    from paddleformers.transformers import AutoConfig, AutoModelForCausalLM

    from lora_studio.engine.kernels import square_rms_norm

    square_rms_norm()  # exact and ~9x faster than pow(2) on CPU (engine/kernels.py)
    emit(Loading(stage="model", progress=0.0, message="Loading the model"))
    try:
        config = AutoConfig.from_pretrained(name)
        if not on_gpu:
            config.fuse_rms_norm = False  # the fused kernel is not registered on CPU
        extra: dict[str, Any] = {}
        if quantization in ("int8", "int4"):
            from paddleformers.quantization.quantization_config import QuantizationConfig

            extra["quantization_config"] = QuantizationConfig(
                weight_quantize_algo=f"weight_only_{quantization}"
            )
        model = AutoModelForCausalLM.from_pretrained(
            name,
            config=config,
            dtype=dtype,
            **extra,
            # The default flex-checkpoint loader writes a metadata file into the model folder.
            load_checkpoint_format="safetensors",
        )
    except EngineError:
        raise
    except (MemoryError, OSError) as exc:
        if isinstance(exc, MemoryError) or "memory" in str(exc).lower():
            from lora_studio.engine.errors import classify

            raise classify(exc) from None
        raise _not_loadable(name, exc) from None
    except Exception as exc:  # noqa: BLE001
        raise _not_loadable(name, exc) from None
    emit(Loading(stage="model", progress=1.0, message="Loading the model"))
    return model


def _not_loadable(name: str, exc: BaseException) -> EngineError:
    if looks_like_hub_name(name):
        return EngineError(
            ErrorKind.MODEL_NOT_FOUND,
            say("Could not get the model {name} from the model hub.", name=name),
            say(
                "Check the name and your network, or try another download source (Hugging "
                "Face, AI Studio, ModelScope). Offline, choose a local model folder or the demo "
                "model."
            ),
            f"{type(exc).__name__}: {exc}",
        )
    return EngineError(
        ErrorKind.MODEL_NOT_FOUND,
        say("Could not load the model in {name}.", name=name),
        say("The folder may be damaged or hold an unsupported architecture; copy the model again."),
        f"{type(exc).__name__}: {exc}",
    )


def use_the_adapters_base() -> Text:
    return say(
        "Use the base model the adapter was trained on (see the run's config), or train a new "
        "adapter for this model."
    )


def find_adapter_dir(path: str) -> str:
    """Accept a run folder or its ``adapter/`` (or a checkpoint) and return the adapter folder."""
    for candidate in (path, current_dir(os.path.join(path, ADAPTER))):
        if os.path.isfile(os.path.join(candidate, ADAPTER_CONFIG)):
            return candidate
    raise EngineError(
        ErrorKind.MODEL_NOT_FOUND,
        say("No LoRA adapter in {path} (no {file}).", path=path, file=ADAPTER_CONFIG),
        say("Give a run folder whose training finished or was stopped, or its adapter/ folder."),
    )


def adapter_base_model(adapter_dir: str) -> str:
    """The base model an adapter was trained on, as recorded at training time."""
    with open(os.path.join(adapter_dir, ADAPTER_CONFIG), encoding="utf-8") as handle:
        base = json.load(handle).get("base_model_name_or_path") or ""
    return base


def attach_adapter(model: Any, adapter_dir: str, emit: Emit) -> Any:
    from paddleformers.peft import LoRAModel

    emit(Loading(stage="adapter", progress=0.0, message="Loading the LoRA adapter"))
    try:
        lora_model = LoRAModel.from_pretrained(model, adapter_dir)
    except Exception as exc:  # noqa: BLE001
        raise EngineError(
            ErrorKind.ADAPTER_MISMATCH,
            say("The adapter in {path} does not fit this base model.", path=adapter_dir),
            use_the_adapters_base(),
            f"{type(exc).__name__}: {exc}",
        ) from None
    problems = adapter_shape_problems(lora_model, adapter_dir)
    if problems:
        raise EngineError(
            ErrorKind.ADAPTER_MISMATCH,
            say(
                "The adapter in {path} does not fit this base model: its weights have other "
                "shapes.",
                path=adapter_dir,
            ),
            use_the_adapters_base(),
            "\n".join(problems[:10]),
        )
    emit(Loading(stage="adapter", progress=1.0, message="Loading the LoRA adapter"))
    return lora_model


def adapter_shape_problems(lora_model: Any, adapter_dir: str) -> list[str]:
    """PaddleFormers loads an adapter whose weights have other shapes with only a log warning and
    leaves those weights untouched, so an adapter for another model would answer nonsense. This
    compares every saved LoRA weight's shape (read from the safetensors headers) with the model's.
    """
    from safetensors import safe_open

    saved: dict[str, tuple[int, ...]] = {}
    for name in sorted(os.listdir(adapter_dir)):
        if name.endswith(".safetensors"):
            with safe_open(os.path.join(adapter_dir, name), framework="np") as handle:
                for key in handle.keys():  # noqa: SIM118 - not a dict
                    saved[key] = tuple(handle.get_slice(key).get_shape())
    model = {k: tuple(v.shape) for k, v in lora_model.state_dict().items() if "lora" in k}
    problems = []
    for key, shape in saved.items():
        match = next((k for k in model if k == key or k.endswith("." + key)), None)
        if match is None:
            problems.append(f"{key}: not in this model")
        elif model[match] != shape:
            problems.append(f"{key}: {list(shape)} in the adapter, {list(model[match])} here")
    return problems


def locate(
    model: str, adapter: str = "", download_source: str = "", emit: Emit | None = None
) -> tuple[str, str]:
    """(model to load, adapter folder or ""): the model named, else the adapter's own base."""
    adapter_dir = find_adapter_dir(adapter) if adapter else ""
    if not model and adapter_dir:
        model = adapter_base_model(adapter_dir)
        if not model:
            raise EngineError(
                ErrorKind.MODEL_NOT_FOUND,
                say(
                    "The adapter in {path} does not say which base model it needs.",
                    path=adapter_dir,
                ),
                say("Name the base model with --model."),
            )
    return resolve_model(model, download_source, emit), adapter_dir


@dataclass
class Loaded:
    paddle: Any
    tokenizer: Any
    model: Any  # the base model (with the adapter's layers once attached)
    lora_model: Any  # None without an adapter
    on_gpu: bool


def load_with_adapter(model_name: str, adapter_dir: str, emit: Emit, dtype: str = "") -> Loaded:
    """The one load sequence of chat, merge and serve: Paddle, tokenizer, model, adapter.
    ``dtype`` defaults to fp16 on a GPU and fp32 on the CPU."""
    paddle = import_paddle(emit)
    from lora_studio.engine.runtime import device

    on_gpu = device() == "gpu"
    tokenizer = load_tokenizer(model_name, emit)
    model = load_model(
        model_name, emit, on_gpu=on_gpu, dtype=dtype or ("float16" if on_gpu else "float32")
    )
    lora_model = attach_adapter(model, adapter_dir, emit) if adapter_dir else None
    return Loaded(paddle, tokenizer, model, lora_model, on_gpu)
