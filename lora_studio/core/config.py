"""The run configuration: one typed object, saved as JSON in the run folder, read by ``--config``.

Field names are the tutorial's command-line flags, so a tutorial command line, a saved config and
the training form all mean the same thing.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from lora_studio.core.atomic import write_text_atomic

WEIGHT_QUANTIZATIONS = ("none", "int8", "int4")
ALL_PROJECTIONS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
CONFIG_FILE_NAME = "run_config.json"
CONFIG_VERSION = 1
OVERLONG_CHOICES = ("truncate", "drop")
TRAIN_ON_CHOICES = ("all", "last")
DOWNLOAD_SOURCES = ("", "huggingface", "aistudio", "modelscope")


class ConfigError(ValueError):
    """A run configuration that cannot be used; the message says which field and why."""


def _f(default: Any, help: str, **meta: Any) -> Any:  # noqa: A002 - mirrors argparse
    meta["help"] = help
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass
class RunConfig:
    model_name_or_path: str = _f(
        "", "local model folder or hub name (e.g. Qwen/Qwen2.5-0.5B-Instruct)"
    )
    output_dir: str = _f("", "the run folder: config, events.jsonl, checkpoints/, adapter/")
    dataset_path: str = _f(
        "", "training data: any file the dataset editor opens (JSON, JSONL, CSV, xlsx, ...)"
    )
    num_train_epochs: float = _f(3.0, "passes over the training data")
    max_steps: int = _f(-1, "stop after this many optimiser steps (-1: use the epochs)")
    per_device_train_batch_size: int = _f(2, "sequences per forward pass (micro-batch)")
    gradient_accumulation_steps: int = _f(8, "micro-batches per optimiser step")
    learning_rate: float = _f(2e-4, "peak learning rate")
    warmup_ratio: float = _f(0.1, "share of the steps spent warming the learning rate up")
    weight_decay: float = _f(0.01, "AdamW weight decay")
    max_seq_length: int = _f(512, "tokens per record at most (prompt and answer)")
    overlong: str = _f(
        "truncate", "what to do with longer records: truncate or drop", choices=OVERLONG_CHOICES
    )
    train_on: str = _f(
        "all",
        "which answers of a multi-turn record get loss: all assistant turns, or the last only",
        choices=TRAIN_ON_CHOICES,
    )
    logging_steps: int = _f(1, "report metrics every N optimiser steps")
    save_steps: int = _f(100, "save a checkpoint every N optimiser steps")
    save_total_limit: int = _f(3, "checkpoints kept (older ones are deleted)")
    max_grad_norm: float = _f(1.0, "gradient clipping norm (0: off)")
    eval_ratio: float = _f(0.0, "share of the records held out for evaluation (0 to 0.5)")
    seed: int = _f(42, "random seed for data order and initialisation")
    bf16: bool = _f(False, "train in bfloat16 (Ampere or newer GPUs)")
    fp16: bool = _f(False, "train in float16 mixed precision (GPUs)")
    gradient_checkpointing: bool = _f(False, "recompute activations to save memory (slower)")
    weight_quantization: str = _f(
        "none",
        "base weights in 8 or 4 bits (weight-only; needs the CUDA build and an NVIDIA GPU)",
        choices=WEIGHT_QUANTIZATIONS,
    )
    lora_rank: int = _f(8, "LoRA rank r")
    lora_alpha: float = _f(16.0, "LoRA scaling alpha (often 2 x rank)")
    lora_dropout: float = _f(0.0, "dropout on the LoRA input (0 by default, as the peers have it)")
    target_modules: list[str] = _f(
        list(ALL_PROJECTIONS), "comma-separated projection names that get LoRA adapters"
    )
    download_source: str = _f(
        "",
        "where hub names are fetched from: huggingface, aistudio, modelscope",
        choices=DOWNLOAD_SOURCES,
    )
    nproc_per_node: int = _f(
        1,
        "processes on this machine, one per GPU (or CPU gloo workers); above 1, train starts "
        "python -m paddle.distributed.launch itself",
    )
    world_size: int = _f(
        1,
        "processes that trained the run (written by the engine, checked on resume)",
        recorded=True,
    )
    do_train: bool = _f(True, "accepted for compatibility with the tutorial; always trains")
    overwrite_output_dir: bool = _f(False, "replace an existing run folder")

    # ---- (de)serialisation -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["config_version"] = CONFIG_VERSION
        return data

    def save(self, path: str | os.PathLike[str]) -> None:
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"
        write_text_atomic(path, text)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunConfig:
        if not isinstance(data, dict):
            raise ConfigError("a run config must be a JSON object")
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known) - {"config_version"})
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(unknown)}")
        config = cls()
        for name, value in data.items():
            if name in known:
                setattr(config, name, coerce(known[name], value))
        return config

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> RunConfig:
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            raise ConfigError(f"{path}: the config file does not exist") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read the config ({exc})") from None
        try:
            return cls.from_dict(data)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None

    # ---- checks --------------------------------------------------------------------------------
    def problems(self) -> dict[str, str]:
        """Field name -> what is wrong with it. Empty when the config can start a run."""
        out: dict[str, str] = {}
        for name in ("model_name_or_path", "output_dir", "dataset_path"):
            if not getattr(self, name).strip():
                out[name] = "required"
        positive = (
            "per_device_train_batch_size",
            "gradient_accumulation_steps",
            "max_seq_length",
            "logging_steps",
            "save_steps",
            "lora_rank",
            "nproc_per_node",
            "world_size",
        )
        for name in positive:
            if getattr(self, name) < 1:
                out[name] = "must be at least 1"
        if self.max_seq_length < 8:
            out["max_seq_length"] = "must be at least 8"
        if self.num_train_epochs <= 0 and self.max_steps <= 0:
            out["num_train_epochs"] = "must be above 0 (or set max_steps)"
        if not 0 < self.learning_rate < 1:
            out["learning_rate"] = "must be between 0 and 1"
        if not 0 <= self.warmup_ratio < 1:
            out["warmup_ratio"] = "must be from 0 to below 1"
        if not 0 <= self.eval_ratio <= 0.5:
            out["eval_ratio"] = "must be from 0 to 0.5"
        if not 0 <= self.lora_dropout < 1:
            out["lora_dropout"] = "must be from 0 to below 1"
        if self.lora_alpha <= 0:
            out["lora_alpha"] = "must be above 0"
        if self.save_total_limit < 1:
            out["save_total_limit"] = "must be at least 1"
        if not self.target_modules:
            out["target_modules"] = "name at least one projection"
        if self.bf16 and self.fp16:
            out["fp16"] = "choose bf16 or fp16, not both"
        if self.overlong not in OVERLONG_CHOICES:
            out["overlong"] = f"must be one of {', '.join(OVERLONG_CHOICES)}"
        if self.train_on not in TRAIN_ON_CHOICES:
            out["train_on"] = f"must be one of {', '.join(TRAIN_ON_CHOICES)}"
        if self.download_source not in DOWNLOAD_SOURCES:
            out["download_source"] = "must be huggingface, aistudio or modelscope"
        return out


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"expected true or false, got {value!r}")


def parse_modules(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConfigError("target_modules must be a list of names or a comma-separated string")
    return [v.strip() for v in value if v.strip()]


def coerce(f: Any, value: Any) -> Any:
    """Convert a JSON or command-line value to the type of dataclass field ``f``."""
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    try:
        if kind == "bool":
            return parse_bool(value)
        if kind == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            return int(value)
        if kind == "float":
            if isinstance(value, bool):
                raise ValueError
            return float(value)
        if kind == "list[str]":
            return parse_modules(value)
        if kind == "str":
            if not isinstance(value, str):
                raise ValueError
            return value
    except (TypeError, ValueError):
        wanted = {
            "bool": "true or false",
            "int": "a whole number",
            "float": "a number",
            "list[str]": "a list of names",
            "str": "text",
        }.get(kind, kind)
        raise ConfigError(f"{f.name}: expected {wanted}, got {value!r}") from None
    return value  # pragma: no cover - every field has one of the kinds above


def config_fields() -> list[Any]:
    """The fields a user sets (flags, the form); not those the engine records for itself."""
    return [f for f in fields(RunConfig) if not f.metadata.get("recorded")]


EVALS_PER_RUN = 10


def eval_every(config: RunConfig, n_train: int) -> int:
    """Steps between evaluations: about ten per run, and at least one per checkpoint. (Tied to
    ``save_steps`` alone, a run shorter than one save interval never reported an eval loss.)"""
    batches = math.ceil(n_train / max(1, config.per_device_train_batch_size))
    per_epoch = max(1, batches // max(1, config.gradient_accumulation_steps))
    total = (
        config.max_steps if config.max_steps > 0 else math.ceil(per_epoch * config.num_train_epochs)
    )
    return max(1, min(config.save_steps, math.ceil(total / EVALS_PER_RUN)))
