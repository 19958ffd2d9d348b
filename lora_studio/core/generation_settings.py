"""Sampling settings for chat, shared by the command line, the chat window and the API server."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

SEED_RANGE = (-(2**63), 2**63 - 1)  # OpenAI's seed is a 64-bit integer


@dataclass
class GenerationSettings:
    greedy: bool = False
    temperature: float = 0.7
    top_p: float = 0.9
    top_k: int = 0
    repetition_penalty: float = 1.05
    max_new_tokens: int = 512
    seed: int | None = None

    def problems(self) -> dict[str, str]:
        out = {}
        for name in ("temperature", "top_p", "repetition_penalty"):
            if not math.isfinite(getattr(self, name)):
                out[name] = "must be a finite number"
        if out:
            return out
        if self.max_new_tokens < 1:
            out["max_new_tokens"] = "must be at least 1"
        if not self.greedy and self.temperature <= 0:
            out["temperature"] = "must be above 0 (or use greedy decoding)"
        if not 0 < self.top_p <= 1:
            out["top_p"] = "must be above 0 and at most 1"
        if self.top_k < 0:
            out["top_k"] = "must be 0 (off) or more"
        if self.repetition_penalty <= 0:
            out["repetition_penalty"] = "must be above 0"
        if self.seed is not None and not SEED_RANGE[0] <= self.seed <= SEED_RANGE[1]:
            out["seed"] = "must be a 64-bit integer"
        return out

    def to_dict(self) -> dict:
        return asdict(self)


PRESETS = {
    "precise": GenerationSettings(greedy=True, repetition_penalty=1.0),
    "balanced": GenerationSettings(),
    "creative": GenerationSettings(temperature=1.0, top_p=0.95, repetition_penalty=1.1),
}
