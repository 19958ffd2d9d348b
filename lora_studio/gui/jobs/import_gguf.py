"""Importing a GGUF file as a model folder the engine trains: one import at a time."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from lora_studio.core import commands
from lora_studio.core import events as ev
from lora_studio.core.outcome import Outcome
from lora_studio.gui.jobs.worker import SingleJob
from lora_studio.gui.text import loading_text, message_text, outcome_text


class ImportJob(SingleJob):
    progress = Signal(str, float)  # what it does, in the UI language; fraction done
    done = Signal(bool, str, str)  # ok, what went wrong (UI language), the model folder

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.output = ""

    def start(self, gguf: str, output: str) -> bool:
        self.output = output
        return self.launch(commands.import_gguf(gguf, output))

    def _on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.Loading):
            self.progress.emit(
                loading_text(event.stage, event.message, event.progress), event.progress
            )

    def _on_finished(self, outcome: Outcome) -> None:
        if outcome.ok:
            self.done.emit(True, "", self.output)
            return
        title, details = outcome_text(outcome)
        problem = message_text(outcome.texts.get("message"), outcome.message)
        self.done.emit(False, problem or details or title, "")
