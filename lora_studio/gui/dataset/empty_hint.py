"""What the empty Dataset section says: how to get records in, and the bundled samples."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from lora_studio.core.paths import demo_dataset_path, sample_dataset_path


class EmptyHint(QWidget):
    open_requested = Signal(str)  # a file to open ("" asks with the file dialog)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        text = QLabel(
            self.tr(
                "No records yet. Open a file (Ctrl+O) or drop one on the window: JSON, JSONL, "
                "CSV, TSV or Excel, in the Alpaca, ShareGPT or OpenAI messages layout. You can "
                "also paste rows copied from a spreadsheet, or add records one by one "
                "(Ctrl+Enter)."
            )
        )
        text.setWordWrap(True)
        buttons = QVBoxLayout()  # one under another: narrow windows keep them whole
        for label, path in (
            (self.tr("Open a file…"), ""),
            (self.tr("Sample: 8 English records (the demo)"), demo_dataset_path()),
            (self.tr("Sample: 64 records, Chinese and English"), sample_dataset_path()),
        ):
            button = QPushButton(label)
            button.clicked.connect(lambda _checked=False, p=path: self.open_requested.emit(p))
            buttons.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 8, 4, 8)
        layout.addWidget(text)
        layout.addLayout(buttons)
