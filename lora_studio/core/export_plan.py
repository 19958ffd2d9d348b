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
# llama.cpp's K-quants: only its own llama-quantize writes them (the gguf package cannot).
K_QUANTS = ("q2_k", "q3_k_m", "q4_k_m", "q5_k_m", "q6_k")
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
    try:
        with open(os.path.join(run_dir, ADAPTER, ADAPTER_CONFIG), encoding="utf-8") as h:
            base = json.load(h).get("base_model_name_or_path", "")
        if isinstance(base, str) and base:
            candidates.append(os.path.join(base, "config.json"))
    except (OSError, ValueError):
        pass
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


def plan(run_dir: str, fmt: str, quant: str = DEFAULT_QUANT, output: str = "") -> ExportPlan:
    if fmt not in FORMATS or quant not in QUANTS:
        raise ValueError(f"unknown format {fmt!r} or weight type {quant!r}")
    if fmt == "peft":
        size = adapter_bytes(run_dir)
    else:
        parameters = model_parameters(run_dir)
        size = int(parameters * BYTES_PER_WEIGHT[quant]) if parameters else None
    return ExportPlan(run_dir, fmt, quant, output or default_output(run_dir, fmt), size)
