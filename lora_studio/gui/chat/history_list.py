"""The saved conversations, newest first: open one, start a new one, delete one."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from lora_studio.core.conversation import Conversation


class HistoryList(QWidget):
    new_requested = Signal()
    delete_requested = Signal()
    conversation_chosen = Signal(object)  # Conversation

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = QListWidget()
        self.history.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.itemActivated.connect(self._chosen)
        self.history.itemClicked.connect(self._chosen)
        new_button = QPushButton(self.tr("New conversation"))
        new_button.setToolTip(self.tr("Start a new conversation (Ctrl+N)"))
        new_button.setShortcut(QKeySequence("Ctrl+N"))
        new_button.clicked.connect(self.new_requested)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.clicked.connect(self.delete_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(new_button)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.delete_button)

    def show_conversations(self, conversations: list[Conversation]) -> None:
        self.history.clear()
        for conversation in conversations:
            item = QListWidgetItem(conversation.display_title or self.tr("(empty)"))
            item.setData(Qt.ItemDataRole.UserRole, conversation)
            item.setToolTip(conversation.source)
            self.history.addItem(item)

    def current(self) -> Conversation | None:
        item = self.history.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _chosen(self, item: QListWidgetItem) -> None:
        conversation = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(conversation, Conversation):
            self.conversation_chosen.emit(conversation)
