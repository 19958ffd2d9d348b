"""Sequence building: the chat template, answer-only loss, pre-shifted labels, batching."""

import json

import numpy as np
import pytest

from lora_studio.core.records import Record
from lora_studio.engine import data


@pytest.fixture(scope="module")
def tokenizer(tiny_model):
    """The tokenizer exactly as the engine loads it (PaddleFormers' wrapper, not plain HF)."""
    from lora_studio.engine.runtime import prepare_environment

    prepare_environment()
    from lora_studio.engine.loading import load_tokenizer

    return load_tokenizer(str(tiny_model), lambda event: None)


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


# ---- multi-turn loss and tools (issue 11) ----
THREE_ANSWERS = Record(
    instruction="第三问",
    output="第三答",
    history=[("first question", "first answer"), ("第二问", "second answer")],
)


def _learnt(tokenizer, encoded):
    """The trained spans of a sequence, decoded, in order."""
    spans, current = [], []
    for label in encoded.labels:
        if label == data.IGNORE_INDEX:
            if current:
                spans.append(tokenizer.decode(current))
                current = []
        else:
            current.append(label)
    if current:
        spans.append(tokenizer.decode(current))
    return spans


def test_every_answer_of_a_conversation_gets_loss_by_default(tokenizer):
    encoded, outcome = data.encode_record(tokenizer, THREE_ANSWERS, 512)
    assert outcome == ""
    assert _learnt(tokenizer, encoded) == [
        "first answer<|im_end|>\n",
        "second answer<|im_end|>\n",
        "第三答<|im_end|>\n",
    ]
    # the whole sequence is the conversation exactly as the template renders it
    full = tokenizer.apply_chat_template(
        THREE_ANSWERS.messages(), tokenize=False, add_generation_prompt=False
    )
    assert tokenizer.decode(encoded.input_ids + [encoded.labels[-1]]) == full
    last, _ = data.encode_record(tokenizer, THREE_ANSWERS, 512, train_on="last")
    assert _learnt(tokenizer, last) == ["第三答<|im_end|>\n"]
    assert last.input_ids == encoded.input_ids  # same tokens, fewer of them trained


# Qwen2.5-Instruct's chat template (tools section, tool calls, tool responses), as published.
QWEN25_TEMPLATE = (
    "{%- if tools %}\n    {{- '<|im_start|>system\\n' }}\n    {%- if messages[0]['role'] == "
    "'system' %}\n        {{- messages[0]['content'] }}\n    {%- else %}\n        {{- 'You are "
    "Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}\n    {%- endif %}\n    {{- "
    '"\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.'
    "\\n\\nYou "
    'are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}\n    '
    '{%- for tool in tools %}\n        {{- "\\n" }}\n        {{- tool | tojson }}\n    {%- endfor '
    '%}\n    {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name '
    'and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": '
    '<function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}\n{%- '
    "else %}\n    {%- if messages[0]['role'] == 'system' %}\n        {{- '<|im_start|>system\\n' "
    "+ messages[0]['content'] + '<|im_end|>\\n' }}\n    {%- else %}\n        {{- "
    "'<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful "
    "assistant.<|im_end|>\\n' }}\n    {%- endif %}\n{%- endif %}\n{%- for message in messages "
    '%}\n    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or '
    "(message.role == \"assistant\" and not message.tool_calls) %}\n        {{- '<|im_start|>' + "
    "message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}\n    {%- elif message.role "
    "== \"assistant\" %}\n        {{- '<|im_start|>' + message.role }}\n        {%- if "
    "message.content %}\n            {{- '\\n' + message.content }}\n        {%- endif %}\n        "
    "{%- for tool_call in message.tool_calls %}\n            {%- if tool_call.function is defined "
    "%}\n                {%- set tool_call = tool_call.function %}\n            {%- endif %}\n    "
    '        {{- \'\\n<tool_call>\\n{"name": "\' }}\n            {{- tool_call.name }}\n        '
    '    {{- \'", "arguments": \' }}\n            {{- tool_call.arguments | tojson }}\n          '
    "  {{- '}\\n</tool_call>' }}\n        {%- endfor %}\n        {{- '<|im_end|>\\n' }}\n    {%- "
    'elif message.role == "tool" %}\n        {%- if (loop.index0 == 0) or '
    "(messages[loop.index0 - 1].role != \"tool\") %}\n            {{- '<|im_start|>user' }}\n     "
    "   {%- endif %}\n        {{- '\\n<tool_response>\\n' }}\n        {{- message.content }}\n     "
    "   {{- '\\n</tool_response>' }}\n        {%- if loop.last or (messages[loop.index0 + 1].role "
    "!= \"tool\") %}\n            {{- '<|im_end|>\\n' }}\n        {%- endif %}\n    {%- endif "
    "%}\n{%- endfor %}\n{%- if add_generation_prompt %}\n    {{- '<|im_start|>assistant\\n' }}\n"
    "{%- endif %}\n"
)


@pytest.fixture(scope="module")
def qwen_tokenizer(tiny_model, tmp_path_factory):
    """The demo model's tokenizer with Qwen2.5's tool-aware chat template."""
    import json
    import shutil

    folder = tmp_path_factory.mktemp("qwen-template") / "model"
    shutil.copytree(tiny_model, folder)
    config_path = folder / "tokenizer_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["chat_template"] = QWEN25_TEMPLATE
    config_path.write_text(json.dumps(config), encoding="utf-8")
    for name in ("chat_template.jinja", "chat_template.json"):
        (folder / name).unlink(missing_ok=True)
    from lora_studio.engine.loading import load_tokenizer

    return load_tokenizer(str(folder), lambda event: None)


def test_tools_are_rendered_by_a_template_that_knows_them(qwen_tokenizer, tokenizer, tmp_path):
    from lora_studio.core import formats

    rows = [
        {
            "conversations": [
                {"from": "human", "value": "Weather in Paris?"},
                {
                    "from": "function_call",
                    "value": '{"name": "get_weather", "arguments": {"city": "Paris"}}',
                },
                {"from": "observation", "value": '{"temperature": 18}'},
                {"from": "gpt", "value": "18 °C in Paris."},
            ],
            "tools": json.dumps(
                [
                    {
                        "name": "get_weather",
                        "description": "Weather now",
                        "parameters": {
                            "type": "object",
                            "properties": {"city": {"type": "string"}},
                        },
                    }
                ]
            ),
        }
    ]
    path = tmp_path / "glaive.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    (record,) = formats.read_dataset(path).records
    assert data.template_supports_tools(qwen_tokenizer)
    assert not data.template_supports_tools(tokenizer)  # the demo model's plain ChatML
    encoded, _ = data.encode_record(qwen_tokenizer, record, 1024)
    text = qwen_tokenizer.decode(encoded.input_ids)
    assert "# Tools" in text and '"name": "get_weather"' in text and "<tool_response>" in text
    call, answer = _learnt(qwen_tokenizer, encoded)
    assert call == (
        '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n'
        "</tool_call><|im_end|>\n"
    )
    assert answer == "18 °C in Paris.<|im_end|>\n"
