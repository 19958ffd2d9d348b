"""Records on the clipboard: tab-separated text for spreadsheets, JSON records for this app.

Pasting reads rows copied from Excel or WPS (a header that names the fields, or instruction /
input / output by position), JSON arrays or JSON lines of records in any layout the reader knows.
"""

from __future__ import annotations

import csv
import io
import json

from lora_studio.core.formats import auto_mapping
from lora_studio.core.record_shapes import object_to_record
from lora_studio.core.records import Record

JSON_MIME = "application/x-lora-studio-records+json"


def records_to_tsv(records: list[Record]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel-tab")  # "\r\n" rows, as Excel copies them
    for record in records:
        writer.writerow([record.instruction, record.input, record.output])
    return out.getvalue()


def records_to_json(records: list[Record]) -> bytes:
    return json.dumps([r.to_dict() for r in records], ensure_ascii=False).encode("utf-8")


def records_from_json(data: bytes) -> list[Record]:
    """This app's own clipboard format; anything unreadable pastes nothing."""
    try:
        objects = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        return []
    if not isinstance(objects, list):
        return []
    return [r for r, _, _ in map(object_to_record, objects) if r is not None]


def records_from_clipboard_text(text: str) -> list[Record]:
    """Rows copied from Excel or WPS (tab-separated), or JSON records as text."""
    stripped = text.strip()
    if stripped.startswith(("[", "{")):
        try:
            data = json.loads(stripped)
        except (ValueError, RecursionError):
            data = None
        if data is not None:
            objects = data if isinstance(data, list) else [data]
            return [r for r, _, _ in map(object_to_record, objects) if r is not None]
        lines = [line for line in stripped.splitlines() if line.strip()]
        try:
            objects = [json.loads(line) for line in lines]
            return [r for r, _, _ in map(object_to_record, objects) if r is not None]
        except (ValueError, RecursionError):
            pass
    reader = csv.reader(io.StringIO(text, newline=""), dialect="excel-tab")  # "\r" is csv's
    rows = [row for row in reader if any(row)]
    mapping = auto_mapping(rows[0]) if rows else {}
    if mapping:
        columns = rows[0]
        return [
            Record(
                instruction=_cell(row, columns.index(mapping["instruction"])),
                output=_cell(row, columns.index(mapping["output"])),
                input=_cell(row, columns.index(mapping["input"])) if "input" in mapping else "",
            )
            for row in rows[1:]
        ]
    out = []
    for row in rows:
        if len(row) >= 3:
            out.append(Record(row[0], row[2], input=row[1]))
        elif len(row) == 2:
            out.append(Record(row[0], row[1]))
        else:
            out.append(Record(row[0], ""))
    return out


def _cell(row: list[str], i: int) -> str:
    return row[i] if i < len(row) else ""
