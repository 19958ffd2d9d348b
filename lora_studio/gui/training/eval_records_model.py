"""The records of one evaluation as a table: question, reference, both answers and their scores;
sorted by number, filtered to the records that got worse (``core/eval_results.got_worse``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from lora_studio.core.eval_results import got_worse, side_value

SORT_ROLE = Qt.ItemDataRole.UserRole
WORSE_COLOUR = QColor(176, 0, 32)
# (kind, side, key): text columns show the answer, score columns a number.
COLUMNS = (
    ("text", "", "question"),
    ("text", "", "reference"),
    ("text", "base", "answer"),
    ("text", "tuned", "answer"),
    ("score", "base", "rouge_l"),
    ("score", "tuned", "rouge_l"),
    ("score", "delta", "rouge_l"),
    ("judge", "base", "judge"),
    ("judge", "tuned", "judge"),
)


def _one_line(text: Any, limit: int = 120) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class EvalRecordsModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.judged = False

    def headers(self) -> list[str]:
        return [
            self.tr("Question"),
            self.tr("Reference"),
            self.tr("Base answer"),
            self.tr("Tuned answer"),
            self.tr("Base ROUGE-L"),
            self.tr("Tuned ROUGE-L"),
            self.tr("Difference"),
            self.tr("Judge (base)"),
            self.tr("Judge (tuned)"),
        ]

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.judged = any(isinstance(side_value(r, "tuned", "judge"), dict) for r in rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def value(self, row: dict[str, Any], column: int) -> Any:
        kind, side, key = COLUMNS[column]
        if kind == "text" and not side:
            return row.get(key, "")
        if side == "delta":
            base, tuned = side_value(row, "base", key), side_value(row, "tuned", key)
            numbers = isinstance(base, (int, float)) and isinstance(tuned, (int, float))
            return tuned - base if numbers else None
        value = side_value(row, side, key)
        if kind == "judge":
            return value if isinstance(value, dict) else None
        if kind == "score":
            return (
                value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
            )
        return value

    def verdict_text(self, verdict: dict[str, Any] | None) -> str:
        if verdict is None:
            return "–"
        return {
            "correct": self.tr("correct"),
            "partly": self.tr("partly"),
            "wrong": self.tr("wrong"),
        }.get(str(verdict.get("verdict")), self.tr("not judged"))

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        kind = COLUMNS[column][0]
        value = self.value(row, column)
        if role == SORT_ROLE:
            if kind == "judge":
                return value.get("score") if value and value.get("score") is not None else -1.0
            if kind == "score":
                return -2.0 if value is None else float(value)
            return str(value or "")
        if role == Qt.ItemDataRole.DisplayRole:
            if kind == "judge":
                return self.verdict_text(value)
            if kind == "score":
                if value is None:
                    return "–"
                return f"{value:+.2f}" if COLUMNS[column][1] == "delta" else f"{value:.2f}"
            return _one_line(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            if kind == "judge" and value:
                return str(value.get("reason", ""))
            if kind == "text":
                return str(value or "")
        if role == Qt.ItemDataRole.ForegroundRole and column == 6 and got_worse(row):
            return WORSE_COLOUR
        if role == Qt.ItemDataRole.TextAlignmentRole and kind != "text":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None


class WorseFilter(QSortFilterProxyModel):
    """Sorts by each column's number or text; ``only_worse`` hides records that did not get
    worse."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.only_worse = False
        self.setSortRole(SORT_ROLE)

    def set_only_worse(self, on: bool) -> None:
        self.only_worse = on
        self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # noqa: N802
        if not self.only_worse:
            return True
        model = self.sourceModel()
        return isinstance(model, EvalRecordsModel) and got_worse(model.rows[source_row])

    def visible_rows(self) -> list[dict[str, Any]]:
        """The source rows shown, in the order shown (what an export writes)."""
        model = self.sourceModel()
        assert isinstance(model, EvalRecordsModel)
        return [
            model.rows[self.mapToSource(self.index(i, 0)).row()] for i in range(self.rowCount())
        ]
