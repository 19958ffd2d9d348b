"""A model's shape: the figures the memory planner needs, from a preset or a model folder's
``config.json``."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from lora_studio.core.presets import BY_KEY, PRESETS, ModelPreset


@dataclass(frozen=True)
class ModelShape:
    vocab_size: int
    hidden_size: int
    num_layers: int
    num_heads: int
    num_kv_heads: int
    intermediate_size: int
    head_dim: int = 0
    tied_embeddings: bool = True
    qkv_bias: bool = True
    name: str = ""

    @property
    def hd(self) -> int:
        return self.head_dim or self.hidden_size // self.num_heads

    def projection_dims(self) -> dict[str, tuple[int, int]]:
        h, i, q, kv = (
            self.hidden_size,
            self.intermediate_size,
            self.num_heads * self.hd,
            self.num_kv_heads * self.hd,
        )
        return {
            "q_proj": (h, q),
            "k_proj": (h, kv),
            "v_proj": (h, kv),
            "o_proj": (q, h),
            "gate_proj": (h, i),
            "up_proj": (h, i),
            "down_proj": (i, h),
        }

    def linear_parameters(self) -> int:
        per_layer = sum(a * b for a, b in self.projection_dims().values())
        return per_layer * self.num_layers

    def other_parameters(self) -> int:
        """Embeddings, the output head when untied, norms and biases: kept in 16 bits."""
        dims = self.projection_dims()
        bias = (dims["q_proj"][1] + 2 * dims["k_proj"][1]) if self.qkv_bias else 0
        embeddings = self.vocab_size * self.hidden_size * (1 if self.tied_embeddings else 2)
        return embeddings + self.num_layers * (2 * self.hidden_size + bias) + self.hidden_size

    def parameters(self) -> int:
        return self.linear_parameters() + self.other_parameters()

    @classmethod
    def from_preset(cls, preset: ModelPreset) -> ModelShape:
        return cls(
            preset.vocab_size,
            preset.hidden_size,
            preset.num_layers,
            preset.num_heads,
            preset.num_kv_heads,
            preset.intermediate_size,
            preset.head_dim,
            preset.tied_embeddings,
            name=preset.label,
        )

    @classmethod
    def from_config(cls, config: dict, name: str = "") -> ModelShape:
        """From a Hugging Face style ``config.json`` (Qwen2/3, Llama, ERNIE 4.5)."""
        try:
            hidden = int(config["hidden_size"])
            heads = int(config["num_attention_heads"])
            return cls(
                vocab_size=int(config["vocab_size"]),
                hidden_size=hidden,
                num_layers=int(config["num_hidden_layers"]),
                num_heads=heads,
                num_kv_heads=int(config.get("num_key_value_heads") or heads),
                intermediate_size=int(config["intermediate_size"]),
                head_dim=int(config.get("head_dim") or hidden // heads),
                tied_embeddings=bool(config.get("tie_word_embeddings", True)),
                qkv_bias=bool(config.get("attention_bias", config.get("model_type") == "qwen2")),
                name=name,
            )
        except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
            raise PlanError(
                f"the model's config.json lacks a figure the planner needs: {exc}"
            ) from None


class PlanError(ValueError):
    """A model that cannot be planned for; the message says why."""


def resolve_shape(name_or_dir: str) -> ModelShape:
    """A preset key, a preset's hub name, or a model folder with a config.json."""
    if name_or_dir in BY_KEY:
        return ModelShape.from_preset(BY_KEY[name_or_dir])
    for preset in PRESETS:
        if preset.hub_id and preset.hub_id.lower() == name_or_dir.lower():
            return ModelShape.from_preset(preset)
    config_path = os.path.join(name_or_dir, "config.json")
    if os.path.isfile(config_path):
        try:
            with open(config_path, encoding="utf-8") as handle:
                config = json.load(handle)
        except (OSError, ValueError) as exc:
            raise PlanError(f"{config_path} cannot be read: {exc}") from None
        return ModelShape.from_config(config, os.path.basename(name_or_dir.rstrip("/\\")))
    known = ", ".join(p.key for p in PRESETS)
    raise PlanError(
        f"'{name_or_dir}' is neither a model folder with a config.json nor a known model ({known})"
    )
