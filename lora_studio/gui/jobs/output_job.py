"""An engine job that makes one thing on disk (a merged model, an export, an imported model):
one at a time, its loading steps as progress, its ending as ``done(ok, problem, output)``."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from lora_studio.core import events as ev
from lora_studio.core.outcome import Outcome
from lora_studio.gui.jobs.worker import SingleJob
from lora_studio.gui.text import loading_text, message_text, outcome_text


class OutputJob(SingleJob):
    progress = Signal(str, float)  # what it does, in the UI language; fraction done
    done = Signal(bool, str, str)  # ok, what went wrong (UI language), the result's path

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.output = ""

    def launch_for(self, command: list[str], output: str, **worker_options) -> bool:
        """Start ``command``, which makes ``output``; False when one already runs.
        ``worker_options`` go to the EngineWorker (``env``: a secret kept off the command
        line)."""
        if self.running:
            return False
        self.output = output
        return self.launch(command, **worker_options)

    def _on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.Loading):
            self.progress.emit(
                loading_text(event.stage, event.message, event.progress), event.progress
            )

    def _on_finished(self, outcome: Outcome) -> None:
        if outcome.ok:
            made = outcome.finished.output if outcome.finished else ""
            self.done.emit(True, "", made or self.output)
        else:
            self.done.emit(False, failure_text(outcome), self.output)


def failure_text(outcome: Outcome) -> str:
    """The engine's own message in the UI language when it sent one as a Text, with what to do
    about it; else the translated explanation of how the job ended."""
    title, details = outcome_text(outcome)
    if outcome.texts:
        message = message_text(outcome.texts.get("message"), outcome.message) or title
        hint = message_text(outcome.texts.get("hint"), outcome.hint)
        return f"{message} {hint}".strip()
    return details or title
