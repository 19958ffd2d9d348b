"""What to try after an out-of-memory failure: the tutorial's "dynamic rank", done properly.

Each rung keeps the effective batch (micro-batch x accumulation) where it can and saves memory in
order of how little it costs the result: smaller micro-batches first, then recomputing
activations, then shorter sequences, then a smaller LoRA rank.
"""

from __future__ import annotations

import dataclasses

from lora_studio.core.config import RunConfig

MIN_SEQ_LENGTH = 128
MIN_RANK = 4


@dataclasses.dataclass
class Rung:
    config: RunConfig
    change: str  # a short English description; the GUI shows its own translated text
    code: str  # halve_batch / gradient_checkpointing / shorter_sequences / lower_rank


def next_rung(config: RunConfig) -> Rung | None:
    """The next configuration to try after ``config`` ran out of memory, or None at the bottom."""
    new = dataclasses.replace(config, target_modules=list(config.target_modules))
    if config.per_device_train_batch_size > 1:
        new.per_device_train_batch_size = config.per_device_train_batch_size // 2
        new.gradient_accumulation_steps = config.gradient_accumulation_steps * 2
        return Rung(
            new,
            f"batch {config.per_device_train_batch_size} -> "
            f"{new.per_device_train_batch_size}, accumulation "
            f"{config.gradient_accumulation_steps} -> "
            f"{new.gradient_accumulation_steps}",
            "halve_batch",
        )
    if not config.gradient_checkpointing:
        new.gradient_checkpointing = True
        return Rung(new, "gradient checkpointing on", "gradient_checkpointing")
    if config.max_seq_length > MIN_SEQ_LENGTH:
        new.max_seq_length = max(MIN_SEQ_LENGTH, config.max_seq_length // 2)
        return Rung(
            new,
            f"max_seq_length {config.max_seq_length} -> {new.max_seq_length}",
            "shorter_sequences",
        )
    if config.lora_rank > MIN_RANK:
        new.lora_rank = max(MIN_RANK, config.lora_rank // 2)
        new.lora_alpha = config.lora_alpha * new.lora_rank / config.lora_rank
        return Rung(new, f"LoRA rank {config.lora_rank} -> {new.lora_rank}", "lower_rank")
    return None
