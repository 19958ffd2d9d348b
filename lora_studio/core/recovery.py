"""The dataset editor's recovery file: unsaved edits written every few seconds, offered back
after a crash, removed once they are saved or discarded."""

from __future__ import annotations

import json
import os
import time

from lora_studio.core.atomic import write_text_atomic
from lora_studio.core.paths import user_data_dir
from lora_studio.core.records import Record


def recovery_path() -> str:
    return os.path.join(user_data_dir(), "recovery", "dataset.json")


def save_recovery(path: str, records: list[Record]) -> None:
    """The unsaved records of the file at ``path`` ("" for a new dataset); raises OSError."""
    data = {"path": path, "saved_at": time.time(), "records": [r.to_dict() for r in records]}
    write_text_atomic(recovery_path(), json.dumps(data, ensure_ascii=False))


def pending_recovery() -> dict | None:
    """The recovery file's content, or None when there is none (or it cannot be read)."""
    try:
        with open(recovery_path(), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("records"), list) else None


def discard_recovery() -> None:
    try:
        os.remove(recovery_path())
    except OSError:
        pass
