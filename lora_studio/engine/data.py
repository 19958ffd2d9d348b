"""Turns records into training sequences: the model's chat template, loss on answer tokens only,
labels pre-shifted (STACK.md #1), padding per batch, and batches of similar lengths.
"""

from __future__ import annotations

import collections
import random
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lora_studio.core.records import Record

IGNORE_INDEX = -100


@dataclass
class Encoded:
    input_ids: list[int]
    labels: list[int]

    def __len__(self) -> int:
        return len(self.input_ids)


class EvalEncoded(Encoded):
    """A held-out sequence: the collator pads it but does not count it as training tokens."""


@dataclass
class EncodeStats:
    truncated: int = 0
    dropped: int = 0
    lengths: list[int] = field(default_factory=list)


def render(tokenizer: Any, record: Record) -> tuple[str, str]:
    """(prompt text, answer text) where prompt + answer is the whole rendered conversation."""
    prompt = tokenizer.apply_chat_template(
        record.messages(with_answer=False), tokenize=False, add_generation_prompt=True
    )
    # Explicitly False: PaddleFormers' apply_chat_template appends a generation prompt by default,
    # even after the assistant's turn (docs/engine-notes.md).
    full = tokenizer.apply_chat_template(
        record.messages(with_answer=True), tokenize=False, add_generation_prompt=False
    )
    if full.startswith(prompt):
        return prompt, full[len(prompt) :]
    # A template that renders the answer turn differently from the generation prompt: train on
    # what generation will see, the prompt followed by the answer and the end-of-turn token.
    return prompt, record.output + (tokenizer.eos_token or "")


def encode_record(
    tokenizer: Any, record: Record, max_seq_length: int, overlong: str = "truncate"
) -> tuple[Encoded | None, str]:
    """Encode one record; returns (sequence or None, "" / "truncated" / "dropped").

    Prompt and answer are tokenised separately, exactly as chat will see them: the prompt is
    tokenised alone and the model continues it.
    """
    prompt, answer = render(tokenizer, record)
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    answer_ids = tokenizer(answer, add_special_tokens=False)["input_ids"]
    tokens = list(prompt_ids) + list(answer_ids)
    mask = [False] * len(prompt_ids) + [True] * len(answer_ids)
    outcome = ""
    # A sequence of n tokens trains on n-1 positions: inputs tokens[:-1], labels tokens[1:].
    if len(tokens) - 1 > max_seq_length:
        if overlong == "drop" or len(prompt_ids) >= max_seq_length:
            return None, "dropped"
        tokens = tokens[: max_seq_length + 1]
        mask = mask[: max_seq_length + 1]
        outcome = "truncated"
    input_ids = tokens[:-1]
    labels = [tok if keep else IGNORE_INDEX for tok, keep in zip(tokens[1:], mask[1:], strict=True)]
    return Encoded(input_ids, labels), outcome


def encode_records(
    tokenizer: Any,
    records: list[Record],
    max_seq_length: int,
    overlong: str = "truncate",
    progress: Any = None,
) -> tuple[list[Encoded], EncodeStats]:
    stats = EncodeStats()
    out = []
    step = max(1, len(records) // 20)
    for i, record in enumerate(records):
        encoded, outcome = encode_record(tokenizer, record, max_seq_length, overlong)
        if outcome == "dropped":
            stats.dropped += 1
        elif outcome == "truncated":
            stats.truncated += 1
        if encoded is not None:
            out.append(encoded)
            stats.lengths.append(len(encoded))
        if progress and (i % step == 0 or i == len(records) - 1):
            progress((i + 1) / len(records))
    return out, stats


class SequenceDataset:
    """A map-style dataset over encoded sequences (what ``paddle.io.DataLoader`` needs)."""

    def __init__(self, sequences: list[Encoded]) -> None:
        self.sequences = sequences

    def __len__(self) -> int:
        return len(self.sequences)

    def __getitem__(self, index: int) -> Encoded:
        return self.sequences[index]

    def lengths(self) -> list[int]:
        return [len(s) for s in self.sequences]


def length_grouped_batches(
    lengths: list[int], batch_size: int, seed: int, epoch: int, group_factor: int = 32
) -> list[list[int]]:
    """Batches of similar lengths in a seeded random order, the longest batch first.

    Indices are shuffled, cut into groups of ``group_factor`` batches, sorted by length inside
    each group, and cut into batches; the batch order is then shuffled. The longest batch goes
    first so that an out-of-memory failure shows at step one, not at the end of an epoch.
    """
    rng = random.Random(seed * 100_003 + epoch)
    indices = list(range(len(lengths)))
    rng.shuffle(indices)
    group = batch_size * group_factor
    batches: list[list[int]] = []
    for start in range(0, len(indices), group):
        chunk = sorted(indices[start : start + group], key=lambda i: -lengths[i])
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    if batches:
        longest = max(range(len(batches)), key=lambda b: max(lengths[i] for i in batches[b]))
        batches[0], batches[longest] = batches[longest], batches[0]
    return batches


@dataclass
class BatchCounts:
    real_tokens: int
    padded_tokens: int


class PaddingCollator:
    """Pads each batch to its own longest sequence (rounded up to ``multiple_of``).

    Right padding needs no attention mask for a causal model: real positions never attend to
    later ones, and padded positions carry the label -100. Each batch's token counts are queued
    so that the training callback can report tokens per second and the padding share exactly.
    """

    def __init__(self, pad_token_id: int, multiple_of: int = 1) -> None:
        self.pad_token_id = pad_token_id
        self.multiple_of = multiple_of
        self.counts: collections.deque[BatchCounts] = collections.deque()
        self._lock = threading.Lock()

    def __call__(self, batch: list[Encoded]) -> dict[str, np.ndarray]:
        width = max(len(s) for s in batch)
        if self.multiple_of > 1:
            width = -(-width // self.multiple_of) * self.multiple_of
        input_ids = np.full((len(batch), width), self.pad_token_id, dtype=np.int64)
        labels = np.full((len(batch), width), IGNORE_INDEX, dtype=np.int64)
        for row, seq in enumerate(batch):
            input_ids[row, : len(seq)] = seq.input_ids
            labels[row, : len(seq)] = seq.labels
        if not isinstance(batch[0], EvalEncoded):  # evaluation batches are never popped
            with self._lock:
                self.counts.append(BatchCounts(sum(len(s) for s in batch), width * len(batch)))
        return {"input_ids": input_ids, "labels": labels}

    def pop_counts(self) -> BatchCounts | None:
        with self._lock:
            return self.counts.popleft() if self.counts else None


def split_eval(n: int, ratio: float, seed: int) -> tuple[list[int], list[int]]:
    """Seeded split of n record indices into (train, eval)."""
    if ratio <= 0 or n < 2:
        return list(range(n)), []
    indices = list(range(n))
    random.Random(seed).shuffle(indices)
    n_eval = min(n - 1, max(1, round(n * ratio)))
    return sorted(indices[n_eval:]), sorted(indices[:n_eval])
