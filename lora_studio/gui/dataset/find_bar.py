"""Find and replace (plain text or regular expressions) and the two filters of the table."""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class FindBar(QWidget):
    """Emits what the user asks for; the panel searches the document."""

    find_next_requested = Signal()
    replace_all_requested = Signal()
    filter_changed = Signal()  # "only matches" / "only problems", or the text while filtering

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText(self.tr("Find"))
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.returnPressed.connect(self.find_next_requested)
        self.find_edit.textChanged.connect(self._on_query_changed)
        self.replace_edit = QLineEdit()
        self.replace_edit.setPlaceholderText(self.tr("Replace with"))
        self.regex_box = QCheckBox(self.tr("Regular expression"))
        self.case_box = QCheckBox(self.tr("Match case"))
        self.regex_box.toggled.connect(self._on_query_changed)
        self.case_box.toggled.connect(self._on_query_changed)
        next_button = QPushButton(self.tr("Find next"))
        next_button.clicked.connect(self.find_next_requested)
        replace_button = QPushButton(self.tr("Replace all"))
        replace_button.clicked.connect(self.replace_all_requested)
        self.matches_only = QCheckBox(self.tr("Only matches"))
        self.matches_only.toggled.connect(self.filter_changed)
        self.problems_only = QCheckBox(self.tr("Only records with problems"))
        self.problems_only.toggled.connect(self.filter_changed)
        self.find_status = QLabel()
        find_row = QHBoxLayout()
        for widget in (
            self.find_edit,
            self.replace_edit,
            self.regex_box,
            self.case_box,
            next_button,
            replace_button,
        ):
            find_row.addWidget(widget)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.matches_only)
        filter_row.addWidget(self.problems_only)
        filter_row.addStretch(1)
        filter_row.addWidget(self.find_status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(find_row)
        layout.addLayout(filter_row)

    # ---- what the user asked ----
    def text(self) -> str:
        return self.find_edit.text()

    def replacement(self) -> str:
        return self.replace_edit.text()

    def is_regex(self) -> bool:
        return self.regex_box.isChecked()

    def match_case(self) -> bool:
        return self.case_box.isChecked()

    def pattern_ok(self) -> bool:
        """False (and says why) for a regular expression that does not compile."""
        if not self.regex_box.isChecked():
            return True
        try:
            re.compile(self.find_edit.text())
        except re.error as exc:
            self.find_status.setText(self.tr("Not a valid expression: %s") % exc)
            return False
        return True

    def set_status(self, text: str) -> None:
        self.find_status.setText(text)

    def focus(self) -> None:
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def clear_filters(self) -> None:
        self.problems_only.setChecked(False)
        self.matches_only.setChecked(False)

    def _on_query_changed(self) -> None:
        if self.matches_only.isChecked():
            self.filter_changed.emit()
        elif self.pattern_ok():
            self.find_status.setText("")
