"""Dataset formats, encodings, checks, undoable edits and the dataset commands (core, no Qt)."""

from __future__ import annotations

import json
import string

import pytest
from conftest import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lora_studio.core import checks, formats
from lora_studio.core.dataset_io import DatasetError
from lora_studio.core.document import (
    DatasetDocument,
    InsertRecords,
    MoveRecords,
    RemoveRecords,
    ReplaceRecords,
    SetFields,
)
from lora_studio.core.records import Record

RECORDS = [
    Record("回答以下网络安全问题", "DDoS是分布式拒绝服务攻击。", input="什么是DDoS？"),
    Record("Explain phishing", "A fake message that steals passwords.", system="Be brief."),
    Record(
        "And a honeypot?",
        "A decoy system.",
        history=[("What is a firewall?", "A traffic filter.")],
    ),
]


def write(path, text: str, encoding: str = "utf-8") -> str:
    path.write_bytes(text.encode(encoding))
    return str(path)


# ---- round trips ----
@pytest.mark.parametrize("fmt", ["json", "jsonl", "messages"])
def test_every_write_format_round_trips(tmp_path, fmt):
    path = tmp_path / f"data.{'json' if fmt == 'json' else 'jsonl'}"
    formats.write_dataset(RECORDS, path, fmt)
    result = formats.read_dataset(path)
    expected = RECORDS
    if fmt == "messages":  # one user message: instruction and input are joined, as in training
        expected = [Record(r.prompt, r.output, system=r.system, history=r.history) for r in RECORDS]
    assert result.records == expected and not result.problems
    assert result.format == ("json" if fmt == "json" else "jsonl")


def test_sharegpt_openai_and_erniekit_are_converted(tmp_path):
    sharegpt = {
        "system": "Be brief.",
        "conversations": [
            {"from": "human", "value": "What is a firewall?"},
            {"from": "gpt", "value": "A traffic filter."},
            {"from": "human", "value": "And a honeypot?"},
            {"from": "gpt", "value": "A decoy system."},
        ],
    }
    openai = {
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "What is a firewall?"},
            {"role": "assistant", "content": "A traffic filter."},
            {"role": "user", "content": "And a honeypot?"},
            {"role": "assistant", "content": "A decoy system."},
        ]
    }
    ernie = {
        "src": ["What is a firewall?", "And a honeypot?"],
        "tgt": ["A traffic filter.", "A decoy system."],
        "system": "Be brief.",
    }
    expected = Record(
        "And a honeypot?",
        "A decoy system.",
        system="Be brief.",
        history=[("What is a firewall?", "A traffic filter.")],
    )
    for obj in (sharegpt, openai, ernie):
        path = write(tmp_path / "one.json", json.dumps([obj]))
        assert formats.read_dataset(path).records == [expected]
    single = {"src": "问题", "tgt": "回答"}
    path = write(tmp_path / "ernie.jsonl", json.dumps(single, ensure_ascii=False))
    assert formats.read_dataset(path).records == [Record("问题", "回答")]


def test_csv_tsv_and_xlsx(tmp_path):
    csv_text = 'instruction,input,output\n"Explain, briefly",ctx,"Line one\nline two"\n'
    result = formats.read_dataset(write(tmp_path / "a.csv", csv_text))
    assert result.records == [Record("Explain, briefly", "Line one\nline two", input="ctx")]
    assert result.format == "csv"
    tsv = formats.read_dataset(write(tmp_path / "a.tsv", "问题\t回答\n你好\t您好\n"))
    assert tsv.records == [Record("你好", "您好")] and tsv.mapping["instruction"] == "问题"

    odd = write(tmp_path / "b.csv", "q,a,notes\nhi,hello,x\n")
    with pytest.raises(formats.NeedsMapping) as caught:
        formats.read_dataset(odd)
    assert caught.value.columns == ["q", "a", "notes"]
    mapped = formats.read_dataset(odd, {"instruction": "q", "output": "a"})
    assert mapped.records == [Record("hi", "hello")]

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Instruction", "Output", "Input"])
    sheet.append(["你好", "您好", None])
    sheet.append([None, None, None])  # empty rows are skipped
    sheet.append(["Count", 42, ""])  # numbers become text
    book.save(tmp_path / "a.xlsx")
    xlsx = formats.read_dataset(tmp_path / "a.xlsx")
    assert xlsx.records == [Record("你好", "您好"), Record("Count", "42")]
    assert xlsx.format == "xlsx"
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    with pytest.raises(DatasetError, match="not a readable Excel"):
        formats.read_dataset(tmp_path / "bad.xlsx")


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
    ],
)
def test_every_encoding_is_detected(tmp_path, encoding, name):
    text = "instruction,output\n什么是防火墙？,防火墙按规则过滤网络流量。\n"
    result = formats.read_dataset(write(tmp_path / "zh.csv", text, encoding))
    assert result.records == [Record("什么是防火墙？", "防火墙按规则过滤网络流量。")]
    assert result.encoding == name


def test_bad_lines_are_listed_and_good_ones_kept(tmp_path):
    lines = [json.dumps({"instruction": f"q{i}", "output": f"a{i}"}) for i in range(10_000)]
    lines[9] = "{not json"
    lines[99] = json.dumps({"instruction": "q"})
    lines[999] = json.dumps({"instruction": "q", "output": 5})
    result = formats.read_dataset(write(tmp_path / "big.jsonl", "\n".join(lines)))
    assert len(result.records) == 9997
    assert [p.location for p in result.problems] == ["line 10", "line 100", "line 1000"]
    assert "not valid JSON" in result.problems[0].message
    assert 'missing field "output"' in result.problems[1].message
    assert "must be a string" in result.problems[2].message


def test_unreadable_files_say_why(tmp_path):
    cases = {
        "empty.json": "",
        "text.json": "hello",
        "broken.json": '[{"instruction": "x",',
        "nothing.jsonl": '{"a": 1}\n',
    }
    for name, text in cases.items():
        with pytest.raises(DatasetError) as caught:
            formats.read_dataset(write(tmp_path / name, text))
        assert name in str(caught.value)
    (tmp_path / "binary.json").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(DatasetError):
        formats.read_dataset(tmp_path / "binary.json")


def test_split_is_seeded_and_complete():
    records = [Record(f"q{i}", f"a{i}") for i in range(100)]
    train, evaluation = formats.split_records(records, 0.1, seed=1)
    assert len(train) == 90 and len(evaluation) == 10
    assert sorted(r.instruction for r in train + evaluation) == sorted(
        r.instruction for r in records
    )
    assert formats.split_records(records, 0.1, seed=1) == (train, evaluation)
    assert formats.split_records(records, 0.1, seed=2) != (train, evaluation)
    with pytest.raises(ValueError):
        formats.split_records(records, 0)


# ---- checks ----
def test_every_check():
    records = [
        Record("q", "a"),
        Record("q", "a"),  # exact duplicate of 1
        Record(" Q ", "A"),  # whitespace and case: near duplicate of 1, and whitespace
        Record("", "answer"),
        Record("question", "   "),
        Record("bad \ufffd text", "ok"),
        Record("long", "answer"),
    ]
    problems = checks.check_records(records, max_tokens=100, token_counts=[10] * 6 + [500])
    found = {(p.row, p.field, p.kind) for p in problems}
    assert found == {
        (1, "", "duplicate"),
        (2, "instruction", "whitespace"),
        (2, "", "near_duplicate"),
        (3, "instruction", "empty"),
        (4, "output", "empty"),
        (4, "output", "whitespace"),
        (5, "instruction", "encoding"),
        (6, "", "too_long"),
    }
    duplicate = next(p for p in problems if p.kind == "duplicate")
    assert duplicate.other == 0 and "record 1" in duplicate.message
    assert checks.check_records(RECORDS) == []


def test_stats_and_token_counts(tiny_model):
    stats = checks.dataset_stats(RECORDS)
    assert stats.records == 3 and stats.unit == "characters"
    assert stats.chinese_share == 1 / 3  # the first record is in Chinese, the others not

    from lora_studio.core.tokens import TokenCounter

    counter = TokenCounter(str(tiny_model))
    prompts, answers = counter.counts(RECORDS)
    assert len(prompts) == 3 and all(n > 5 for n in prompts + answers)
    assert prompts[2] > prompts[1]  # history counts
    with pytest.raises(ValueError):
        TokenCounter("/nonexistent")


# ---- undo and redo restore the exact records ----
def snapshot(doc):
    return [json.dumps(r.to_dict(), ensure_ascii=False) for r in doc.records]


@pytest.mark.parametrize(
    "command",
    [
        SetFields([(0, "output", RECORDS[0].output, "new"), (2, "system", "", "sys")]),
        InsertRecords(1, [Record("x", "y"), Record("z", "w")]),
        RemoveRecords([0, 2]),
        MoveRecords([1, 2], -1),
        MoveRecords([0], 1),
        ReplaceRecords([Record("only", "one")]),
    ],
)
def test_undo_and_redo_of_each_command(command):
    doc = DatasetDocument([Record(**r.__dict__) for r in RECORDS])
    before = snapshot(doc)
    heard = []
    doc.listeners.append(lambda kind, rows: heard.append(kind))
    doc.apply(command)
    after = snapshot(doc)
    assert after != before and doc.dirty
    doc.undo()
    assert snapshot(doc) == before and not doc.dirty
    doc.redo()
    assert snapshot(doc) == after
    assert len(heard) == 3
    assert doc.undo() is not None and doc.undo() is None  # nothing more to undo


def test_the_chinese_share_counts_records_as_a_reader_would():
    """The sample dataset: 35 of its 64 records are in Chinese (letters counted said 30%)."""
    from lora_studio.core.paths import sample_dataset_path
    from lora_studio.core.training_data import load_records

    records = load_records(sample_dataset_path())
    assert round(checks.dataset_stats(records).chinese_share * 64) == 35
    assert checks.is_mostly_chinese("什么是 SQL injection？解释一下")  # a term inside Chinese
    assert not checks.is_mostly_chinese("What does 防火墙 mean in English?")
    assert checks.dataset_stats([]).chinese_share == 0.0


def test_replace_all_is_one_step_and_find_uses_regex():
    doc = DatasetDocument([Record(f"item {i}", f"answer {i}") for i in range(5)])
    assert len(doc.find("ITEM")) == 5
    assert doc.find(r"item [0-2]$", regex=True) == [
        (0, "instruction"),
        (1, "instruction"),
        (2, "instruction"),
    ]
    assert doc.replace_all(r"answer (\d)", r"reply \1", regex=True) == 5
    assert doc.records[3].output == "reply 3"
    assert doc.replace_all("reply", "a\\b") == 5  # plain text: backslashes are literal
    assert doc.records[0].output == "a\\b 0"
    doc.undo()
    doc.undo()
    assert [r.output for r in doc.records] == [f"answer {i}" for i in range(5)]
    doc.mark_saved()
    assert not doc.dirty
    assert doc.set_field(0, "input", "ctx") and doc.dirty
    assert not doc.set_field(0, "input", "ctx")  # no change, no step


# ---- at least 1,000 generated malformed inputs through every importer ----
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["instruction", "input", "output", "system", "history", "messages", "conversations"]
                + ["src", "tgt", "role", "content", "from", "value", "x"]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=12,
)


def _read_or_error(path):
    try:
        result = formats.read_dataset(path)
    except DatasetError as exc:
        assert str(exc)  # a message, never a crash
        return
    for problem in result.problems:
        assert problem.location and problem.message
    for record in result.records:
        assert isinstance(record.instruction, str) and isinstance(record.output, str)


FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(values=st.lists(JSON_VALUES, max_size=5))
def test_fuzz_json_and_jsonl(tmp_path_factory, values):
    folder = tmp_path_factory.mktemp("fuzz")
    _read_or_error(write(folder / "a.json", json.dumps(values)))
    _read_or_error(write(folder / "a.jsonl", "\n".join(json.dumps(v) for v in values)))


@FUZZ
@given(data=st.binary(max_size=300))
def test_fuzz_raw_bytes(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    for name in ("a.json", "a.jsonl", "a.csv", "a.tsv", "a.xlsx"):
        (folder / name).write_bytes(data)
        _read_or_error(folder / name)


@FUZZ
@given(
    rows=st.lists(
        st.lists(st.text(alphabet=string.printable + "中文，", max_size=12), max_size=4),
        max_size=6,
    )
)
def test_fuzz_tables(tmp_path_factory, rows):
    import csv
    import io

    folder = tmp_path_factory.mktemp("fuzz")
    out = io.StringIO()
    csv.writer(out).writerows([["instruction", "output"], *rows])
    _read_or_error(write(folder / "a.csv", out.getvalue()))
    _read_or_error(write(folder / "b.csv", out.getvalue(), "gb18030"))


# ---- the commands ----
def test_dataset_check_and_convert_commands(tmp_path):
    good = tmp_path / "good.json"
    formats.write_dataset(RECORDS, good)
    result = run_cli("dataset", "check", str(good))
    assert result.returncode == 0 and "no problems" in result.stdout

    bad = write(
        tmp_path / "bad.jsonl",
        "\n".join(
            [
                json.dumps({"instruction": "q", "output": "a"}),
                json.dumps({"instruction": "q", "output": "a"}),
                "{oops",
                json.dumps({"instruction": "", "output": "a"}),
            ]
        ),
    )
    result = run_cli("dataset", "check", bad)
    assert result.returncode == 1
    assert "line 3: not valid JSON" in result.stdout
    # the file's own line numbers, although line 3 could not be imported (issue 11)
    assert "line 2: warning: the same as line 1" in result.stdout
    assert 'line 4, instruction: "instruction" is empty' in result.stdout
    assert run_cli("dataset", "check", str(tmp_path / "missing.json")).returncode == 2

    out = tmp_path / "out.jsonl"
    result = run_cli("dataset", "convert", bad, str(out), "--to", "messages")
    assert result.returncode == 0 and "3 records written" in result.stdout
    assert "skipped line 3" in result.stderr
    assert formats.read_dataset(out).records[0] == Record("q", "a")
    assert run_cli("dataset", "convert", bad, str(out), "--to", "xml").returncode == 2
