"""One question and its answers in flight: the fine-tuned reply, and in Compare the base
model's, streamed token by token from the chat process; how each ended."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal

from lora_studio.core import events as ev
from lora_studio.core.generation_settings import GenerationSettings
from lora_studio.gui.jobs.chat import ChatProcess
from lora_studio.gui.text import translate

TUNED, BASE = "tuned", "base"


class Exchange(QObject):
    """The requests of one exchange; ``streamed`` for each token, ``answered`` with the tuned
    reply and its stats, ``finished`` once every side has answered, ``failed`` on an error."""

    streamed = Signal()
    answered = Signal(object, dict)  # ev.Reply, the stats kept with the message
    finished = Signal(str)  # the base model's reply ("" without Compare)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pending: dict[str, str] = {}  # request id -> TUNED / BASE
        self.streams: dict[str, str] = {TUNED: "", BASE: ""}
        self.base_reply = ""
        self.process: ChatProcess | None = None

    @property
    def busy(self) -> bool:
        return bool(self.pending)

    def waiting(self) -> set[str]:
        return set(self.pending.values())

    def attach(self, process: ChatProcess) -> None:
        self.process = process
        process.token.connect(self.on_token)
        process.reply.connect(self.on_reply)
        process.request_failed.connect(self.on_failed)

    def ask(self, messages: list[dict], settings: GenerationSettings, compare: bool) -> None:
        assert self.process is not None
        self.streams = {TUNED: "", BASE: ""}
        self.base_reply = ""
        self.pending[self.process.generate(messages, settings, adapter=True)] = TUNED
        if compare:
            self.pending[self.process.generate(messages, settings, adapter=False)] = BASE

    def cancel(self) -> None:
        if self.process is not None and self.pending:
            self.process.cancel()

    def on_token(self, request_id: str, text: str) -> None:
        side = self.pending.get(request_id)
        if side is not None:
            self.streams[side] += text
            self.streamed.emit()

    def on_reply(self, reply: ev.Reply) -> None:
        side = self.pending.pop(reply.id, None)
        if side is None:
            return
        self.streams[side] = ""
        if side == TUNED:
            stats = {
                "new_tokens": reply.new_tokens,
                "tokens_per_second": round(reply.tokens_per_second, 2),
                "first_token_seconds": reply.first_token_seconds,
                "finish_reason": reply.finish_reason,
                "at": time.time(),
            }
            self.answered.emit(reply, stats)
        else:
            self.base_reply = reply.text
        if not self.pending:
            self.finished.emit(self.base_reply)

    def on_failed(self, request_id: str, message: str) -> None:
        side = self.pending.pop(request_id, None)
        if side is None and request_id:
            return
        self.streams = {TUNED: "", BASE: ""}
        self.cancel()
        self.pending.clear()
        self.failed.emit(message)

    def abandon(self) -> str:
        """The process is going away: what the fine-tuned side had streamed so far."""
        partial = self.streams.get(TUNED, "") if self.pending else ""
        self.pending.clear()
        self.streams = {TUNED: "", BASE: ""}
        return partial


def reply_stats(reply: ev.Reply) -> tuple[str, str]:
    """(the stats line, a notice or "") for a finished reply."""
    parts = [translate("ChatPanel", "Tokens: %d") % reply.new_tokens]
    if reply.tokens_per_second:
        parts.append(translate("ChatPanel", "%.1f tokens/s") % reply.tokens_per_second)
    if reply.first_token_seconds is not None:
        parts.append(translate("ChatPanel", "first token after %.2f s") % reply.first_token_seconds)
    if reply.cancelled:
        parts.append(translate("ChatPanel", "stopped"))
    elif reply.finish_reason == "length":
        parts.append(translate("ChatPanel", "cut at the token limit"))
    notice = ""
    if reply.dropped_turns:
        notice = (
            translate(
                "ChatPanel",
                "The conversation is longer than the model's context: the %d oldest "
                "messages were left out of the prompt.",
            )
            % reply.dropped_turns
        )
    return " · ".join(parts), notice
