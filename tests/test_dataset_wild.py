"""Datasets in the layouts of the projects people copy from, each read right or refused by name.

Every file here was written for this test in that project's layout (LLaMA-Factory's ``data/``
demos, Firefly, BELLE, ERNIEKit, ChatGLM3, OpenAI's fine-tuning JSONL); none is copied.
"""

from __future__ import annotations

import json

import pytest
from conftest import run_cli

from lora_studio.core import checks, formats, training_data
from lora_studio.core.dataset_io import DatasetError
from lora_studio.core.records import TOOL_CALL, TOOL_RESULT, Record


def _write(tmp_path, name, data, lines=False):
    path = tmp_path / name
    if lines:
        text = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in data)
    else:
        text = json.dumps(data, ensure_ascii=False, indent=2)
    path.write_text(text, encoding="utf-8")
    return str(path)


def _train_reads(path):
    """What train would do: (records, notes) or the DatasetError's text."""
    try:
        data = training_data.read_for_training(path)
    except DatasetError as exc:
        return str(exc)
    return data.records, data.notes


# ---- LLaMA-Factory --------------------------------------------------------------------------
def test_llamafactory_alpaca_with_system_and_history(tmp_path):
    path = _write(
        tmp_path,
        "alpaca_zh_demo.json",
        [
            {
                "instruction": "再解释一下蜜罐",
                "input": "",
                "output": "蜜罐是引诱攻击者的诱饵系统。",
                "system": "你是安全助手。",
                "history": [["什么是防火墙？", "防火墙按规则过滤流量。"]],
            }
        ],
    )
    (record,) = formats.read_dataset(path).records
    assert record == Record(
        "再解释一下蜜罐",
        "蜜罐是引诱攻击者的诱饵系统。",
        system="你是安全助手。",
        history=[("什么是防火墙？", "防火墙按规则过滤流量。")],
    )


def test_kto_keeps_only_the_good_answers_and_counts_the_rest(tmp_path):
    rows = [
        {
            "messages": [
                {"role": "user", "content": f"Question {i}"},
                {"role": "assistant", "content": f"Answer {i}"},
            ],
            "label": i % 3 != 0,
        }
        for i in range(9)
    ]
    path = _write(tmp_path, "kto_en_demo.json", rows)
    result = formats.read_dataset(path)
    assert [r.instruction for r in result.records] == [f"Question {i}" for i in (1, 2, 4, 5, 7, 8)]
    assert result.locations == [2, 3, 5, 6, 8, 9] and not result.problems
    assert result.notes == [
        '3 record(s) marked as bad answers (KTO "label": false) were left out: only the good '
        "answers are trained on"
    ]
    records, notes = _train_reads(path)
    assert len(records) == 6 and "KTO" in notes[0]
    check = run_cli("dataset", "check", path)
    assert check.returncode == 0 and "KTO" in check.stderr
    # an Alpaca-shaped KTO record, no bigger than a plain one, is not taken for one
    alpaca = [
        {"instruction": "q1", "input": "", "output": "good", "label": True},
        {"instruction": "q2", "input": "", "output": "bad", "label": False},
    ]
    result = formats.read_dataset(_write(tmp_path, "kto_alpaca.json", alpaca))
    assert [r.output for r in result.records] == ["good"] and result.left_out


def test_multimodal_records_are_refused_with_the_media_named(tmp_path):
    rows = [
        {
            "messages": [
                {"role": "user", "content": "<image>Who is in the picture?"},
                {"role": "assistant", "content": "A cat."},
            ],
            "images": ["mllm_demo_data/1.jpg"],
        },
        {
            "messages": [
                {"role": "user", "content": "<video>What happens?"},
                {"role": "assistant", "content": "A dog runs."},
            ]
        },
        {
            "messages": [
                {"role": "user", "content": "<audio>What is said?"},
                {"role": "assistant", "content": "Hello."},
            ],
            "audios": ["mllm_demo_data/1.mp3"],
        },
    ]
    path = _write(tmp_path, "mllm_demo.json", rows)
    with pytest.raises(DatasetError) as caught:
        formats.read_dataset(path)
    assert "multimodal" in str(caught.value) and '"images"' in str(caught.value)
    assert caught.value.location == "record 1"
    rows[0].pop("images")
    rows[0]["messages"][0]["content"] = "Plain question"
    result = formats.read_dataset(_write(tmp_path, "mixed.json", rows))
    assert len(result.records) == 1
    assert "<video>" in result.problems[0].message and result.problems[0].location == "record 2"
    assert '"audios"' in result.problems[1].message


def test_identity_placeholders_are_flagged_and_filled_in_one_step(tmp_path):
    from lora_studio.core.document import DatasetDocument, SetFields

    rows = [
        {"instruction": "hi", "input": "", "output": "Hello! I am {{name}}, made by {{author}}."},
        {"instruction": "你是谁？", "input": "", "output": "我是 {{name}}，由 {{author}} 开发。"},
        {"instruction": "What can you do?", "input": "", "output": "Answer questions."},
    ]
    path = _write(tmp_path, "identity.json", rows)
    result = formats.read_dataset(path)
    problems = [p for p in checks.check_records(result.records) if p.kind == "placeholder"]
    assert [p.row for p in problems] == [0, 1] and "{{name}}, {{author}}" in problems[0].message
    check = run_cli("dataset", "check", path)
    assert (
        check.returncode == 0 and "record 1: warning: holds template placeholders" in check.stdout
    )
    assert run_cli("dataset", "check", path, "--strict").returncode == 1
    records, notes = _train_reads(path)
    assert "2 record(s) hold template placeholders" in notes[0]

    doc = DatasetDocument()
    doc.load(result.records)
    changes = checks.fill_placeholders(doc.records, {"name": "SecBot", "author": "LoRA Studio"})
    doc.apply(SetFields(changes, "Fill placeholders"))
    assert doc.records[0].output == "Hello! I am SecBot, made by LoRA Studio."
    assert doc.records[1].output == "我是 SecBot，由 LoRA Studio 开发。"
    assert not [p for p in checks.check_records(doc.records) if p.kind == "placeholder"]
    doc.undo()  # one step
    assert doc.records[0].output == rows[0]["output"]


GLAIVE_TOOLS = [
    {
        "name": "get_weather",
        "description": "Current weather of a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    }
]


def _glaive_row():
    return {
        "conversations": [
            {"from": "human", "value": "What is the weather in Paris?"},
            {
                "from": "function_call",
                "value": '{"name": "get_weather", "arguments": {"city": "Paris"}}',
            },
            {"from": "observation", "value": '{"temperature": 18, "sky": "clear"}'},
            {"from": "gpt", "value": "It is 18 °C and clear in Paris."},
        ],
        "tools": json.dumps(GLAIVE_TOOLS),
    }


def test_tool_calls_keep_the_tools_and_map_calls_and_results(tmp_path):
    path = _write(tmp_path, "glaive_toolcall_en_demo.json", [_glaive_row()])
    (record,) = formats.read_dataset(path).records
    assert record.tools == [{"type": "function", "function": GLAIVE_TOOLS[0]}]
    assert record.kinds == ["user", TOOL_CALL, TOOL_RESULT, "assistant"]
    messages = record.messages()
    assert messages[1] == {
        "role": "assistant",
        "content": "",
        "tool_calls": [
            {
                "type": "function",
                "function": {"name": "get_weather", "arguments": {"city": "Paris"}},
            }
        ],
    }
    assert messages[2] == {"role": "tool", "content": '{"temperature": 18, "sky": "clear"}'}
    assert messages[3] == {"role": "assistant", "content": "It is 18 °C and clear in Paris."}
    # written in OpenAI's layout, read back the same
    out = tmp_path / "tools.jsonl"
    formats.write_dataset([record], out, "jsonl")
    written = json.loads(out.read_text(encoding="utf-8"))
    call = written["messages"][1]["tool_calls"][0]["function"]
    assert call["arguments"] == '{"city": "Paris"}' and written["tools"] == record.tools
    assert formats.read_dataset(out).records == [record]


def test_a_broken_tool_call_is_a_problem_that_train_refuses(tmp_path):
    row = _glaive_row()
    row["conversations"][1]["value"] = "get_weather(Paris)"
    path = _write(tmp_path, "broken_tools.json", [row])
    message = _train_reads(path)
    assert isinstance(message, str) and "tool call is not valid" in message
    assert "record 1" in message
    assert run_cli("dataset", "check", path).returncode == 1


@pytest.mark.parametrize(
    "row",
    [
        {"instruction": "q", "input": "", "chosen": "good", "rejected": "bad"},  # LLaMA-Factory
        {
            "conversations": [{"from": "human", "value": "q"}],
            "chosen": {"from": "gpt", "value": "good"},
            "rejected": {"from": "gpt", "value": "bad"},
        },
        {  # Firefly's DPO layout
            "system": "You are helpful.",
            "conversations": [{"role": "user", "content": "q"}],
            "chosen": {"role": "assistant", "content": "good"},
            "rejected": {"role": "assistant", "content": "bad"},
        },
    ],
    ids=["llamafactory-alpaca", "llamafactory-sharegpt", "firefly"],
)
def test_preference_data_is_refused_not_trained_on_silently(tmp_path, row):
    path = _write(tmp_path, "dpo_en_demo.json", [row, row])
    message = _train_reads(path)
    assert isinstance(message, str)
    assert "preference data" in message and "not supervised fine-tuning data" in message
    assert run_cli("dataset", "check", path).returncode == 2


def test_dataset_info_and_other_json_objects_say_what_they_are(tmp_path):
    info = {
        "identity": {"file_name": "identity.json"},
        "alpaca_en_demo": {"file_name": "alpaca_en_demo.json"},
    }
    with pytest.raises(DatasetError, match="dataset_info.json.*identity.json"):
        formats.read_dataset(_write(tmp_path, "dataset_info.json", info))
    wrapped = {"version": "1.0", "data": [{"instruction": "q", "output": "a"}]}
    with pytest.raises(DatasetError, match='a JSON object, not a list of records.*"data"'):
        formats.read_dataset(_write(tmp_path, "wrapped.json", wrapped))
    # one pretty-printed record is a dataset of one record
    single = _write(tmp_path, "single.json", {"instruction": "q", "output": "a"})
    assert formats.read_dataset(single).records == [Record("q", "a")]


# ---- Firefly, BELLE, ERNIEKit, ChatGLM3, OpenAI ------------------------------------------------
def test_firefly_conversation(tmp_path):
    row = {
        "conversation_id": 7,
        "category": "Brainstorming",
        "conversation": [
            {"human": "推荐一本书", "assistant": "《三体》。"},
            {"human": "为什么？", "assistant": "想象力宏大。"},
        ],
    }
    path = _write(tmp_path, "firefly.jsonl", [row], lines=True)
    (record,) = formats.read_dataset(path).records
    assert record == Record("为什么？", "想象力宏大。", history=[("推荐一本书", "《三体》。")])


def test_firefly_train_1m_and_belle(tmp_path):
    firefly = _write(
        tmp_path,
        "firefly-train-1.1M.jsonl",
        [{"kind": "Poem", "input": "写一句诗", "target": "春眠不觉晓"}],
        True,
    )
    assert formats.read_dataset(firefly).records == [Record("写一句诗", "春眠不觉晓")]
    belle = [
        {"instruction": "给出三个颜色", "input": "", "output": "红、绿、蓝"},
        {
            "id": "1",
            "conversations": [
                {"from": "human", "value": "你好"},
                {"from": "assistant", "value": "你好！"},
            ],
        },
    ]
    records = formats.read_dataset(_write(tmp_path, "belle.json", belle)).records
    assert records == [Record("给出三个颜色", "红、绿、蓝"), Record("你好", "你好！")]


def test_erniekit_src_tgt(tmp_path):
    row = {"src": ["问一", "问二"], "tgt": ["答一", "答二"], "system": "简短回答"}
    (record,) = formats.read_dataset(_write(tmp_path, "ernie.jsonl", [row], True)).records
    assert record == Record("问二", "答二", system="简短回答", history=[("问一", "答一")])


def test_chatglm3_conversations_with_role_and_content(tmp_path):
    row = {
        "conversations": [
            {"role": "system", "content": "You are ChatGLM3."},
            {"role": "user", "content": "What is 2+2?"},
            {"role": "assistant", "content": "4."},
        ]
    }
    (record,) = formats.read_dataset(_write(tmp_path, "chatglm3.json", [row])).records
    assert record == Record("What is 2+2?", "4.", system="You are ChatGLM3.")


def test_openai_finetuning_jsonl(tmp_path):
    rows = [
        {
            "messages": [
                {"role": "developer", "content": "Be terse."},
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "Capital of "},
                        {"type": "text", "text": "France?"},
                    ],
                },
                {"role": "assistant", "content": "Paris."},
            ]
        },
        {
            "messages": [
                {"role": "user", "content": "Weather in Rome?"},
                {
                    "role": "assistant",
                    "tool_calls": [
                        {
                            "id": "call_1",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": '{"city": "Rome"}'},
                        }
                    ],
                },
                {"role": "tool", "tool_call_id": "call_1", "content": "21 C"},
                {"role": "assistant", "content": "21 °C in Rome."},
            ],
            "tools": [{"type": "function", "function": GLAIVE_TOOLS[0]}],
        },
        {
            "messages": [
                {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x.png"}}]},
                {"role": "assistant", "content": "A cat."},
            ]
        },
    ]
    result = formats.read_dataset(_write(tmp_path, "openai.jsonl", rows, True))
    first, second = result.records
    assert first == Record("Capital of France?", "Paris.", system="Be terse.")
    assert second.kinds == ["user", TOOL_CALL, TOOL_RESULT, "assistant"]
    assert json.loads(second.history[0][1]) == {
        "name": "get_weather",
        "arguments": {"city": "Rome"},
    }
    assert result.problems[0].location == "line 3" and "image_url" in result.problems[0].message


# ---- encodings from the wild -------------------------------------------------------------------
SAMPLES = {
    "big5": "instruction,output\n什麼是防火牆？,防火牆按規則過濾網路流量。\n",
    "shift_jis": "instruction,output\n"
    "ファイアウォールとは何ですか？,ルールに従って通信を選別する仕組みです。\n",
    "euc_kr": "instruction,output\n"
    "방화벽이란 무엇입니까?,규칙에 따라 네트워크 트래픽을 걸러냅니다.\n",
    "gb18030": "instruction,output\n什么是防火墙？,防火墙按规则过滤网络流量。\n",
    "cp1252": "instruction,output\n"
    "Qu'est-ce qu'un pare-feu ?,Un système qui filtre le trafic réseau "
    "selon des règles définies.\n",
}


@pytest.mark.parametrize("encoding", sorted(SAMPLES))
def test_legacy_encodings_are_detected_not_guessed_as_gb18030(tmp_path, encoding):
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes(SAMPLES[encoding].encode(encoding))
    result = formats.read_dataset(path)
    assert result.encoding == encoding
    question, answer = SAMPLES[encoding].splitlines()[1].split(",")
    assert result.records == [Record(question, answer)]
    check = run_cli("dataset", "check", str(path))
    assert f"(csv, {encoding})" in check.stdout and check.returncode == 0


def test_the_user_can_name_the_encoding(tmp_path):
    path = tmp_path / "big5.csv"
    path.write_bytes(SAMPLES["big5"].encode("big5"))
    forced = formats.read_dataset(path, encoding="gb18030")  # what the old reader did
    assert forced.encoding == "gb18030" and forced.records[0].instruction != "什麼是防火牆？"
    result = run_cli(
        "dataset", "convert", str(path), str(tmp_path / "out.json"), "--encoding", "big5"
    )
    assert result.returncode == 0
    assert formats.read_dataset(tmp_path / "out.json").records[0].instruction == "什麼是防火牆？"


def test_convert_takes_the_format_from_the_extension(tmp_path):
    source = _write(tmp_path, "in.json", [{"instruction": "q", "output": "a"}])
    for name, fmt in (("out.jsonl", "jsonl"), ("out.json", "json")):
        result = run_cli("dataset", "convert", source, str(tmp_path / name))
        assert result.returncode == 0 and f"({fmt})" in result.stdout, result.stderr
        assert formats.read_dataset(tmp_path / name).format == fmt


def test_input_zero_is_refused_by_check_and_train_alike(tmp_path):
    path = _write(
        tmp_path,
        "zero.json",
        [{"instruction": "q", "input": 0, "output": "a"}, {"instruction": "q2", "output": "a2"}],
    )
    check = run_cli("dataset", "check", path)
    assert (
        check.returncode == 1 and 'record 1: "input" must be a string, not a number' in check.stdout
    )
    message = _train_reads(path)
    assert isinstance(message, str) and '"input" must be a string' in message


def test_a_very_short_chinese_file_is_not_taken_for_korean(tmp_path):
    """Four characters of GBK are valid EUC-KR as well: a tie goes to the likelier encoding."""
    path = tmp_path / "wps.csv"
    path.write_bytes("问,答\n你好,您好\n".encode("gbk"))
    result = formats.read_dataset(path, {"instruction": "问", "output": "答"})
    assert result.encoding == "gb18030" and result.records == [Record("你好", "您好")]
