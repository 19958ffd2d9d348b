"""The conversation as Markdown: the fine-tuned model's replies, and beside them, when
comparing, the base model's."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from lora_studio.core.conversation import Conversation


class Transcript(QSplitter):
    """Two Markdown views; the base model's shows only while comparing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.transcript = QTextBrowser()
        self.transcript.setOpenExternalLinks(True)
        self.base_transcript = QTextBrowser()
        self.base_transcript.setOpenExternalLinks(True)
        self.tuned_title = QLabel(self.tr("<b>Fine-tuned</b>"))
        self.base_title = QLabel(self.tr("<b>Base model</b>"))
        tuned_holder = QWidget()
        tuned_layout = QVBoxLayout(tuned_holder)
        tuned_layout.setContentsMargins(0, 0, 0, 0)
        tuned_layout.addWidget(self.tuned_title)
        tuned_layout.addWidget(self.transcript)
        self.base_holder = QWidget()
        base_layout = QVBoxLayout(self.base_holder)
        base_layout.setContentsMargins(0, 0, 0, 0)
        base_layout.addWidget(self.base_title)
        base_layout.addWidget(self.base_transcript)
        self.addWidget(self.base_holder)
        self.addWidget(tuned_holder)

    def set_comparing(self, comparing: bool) -> None:
        self.base_holder.setVisible(comparing)
        self.tuned_title.setVisible(comparing)

    def show_conversation(
        self,
        conversation: Conversation,
        streams: dict[str, str],
        waiting: set[str],
        comparing: bool,
    ) -> None:
        """``streams``: the reply being written by each side ("tuned", "base"); ``waiting``:
        the sides still writing."""
        names = {
            "user": self.tr("You"),
            "assistant": self.tr("Model"),
            "empty": self.tr("(an empty reply)"),
        }
        tuned = markdown(conversation, names, streams["tuned"], "tuned" in waiting)
        _set_markdown(self.transcript, tuned)
        if comparing or self.base_holder.isVisible():
            base = markdown(conversation, names, streams["base"], "base" in waiting, base=True)
            _set_markdown(self.base_transcript, base)


def markdown(
    conversation: Conversation,
    names: dict[str, str],
    streaming: str,
    generating: bool,
    base: bool = False,
) -> str:
    """The transcript as Markdown: each message under its speaker's name."""
    parts = []
    for message in conversation.messages:
        text = message.content
        if base and message.role == "assistant":
            text = message.stats.get("base_reply", "")
            if not text:
                continue
        shown = text.strip() or f"*{names.get('empty', '')}*"
        parts.append(f"**{names[message.role]}**\n\n{shown}")
    if generating:
        parts.append(f"**{names['assistant']}**\n\n{streaming.strip()} ▍")
    return "\n\n---\n\n".join(parts)


def _set_markdown(view: QTextBrowser, text: str) -> None:
    bar = view.verticalScrollBar()
    at_end = bar.value() >= bar.maximum() - 4
    position = bar.value()
    view.setMarkdown(text)
    bar.setValue(bar.maximum() if at_end else position)
