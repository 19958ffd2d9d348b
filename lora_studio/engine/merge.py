"""``main.py merge``: fold a LoRA adapter into its base model and save a standalone model that
transformers, vLLM and llama.cpp's converter take as their own.

The merge works on the files, not on a loaded model: each weight of the base model's
safetensors that the adapter adapts becomes ``W + scaling * (A @ B).T`` (PaddleFormers keeps
``lora_A`` as ``[in, r]`` and ``lora_B`` as ``[r, out]``; Hugging Face weights are ``[out,
in]``), computed in float32 and stored back in the base's dtype, or the one ``--dtype`` asks
for. Everything else is the base model's own: the same tensor names and shapes (PaddleFormers'
``save_pretrained`` added all-zero biases that Qwen2 does not have), the same shards and index,
its tokenizer files and ``generation_config.json`` copied byte for byte. The chat template goes
where transformers 4.4x reads it, ``tokenizer_config.json``, when the base kept it elsewhere.
Files get normal modes, and nothing is written into the base or adapter folders.

One shard is in memory at a time (a 7B bf16 model is 4-5 GB per shard), and Paddle is never
imported: a merge takes the time of reading and writing the weights.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import time
from collections.abc import Callable
from typing import Any

from lora_studio.core import events as ev
from lora_studio.core.atomic import make_readable, recover_dir, replace_dir, temp_dir_for
from lora_studio.core.events import ErrorKind
from lora_studio.core.hubs import SOURCE_FILE
from lora_studio.core.messages import say
from lora_studio.core.runs import ADAPTER_CONFIG
from lora_studio.engine.errors import EngineError
from lora_studio.engine.loading import Emit, locate

DTYPES = {"bf16": "bfloat16", "fp16": "float16", "fp32": "float32"}
WEIGHTS_INDEX = "model.safetensors.index.json"
ADAPTER_INDEX = "peft_model.safetensors.index.json"
# LoRA variants whose weights are not W + scaling * A @ B: refused rather than merged wrongly.
UNMERGEABLE = ("pissa", "use_mora", "lora_use_mixer", "loraga", "lorapro", "do_qat")
NOT_COPIED = {SOURCE_FILE, WEIGHTS_INDEX}  # where the base came from is not the merged model's


def run_merge(
    adapter: str, output: str, emit: Emit, base: str = "", dtype: str = ""
) -> ev.Finished:
    started = time.time()
    base, adapter_dir = locate(base, adapter)
    if os.path.abspath(output) == os.path.abspath(base):
        raise EngineError(
            ErrorKind.BAD_CONFIG,
            say("The merged model would overwrite its base model."),
            say("Choose another --output folder."),
        )
    if dtype and dtype not in DTYPES:
        raise EngineError(
            ErrorKind.BAD_CONFIG, say("--dtype must be one of {choices}.", choices=list(DTYPES))
        )
    if not os.path.isdir(base):
        raise EngineError(
            ErrorKind.MODEL_NOT_FOUND,
            say("The merge needs the base model's folder on this machine, not {name}.", name=base),
            say("Download the model first, then merge with --model FOLDER."),
        )
    emit(ev.Started(command="merge", run_dir=os.path.abspath(output), model=base, pid=os.getpid()))
    emit(ev.Loading(stage="merge", progress=0.0, message="Merging the adapter"))
    # a merge killed mid-swap last time: the old model goes back first, half-written ones go
    recover_dir(output, drop_unfinished=True)
    tmp = temp_dir_for(output)
    try:
        merge_folders(
            base,
            adapter_dir,
            tmp,
            DTYPES.get(dtype, ""),
            progress=lambda share: emit(
                ev.Loading(stage="merge", progress=min(share, 0.99), message="Merging the adapter")
            ),
        )
        replace_dir(tmp, output)  # the old merged model is retired only once the new one is in
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    emit(ev.Loading(stage="merge", progress=1.0, message="Merging the adapter"))
    return ev.Finished(
        status="completed", duration_seconds=time.time() - started, output=os.path.abspath(output)
    )


def merge_folders(
    base: str,
    adapter_dir: str,
    out: str,
    dtype: str = "",
    progress: Callable[[float], None] | None = None,
) -> None:
    """Write base + adapter into the empty folder ``out`` (see the module's docstring)."""
    import ml_dtypes  # noqa: F401 - teaches numpy (and so safetensors) bfloat16
    from safetensors import safe_open
    from safetensors.numpy import save_file

    scaling = lora_scaling(adapter_dir)
    pairs = adapter_pairs(adapter_dir)
    shards = weight_shards(base)
    used: set[str] = set()
    total_size = 0
    for number, shard in enumerate(shards, start=1):
        tensors: dict[str, Any] = {}
        with safe_open(os.path.join(base, shard), framework="np") as handle:
            metadata = handle.metadata() or {}
            for name in handle.keys():
                tensors[name] = _merged(name, handle.get_tensor(name), pairs, scaling, dtype, used)
        target = os.path.join(out, shard)
        save_file(tensors, target, metadata={**metadata, "format": metadata.get("format", "pt")})
        make_readable(target)
        total_size += sum(t.nbytes for t in tensors.values())
        del tensors
        if progress:
            progress(number / len(shards))
    unused = sorted(set(pairs) - used)
    if unused:
        raise EngineError(
            ErrorKind.ADAPTER_MISMATCH,
            say(
                "The adapter in {path} does not fit this base model: it adapts layers the model "
                "does not have ({names}).",
                path=adapter_dir,
                names=", ".join(unused[:3]) + (" …" if len(unused) > 3 else ""),
            ),
            say(
                "Use the base model the adapter was trained on (see the run's config), or train "
                "a new adapter for this model."
            ),
        )
    _copy_model_files(base, out, dtype, total_size)


def _merged(name: str, weight: Any, pairs: dict, scaling: float, dtype: str, used: set[str]) -> Any:
    import numpy as np

    target = _numpy_dtype(dtype) if dtype and _is_float(weight) else weight.dtype
    prefix = name[: -len(".weight")] if name.endswith(".weight") else None
    if prefix is None or prefix not in pairs:
        return weight if weight.dtype == target else weight.astype(np.float32).astype(target)
    lora_a, lora_b = pairs[prefix]
    delta = (lora_a.astype(np.float32) @ lora_b.astype(np.float32)).T * np.float32(scaling)
    if delta.shape != weight.shape:
        raise EngineError(
            ErrorKind.ADAPTER_MISMATCH,
            say(
                "The adapter does not fit this base model: {name} is {have}, the adapter "
                "changes {want}.",
                name=name,
                have=" x ".join(map(str, weight.shape)),
                want=" x ".join(map(str, delta.shape)),
            ),
        )
    used.add(prefix)
    return (weight.astype(np.float32) + delta).astype(target)


def _is_float(array: Any) -> bool:
    return array.dtype.kind == "f" or str(array.dtype) == "bfloat16"


def _numpy_dtype(name: str) -> Any:
    import ml_dtypes  # bfloat16 for numpy: safetensors reads and writes it through this
    import numpy as np

    return {"bfloat16": ml_dtypes.bfloat16, "float16": np.float16, "float32": np.float32}[name]


def lora_scaling(adapter_dir: str) -> float:
    with open(os.path.join(adapter_dir, ADAPTER_CONFIG), encoding="utf-8") as handle:
        config = json.load(handle)
    variants = [key for key in UNMERGEABLE if config.get(key)]
    if variants or config.get("trainable_bias") or config.get("trainable_modules"):
        raise EngineError(
            ErrorKind.UNSUPPORTED,
            say(
                "This adapter was trained with {variants}, which this merge cannot fold in.",
                variants=", ".join(variants) or "trainable_modules",
            ),
        )
    r, alpha = float(config["r"]), float(config["lora_alpha"])
    return alpha / math.sqrt(r) if config.get("rslora") else alpha / r


def adapter_pairs(adapter_dir: str) -> dict[str, tuple[Any, Any]]:
    """Layer name -> (lora_A [in, r], lora_B [r, out]) from PaddleFormers' adapter files."""
    from safetensors import safe_open

    names = sorted(
        n
        for n in os.listdir(adapter_dir)
        if n.startswith("peft_model") and n.endswith(".safetensors")
    )
    found: dict[str, dict[str, Any]] = {}
    for file_name in names:
        with safe_open(os.path.join(adapter_dir, file_name), framework="np") as handle:
            for key in handle.keys():
                prefix, _, part = key.rpartition(".")
                if part in ("lora_A", "lora_B"):
                    found.setdefault(prefix, {})[part] = handle.get_tensor(key)
    pairs = {
        prefix: (parts["lora_A"], parts["lora_B"])
        for prefix, parts in found.items()
        if "lora_A" in parts and "lora_B" in parts
    }
    if not pairs:
        raise EngineError(
            ErrorKind.MODEL_NOT_FOUND,
            say("No LoRA weights in {path}.", path=adapter_dir),
            say(
                "Give a run folder whose training finished or was stopped, or its adapter/ folder."
            ),
        )
    return pairs


def weight_shards(base: str) -> list[str]:
    index = os.path.join(base, WEIGHTS_INDEX)
    if os.path.isfile(index):
        with open(index, encoding="utf-8") as handle:
            return sorted(set(json.load(handle)["weight_map"].values()))
    if os.path.isfile(os.path.join(base, "model.safetensors")):
        return ["model.safetensors"]
    raise EngineError(
        ErrorKind.UNSUPPORTED,
        say("The base model in {path} has no safetensors weights to merge into.", path=base),
        say("Save the base model as safetensors (transformers: safe_serialization=True)."),
    )


def _copy_model_files(base: str, out: str, dtype: str, total_size: int) -> None:
    for name in sorted(os.listdir(base)):
        source = os.path.join(base, name)
        if name in NOT_COPIED or name.endswith(".safetensors") or not os.path.isfile(source):
            continue
        shutil.copyfile(source, os.path.join(out, name))
    index = os.path.join(base, WEIGHTS_INDEX)
    if os.path.isfile(index):
        with open(index, encoding="utf-8") as handle:
            data = json.load(handle)
        data.setdefault("metadata", {})["total_size"] = total_size
        _write_json(os.path.join(out, WEIGHTS_INDEX), data)
    if dtype:
        with open(os.path.join(out, "config.json"), encoding="utf-8") as handle:
            config = json.load(handle)
        for key in ("torch_dtype", "dtype"):
            if key in config or key == "torch_dtype":
                config[key] = dtype
        _write_json(os.path.join(out, "config.json"), config)
    template_in_tokenizer_config(out)


def template_in_tokenizer_config(folder: str) -> None:
    """transformers 4.4x reads the chat template from ``tokenizer_config.json``; newer savers
    keep it in ``chat_template.jinja`` (or ``chat_template.json``). Put it where both look."""
    config_path = os.path.join(folder, "tokenizer_config.json")
    if not os.path.isfile(config_path):
        return
    with open(config_path, encoding="utf-8") as handle:
        config = json.load(handle)
    if config.get("chat_template"):
        return
    template = ""
    jinja = os.path.join(folder, "chat_template.jinja")
    as_json = os.path.join(folder, "chat_template.json")
    if os.path.isfile(jinja):
        with open(jinja, encoding="utf-8") as handle:
            template = handle.read()
    elif os.path.isfile(as_json):
        with open(as_json, encoding="utf-8") as handle:
            template = json.load(handle).get("chat_template", "")
    if template:
        config["chat_template"] = template
        _write_json(config_path, config)


def _write_json(path: str, data: Any) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


def lora_keys_in(folder: str) -> list[str]:
    """Weight names in a saved model that belong to LoRA layers."""
    from safetensors import safe_open

    keys = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".safetensors"):
            with safe_open(os.path.join(folder, name), framework="np") as handle:
                keys.extend(k for k in handle.keys() if "lora_" in k)
    return keys
