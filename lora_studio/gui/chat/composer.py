"""The message box and what can be done with the conversation: send, stop, regenerate, edit
the last message, copy the reply, export, add to a dataset."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from lora_studio.gui.icons import decorate


class Composer(QWidget):
    send_requested = Signal()
    stop_requested = Signal()
    regenerate_requested = Signal()
    edit_requested = Signal()
    copy_requested = Signal()
    export_requested = Signal()
    dataset_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.input = QPlainTextEdit()
        self.input.setPlaceholderText(self.tr("Type a message. Ctrl+Enter sends it."))
        self.input.setMaximumHeight(110)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setToolTip(self.tr("Send the message (Ctrl+Enter)"))
        self.send_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.send_button.clicked.connect(self.send_requested)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop generating (Esc)"))
        self.stop_button.clicked.connect(self.stop_requested)
        self.regenerate_button = QPushButton(self.tr("Regenerate"))
        self.regenerate_button.setToolTip(self.tr("Answer the last message again (Ctrl+R)"))
        self.regenerate_button.setShortcut(QKeySequence("Ctrl+R"))
        self.regenerate_button.clicked.connect(self.regenerate_requested)
        decorate(
            [
                (self.send_button, "send"),
                (self.stop_button, "stop"),
                (self.regenerate_button, "regenerate"),
            ]
        )
        self.edit_button = QPushButton(self.tr("Edit last"))
        self.edit_button.setToolTip(self.tr("Take back the last message to edit and resend it"))
        self.edit_button.clicked.connect(self.edit_requested)
        self.copy_button = QPushButton(self.tr("Copy reply"))
        self.copy_button.setToolTip(self.tr("Copy the last reply (Ctrl+Shift+C)"))
        self.copy_button.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.copy_button.clicked.connect(self.copy_requested)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("Save the conversation as Markdown or JSON"))
        self.export_button.clicked.connect(self.export_requested)
        self.dataset_button = QPushButton(self.tr("Add to dataset…"))
        self.dataset_button.setToolTip(
            self.tr("Append the last question and reply to a dataset file as a training record")
        )
        self.dataset_button.clicked.connect(self.dataset_requested)
        actions = QHBoxLayout()
        for widget in (
            self.send_button,
            self.stop_button,
            self.regenerate_button,
            self.edit_button,
            self.copy_button,
        ):
            actions.addWidget(widget)
        actions.addStretch(1)
        keep = QHBoxLayout()  # a second row: the first fits a 1024-pixel window
        keep.addStretch(1)
        keep.addWidget(self.export_button)
        keep.addWidget(self.dataset_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.input)
        layout.addLayout(actions)
        layout.addLayout(keep)
