"""Dataset files in the formats people have: the one reader behind the editor, ``dataset
check``, ``dataset convert`` and ``train``, and the writers.

Read: JSON arrays, JSON lines and a pretty-printed single record, in every record layout of
``record_shapes`` (Alpaca, ShareGPT, OpenAI messages, ChatGLM3, Firefly, ERNIEKit, with tools);
CSV and TSV with a header (a column mapping when the header does not name the fields); Excel
``.xlsx``. Bytes and encodings come from ``dataset_io`` (UTF-8, BOMs, detected legacy
encodings; hostile files refused at once).

``read_dataset`` keeps every good record and lists each bad one with its own line, record or
row number, so that the editor can open the good ones or refuse the file, as the user chooses.
``core/training_data.py`` builds what ``train`` reads on this reader.

Write: JSON (what ``train`` reads), JSON lines, OpenAI ``messages`` JSON lines; all atomic.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from lora_studio.core.atomic import write_text_atomic
from lora_studio.core.dataset_io import (
    DatasetError,
    DecodedText,
    check_regular_file,
    decode_bytes,
    parse_json,
    read_file_bytes,
)
from lora_studio.core.messages import say
from lora_studio.core.record_shapes import ALPACA_KEYS, KTO_REJECTED, object_to_record
from lora_studio.core.records import Record

FIELDS = ("instruction", "input", "output", "system")
WRITE_FORMATS = ("json", "jsonl", "messages")
TABLE_EXTENSIONS = (".csv", ".tsv", ".txt")
# header names (lower case) that map to a record field without asking
HEADER_ALIASES = {
    "instruction": "instruction",
    "prompt": "instruction",
    "question": "instruction",
    "query": "instruction",
    "指令": "instruction",
    "问题": "instruction",
    "input": "input",
    "context": "input",
    "输入": "input",
    "output": "output",
    "response": "output",
    "answer": "output",
    "completion": "output",
    "输出": "output",
    "回答": "output",
    "答案": "output",
    "system": "system",
    "系统": "system",
}
# A raw-text escape that may decode to half of a surrogate pair: only files holding one need
# the per-record Unicode check.
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
LEFT_OUT_NOTES = {
    KTO_REJECTED: '{n} record(s) marked as bad answers (KTO "label": false) were left out: '
    "only the good answers are trained on",
}


@dataclass
class ImportProblem:
    location: str  # "line 12" / "record 12" / "row 12"
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass
class ReadResult:
    records: list[Record]
    problems: list[ImportProblem] = field(default_factory=list)
    encoding: str = "utf-8"
    format: str = "json"  # json / jsonl / csv / tsv / xlsx
    columns: list[str] = field(default_factory=list)  # for tables: the header
    mapping: dict[str, str] = field(default_factory=dict)  # record field -> column used
    unit: str = "record"  # what locations count: "record", "line" or "row"
    # the file's own number (record, line or row) of each record; empty: records 1, 2, 3, ...
    locations: list[int] = field(default_factory=list)
    left_out: Counter = field(default_factory=Counter)  # reason -> records left out

    def where(self, index: int) -> str:
        """Record ``index`` (0-based, of ``records``) as the file numbers it."""
        number = self.locations[index] if self.locations else index + 1
        return f"{self.unit} {number}"

    @property
    def notes(self) -> list[str]:
        return [LEFT_OUT_NOTES[k].format(n=n) for k, n in sorted(self.left_out.items())]


class NeedsMapping(DatasetError):
    """A table whose header does not name instruction and output: ask the user which columns."""

    def __init__(self, path: str, columns: list[str]) -> None:
        self.columns = columns
        super().__init__(
            path, "the header does not say which columns are instruction and output", "row 1"
        )


# ---- reading ---------------------------------------------------------------------------------
def read_dataset(
    path: str | os.PathLike[str], mapping: dict[str, str] | None = None, encoding: str = ""
) -> ReadResult:
    """Read any supported file. Raises DatasetError when nothing can be read (not a dataset,
    empty, no records at all); NeedsMapping for a table whose header names no fields."""
    path = os.fspath(path)
    ext = os.path.splitext(path)[1].lower()
    if ext == ".xlsx":
        return _read_xlsx(path, mapping)
    decoded = decode_bytes(read_file_bytes(path), path, encoding)
    # Building 100,000 records triggers the cycle collector over and over for nothing: records
    # hold no cycles. It is paused for the parse.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if ext in TABLE_EXTENSIONS:
            return _read_table(path, decoded, mapping, "\t" if ext == ".tsv" else None)
        return _read_json(path, decoded)
    finally:
        if collecting:
            gc.enable()


def _read_json(path: str, decoded: DecodedText) -> ReadResult:
    text = decoded.text
    stripped = text.lstrip()
    if not stripped:
        raise DatasetError(path, say("the file is empty"))
    result = ReadResult(records=[], encoding=decoded.encoding)
    careful = SURROGATE_ESCAPE.search(text) is not None
    if stripped.startswith("["):
        data = parse_json(text, path)
        result.format, result.unit = "json", "record"
        _add_all(result, data, 1, careful)  # type: ignore[arg-type]
    elif stripped.startswith("{"):
        result.format, result.unit = "jsonl", "line"
        data = _parse_clean_jsonl(text)
        if data is not None:  # one line per object, no blank lines: line i + 1 is object i
            _add_all(result, data, 1, careful)
        elif not _read_single_object(path, text, result):
            _read_lines(path, text, result)
    else:
        raise DatasetError(
            path,
            say(
                "not a JSON dataset, nor CSV/TSV or .xlsx: a JSON dataset starts with '[' (an "
                "array of records) or '{{' (one record per line)"
            ),
            say("line {line}", line=1),
        )
    if not result.records:
        raise _nothing_usable(path, result)
    return result


def _nothing_usable(path: str, result: ReadResult) -> DatasetError:
    if result.problems:
        first = result.problems[0]
        more = len(result.problems) - 1
        if more:
            problem = say(
                "{problem} (and {more} more problems: no record of the file can be used)",
                problem=first.message,
                more=more,
            )
        else:
            problem = say("{problem} (no record of the file can be used)", problem=first.message)
        return DatasetError(path, problem, first.location)
    if result.left_out:
        return DatasetError(
            path, say("the file holds no usable records: {notes}", notes="; ".join(result.notes))
        )
    return DatasetError(path, say("the file holds no records"))


def _read_lines(path: str, text: str, result: ReadResult) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = parse_json(line, path, f"line {number}")
        except DatasetError as exc:
            result.problems.append(ImportProblem(f"line {number}", exc.problem))
            continue
        _add(result, obj, number)


def _read_single_object(path: str, text: str, result: ReadResult) -> bool:
    """A file that is one JSON value over several lines: a pretty-printed record is read as
    one record; any other object is refused with what it is. False for JSON lines."""
    if "\n" not in text.strip():
        return False
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        return False
    if not isinstance(obj, dict):
        return False
    record, _problem, _left_out = object_to_record(obj)
    if record is None:
        raise DatasetError(path, _object_kind(obj))
    result.format, result.unit = "json", "record"
    result.records.append(record)
    result.locations.append(1)
    return True


def _object_kind(obj: dict) -> str:
    if obj and all(isinstance(v, dict) and "file_name" in v for v in obj.values()):
        example = next(iter(obj.values()))["file_name"]
        return (
            "this is LLaMA-Factory's dataset_info.json, an index of datasets (each entry names "
            'its file under "file_name"), not a dataset itself: open one of the files it '
            f"names, such as {example}"
        )
    keys = ", ".join(list(map(str, obj))[:6])
    lists = [k for k, v in obj.items() if isinstance(v, list) and v and isinstance(v[0], dict)]
    hint = f'; its records may be the list under "{lists[0]}"' if lists else ""
    return (
        f"a JSON object, not a list of records (its keys: {keys}){hint}: a dataset is a JSON "
        "array of records, or one record per line"
    )


def _parse_clean_jsonl(text: str) -> list | None:
    """The usual JSON-lines file (one object per line, no blank lines) in one parse; None for
    anything else, which is then read line by line."""
    body = text.strip()
    if "\r" in body:
        body = body.replace("\r\n", "\n")
    if "\n\n" in body:
        return None
    try:
        data = json.loads("[" + body.replace("\n", ",") + "]")
    except (ValueError, RecursionError):
        return None
    leading_blank = text[: len(text) - len(text.lstrip())].count("\n")
    if len(data) != body.count("\n") + 1 or leading_blank:
        return None
    return data


def _add_all(result: ReadResult, objects: list, first: int, careful: bool) -> None:
    """Every object as a record, object i at the file's number ``first + i``. The common
    all-good Alpaca file takes the inline path (``careful``: the file may hold lone surrogates,
    so every record takes the full path)."""
    append, locate = result.records.append, result.locations.append
    for i, obj in enumerate(objects):
        if not careful and type(obj) is dict and obj.keys() <= ALPACA_KEYS:
            instruction, output = obj.get("instruction"), obj.get("output")
            if type(instruction) is str and type(output) is str:
                text_input, system = obj.get("input", ""), obj.get("system", "")
                if type(text_input) is str and type(system) is str:
                    append(Record(instruction, output, text_input, system))
                    locate(first + i)
                    continue
        _add(result, obj, first + i)


def _add(result: ReadResult, obj: Any, number: int) -> None:
    record, problem, left_out = object_to_record(obj)
    if record is not None:
        result.records.append(record)
        result.locations.append(number)
    elif left_out:
        result.left_out[left_out] += 1
    else:
        result.problems.append(ImportProblem(f"{result.unit} {number}", problem))


def auto_mapping(columns: list[str]) -> dict[str, str]:
    """Record field -> column, from header names alone; empty when instruction or output lack."""
    mapping: dict[str, str] = {}
    for column in columns:
        target = HEADER_ALIASES.get(column.strip().lower())
        if target and target not in mapping:
            mapping[target] = column
    return mapping if "instruction" in mapping and "output" in mapping else {}


def _rows_to_result(
    path: str, rows: list[list[str]], mapping: dict[str, str] | None, result: ReadResult
) -> ReadResult:
    if not rows:
        raise DatasetError(path, say("the file is empty"))
    result.unit = "row"
    columns = [str(c or "").strip() for c in rows[0]]
    result.columns = columns
    chosen = mapping or auto_mapping(columns)
    if not chosen:
        raise NeedsMapping(path, columns)
    missing = [f for f in ("instruction", "output") if f not in chosen]
    unknown = [c for c in chosen.values() if c not in columns]
    if missing or unknown:
        raise DatasetError(
            path, say("the column mapping lacks {columns}", columns=list(missing or unknown))
        )
    result.mapping = dict(chosen)
    index = {name: columns.index(column) for name, column in chosen.items()}
    for number, row in enumerate(rows[1:], start=2):
        if not any(str(cell or "").strip() for cell in row):
            continue
        values = {
            name: ("" if i >= len(row) or row[i] is None else str(row[i]))
            for name, i in index.items()
        }
        _add(result, values, number)
    if not result.records:
        raise _nothing_usable(path, result)
    return result


def _read_table(
    path: str, decoded: DecodedText, mapping: dict[str, str] | None, delimiter: str | None
) -> ReadResult:
    text = decoded.text
    if delimiter is None:
        first_line = text.split("\n", 1)[0]
        delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise DatasetError(path, say("not a readable table ({reason})", reason=str(exc))) from None
    result = ReadResult(
        records=[], encoding=decoded.encoding, format="tsv" if delimiter == "\t" else "csv"
    )
    return _rows_to_result(path, rows, mapping, result)


def _read_xlsx(path: str, mapping: dict[str, str] | None) -> ReadResult:
    check_regular_file(path)  # a FIFO named book.xlsx must not block the reader
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zip, XML and openpyxl's own errors alike
        raise DatasetError(
            path, say("not a readable Excel .xlsx file ({reason})", reason=_short(exc))
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    except Exception as exc:  # noqa: BLE001 - a damaged workbook
        raise DatasetError(
            path, say("the Excel sheet cannot be read ({reason})", reason=_short(exc))
        ) from None
    finally:
        workbook.close()
    rows = [["" if cell is None else str(cell) for cell in row] for row in rows]
    return _rows_to_result(path, rows, mapping, ReadResult(records=[], format="xlsx"))


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 200 else text[:200] + "..."


# ---- writing ---------------------------------------------------------------------------------
def records_to_text(records: list[Record], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([r.to_dict() for r in records], ensure_ascii=False, indent=1) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records)
    if fmt == "messages":
        return "".join(
            json.dumps({"messages": r.messages()}, ensure_ascii=False) + "\n" for r in records
        )
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(WRITE_FORMATS)}")


def format_for_path(path: str) -> str:
    return "jsonl" if path.lower().endswith(".jsonl") else "json"


def write_dataset(records: list[Record], path: str | os.PathLike[str], fmt: str = "") -> None:
    path = os.fspath(path)
    write_text_atomic(path, records_to_text(records, fmt or format_for_path(path)))


def count_records(path: str) -> int:
    """Records in a dataset file, without failing: 0 when it cannot be read (a default for the
    hardware wizard's dataset size)."""
    if not path or not os.path.isfile(path):
        return 0
    try:
        return len(read_dataset(path).records)
    except DatasetError:
        return 0


def split_records(
    records: list[Record], eval_ratio: float, seed: int = 42
) -> tuple[list[Record], list[Record]]:
    """A shuffled train/eval split; at least one record on each side when there are two."""
    if not 0 < eval_ratio < 1:
        raise ValueError("the eval share must be above 0 and below 1")
    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    n_eval = min(max(1, round(len(records) * eval_ratio)), len(records) - 1)
    eval_ids = set(order[:n_eval])
    train = [r for i, r in enumerate(records) if i not in eval_ids]
    evaluation = [r for i, r in enumerate(records) if i in eval_ids]
    return train, evaluation
