"""The Home section: what the app does in three steps, and "Try it with the demo"."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from lora_studio.gui.icons import icon
from lora_studio.gui.widgets.emphasis import set_font


class HomePage(QWidget):
    demo_requested = Signal()
    section_requested = Signal(str)  # a key of MainWindow.SECTIONS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(self.tr("Fine-tune a language model on your own data, on this computer."))
        set_font(title, 1.8, bold=True)
        title.setWordWrap(True)

        self.demo_button = QPushButton(self.tr("Try it with the demo"))
        self.demo_button.setDefault(True)
        self.demo_button.setMinimumHeight(44)
        set_font(self.demo_button, 1.3)
        self.demo_button.clicked.connect(self.demo_requested)
        self.demo_button.setIcon(icon("demo"))
        self.demo_button.setIconSize(QSize(22, 22))
        demo_text = QLabel(
            self.tr(
                "Opens eight sample records in the Dataset editor, trains the demo model "
                "SmolLM2-135M-Instruct on them (about three minutes on a CPU, offline), then "
                "opens Chat with Compare: the base model and your fine-tuned one answer side by "
                "side. The demo model speaks English; for Chinese, train Qwen2.5-0.5B-Instruct."
            )
        )
        demo_text.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 32, 40, 32)
        layout.setSpacing(14)
        layout.addWidget(title)
        layout.addWidget(self.demo_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(demo_text)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        layout.addWidget(line)
        steps = (
            (
                "dataset",
                self.tr("1. Prepare the data"),
                self.tr(
                    "Open a JSON, JSONL, CSV or Excel file (Alpaca, ShareGPT, OpenAI messages) "
                    "or start empty; the editor checks every record before training."
                ),
            ),
            (
                "training",
                self.tr("2. Train"),
                self.tr(
                    "Choose a model and start. The Hardware wizard suggests settings that fit "
                    "your graphics card; Stop and Resume keep every checkpoint."
                ),
            ),
            (
                "chat",
                self.tr("3. Chat with the result"),
                self.tr(
                    "Talk to the fine-tuned model offline, compare it with the base model, or "
                    "serve it to other programs through an OpenAI-compatible API."
                ),
            ),
        )
        self.step_buttons: dict[str, QPushButton] = {}
        for key, heading, text in steps:
            button = QPushButton(heading)
            button.setFlat(True)
            set_font(button, 1.2, bold=True)
            button.clicked.connect(lambda _checked=False, k=key: self.section_requested.emit(k))
            self.step_buttons[key] = button
            body = QLabel(text)
            body.setWordWrap(True)
            body.setContentsMargins(8, 0, 0, 0)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(body)
        layout.addStretch(1)
