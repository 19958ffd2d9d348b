"""Reading training data (JSON array or JSON lines) into records, with errors one can act on.

Every failure is a ``DatasetError`` that names the file, where in it (line or record number) and
what is wrong, so that no traceback ever has to reach the user.
"""

from __future__ import annotations

import codecs
import json
import os
from dataclasses import dataclass

from lora_studio.core.atomic import write_text_atomic
from lora_studio.core.records import Record, record_from_dict, record_problems


class DatasetError(Exception):
    """A dataset file that cannot be used, with where and why."""

    def __init__(self, path: str, problem: str, location: str = "") -> None:
        self.path = str(path)
        self.problem = problem
        self.location = location
        where = f"{self.path}, {location}" if location else self.path
        super().__init__(f"{where}: {problem}")


@dataclass
class DecodedText:
    text: str
    encoding: str


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes, path: str = "") -> DecodedText:
    """Decode a text file's bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM.

    Raises DatasetError naming the line of the first byte that is not valid text.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise DatasetError(
                    path,
                    f"the file is not valid {encoding} text ({exc.reason} at byte {exc.start})",
                ) from None
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DatasetError(
            path,
            "the file is not UTF-8 text (undecodable byte "
            f"0x{data[exc.start]:02x}); save it as UTF-8 and try again",
            f"line {line}",
        ) from None


def read_text(path: str) -> DecodedText:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise DatasetError(path, "the file does not exist") from None
    except IsADirectoryError:
        raise DatasetError(path, "this is a folder, not a dataset file") from None
    except OSError as exc:
        raise DatasetError(path, f"cannot read the file ({exc.strerror})") from None
    return decode_bytes(data, path)


def _json_error(
    path: str, text: str, exc: json.JSONDecodeError, line_offset: int = 0
) -> DatasetError:
    return DatasetError(
        path, f"not valid JSON ({exc.msg}, column {exc.colno})", f"line {exc.lineno + line_offset}"
    )


def parse_json_objects(text: str, path: str = "") -> tuple[list[object], str]:
    """Decode a JSON array or JSON lines. Returns the objects and ``"records"`` or ``"lines"``,
    which says how positions in the list map to the file (record numbers or line numbers)."""
    stripped = text.lstrip()
    if not stripped:
        raise DatasetError(
            path,
            "the file is empty; it should hold a JSON array of records or one JSON record per line",
        )
    if stripped.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _json_error(path, text, exc) from None
        if not isinstance(data, list):  # pragma: no cover - a '[' start always decodes to a list
            raise DatasetError(path, "expected a JSON array of records")
        return data, "records"
    if not stripped.startswith("{"):
        raise DatasetError(
            path,
            "not a JSON dataset: it should start with '[' (a JSON array of "
            "records) or '{' (one JSON record per line)",
            "line 1",
        )
    objects: list[object] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            objects.append(None)  # keep positions equal to line numbers; skipped below
            continue
        try:
            objects.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise DatasetError(
                path, f"not valid JSON ({exc.msg}, column {exc.colno})", f"line {number}"
            ) from None
    return objects, "lines"


def records_from_objects(objects: list[object], unit: str, path: str = "") -> list[Record]:
    """Validate decoded objects into records; the first invalid one raises, naming its position."""
    records = []
    for number, obj in enumerate(objects, start=1):
        if obj is None and unit == "lines":
            continue
        problems = record_problems(obj)
        if problems:
            where = f"line {number}" if unit == "lines" else f"record {number}"
            raise DatasetError(path, "; ".join(problems), where)
        records.append(record_from_dict(obj))  # type: ignore[arg-type]
    if not records:
        raise DatasetError(path, "the file holds no records")
    return records


def load_records(path: str | os.PathLike[str]) -> list[Record]:
    """Read a JSON-array or JSONL dataset; raises DatasetError on the first problem."""
    path = os.fspath(path)
    decoded = read_text(path)
    objects, unit = parse_json_objects(decoded.text, path)
    return records_from_objects(objects, unit, path)


def save_records_json(records: list[Record], path: str | os.PathLike[str]) -> None:
    """Write records as the JSON array that ``train`` reads, atomically."""
    text = json.dumps([r.to_dict() for r in records], ensure_ascii=False, indent=1)
    write_text_atomic(path, text + "\n")
