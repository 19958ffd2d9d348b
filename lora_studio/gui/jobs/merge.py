"""Merging a run's adapter into its ``merged/`` model: the one flow that Runs and Chat share."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Signal

from lora_studio.core import commands
from lora_studio.core import events as ev
from lora_studio.core.outcome import Outcome
from lora_studio.core.runs import MERGED_DIR
from lora_studio.gui.jobs.worker import SingleJob
from lora_studio.gui.text import loading_text, message_text, outcome_text


class MergeJob(SingleJob):
    """One merge at a time; says how far it got and how it ended."""

    progress = Signal(str, float)  # the engine's message, fraction done
    done = Signal(bool, str, str)  # ok, what went wrong (translated title or engine text), output

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.output = ""

    def start(self, run_dir: str) -> bool:
        """Merge ``run_dir``'s adapter into ``run_dir/merged``; False when one already runs."""
        if self.running:
            return False
        self.output = os.path.join(run_dir, MERGED_DIR)
        return self.launch(commands.merge(run_dir, self.output))

    def _on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.Loading):
            self.progress.emit(
                loading_text(event.stage, event.message, event.progress), event.progress
            )

    def _on_finished(self, outcome: Outcome) -> None:
        problem = ""
        if not outcome.ok:
            title, _details = outcome_text(outcome)
            problem = message_text(outcome.texts.get("message"), outcome.message) or title
        self.done.emit(outcome.ok, problem, self.output)
