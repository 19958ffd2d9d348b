"""Dataset files in the formats people have, read leniently for the editor and written back.

Read: JSON arrays and JSON lines of Alpaca records (instruction / input / output, optional system
and history), ShareGPT ``conversations``, OpenAI ``messages`` and ERNIEKit ``src``/``tgt``;
CSV and TSV with a header (a column mapping when the header does not name the fields); Excel
``.xlsx``. Encodings: UTF-8 with or without BOM, UTF-16 with BOM, and GB18030 (a superset of
GBK: what Excel saves on Chinese Windows). The encoding found is reported.

Unlike ``dataset_io.load_records`` (what ``train`` uses, which stops at the first bad record),
``read_dataset`` keeps every good record and lists each bad one with its line or record number,
so that the editor can open the good ones or refuse the file, as the user chooses.

Write: JSON (what ``train`` reads), JSON lines, OpenAI ``messages`` JSON lines; all atomic.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import random
from dataclasses import dataclass, field
from typing import Any

from lora_studio.core.atomic import write_text_atomic
from lora_studio.core.dataset_io import DatasetError, DecodedText, decode_bytes
from lora_studio.core.records import Record, record_problems

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
SHAREGPT_ROLES = {
    "human": "user",
    "user": "user",
    "gpt": "assistant",
    "assistant": "assistant",
    "chatgpt": "assistant",
    "bing": "assistant",
    "system": "system",
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


class NeedsMapping(DatasetError):
    """A table whose header does not name instruction and output: ask the user which columns."""

    def __init__(self, path: str, columns: list[str]) -> None:
        self.columns = columns
        super().__init__(
            path, "the header does not say which columns are instruction and output", "row 1"
        )


# ---- decoding ------------------------------------------------------------------------------
def decode_any(data: bytes, path: str = "") -> DecodedText:
    """UTF-8 / UTF-8 BOM / UTF-16 BOM (``decode_bytes``), else GB18030 when that decodes."""
    try:
        return decode_bytes(data, path)
    except DatasetError as utf8_error:
        if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
            raise
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise utf8_error from None
        if "\x00" in text:  # binary, not a Chinese text file
            raise utf8_error from None
        return DecodedText(text, "gb18030")


def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise DatasetError(path, "the file does not exist") from None
    except IsADirectoryError:
        raise DatasetError(path, "this is a folder, not a dataset file") from None
    except OSError as exc:
        raise DatasetError(path, f"cannot read the file ({exc.strerror})") from None


# ---- one decoded object -> a record ----------------------------------------------------------
def object_to_record(obj: Any) -> tuple[Record | None, str]:
    """A record from any supported JSON shape, or (None, why not)."""
    if type(obj) is dict:  # the common case first, without the general checks
        instruction, output = obj.get("instruction"), obj.get("output")
        if type(instruction) is str and type(output) is str and not obj.get("history"):
            text_input, system = obj.get("input") or "", obj.get("system") or ""
            if type(text_input) is str and type(system) is str:
                return Record(instruction, output, text_input, system), ""
    if isinstance(obj, dict):
        if "messages" in obj and "instruction" not in obj:
            return _from_turns(obj.get("messages"), "messages", "role", "content", ROLES_OPENAI)
        if "conversations" in obj and "instruction" not in obj:
            turns = obj.get("conversations")
            record, why = _from_turns(turns, "conversations", "from", "value", SHAREGPT_ROLES)
            if record is not None and isinstance(obj.get("system"), str):
                record.system = obj["system"]
            return record, why
        if "src" in obj and "tgt" in obj and "instruction" not in obj:
            return _from_src_tgt(obj)
    # empty texts are imported (the editor's checks mark them); wrong shapes and types are not
    problems = [p for p in record_problems(obj) if not p.endswith("is empty")]
    if problems:
        return None, "; ".join(problems)
    return Record(
        instruction=obj["instruction"],
        output=obj["output"],
        input=obj.get("input") or "",
        system=obj.get("system") or "",
        history=[(u, a) for u, a in obj.get("history") or []],
    ), ""


ROLES_OPENAI = {"user": "user", "assistant": "assistant", "system": "system"}


def _from_turns(turns: Any, key: str, role_key: str, text_key: str, roles: dict) -> tuple:
    if not isinstance(turns, list) or not turns:
        return None, f'"{key}" must be a non-empty list of turns'
    system = ""
    pairs: list[tuple[str, str]] = []
    pending_user: str | None = None
    for i, turn in enumerate(turns, start=1):
        if not isinstance(turn, dict):
            return None, f'"{key}" turn {i} must be an object'
        role = roles.get(str(turn.get(role_key, "")).lower())
        text = turn.get(text_key)
        if role is None:
            return None, f'"{key}" turn {i}: unknown {role_key} "{turn.get(role_key)}"'
        if not isinstance(text, str):
            return None, f'"{key}" turn {i}: "{text_key}" must be a string'
        if role == "system":
            system = text
        elif role == "user":
            if pending_user is not None:
                return None, f'"{key}" turn {i}: two user turns in a row'
            pending_user = text
        else:
            if pending_user is None:
                return None, f'"{key}" turn {i}: an answer without a question before it'
            pairs.append((pending_user, text))
            pending_user = None
    if not pairs:
        return None, f'"{key}" has no question with an answer'
    if pending_user is not None:
        return None, f'"{key}" ends with a question that has no answer'
    (question, answer), history = pairs[-1], pairs[:-1]
    return Record(instruction=question, output=answer, system=system, history=history), ""


def _from_src_tgt(obj: dict) -> tuple:
    src, tgt = obj.get("src"), obj.get("tgt")
    if isinstance(src, str) and isinstance(tgt, str):
        src, tgt = [src], [tgt]
    if not (isinstance(src, list) and isinstance(tgt, list)) or len(src) != len(tgt) or not src:
        return None, '"src" and "tgt" must be strings or lists of the same length'
    if not all(isinstance(x, str) for x in [*src, *tgt]):
        return None, '"src" and "tgt" must hold strings'
    system = obj.get("system") if isinstance(obj.get("system"), str) else ""
    history = list(zip(src[:-1], tgt[:-1], strict=True))
    return Record(instruction=src[-1], output=tgt[-1], system=system, history=history), ""


# ---- reading ---------------------------------------------------------------------------------
def read_dataset(path: str | os.PathLike[str], mapping: dict[str, str] | None = None) -> ReadResult:
    """Read any supported file. Raises DatasetError when nothing can be read (not JSON, empty,
    no records at all); NeedsMapping for a table whose header names no fields."""
    path = os.fspath(path)
    ext = os.path.splitext(path)[1].lower()
    if ext == ".xlsx":
        return _read_xlsx(path, mapping)
    decoded = decode_any(_read_bytes(path), path)
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
        raise DatasetError(path, "the file is empty")
    result = ReadResult(records=[], encoding=decoded.encoding)
    if stripped.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DatasetError(
                path, f"not valid JSON ({exc.msg}, column {exc.colno})", f"line {exc.lineno}"
            ) from None
        result.format = "json"
        _add_all(result, data, lambda i: f"record {i + 1}")
    elif stripped.startswith("{"):
        result.format = "jsonl"
        data = _parse_clean_jsonl(text)
        lines = [] if data is not None else text.splitlines()
        if data is not None:  # one line per object, no blank lines: line i + 1 is object i
            _add_all(result, data, lambda i: f"line {i + 1}")
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                result.problems.append(
                    ImportProblem(f"line {number}", f"not valid JSON ({exc.msg})")
                )
                continue
            _add(result, obj, f"line {number}")
    else:
        raise DatasetError(
            path,
            "not a dataset this app reads: a JSON array, JSON lines, CSV/TSV or .xlsx",
            "line 1",
        )
    if not result.records:
        first = f" ({result.problems[0]})" if result.problems else ""
        raise DatasetError(path, f"the file holds no usable records{first}")
    return result


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
    except json.JSONDecodeError:
        return None
    leading_blank = text[: len(text) - len(text.lstrip())].count("\n")
    if len(data) != body.count("\n") + 1 or leading_blank:
        return None
    return data


def _add_all(result: ReadResult, objects: list, locate) -> None:
    """Every object as a record; ``locate(i)`` names the position of a bad one (lazily: the
    common all-good file never computes line numbers)."""
    append = result.records.append
    for i, obj in enumerate(objects):
        if type(obj) is dict:  # the common Alpaca record, inline for speed
            instruction, output = obj.get("instruction"), obj.get("output")
            if type(instruction) is str and type(output) is str and not obj.get("history"):
                text_input, system = obj.get("input") or "", obj.get("system") or ""
                if type(text_input) is str and type(system) is str:
                    append(Record(instruction, output, text_input, system))
                    continue
        _add(result, obj, locate(i))


def _add(result: ReadResult, obj: Any, location: str) -> None:
    record, why = object_to_record(obj)
    if record is None:
        result.problems.append(ImportProblem(location, why))
    else:
        result.records.append(record)


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
        raise DatasetError(path, "the file is empty")
    columns = [str(c or "").strip() for c in rows[0]]
    result.columns = columns
    chosen = mapping or auto_mapping(columns)
    if not chosen:
        raise NeedsMapping(path, columns)
    missing = [f for f in ("instruction", "output") if f not in chosen]
    unknown = [c for c in chosen.values() if c not in columns]
    if missing or unknown:
        raise DatasetError(path, f"the column mapping lacks {missing or unknown}")
    result.mapping = dict(chosen)
    index = {name: columns.index(column) for name, column in chosen.items()}
    for number, row in enumerate(rows[1:], start=2):
        if not any(str(cell or "").strip() for cell in row):
            continue
        values = {
            name: ("" if i >= len(row) or row[i] is None else str(row[i]))
            for name, i in index.items()
        }
        _add(result, values, f"row {number}")
    if not result.records:
        first = f" ({result.problems[0]})" if result.problems else ""
        raise DatasetError(path, f"the file holds no usable records{first}")
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
        raise DatasetError(path, f"not a readable table ({exc})") from None
    result = ReadResult(
        records=[], encoding=decoded.encoding, format="tsv" if delimiter == "\t" else "csv"
    )
    return _rows_to_result(path, rows, mapping, result)


def _read_xlsx(path: str, mapping: dict[str, str] | None) -> ReadResult:
    import zipfile

    try:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise DatasetError(path, "the file does not exist") from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise DatasetError(path, f"not a readable Excel .xlsx file ({exc})") from None
    try:
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    except Exception as exc:  # noqa: BLE001 - a damaged workbook
        raise DatasetError(path, f"the Excel sheet cannot be read ({exc})") from None
    finally:
        workbook.close()
    rows = [["" if cell is None else str(cell) for cell in row] for row in rows]
    return _rows_to_result(path, rows, mapping, ReadResult(records=[], format="xlsx"))


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
