"""A conversation to a file: Markdown or JSON, and the file dialogs that ask where."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from lora_studio.core.atomic import write_text_atomic
from lora_studio.core.conversation import Conversation


def ask_export_path(parent: QWidget, conversation: Conversation) -> str:
    path, _filter = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("ChatPanel", "Export conversation"),
        conversation.display_title or "conversation",
        QCoreApplication.translate("ChatPanel", "Markdown (*.md);;JSON (*.json)"),
    )
    return path


def ask_dataset_path(parent: QWidget, start: str) -> str:
    path, _filter = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("ChatPanel", "Add the exchange to a dataset"),
        start or "dataset.json",
        QCoreApplication.translate("ChatPanel", "JSON dataset (*.json)"),
        options=QFileDialog.Option.DontConfirmOverwrite,
    )
    return path


def export(conversation: Conversation, path: str) -> str:
    """Write the conversation (JSON for .json, else Markdown, .md added); returns the path.
    Raises OSError."""
    if path.lower().endswith(".json"):
        text = conversation.to_json()
    else:
        if not path.lower().endswith(".md"):
            path += ".md"
        names = {
            "user": QCoreApplication.translate("ChatPanel", "You"),
            "assistant": QCoreApplication.translate("ChatPanel", "Model"),
            "system": QCoreApplication.translate("ChatPanel", "System"),
        }
        text = conversation.to_markdown(names)
    write_text_atomic(path, text)
    return path
