"""The dataset editor's table model: a lazy view of a ``DatasetDocument``, filtered in place.

No widget per row and no proxy model: ``data()`` is asked only for the visible cells, and a
filter (records with problems, records matching a search) is a list of record indexes computed
in one pass. Every edit goes through the document, so it can be undone.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from lora_studio.core.checks import Problem
from lora_studio.core.document import DatasetDocument

COLUMNS = ("instruction", "input", "output", "system", "history")
TEXT_COLUMNS = COLUMNS[:4]
PREVIEW_CHARS = 160
Index = QModelIndex | QPersistentModelIndex


class DatasetTableModel(QAbstractTableModel):
    rows_changed = Signal(list)  # record indexes to select after an insert, delete, move, undo

    def __init__(self, document: DatasetDocument, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.view_rows: list[int] | None = None  # None: every record
        self.problems: dict[int, list[Problem]] = {}
        self._headers = {
            "instruction": self.tr("Instruction"),
            "input": self.tr("Input"),
            "output": self.tr("Output"),
            "system": self.tr("System"),
            "history": self.tr("Turns"),
        }
        self._problem_brush = QColor(255, 205, 205, 110)
        document.listeners.append(self._on_document_changed)

    # ---- mapping between view rows and records ----
    def record_at(self, view_row: int) -> int:
        return self.view_rows[view_row] if self.view_rows is not None else view_row

    def view_row_of(self, record: int) -> int:
        if self.view_rows is None:
            return record if 0 <= record < len(self.document.records) else -1
        try:
            return self.view_rows.index(record)
        except ValueError:
            return -1

    def set_filter(self, rows: list[int] | None) -> None:
        self.beginResetModel()
        self.view_rows = rows
        self.endResetModel()

    def set_problems(self, problems: list[Problem]) -> None:
        by_row: dict[int, list[Problem]] = {}
        for problem in problems:
            by_row.setdefault(problem.row, []).append(problem)
        changed = set(by_row) ^ set(self.problems)
        self.problems = by_row
        if changed and self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(self.rowCount() - 1, len(COLUMNS) - 1),
                [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole],
            )

    # ---- Qt model API ----
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        if parent.isValid():
            return 0
        return len(self.view_rows) if self.view_rows is not None else len(self.document.records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.record_at(index.row())
        record = self.document.records[row]
        name = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if name == "history":
                return str(len(record.history)) if record.history else ""
            text = getattr(record, name)
            first = text.split("\n", 1)[0]
            if len(first) > PREVIEW_CHARS:
                first = first[:PREVIEW_CHARS] + "…"
            return first + (" ⏎" if "\n" in text and len(first) <= PREVIEW_CHARS else "")
        if role == Qt.ItemDataRole.EditRole:
            return getattr(record, name) if name != "history" else len(record.history)
        if role == Qt.ItemDataRole.BackgroundRole and row in self.problems:
            fields = {p.field for p in self.problems[row]}
            if "" in fields or name in fields:
                return self._problem_brush
        if role == Qt.ItemDataRole.ToolTipRole and row in self.problems:
            return "\n".join(p.message for p in self.problems[row])
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        name = COLUMNS[index.column()]
        if name not in TEXT_COLUMNS or not isinstance(value, str):
            return False
        self.document.set_field(self.record_at(index.row()), name, value)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if COLUMNS[index.column()] in TEXT_COLUMNS:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[COLUMNS[section]]
        return str(self.record_at(section) + 1)

    # ---- document changes ----
    def _on_document_changed(self, kind: str, rows: list[int]) -> None:
        if kind == "cells" and rows:
            view = [self.view_row_of(r) for r in rows]
            view = [v for v in view if v >= 0]
            if view:
                self.dataChanged.emit(
                    self.index(min(view), 0), self.index(max(view), len(COLUMNS) - 1)
                )
        else:
            self.beginResetModel()
            if self.view_rows is not None:
                count = len(self.document.records)
                self.view_rows = [r for r in self.view_rows if r < count]
            self.endResetModel()
        self.rows_changed.emit(rows)
