"""The local OpenAI-compatible API server (``main.py serve``) started from the Chat section."""

from __future__ import annotations

from secrets import token_urlsafe

from PySide6.QtCore import QObject, Signal

from lora_studio.core import commands, secrets
from lora_studio.core import events as ev
from lora_studio.core.outcome import Outcome
from lora_studio.core.runs import ChatSource
from lora_studio.gui.jobs.worker import SingleJob
from lora_studio.gui.text import loading_text

KEY_ACCOUNT = secrets.API_SERVER_ACCOUNT


def api_key() -> str:
    """The key of this computer's API server: made once and kept in the keyring, so clients
    set up once keep working; without a keyring, a new key for each session."""
    key = secrets.load_key(KEY_ACCOUNT)
    if not key:
        key = "sk-local-" + token_urlsafe(24)
        secrets.save_key(KEY_ACCOUNT, key)
    return key


class ServeJob(SingleJob):
    """One server at a time; ``serving`` with its URL once it listens, ``ended`` when it stops."""

    loading = Signal(str, float)
    serving = Signal(str)  # the base URL
    ended = Signal(object)  # Outcome

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.url = ""
        self.key = ""

    def start(self, source: ChatSource, port: int) -> bool:
        """Serve ``source``; clients must send ``self.key``, which reaches the server through
        its environment (a command line is visible to every user of the computer)."""
        self.key = api_key()
        command = commands.serve(port, source.model, source.adapter)
        return self.launch(command, stop_grace=5.0, env={commands.API_KEY_ENV: self.key})

    def _on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.Loading):
            self.loading.emit(
                loading_text(event.stage, event.message, event.progress), event.progress
            )
        elif isinstance(event, ev.ChatReady) and event.url:
            self.url = event.url
            self.serving.emit(event.url)

    def _on_finished(self, outcome: Outcome) -> None:
        self.url = ""
        self.ended.emit(outcome)
