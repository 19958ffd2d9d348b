"""An open dataset: its records, the file it came from, and every edit as an undoable command.

The dataset editor's table model wraps a ``DatasetDocument``; all changes go through
``apply(command)`` so that each one (a cell edit, a bulk paste, an import, a replace-all) is one
step for Ctrl+Z. Listeners hear about each change: ``("cells", rows)`` for edited texts,
``("rows", rows)`` for inserted, removed or moved records (the rows to select afterwards).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lora_studio.core.records import Record

TEXT_FIELDS = ("instruction", "input", "output", "system")


class Command:
    text = ""

    def do(self, doc: DatasetDocument) -> list[int]:  # the rows to select afterwards
        raise NotImplementedError

    def undo(self, doc: DatasetDocument) -> list[int]:
        raise NotImplementedError

    kind = "rows"  # "cells" when only texts change


@dataclass
class SetFields(Command):
    """Texts changed in place: a cell edit, a detail-pane edit, a replace-all."""

    changes: list[tuple[int, str, str, str]]  # row, field, old, new
    text: str = "Edit"
    kind = "cells"

    def do(self, doc):
        for row, name, _old, new in self.changes:
            setattr(doc.records[row], name, new)
        return sorted({c[0] for c in self.changes})

    def undo(self, doc):
        for row, name, old, _new in reversed(self.changes):
            setattr(doc.records[row], name, old)
        return sorted({c[0] for c in self.changes})


@dataclass
class InsertRecords(Command):
    """Records inserted at ``at`` (add, insert, duplicate, paste, import: one step)."""

    at: int
    records: list[Record]
    text: str = "Insert"

    def do(self, doc):
        doc.records[self.at : self.at] = copy.deepcopy(self.records)
        return list(range(self.at, self.at + len(self.records)))

    def undo(self, doc):
        del doc.records[self.at : self.at + len(self.records)]
        return [min(self.at, len(doc.records) - 1)] if doc.records else []


@dataclass
class RemoveRecords(Command):
    rows: list[int]
    text: str = "Delete"
    removed: list[tuple[int, Record]] = field(default_factory=list)

    def do(self, doc):
        rows = sorted(set(self.rows))
        self.removed = [(r, doc.records[r]) for r in rows]
        for r in reversed(rows):
            del doc.records[r]
        if not doc.records:
            return []
        return [min(rows[0], len(doc.records) - 1)]

    def undo(self, doc):
        for r, record in self.removed:
            doc.records.insert(r, record)
        return [r for r, _ in self.removed]


@dataclass
class MoveRecords(Command):
    """A block of rows moved up (-1) or down (+1) by one."""

    rows: list[int]
    delta: int
    text: str = "Move"

    def _move(self, doc: DatasetDocument, rows: list[int], delta: int) -> list[int]:
        order = sorted(rows, reverse=delta > 0)
        for r in order:
            doc.records[r], doc.records[r + delta] = doc.records[r + delta], doc.records[r]
        return sorted(r + delta for r in rows)

    def do(self, doc):
        return self._move(doc, self.rows, self.delta)

    def undo(self, doc):
        return self._move(doc, [r + self.delta for r in self.rows], -self.delta)


@dataclass
class ReplaceRecords(Command):
    """Every record replaced (an import that replaces, a reload)."""

    records: list[Record]
    text: str = "Replace"
    previous: list[Record] = field(default_factory=list)

    def do(self, doc):
        self.previous = doc.records
        doc.records = copy.deepcopy(self.records)
        return []

    def undo(self, doc):
        doc.records = self.previous
        return []


class DatasetDocument:
    def __init__(self, records: list[Record] | None = None, path: str = "") -> None:
        self.records: list[Record] = list(records or [])
        self.path = path
        self.encoding = "utf-8"
        self.format = "json"
        self.undo_stack: list[Command] = []
        self.redo_stack: list[Command] = []
        self.revision = 0  # grows with every change, undo and redo included
        self.saved_revision = 0
        self._saved_marker: Command | None = None  # the command on top when last saved
        self.listeners: list[Callable[[str, list[int]], None]] = []

    # ---- state ----
    @property
    def dirty(self) -> bool:
        top = self.undo_stack[-1] if self.undo_stack else None
        return top is not self._saved_marker

    def mark_saved(self, path: str = "") -> None:
        if path:
            self.path = path
        self._saved_marker = self.undo_stack[-1] if self.undo_stack else None
        self.saved_revision = self.revision

    def load(self, records: list[Record], path: str = "") -> None:
        """A newly opened file: no history, not dirty."""
        self.records = list(records)
        self.path = path
        self.undo_stack.clear()
        self.redo_stack.clear()
        self._saved_marker = None
        self._changed("rows", [])

    # ---- editing ----
    def apply(self, command: Command) -> list[int]:
        rows = command.do(self)
        self.undo_stack.append(command)
        self.redo_stack.clear()
        self._changed(command.kind, rows)
        return rows

    def undo(self) -> list[int] | None:
        if not self.undo_stack:
            return None
        command = self.undo_stack.pop()
        rows = command.undo(self)
        self.redo_stack.append(command)
        self._changed(command.kind, rows)
        return rows

    def redo(self) -> list[int] | None:
        if not self.redo_stack:
            return None
        command = self.redo_stack.pop()
        rows = command.do(self)
        self.undo_stack.append(command)
        self._changed(command.kind, rows)
        return rows

    def _changed(self, kind: str, rows: list[int]) -> None:
        self.revision += 1
        for listener in list(self.listeners):
            listener(kind, rows)

    # ---- conveniences that build commands ----
    def set_field(self, row: int, name: str, value: str) -> bool:
        old = getattr(self.records[row], name)
        if old == value:
            return False
        self.apply(SetFields([(row, name, old, value)], text="Edit"))
        return True

    def find(
        self,
        pattern: str,
        regex: bool = False,
        case: bool = False,
        fields: tuple[str, ...] = TEXT_FIELDS,
        rows: list[int] | None = None,
    ) -> list[tuple[int, str]]:
        """Every (row, field) whose text matches. Raises re.error for a bad expression."""
        matcher = compile_pattern(pattern, regex, case)
        search = matcher.search
        records = self.records
        candidates = rows if rows is not None else range(len(records))
        if rows is None and fields == TEXT_FIELDS and not regex:
            # plain text: one search per record over its joined texts finds the few candidate
            # rows fast (a superset: a match may span two fields); each is then checked field by
            # field. Not for expressions, whose anchors would see one string.
            candidates = [
                i
                for i, r in enumerate(records)
                if search(f"{r.instruction}\x1f{r.input}\x1f{r.output}\x1f{r.system}")
            ]
        out = []
        for row in candidates:
            record = records[row]
            for name in fields:
                if search(getattr(record, name)):
                    out.append((row, name))
        return out

    def replace_all(
        self,
        pattern: str,
        replacement: str,
        regex: bool = False,
        case: bool = False,
        fields: tuple[str, ...] = TEXT_FIELDS,
        rows: list[int] | None = None,
    ) -> int:
        """Replace in every matching field as one undoable step; returns the fields changed."""
        matcher = compile_pattern(pattern, regex, case)
        repl = replacement if regex else replacement.replace("\\", "\\\\")
        changes = []
        for row, name in self.find(pattern, regex, case, fields, rows):
            old = getattr(self.records[row], name)
            new = matcher.sub(repl, old)
            if new != old:
                changes.append((row, name, old, new))
        if changes:
            self.apply(SetFields(changes, text="Replace all"))
        return len(changes)


def compile_pattern(pattern: str, regex: bool, case: bool) -> re.Pattern:
    flags = 0 if case else re.IGNORECASE
    return re.compile(pattern if regex else re.escape(pattern), flags)
