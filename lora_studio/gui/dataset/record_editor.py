"""The detail pane: the selected record's texts in full, edited in place, and its earlier turns."""

from __future__ import annotations

import html

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QPlainTextEdit, QWidget

from lora_studio.core.document import TEXT_FIELDS
from lora_studio.core.records import Record

COMMIT_DELAY_MS = 600


class RecordEditor(QWidget):
    """Shows one record; ``edited`` fires once typing pauses, and ``changes(record)`` says what
    differs from it, for the panel to apply as one undoable step."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QFormLayout(self)
        self.title = QLabel()
        layout.addRow(self.title)
        labels = {
            "instruction": self.tr("Instruction"),
            "input": self.tr("Input"),
            "output": self.tr("Output"),
            "system": self.tr("System"),
        }
        self.edits: dict[str, QPlainTextEdit] = {}
        for name in TEXT_FIELDS:
            edit = QPlainTextEdit()
            edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
            edit.setTabChangesFocus(True)
            edit.textChanged.connect(self._on_text_changed)
            self.edits[name] = edit
            layout.addRow(labels[name], edit)
        self.history_view = QLabel()
        self.history_view.setWordWrap(True)
        layout.addRow(self.tr("Earlier turns"), self.history_view)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COMMIT_DELAY_MS)
        self._timer.timeout.connect(self.edited)
        self._loading = False
        self.row = -1

    def show_record(self, row: int, record: Record | None) -> None:
        self._timer.stop()
        self.row = row if record is not None else -1
        self._loading = True
        for name, edit in self.edits.items():
            edit.setPlainText(getattr(record, name) if record else "")
            edit.setEnabled(record is not None)
        if record is None:
            self.title.setText("")
            self.history_view.setText("")
        else:
            self.title.setText(self.tr("<b>Record %d</b>") % (row + 1))
            self.history_view.setText(
                "<br>".join(
                    f"<b>{i}.</b> {_html(u)} → {_html(a)}"
                    for i, (u, a) in enumerate(record.history, start=1)
                )
                or self.tr("none")
            )
        self._loading = False

    def changes(self, record: Record) -> list[tuple[int, str, str, str]]:
        """(row, field, old, new) for each text edited here; the pending edit is taken."""
        self._timer.stop()
        return [
            (self.row, name, getattr(record, name), edit.toPlainText())
            for name, edit in self.edits.items()
            if edit.toPlainText() != getattr(record, name)
        ]

    def focus_first(self) -> None:
        self.edits["instruction"].setFocus()

    def _on_text_changed(self) -> None:
        if not self._loading:
            self._timer.start()


def _html(text: str) -> str:
    return html.escape(text[:200])
