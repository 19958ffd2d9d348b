"""Copy and paste of records, and the editor's recovery file, without Qt."""

from __future__ import annotations

import json
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from lora_studio.core import recovery
from lora_studio.core.clipboard import (
    records_from_clipboard_text,
    records_from_json,
    records_to_json,
    records_to_tsv,
)
from lora_studio.core.records import Record

cell = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
plain = st.builds(Record, instruction=cell.filter(str.strip), output=cell, input=cell)


@settings(max_examples=150, deadline=None)
@given(st.lists(plain, min_size=1, max_size=6))
def test_copied_rows_paste_back_as_the_same_records(records):
    assert records_from_json(records_to_json(records)) == records
    pasted = records_from_clipboard_text(records_to_tsv(records))
    # A spreadsheet row keeps the three text fields; a first row that reads like a header
    # ("instruction", "output") is taken as one, as it would be from Excel.
    assert [(r.instruction, r.input, r.output) for r in pasted] == [
        (r.instruction, r.input, r.output) for r in records
    ][len(records) - len(pasted) :]
    assert len(pasted) >= len(records) - 1


def test_rows_from_a_spreadsheet_with_and_without_a_header():
    with_header = "问题\t输入\t回答\n什么是DDoS？\t\t一种攻击。\n"
    assert records_from_clipboard_text(with_header) == [Record("什么是DDoS？", "一种攻击。")]
    by_position = "q1\tctx\ta1\nq2\ta2\nq3\n"
    assert records_from_clipboard_text(by_position) == [
        Record("q1", "a1", input="ctx"),
        Record("q2", "a2"),
        Record("q3", ""),
    ]


def test_json_text_in_any_layout_pastes():
    lines = "\n".join(
        json.dumps(o, ensure_ascii=False)
        for o in (
            {"instruction": "a", "output": "b"},
            {"conversations": [{"from": "human", "value": "c"}, {"from": "gpt", "value": "d"}]},
        )
    )
    assert [(r.instruction, r.output) for r in records_from_clipboard_text(lines)] == [
        ("a", "b"),
        ("c", "d"),
    ]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.binary().map(lambda b: b.decode("latin-1"))))
def test_any_clipboard_text_pastes_records_or_nothing(text):
    assert all(isinstance(r, Record) for r in records_from_clipboard_text(text))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_our_own_format_damaged_pastes_nothing_rather_than_failing(data):
    assert all(isinstance(r, Record) for r in records_from_json(data))


def test_deeply_nested_json_pastes_as_text_or_nothing_without_failing():
    assert [r.instruction for r in records_from_clipboard_text("[" * 100_000)] == ["[" * 100_000]
    assert records_from_json(b"[" * 100_000) == []


def test_recovery_round_trip_and_a_damaged_file(tmp_path, monkeypatch):
    monkeypatch.setenv("LORA_STUDIO_DATA_DIR", str(tmp_path))
    assert recovery.pending_recovery() is None
    records = [Record("问", "答", input="上下文"), Record("q", "a", history=[("h", "i")])]
    recovery.save_recovery("/data/set.jsonl", records)
    pending = recovery.pending_recovery()
    assert pending["path"] == "/data/set.jsonl"
    assert pending["records"] == [r.to_dict() for r in records]
    for damaged in (b"{not json", b"[]", b'{"records": 3}', b"\xff\xfe", b"[" * 50_000):
        with open(recovery.recovery_path(), "wb") as handle:
            handle.write(damaged)
        assert recovery.pending_recovery() is None, damaged
    recovery.discard_recovery()
    assert not os.path.exists(recovery.recovery_path())
    recovery.discard_recovery()  # nothing there: still no error
