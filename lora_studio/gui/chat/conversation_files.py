"""A conversation to a file: Markdown or JSON, and the file dialogs that ask where."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from lora_studio.core.atomic import write_text_atomic
from lora_studio.core.conversation import Conversation
from lora_studio.core.dataset_io import DatasetError
from lora_studio.core.records import Record
from lora_studio.core.training_data import append_record
from lora_studio.gui.text import message_text


def _tr(text: str) -> str:
    return QCoreApplication.translate("ChatPanel", text)


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


def export_asking(parent: QWidget, conversation: Conversation, path: str = "") -> tuple[bool, str]:
    """Export, asking where unless ``path`` is given: (done, what to tell the user); a dialog
    cancelled is (False, "")."""
    path = path or ask_export_path(parent, conversation)
    if not path:
        return False, ""
    try:
        path = export(conversation, path)
    except OSError as exc:
        return False, _tr("Could not export: %s") % exc
    return True, _tr("Conversation exported to %s") % path


def append_asking(parent: QWidget, record: Record, path: str, start: str) -> tuple[bool, str]:
    """Append ``record`` to a JSON dataset file, asking which unless ``path`` is given."""
    path = path or ask_dataset_path(parent, start)
    if not path:
        return False, ""
    try:
        number = append_record(path, record)
    except DatasetError as exc:
        return False, _tr("The dataset could not be read, so nothing was added: %s") % message_text(
            exc.text
        )
    except OSError as exc:
        return False, _tr("The dataset could not be saved: %s") % exc
    return True, _tr("Added to %s as record %d") % (os.path.basename(path), number)
