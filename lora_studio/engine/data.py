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
    last_turn_only: int = 0  # multi-turn records that the template let train on one turn only
    lengths: list[int] = field(default_factory=list)


def chat_template_text(tokenizer: Any) -> str:
    """The model's chat template as text (all of them, when it has several by name)."""
    template = getattr(tokenizer, "chat_template", None) or ""
    if isinstance(template, dict):
        template = " ".join(str(t) for t in template.values())
    return str(template)


def template_supports_tools(tokenizer: Any) -> bool:
    """Whether the model's chat template renders a ``tools`` list (Qwen2.5's and Qwen3's do)."""
    return "tools" in chat_template_text(tokenizer)


def _apply(tokenizer: Any, record: Record, messages: list, generation_prompt: bool) -> str:
    kwargs: dict[str, Any] = {"tools": record.tools} if record.tools else {}
    # Explicitly given: PaddleFormers' apply_chat_template appends a generation prompt by
    # default, even after the assistant's turn (docs/engine-notes.md).
    return tokenizer.apply_chat_template(
        messages, tokenize=False, add_generation_prompt=generation_prompt, **kwargs
    )


def render(tokenizer: Any, record: Record) -> tuple[str, str]:
    """(prompt text, answer text) where prompt + answer is the whole rendered conversation."""
    pieces = segments(tokenizer, record, "last")
    return "".join(text for text, _ in pieces[:-1]), pieces[-1][0]


def segments(tokenizer: Any, record: Record, train_on: str = "all") -> list[tuple[str, bool]]:
    """The rendered conversation cut into (text, trained) pieces: each assistant turn (answer or
    tool call, with its end-of-turn marker) trained when ``train_on`` is "all", the last one
    only when "last"; everything between them not trained.

    Each turn's piece is what the template adds between the conversation up to that turn with a
    generation prompt and the conversation through it. A template that renders earlier turns
    differently once later ones follow (Qwen3 drops reasoning from history) cannot be cut like
    that: such a record trains on its last turn only, and is counted
    (``EncodeStats.last_turn_only``).
    """
    messages = record.messages(with_answer=True)
    answers = [i for i, m in enumerate(messages) if m["role"] == "assistant"]
    if train_on == "all" and len(answers) > 1:
        pieces: list[tuple[str, bool]] = []
        done = ""
        for i in answers:
            before = _apply(tokenizer, record, messages[:i], True)
            through = _apply(tokenizer, record, messages[: i + 1], False)
            if not (before.startswith(done) and through.startswith(before)):
                break
            pieces += [(before[len(done) :], False), (through[len(before) :], True)]
            done = through
        else:
            return pieces
    last = answers[-1]
    prompt = _apply(tokenizer, record, messages[:last], True)
    full = _apply(tokenizer, record, messages, False)
    if full.startswith(prompt):
        return [(prompt, False), (full[len(prompt) :], True)]
    # A template that renders the answer turn differently from the generation prompt: train on
    # what generation will see, the prompt followed by the answer and the end-of-turn token.
    return [(prompt, False), (record.output + (tokenizer.eos_token or ""), True)]


def encode_record(
    tokenizer: Any,
    record: Record,
    max_seq_length: int,
    overlong: str = "truncate",
    train_on: str = "all",
) -> tuple[Encoded | None, str]:
    """Encode one record; returns (sequence or None, "" / "truncated" / "dropped" /
    "last_turn_only").

    Each piece is tokenised alone, exactly as chat will see it: the prompt is tokenised alone
    and the model continues it.
    """
    tokens: list[int] = []
    mask: list[bool] = []
    pieces = segments(tokenizer, record, train_on)
    for text, trained in pieces:
        ids = list(tokenizer(text, add_special_tokens=False)["input_ids"])
        tokens += ids
        mask += [trained] * len(ids)
    outcome = "last_turn_only" if train_on == "all" and record.history and len(pieces) == 2 else ""
    # A sequence of n tokens trains on n-1 positions: inputs tokens[:-1], labels tokens[1:].
    if len(tokens) - 1 > max_seq_length:
        if overlong == "drop" or not any(mask[1 : max_seq_length + 1]):
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
    train_on: str = "all",
) -> tuple[list[Encoded], EncodeStats]:
    stats = EncodeStats()
    out = []
    step = max(1, len(records) // 20)
    for i, record in enumerate(records):
        encoded, outcome = encode_record(tokenizer, record, max_seq_length, overlong, train_on)
        if outcome == "dropped":
            stats.dropped += 1
        elif outcome == "truncated":
            stats.truncated += 1
        elif outcome == "last_turn_only":
            stats.last_turn_only += 1
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


def rank_share(batch: list[int], rank: int, world_size: int) -> list[int]:
    """Rank ``rank``'s part of one global batch: consecutive slices of equal size, so that a
    full global batch of ``B * world_size`` gives each rank the records of similar length that a
    single process would have had in the same batch. A short last batch is split as evenly as
    it goes; a rank left with nothing repeats the batch's first records (every rank must run the
    same number of steps, or the job hangs), as ``paddle.io.DistributedBatchSampler`` pads."""
    if world_size <= 1:
        return list(batch)
    size = -(-len(batch) // world_size)
    share = batch[rank * size : (rank + 1) * size]
    return share or batch[:size]


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
