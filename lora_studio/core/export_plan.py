"""What an export will produce, before it runs: the formats, the GGUF weight types with their
expected file sizes, where the result goes, and what to do with it next."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from lora_studio.core.model_shape import ModelShape, PlanError
from lora_studio.core.runs import ADAPTER, ADAPTER_CONFIG, EXPORT_DIR, MERGED_DIR

FORMATS = ("gguf", "ollama", "peft")
# Bytes per weight of each GGUF type (q8_0: 32 weights in 34 bytes; q4_0: 32 in 18), as the
# gguf package stores them; 1-D tensors (norms) stay f32 and are too few to count.
BYTES_PER_WEIGHT = {"f32": 4.0, "f16": 2.0, "bf16": 2.0, "q8_0": 34 / 32, "q4_0": 18 / 32}
QUANTS = tuple(BYTES_PER_WEIGHT)
# llama.cpp's K-quants: only llama.cpp's own quantiser writes them (the gguf package cannot):
# its llama-quantize, or libllama through llama-cpp-python (engine/quantize.py). Their sizes
# are llama-quantize's own figures for Llama-3-8B (2.96 GB for q2_k ... 6.14 GB for q6_k) over
# its 8.03 billion weights; a small model whose rows are not a multiple of 256 falls back to
# larger types for those tensors, so its file comes out larger.
K_BYTES_PER_WEIGHT = {
    "q2_k": 2.96 / 8.03,
    "q3_k_m": 3.74 / 8.03,
    "q4_k_m": 4.58 / 8.03,
    "q5_k_m": 5.33 / 8.03,
    "q6_k": 6.14 / 8.03,
}
K_QUANTS = tuple(K_BYTES_PER_WEIGHT)
DEFAULT_QUANT = "q8_0"  # what llama.cpp users most often take for a small model: near f16


@dataclass(frozen=True)
class ExportPlan:
    run_dir: str
    fmt: str
    quant: str
    output: str  # the folder the result goes to
    size_bytes: int | None  # expected size of the GGUF, or of the adapter for peft


def default_output(run_dir: str, fmt: str) -> str:
    return os.path.join(run_dir, EXPORT_DIR, fmt)


def model_parameters(run_dir: str) -> int | None:
    """Parameters of the run's model: from the merged model's config, else the base's (as the
    adapter recorded it); None when neither can be read."""
    candidates = [os.path.join(run_dir, MERGED_DIR, "config.json")]
    if _base_folder(run_dir):
        candidates.append(os.path.join(_base_folder(run_dir), "config.json"))
    for path in candidates:
        try:
            with open(path, encoding="utf-8") as handle:
                return ModelShape.from_config(json.load(handle)).parameters()
        except (OSError, ValueError, PlanError, AttributeError):
            continue
    return None


def adapter_bytes(run_dir: str) -> int | None:
    folder = os.path.join(run_dir, ADAPTER)
    try:
        return sum(
            os.path.getsize(os.path.join(folder, n))
            for n in os.listdir(folder)
            if n.endswith(".safetensors")
        )
    except OSError:
        return None


def quantize_executable() -> str:
    """llama.cpp's ``llama-quantize``: the path LLAMA_QUANTIZE names, else the one on PATH;
    "" when neither."""
    import shutil

    return os.environ.get("LLAMA_QUANTIZE") or shutil.which("llama-quantize") or ""


def k_quants_available() -> bool:
    """Whether this machine can write K-quants: the engine's search (engine/quantize.py), without
    importing llama-cpp-python (its library loads only when the export runs)."""
    import importlib.util

    if quantize_executable():
        return True
    try:
        return importlib.util.find_spec("llama_cpp") is not None
    except (ImportError, ValueError):
        return False


def tokenizer_bytes(run_dir: str) -> int:
    """What the GGUF's tokenizer metadata takes: every token and merge as a length-prefixed
    string, and a type per token (about 1% of a small model's file)."""
    for folder in (os.path.join(run_dir, MERGED_DIR), _base_folder(run_dir)):
        try:
            with open(os.path.join(folder, "tokenizer.json"), encoding="utf-8") as handle:
                model = json.load(handle).get("model", {})
        except (OSError, ValueError, TypeError, AttributeError):
            continue
        vocab = model.get("vocab") if isinstance(model, dict) else None
        merges = model.get("merges") if isinstance(model, dict) else None
        if not isinstance(vocab, dict):
            continue
        size = sum(len(str(token).encode("utf-8")) + 8 + 4 for token in vocab)
        for merge in merges if isinstance(merges, list) else []:
            text = " ".join(merge) if isinstance(merge, list) else str(merge)
            size += len(text.encode("utf-8")) + 8
        return size
    return 0


def _base_folder(run_dir: str) -> str:
    try:
        with open(os.path.join(run_dir, ADAPTER, ADAPTER_CONFIG), encoding="utf-8") as h:
            base = json.load(h).get("base_model_name_or_path", "")
        return base if isinstance(base, str) else ""
    except (OSError, ValueError, AttributeError):
        return ""


def gguf_sizes(run_dir: str, quants: tuple[str, ...]) -> dict[str, int | None]:
    """The expected GGUF size for each weight type in ``quants`` (None where the model's size
    cannot be read); the model's config and tokenizer are read once for all of them."""
    parameters = model_parameters(run_dir)
    if not parameters:
        return dict.fromkeys(quants)
    tokenizer = tokenizer_bytes(run_dir)
    per_weight = {**BYTES_PER_WEIGHT, **K_BYTES_PER_WEIGHT}
    return {quant: int(parameters * per_weight[quant]) + tokenizer for quant in quants}


def plan(run_dir: str, fmt: str, quant: str = DEFAULT_QUANT, output: str = "") -> ExportPlan:
    if fmt not in FORMATS or quant not in QUANTS + K_QUANTS:
        raise ValueError(f"unknown format {fmt!r} or weight type {quant!r}")
    size = adapter_bytes(run_dir) if fmt == "peft" else gguf_sizes(run_dir, (quant,))[quant]
    return ExportPlan(run_dir, fmt, quant, output or default_output(run_dir, fmt), size)
