"""Exporting a run (GGUF, Ollama, PEFT): one export at a time, its progress and its ending."""

from __future__ import annotations

from PySide6.QtCore import Signal

from lora_studio.core import commands
from lora_studio.core import events as ev
from lora_studio.core.export_plan import ExportPlan
from lora_studio.core.outcome import Outcome
from lora_studio.gui.jobs.worker import SingleJob
from lora_studio.gui.text import loading_text, message_text, outcome_text


class ExportJob(SingleJob):
    progress = Signal(str, float)  # what it does, in the UI language; fraction done
    done = Signal(bool, str, str)  # ok, what went wrong (UI language), the result's path

    def start(self, plan: ExportPlan) -> bool:
        return self.launch(commands.export(plan.run_dir, plan.fmt, plan.quant, plan.output))

    def _on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.Loading):
            self.progress.emit(
                loading_text(event.stage, event.message, event.progress), event.progress
            )

    def _on_finished(self, outcome: Outcome) -> None:
        if outcome.ok:
            output = outcome.finished.output if outcome.finished else ""
            self.done.emit(True, "", output)
            return
        title, details = outcome_text(outcome)
        problem = message_text(outcome.texts.get("message"), outcome.message) or title
        self.done.emit(False, problem if outcome.texts else details or title, "")
