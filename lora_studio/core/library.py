"""The models on this machine (the Models section's list): every model folder in the models
folder, each run's merged model, and folders the user added, each described from its own
files (config.json, tokenizer_config.json, the weights' headers, lora_studio_source.json).
Plain Python, no Qt: the Models section and its tests read it alike.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lora_studio.core import hubs, runs
from lora_studio.core.atomic import current_dir

if TYPE_CHECKING:
    from lora_studio.core.settings import AppSettings

# Where a model came from: the demo, a hub download (complete or not), a GGUF import, a run's
# merge, a folder the user added from elsewhere, the test model, any other folder in the library.
# FOUND: in another tool's download cache (Hugging Face, ModelScope); used in place, never deleted.
# GGUF: a GGUF file of LM Studio or Ollama, usable once imported.
DEMO, DOWNLOADED, PARTIAL, IMPORTED, MERGED, ADDED, MADE, LOCAL, FOUND, GGUF = (
    "demo", "downloaded", "partial", "imported", "merged", "added", "made", "local", "found",
    "gguf",
)  # fmt: skip
WEIGHT_SUFFIXES = (".safetensors", ".pdparams", ".bin")
DTYPE_NAMES = {"BF16": "bf16", "F16": "fp16", "F32": "fp32", "I8": "int8", "U8": "uint8"}


@dataclass
class LocalModel:
    folder: str
    name: str
    origin: str  # one of DEMO, DOWNLOADED, PARTIAL, IMPORTED, MERGED, ADDED, MADE, LOCAL
    detail: str = ""  # where it came from: the hub id, the GGUF file, the run
    architecture: str = ""
    model_type: str = ""
    parameters: int = 0
    dtype: str = ""
    size_bytes: int = 0
    context_length: int = 0
    has_chat_template: bool = False
    config: dict | None = None
    hub_id: str = ""  # for a download: the model's id on its hub

    @property
    def usable(self) -> bool:
        """Complete enough to train or chat with."""
        return self.origin not in (PARTIAL, GGUF) and self.config is not None


def folder_size(folder: str) -> int:
    total = 0
    for root, _dirs, names in os.walk(folder):
        for name in names:
            try:
                total += os.stat(os.path.join(root, name)).st_size  # a cache's links: the blob
            except OSError:
                pass
    return total


def _read_json(path: str) -> dict | None:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _safetensors_header(path: str) -> dict:
    """The JSON header of a safetensors file (names, dtypes, shapes), without the tensors."""
    try:
        with open(path, "rb") as handle:
            (length,) = struct.unpack("<Q", handle.read(8))
            if not 0 < length <= 100 * 1024**2:
                return {}
            header = json.loads(handle.read(length))
    except (OSError, ValueError, struct.error, RecursionError):
        return {}
    return header if isinstance(header, dict) else {}


def weights_summary(folder: str) -> tuple[int, str]:
    """(parameters, dtype) counted from the safetensors headers; (0, "") when unreadable."""
    count, dtypes = 0, dict[str, int]()
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return 0, ""
    for name in names:
        if not name.endswith(".safetensors"):
            continue
        for key, tensor in _safetensors_header(os.path.join(folder, name)).items():
            if key == "__metadata__" or not isinstance(tensor, dict):
                continue
            shape = tensor.get("shape")
            if not isinstance(shape, list) or not all(isinstance(d, int) for d in shape):
                continue
            n = 1
            for dim in shape:
                n *= dim
            count += n
            dtype = str(tensor.get("dtype", ""))
            dtypes[dtype] = dtypes.get(dtype, 0) + n
    if not dtypes:
        return 0, ""
    main = max(dtypes, key=lambda k: dtypes[k])
    return count, DTYPE_NAMES.get(main, main.lower())


def _has_weights(folder: str) -> bool:
    try:
        return any(name.endswith(WEIGHT_SUFFIXES) for name in os.listdir(folder))
    except OSError:
        return False


def describe(folder: str, origin: str = "", detail: str = "", name: str = "") -> LocalModel:
    """What a model folder holds, from its files; never raises."""
    config = _read_json(os.path.join(folder, "config.json"))
    source = hubs.read_source(folder)
    tokenizer = _read_json(os.path.join(folder, "tokenizer_config.json")) or {}
    if not origin:
        if "model_id" in source:
            origin = DOWNLOADED if source.get("complete") is True else PARTIAL
            hub = hubs.HUBS.get(str(source.get("hub", "")), hubs.HUBS[hubs.HUGGINGFACE])
            detail = detail or f"{hub.name} · {source['model_id']}"
        elif "imported_from" in source:
            origin, detail = IMPORTED, detail or os.path.basename(str(source["imported_from"]))
        else:
            origin = LOCAL
    if config is None or not _has_weights(folder):
        origin = PARTIAL if origin in (DOWNLOADED, PARTIAL) else origin
    parameters, dtype = weights_summary(folder)
    config = config if isinstance(config, dict) else None
    architectures = (config or {}).get("architectures") or [""]
    template = tokenizer.get("chat_template") or os.path.isfile(
        os.path.join(folder, "chat_template.jinja")
    )
    return LocalModel(
        folder=folder,
        name=name or os.path.basename(folder.rstrip("/\\")),
        origin=origin,
        detail=detail,
        architecture=str(architectures[0])
        if isinstance(architectures, list) and architectures
        else "",
        model_type=str((config or {}).get("model_type", "")),
        parameters=parameters,
        dtype=dtype or str((config or {}).get("torch_dtype") or (config or {}).get("dtype") or ""),
        size_bytes=folder_size(folder),
        context_length=int((config or {}).get("max_position_embeddings") or 0)
        if isinstance((config or {}).get("max_position_embeddings", 0), int)
        else 0,
        has_chat_template=bool(template),
        config=config,
        hub_id=str(source.get("model_id", "")) if origin in (DOWNLOADED, PARTIAL) else "",
    )


def _is_model_folder(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "config.json")) or os.path.isfile(
        os.path.join(folder, hubs.SOURCE_FILE)
    )


def scan(
    models_dir: str, runs_dir: str = "", added: list[str] | tuple[str, ...] = (),
    demo_dir: str = "", made_dirs: tuple[str, ...] = (),
    found_elsewhere: list[tuple[str, str]] | tuple = (),
) -> list[LocalModel]:  # fmt: skip
    """Every model on this machine the app knows of: the models folder's, the runs' merged
    models, and the folders the user added; the demo first, then by name."""
    found: list[LocalModel] = []
    seen: set[str] = set()

    def add(model: LocalModel) -> None:
        key = os.path.normcase(os.path.abspath(model.folder))
        if key not in seen:
            seen.add(key)
            found.append(model)

    demo_key = os.path.normcase(os.path.abspath(demo_dir)) if demo_dir else ""
    made = {os.path.normcase(os.path.abspath(d)) for d in made_dirs}
    try:
        names = sorted(os.listdir(models_dir))
    except OSError:
        names = []
    for name in names:
        folder = os.path.join(models_dir, name)
        if name.startswith(".") or not os.path.isdir(folder) or not _is_model_folder(folder):
            continue
        key = os.path.normcase(os.path.abspath(folder))
        origin = DEMO if key == demo_key else MADE if key in made else ""
        add(describe(folder, origin))
    for folder, origin in [(demo_dir, DEMO)] + [(d, MADE) for d in made_dirs]:
        if folder and os.path.isdir(folder) and _is_model_folder(folder):  # outside models_dir
            add(describe(folder, origin))
    for run in runs.list_runs(runs_dir) if runs_dir and os.path.isdir(runs_dir) else []:
        merged = current_dir(os.path.join(run.path, runs.MERGED_DIR))
        if merged and os.path.isdir(merged):
            add(describe(merged, MERGED, run.name, name=f"{run.name} (merged)"))
    for folder in added:
        if os.path.isdir(folder):
            add(describe(folder, ADDED))
    for folder, detail in found_elsewhere:
        add(describe(folder, FOUND, detail))
    found.sort(key=lambda m: (m.origin != DEMO, m.name.lower()))
    return found


def on_this_machine(settings: AppSettings) -> list[LocalModel]:
    """``scan`` with the user's folders (an ``AppSettings``): what the Models section lists, and
    what the Training and Chat model boxes offer."""
    from lora_studio.core.presets import demo_model_dir, test_model_dir

    return scan(
        settings.models_dir, settings.runs_dir, settings.added_models,
        demo_dir=demo_model_dir(), made_dirs=(test_model_dir(),),
        found_elsewhere=hub_caches(),
    )  # fmt: skip


def delete(model: LocalModel, models_dir: str, runs_dir: str = "") -> int:
    """Delete a model folder inside the models folder or a run's merged model; the bytes freed.
    Folders the user added from elsewhere are only forgotten, never deleted (returns 0)."""
    folder = os.path.abspath(model.folder)
    inside = [os.path.abspath(d) for d in (models_dir, runs_dir) if d]
    if model.origin in (ADDED, FOUND, GGUF) or not any(
        os.path.commonpath([folder, root]) == root and folder != root for root in inside
    ):
        return 0
    freed = folder_size(folder)
    shutil.rmtree(folder)
    return freed


def hub_caches(home: str = "", environ: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Models other tools downloaded: (folder, "Hugging Face cache · Org/Name") for the newest
    snapshot of each model in the Hugging Face cache, and each model in ModelScope's cache."""
    env = dict(os.environ if environ is None else environ)
    base = home or os.path.expanduser("~")
    found: list[tuple[str, str]] = []
    hf_home = env.get("HF_HOME") or os.path.join(base, ".cache", "huggingface")
    hf_cache = env.get("HF_HUB_CACHE") or os.path.join(hf_home, "hub")
    for entry in _listdir(hf_cache):
        if not entry.startswith("models--"):
            continue
        snapshots = os.path.join(hf_cache, entry, "snapshots")
        complete = [
            os.path.join(snapshots, rev)
            for rev in _listdir(snapshots)
            if os.path.isfile(os.path.join(snapshots, rev, "config.json"))
            and _has_weights(os.path.join(snapshots, rev))
        ]
        if complete:
            newest = max(complete, key=lambda path: os.path.getmtime(path))
            name = entry[len("models--") :].replace("--", "/", 1)
            found.append((newest, f"Hugging Face cache · {name}"))
    ms_cache = env.get("MODELSCOPE_CACHE") or os.path.join(base, ".cache", "modelscope", "hub")
    for root in (os.path.join(ms_cache, "models"), ms_cache):
        for org in _listdir(root):
            for name in _listdir(os.path.join(root, org)):
                folder = os.path.join(root, org, name)
                if os.path.isfile(os.path.join(folder, "config.json")) and _has_weights(folder):
                    found.append((folder, f"ModelScope cache · {org}/{name}"))
    return found


def _listdir(folder: str) -> list[str]:
    try:
        return sorted(n for n in os.listdir(folder) if not n.startswith("."))
    except OSError:
        return []


def gguf_rows(found: list) -> list[LocalModel]:
    """GGUF files of LM Studio and Ollama (``core.gguf_sources.find_ggufs``) as rows to import."""
    names = {"lmstudio": "LM Studio", "ollama": "Ollama"}
    return [
        LocalModel(f.path, f.name, GGUF, names.get(f.source, f.source), size_bytes=f.size)
        for f in found
    ]
