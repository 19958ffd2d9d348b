"""The local OpenAI-compatible API server (``main.py serve``) started from the Chat section."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from lora_studio.core import commands
from lora_studio.core import events as ev
from lora_studio.core.outcome import Outcome
from lora_studio.core.runs import ChatSource
from lora_studio.gui.jobs.worker import EngineJob


class ServeJob(QObject):
    """One server at a time; ``serving`` with its URL once it listens, ``ended`` when it stops."""

    loading = Signal(str, float)
    serving = Signal(str)  # the base URL
    ended = Signal(object)  # Outcome

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.job: EngineJob | None = None
        self.url = ""

    @property
    def running(self) -> bool:
        return self.job is not None

    def start(self, source: ChatSource, port: int) -> bool:
        if self.job is not None:
            return False
        self.job = EngineJob(
            commands.serve(port, source.model, source.adapter), self, stop_grace=5.0
        )
        self.job.event_received.connect(self._on_event)
        self.job.finished.connect(self._on_finished)
        self.job.start()
        return True

    def stop(self) -> None:
        if self.job is not None:
            self.job.stop()

    def _on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.Loading):
            self.loading.emit(event.message, event.progress)
        elif isinstance(event, ev.ChatReady) and event.url:
            self.url = event.url
            self.serving.emit(event.url)

    def _on_finished(self, outcome: Outcome) -> None:
        self.job = None
        self.url = ""
        self.ended.emit(outcome)
