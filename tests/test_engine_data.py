"""Sequence building: the chat template, answer-only loss, pre-shifted labels, batching."""

import numpy as np
import pytest

from lora_studio.core.records import Record
from lora_studio.engine import data


@pytest.fixture(scope="module")
def tokenizer(demo_model):
    """The tokenizer exactly as the engine loads it (PaddleFormers' wrapper, not plain HF)."""
    from lora_studio.engine.runtime import prepare_environment

    prepare_environment()
    from lora_studio.engine.loading import load_tokenizer

    return load_tokenizer(str(demo_model), lambda event: None)


RECORD = Record(instruction="什么是沙箱？", output="沙箱是一个隔离的运行环境。")


def test_labels_are_pre_shifted_and_only_on_the_answer(tokenizer):
    encoded, outcome = data.encode_record(tokenizer, RECORD, 512)
    assert outcome == ""
    prompt, answer = data.render(tokenizer, RECORD)
    assert prompt.endswith("<|im_start|>assistant\n") and answer.startswith(RECORD.output)
    prompt_len = len(tokenizer(prompt, add_special_tokens=False)["input_ids"])
    ids, labels = encoded.input_ids, encoded.labels
    # position i predicts token i+1: labels are the inputs moved one to the left
    assert all(labels[i] == ids[i + 1] for i in range(prompt_len - 1, len(ids) - 1))
    assert all(label == data.IGNORE_INDEX for label in labels[: prompt_len - 1])
    learnt = tokenizer.decode([t for t in labels if t != data.IGNORE_INDEX])
    assert learnt == RECORD.output + "<|im_end|>\n"


def test_the_prompt_is_what_chat_will_send(tokenizer):
    encoded, _ = data.encode_record(tokenizer, RECORD, 512)
    chat_prompt = tokenizer.apply_chat_template(
        RECORD.messages(with_answer=False), tokenize=False, add_generation_prompt=True
    )
    chat_ids = tokenizer(chat_prompt, add_special_tokens=False)["input_ids"]
    assert encoded.input_ids[: len(chat_ids)] == chat_ids


def test_overlong_records_are_truncated_or_dropped(tokenizer):
    long = Record(instruction="q", output="很长的回答" * 100)
    encoded, outcome = data.encode_record(tokenizer, long, 64)
    assert outcome == "truncated" and len(encoded) == 64
    assert data.encode_record(tokenizer, long, 64, overlong="drop") == (None, "dropped")
    long_prompt = Record(instruction="问" * 300, output="答")
    assert data.encode_record(tokenizer, long_prompt, 64)[1] == "dropped"
    seqs, stats = data.encode_records(tokenizer, [RECORD, long, long_prompt], 64)
    assert (len(seqs), stats.truncated, stats.dropped) == (2, 1, 1)


def test_length_grouped_batches_cover_every_index_once_longest_first():
    lengths = [5, 90, 7, 33, 12, 64, 3, 50, 41, 8, 77]
    batches = data.length_grouped_batches(lengths, 3, seed=1, epoch=0, group_factor=2)
    flat = sorted(i for b in batches for i in b)
    assert flat == list(range(len(lengths)))
    assert 1 in batches[0]  # the longest sequence comes first
    assert batches == data.length_grouped_batches(lengths, 3, seed=1, epoch=0, group_factor=2)
    assert batches != data.length_grouped_batches(lengths, 3, seed=1, epoch=1, group_factor=2)


def test_grouping_cuts_padding():
    rng = np.random.default_rng(0)
    lengths = list(rng.integers(20, 500, size=400))

    def padded(batches):
        return sum(max(lengths[i] for i in b) * len(b) for b in batches)

    grouped = data.length_grouped_batches(lengths, 4, seed=0, epoch=0)
    rand = [list(range(i, min(i + 4, 400))) for i in range(0, 400, 4)]
    assert padded(grouped) < 0.75 * padded(rand)


def test_collator_pads_per_batch_and_counts_tokens():
    collator = data.PaddingCollator(pad_token_id=0)
    batch = collator([data.Encoded([5, 6, 7], [6, 7, 8]), data.Encoded([9], [-100])])
    assert batch["input_ids"].tolist() == [[5, 6, 7], [9, 0, 0]]
    assert batch["labels"].tolist() == [[6, 7, 8], [-100, -100, -100]]
    counts = collator.pop_counts()
    assert (counts.real_tokens, counts.padded_tokens) == (4, 6)
    assert collator.pop_counts() is None
    assert data.PaddingCollator(0, multiple_of=8)([data.Encoded([1], [1])])["input_ids"].shape == (
        1,
        8,
    )


def test_eval_batches_are_not_counted_as_training_tokens():
    """The Trainer's eval loop shares the collator but never pops counts: queueing them would
    shift every later step's tokens-per-second by one batch."""
    collator = data.PaddingCollator(pad_token_id=0)
    collator([data.EvalEncoded([1, 2], [2, 3])])
    assert collator.pop_counts() is None


def test_eval_split_is_seeded_and_disjoint():
    train, held = data.split_eval(100, 0.1, seed=3)
    assert len(held) == 10 and not set(train) & set(held)
    assert (train, held) == data.split_eval(100, 0.1, seed=3)
    assert data.split_eval(5, 0.0, seed=3) == ([0, 1, 2, 3, 4], [])
