"""Rope scaling in an exported GGUF, as llama.cpp's converter (convert_hf_to_gguf.py) writes it."""

from __future__ import annotations

from typing import Any

from lora_studio.core.events import ErrorKind
from lora_studio.core.messages import say
from lora_studio.engine.errors import EngineError


def add_rope_scaling(writer: Any, config: dict, head_dim: int) -> Any:
    """The model's rope scaling as llama.cpp's converter writes it: linear and YaRN as metadata;
    Llama 3.1's (``rope_type: llama3``, Llama-3.2 has it) as a ``rope_freqs`` tensor of one
    factor per rotary frequency, which the caller adds. Returns that tensor, or None."""
    import gguf
    import numpy as np

    scaling = config.get("rope_scaling") or {}
    kind = scaling.get("rope_type", scaling.get("type", "default"))
    if kind in ("default", None):
        return None
    if kind == "linear":
        writer.add_rope_scaling_type(gguf.RopeScalingType.LINEAR)
        writer.add_rope_scaling_factor(float(scaling["factor"]))
        return None
    if kind == "yarn":
        writer.add_rope_scaling_type(gguf.RopeScalingType.YARN)
        writer.add_rope_scaling_factor(float(scaling["factor"]))
        original = scaling.get("original_max_position_embeddings")
        if original:
            writer.add_rope_scaling_orig_ctx_len(int(original))
        return None
    if kind == "llama3":
        base = float(config.get("rope_theta", 10000.0))
        freqs = 1.0 / base ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim)
        factor = float(scaling.get("factor", 8.0))
        low, high = (
            float(scaling.get("low_freq_factor", 1.0)),
            float(scaling.get("high_freq_factor", 4.0)),
        )
        original = float(scaling.get("original_max_position_embeddings", 8192))
        wavelen = 2 * np.pi / freqs
        smooth = (original / wavelen - low) / (high - low)
        factors = np.where(
            wavelen < original / high,
            1.0,
            np.where(wavelen > original / low, factor, 1 / ((1 - smooth) / factor + smooth)),
        )
        return factors.astype(np.float32)
    raise EngineError(
        ErrorKind.UNSUPPORTED,
        say("GGUF export does not know the rope scaling {kind}.", kind=str(kind)),
        say("Export as PEFT, or use the merged model folder with transformers or vLLM."),
    )
