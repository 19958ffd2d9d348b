""" "Try it with the demo": the demo data in the editor, the demo recipe in the Training form, a
run, then Chat with Compare on its result, each step through the sections' intent methods."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from lora_studio.core.outcome import Outcome
from lora_studio.core.paths import demo_dataset_path
from lora_studio.core.training_data import load_records

FIRST_QUESTION = 0  # "Hello, who are you?": the base model says it is SmolLM, the tuned one not


class DemoTour(QObject):
    finished = Signal(bool)  # True once Chat is loading the tuned model with Compare on

    def __init__(self, window: Any, parent: QObject | None = None, **overrides: Any) -> None:
        super().__init__(parent)
        self.window = window
        self.overrides = overrides  # RunConfig fields (tests run a short demo)
        self.run_dir = ""

    def start(self) -> bool:
        window = self.window
        dataset = demo_dataset_path()
        window.show_section("dataset")
        if not window.dataset.open_path(dataset):  # unsaved edits kept: the user said Cancel
            self.finished.emit(False)
            return False
        window.training.prepare_demo(dataset, **self.overrides)
        window.show_section("training")
        window.training.run_finished.connect(self._trained)
        if not window.training.start():
            window.training.run_finished.disconnect(self._trained)
            self.finished.emit(False)
            return False
        return True

    def _trained(self, outcome: Outcome, run_dir: str) -> None:
        self.window.training.run_finished.disconnect(self._trained)
        if not outcome.ok:
            self.finished.emit(False)  # the Training section shows why
            return
        self.run_dir = run_dir
        chat = self.window.chat
        self.window.show_section("chat")
        chat.select_run(run_dir)
        chat.set_compare(True)
        chat.load()
        record = load_records(demo_dataset_path())[FIRST_QUESTION]
        chat.input.setPlainText(record.prompt)  # press Send to see both answers
        self.finished.emit(True)
