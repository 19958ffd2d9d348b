"""Hostile dataset files: over 2,000 generated ones and a hand-made corpus of the cases seen in
real use, each through ``dataset check``, ``dataset convert`` and the reader ``train`` uses.

For every file: no traceback and no hang (each file runs under an alarm), every failure is a
message that names the file (and the line or record where there is one), ``check``'s exit code
is 0, 1 or 2 (3 would be an internal error), and ``check`` and ``train`` agree: check exits 0
exactly when train accepts the file.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lora_studio.cli import main
from lora_studio.core import formats, training_data
from lora_studio.core.dataset_io import DatasetError

LOCATION = re.compile(r"^(line|record|row) \d+")
SECONDS_PER_FILE = 20
counted = {"files": 0}


@contextlib.contextmanager
def _deadline(seconds):
    def fail(signum, frame):
        raise TimeoutError(f"a reader took more than {seconds} s: it hangs")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _cli(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def assert_handled(path, tmp_dir):
    """The properties every file must have, whatever it holds."""
    path = str(path)
    counted["files"] += 1
    with _deadline(SECONDS_PER_FILE):
        code, out, err = _cli("dataset", "check", path)
        convert_code, convert_out, convert_err = _cli(
            "dataset", "convert", path, os.path.join(tmp_dir, "converted.jsonl")
        )
        try:
            training_data.read_for_training(path)
            train_error = None
        except DatasetError as exc:
            train_error = exc
    for text in (out, err, convert_out, convert_err):
        assert "Traceback" not in text and "internal error" not in text, text[-2000:]
    assert code in (0, 1, 2), (code, out, err)
    assert convert_code in (0, 2), (convert_code, convert_err)
    assert (code == 0) == (train_error is None), (code, out, err, train_error)
    assert (code == 2) == (convert_code == 2), (code, err, convert_code, convert_err)
    if code == 2:  # unreadable: one message naming the file
        assert err.startswith(path), err
    for line in out.splitlines()[:-1]:  # every problem line names the file's own place
        assert LOCATION.match(line), line
    if train_error is not None:
        assert path in str(train_error) and train_error.problem
        if code == 1:  # a problem in a record: train names the same place
            assert LOCATION.match(train_error.location), train_error.location


# ---- the hand-made corpus: what real use found ------------------------------------------------
def _xlsx_with(part, data):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, data)
    return buffer.getvalue()


def _broken_sheet_xlsx(tmp_path):
    """A real workbook whose sheet XML is cut in half."""
    from openpyxl import Workbook

    good = tmp_path / "good.xlsx"
    book = Workbook()
    book.active.append(["instruction", "output"])
    book.active.append(["q", "a"])
    book.save(good)
    out = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(item, data)
    return out.getvalue()


CORPUS = {
    "deep.json": "[" * 1000 + "]" * 1000,
    "deep-record.jsonl": '{"instruction": "q", "output": "a", "x": '
    + "[" * 5000
    + "]" * 5000
    + "}\n",
    "deep-line.jsonl": '{"instruction": "q", "output": "a"}\n' + "{" * 3000 + "\n",
    "big-int.json": '[{"instruction": "q", "output": "a", "n": ' + "9" * 5000 + "}]",
    "big-int.jsonl": '{"instruction": "q", "output": "a", "n": ' + "9" * 5000 + "}\n",
    "surrogate.jsonl": '{"instruction": "q", "output": "a"}\n'
    '{"instruction": "q2", "output": "\\ud800"}\n',
    "surrogate.json": '[{"instruction": "\\udfff", "output": "a"}]',
    "input-zero.json": '[{"instruction": "q", "input": 0, "output": "a"}]',
    "pretty-object.jsonl": '{\n  "instruction": "q",\n  "output": "a"\n}\n',
    "object.json": '{"a": 1, "b": [1, 2]}',
    "nul.json": '[{"instruction": "q\\u0000", "output": "a"}]',
    "nan.json": '[{"instruction": "q", "output": NaN}]',
    "array-of-arrays.json": "[[1, 2], [3]]",
    "messages-empty.jsonl": '{"messages": []}\n',
    "messages-no-answer.jsonl": '{"messages": [{"role": "user", "content": "q"}]}\n',
    "tools-bad.json": '[{"conversations": [{"from": "human", "value": "q"}, '
    '{"from": "gpt", "value": "a"}], "tools": "[oops"}]',
    "label-string.json": '[{"instruction": "q", "output": "a", "label": "yes"}]',
    "bom-then-junk.json": "\ufeff\x00\x01\x02",
    "crlf.jsonl": '{"instruction": "q", "output": "a"}\r\n'
    '{"instruction": "q2", "output": "a2"}\r\n',
    "only-blank-lines.jsonl": "\n\n\n",
    "table-no-header.csv": "q,a\n",
    "table-ragged.csv": "instruction,output\nq\nq,a,extra,more\n",
    "table-quote.csv": 'instruction,output\n"unterminated,a\n',
    "dataset_info.json": '{"identity": {"file_name": "identity.json"}}',
}
BINARY_CORPUS = {
    "gbk.csv": "instruction,output\n什么是防火墙？,防火墙按规则过滤网络流量。\n".encode("gbk"),
    "big5.csv": "instruction,output\n什麼是防火牆？,防火牆按規則過濾網路流量。\n".encode("big5"),
    "shift-jis.csv": "instruction,output\nこれは何ですか？,ファイアウォールです。\n".encode(
        "shift_jis"
    ),
    "utf16-no-bom.json": '[{"instruction": "q", "output": "a"}]'.encode("utf-16-le"),
    "utf16-odd.json": b"\xff\xfe" + b"[\x00{",
    "random.xlsx": bytes(range(256)) * 8,
    "empty.xlsx": b"",
    "bad-xml.xlsx": _xlsx_with("xl/workbook.xml", "<workbook><sheets><sheet"),
    "not-xml.xlsx": _xlsx_with("xl/workbook.xml", "\x00\x01 not xml"),
}


@pytest.mark.parametrize("name", sorted(CORPUS) + sorted(BINARY_CORPUS))
def test_the_hand_made_corpus(tmp_path, name):
    path = tmp_path / name
    if name in CORPUS:
        path.write_text(CORPUS[name], encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(BINARY_CORPUS[name])
    assert_handled(path, str(tmp_path))


def test_a_broken_workbook_sheet(tmp_path):
    path = tmp_path / "broken-sheet.xlsx"
    path.write_bytes(_broken_sheet_xlsx(tmp_path))
    assert_handled(path, str(tmp_path))
    with pytest.raises(DatasetError, match="Excel"):
        formats.read_dataset(path)


def test_files_that_are_not_regular_files_are_refused_at_once(tmp_path):
    fifo = tmp_path / "data.json"
    os.mkfifo(fifo)  # opening it for reading would block for ever
    assert_handled(fifo, str(tmp_path))
    with pytest.raises(DatasetError, match="named pipe"):
        formats.read_dataset(fifo)
    folder = tmp_path / "folder.json"
    folder.mkdir()
    assert_handled(folder, str(tmp_path))
    device = tmp_path / "zero.jsonl"
    device.symlink_to("/dev/zero")  # endless
    assert_handled(device, str(tmp_path))
    with pytest.raises(DatasetError, match="device"):
        formats.read_dataset(device)
    fifo_book = tmp_path / "book.xlsx"
    os.mkfifo(fifo_book)
    assert_handled(fifo_book, str(tmp_path))


def test_a_huge_file_is_refused_with_its_size(tmp_path):
    huge = tmp_path / "huge.jsonl"
    with open(huge, "wb") as handle:
        handle.truncate(3 * 1024**3)  # sparse: no disk used
    assert_handled(huge, str(tmp_path))
    with pytest.raises(DatasetError, match=r"3\.0 GB"):
        formats.read_dataset(huge)


# ---- generated files -----------------------------------------------------------------------------
KEYS = st.sampled_from(
    [
        "instruction",
        "input",
        "output",
        "system",
        "history",
        "messages",
        "conversations",
        "conversation",
        "tools",
        "label",
        "chosen",
        "rejected",
        "images",
        "src",
        "tgt",
        "prompt",
        "completion",
        "role",
        "content",
        "from",
        "value",
        "human",
        "assistant",
        "tool_calls",
        "function",
        "name",
        "arguments",
        "type",
        "text",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(
        [
            "user",
            "assistant",
            "human",
            "gpt",
            "tool",
            "function_call",
            "observation",
            "{{name}}",
            "<image>",
            "\\ud800",
            "text",
        ]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=16,
)
RECORDS = st.lists(st.dictionaries(KEYS, VALUES, max_size=6), max_size=5)
FUZZ = settings(max_examples=700, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(records=RECORDS, layout=st.sampled_from(["json", "jsonl", "pretty"]))
def test_generated_records_in_every_layout(tmp_path_factory, records, layout):
    folder = tmp_path_factory.mktemp("gen")
    if layout == "json":
        text, name = json.dumps(records, ensure_ascii=False), "a.json"
    elif layout == "jsonl":
        text, name = "\n".join(json.dumps(r, ensure_ascii=False) for r in records), "a.jsonl"
    else:
        text, name = json.dumps(records[0] if records else {}, indent=2), "a.jsonl"
    path = folder / name
    path.write_text(text.replace("\\\\ud800", "\\ud800"), encoding="utf-8")
    assert_handled(path, str(folder))


SEEDS = {
    "a.json": json.dumps(
        [
            {"instruction": "问题", "input": "", "output": "回答", "history": [["u", "a"]]},
            {"conversations": [{"from": "human", "value": "q"}, {"from": "gpt", "value": "a"}]},
        ],
        ensure_ascii=False,
    ).encode(),
    "a.jsonl": (
        b'{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}\n'
        b'{"instruction": "q", "output": "a"}\n'
    ),
    "a.csv": "instruction,output\n什么是防火墙？,过滤流量。\nq,a\n".encode("gb18030"),
    "a.tsv": b"instruction\toutput\nq\ta\n",
}


@settings(max_examples=800, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    name=st.sampled_from(sorted(SEEDS)),
    edits=st.lists(
        st.tuples(
            st.sampled_from(["cut", "flip", "insert", "repeat"]),
            st.integers(0, 10**6),
            st.binary(min_size=1, max_size=6),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_files(tmp_path_factory, name, edits):
    data = bytearray(SEEDS[name])
    for kind, position, blob in edits:
        at = position % (len(data) + 1)
        if kind == "cut":
            del data[at:]
        elif kind == "flip" and data:
            data[at % len(data)] ^= blob[0] or 0x80
        elif kind == "insert":
            data[at:at] = blob
        else:
            data[at:at] = data[at : at + 40] * 3
    folder = tmp_path_factory.mktemp("mut")
    path = folder / name
    path.write_bytes(bytes(data))
    assert_handled(path, str(folder))


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    text=st.text(max_size=200),
    depth=st.integers(0, 3000),
    digits=st.integers(0, 6000),
    encoding=st.sampled_from(["utf-8", "utf-16", "gb18030", "big5", "shift_jis", "cp1252"]),
    ext=st.sampled_from(["json", "jsonl", "csv", "xlsx"]),
)
def test_generated_text_nesting_numbers_and_encodings(
    tmp_path_factory, text, depth, digits, encoding, ext
):
    body = json.dumps([{"instruction": text or "q", "output": "a" + text}], ensure_ascii=False)
    if depth:
        body = body[:-1] + ", " + "[" * depth + "]" * depth + "]"
    if digits:
        body = body[:-1] + ", " + "7" * digits + "]"
    folder = tmp_path_factory.mktemp("txt")
    path = folder / f"a.{ext}"
    path.write_bytes(body.encode(encoding, errors="replace"))
    assert_handled(path, str(folder))


def test_at_least_two_thousand_generated_files_ran():
    """The generated tests above ran, each file through check, convert and train's reader."""
    if counted["files"] < 100:
        pytest.skip("run with the generated tests of this module (a subset was selected)")
    assert counted["files"] >= 2000, counted
