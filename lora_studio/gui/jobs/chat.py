"""The GUI's handle on a persistent chat process (``main.py chat --events jsonl``).

Load starts the process (the model stays loaded between messages); ``generate`` sends a request
and the reply streams back as ``token`` signals followed by one ``reply``; Unload ends the process
and frees its memory. The process is supervised like a training run: a crash becomes an outcome.
"""

from __future__ import annotations

import json
import uuid

from PySide6.QtCore import QObject, Signal

from lora_studio.core import commands
from lora_studio.core import events as ev
from lora_studio.core.generation_settings import GenerationSettings
from lora_studio.gui.jobs.worker import EngineJob


class ChatProcess(QObject):
    loading = Signal(str, str, float)  # stage, the engine's (English) message, progress
    ready = Signal(object)  # ChatReady
    token = Signal(str, str)  # request id, text
    reply = Signal(object)  # Reply
    request_failed = Signal(str, str)  # request id, message
    finished = Signal(object)  # Outcome: the process is gone (unloaded, crashed, failed to load)

    def __init__(
        self,
        model: str,
        adapter: str = "",
        parent: QObject | None = None,
        command: list[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.job = EngineJob(
            command or commands.chat(model, adapter), self, stop_grace=5.0, terminate_grace=5.0
        )
        self.job.event_received.connect(self._on_event)
        self.job.finished.connect(self.finished)
        self.is_ready = False
        self.info: ev.ChatReady | None = None

    def start(self) -> None:
        self.job.start()

    @property
    def running(self) -> bool:
        return self.job.running

    def generate(
        self,
        messages: list[dict[str, str]],
        settings: GenerationSettings,
        adapter: bool = True,
        request_id: str = "",
    ) -> str:
        request_id = request_id or uuid.uuid4().hex[:8]
        sent = self.job.worker.send_line(
            json.dumps(
                {
                    "op": "generate",
                    "id": request_id,
                    "messages": messages,
                    "settings": settings.to_dict(),
                    "adapter": adapter,
                },
                ensure_ascii=False,
            )
        )
        if not sent:
            self.request_failed.emit(request_id, "The chat process is not running.")
        return request_id

    def cancel(self) -> None:
        self.job.worker.send_line('{"op": "cancel"}')

    def stop(self) -> None:
        """Unload: cancel the reply in progress, quit, and the worker escalates if the process
        does not end. ``finished`` follows once it has ended."""
        self.job.worker.send_line('{"op": "cancel"}')
        self.job.worker.send_line('{"op": "quit"}')
        self.job.stop()

    def _on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.Token):
            self.token.emit(event.id, event.text)
        elif isinstance(event, ev.Reply):
            self.reply.emit(event)
        elif isinstance(event, ev.ChatReady):
            self.is_ready = True
            self.info = event
            self.ready.emit(event)
        elif isinstance(event, ev.Loading):
            self.loading.emit(event.stage, event.message, event.progress)
        elif isinstance(event, ev.Error) and event.kind == "bad_request":
            self.request_failed.emit(event.detail, event.message)
