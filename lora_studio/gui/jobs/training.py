"""One training run from the GUI: starts ``main.py train`` and, on out-of-memory, walks the ladder.

Each attempt is a separate engine process. After an out-of-memory error the next rung of
``core.oom_ladder`` is tried, resuming from the last checkpoint when there is one (a lower LoRA
rank cannot resume: its weights have another shape, so that rung starts over).
"""

from __future__ import annotations

import dataclasses
import os
import tempfile

from PySide6.QtCore import QObject, Signal

from lora_studio.core import commands
from lora_studio.core import events as ev
from lora_studio.core.config import RunConfig
from lora_studio.core.oom_ladder import next_rung
from lora_studio.core.outcome import Outcome
from lora_studio.core.runs import last_checkpoint
from lora_studio.gui.jobs.worker import EngineJob


@dataclasses.dataclass
class Attempt:
    config: RunConfig
    resume: bool
    rung: str = ""  # ladder code of the change that led to this attempt


class TrainingSession(QObject):
    event_received = Signal(object)
    log_received = Signal(str)
    retrying = Signal(str, str)  # rung code, description
    finished = Signal(object)  # Outcome of the last attempt

    def __init__(
        self,
        config: RunConfig,
        resume: bool = False,
        oom_recovery: bool = True,
        command_factory: commands.TrainCommand = commands.train,
        parent: QObject | None = None,
        **worker_options,
    ) -> None:
        super().__init__(parent)
        self.config = config
        self.oom_recovery = oom_recovery
        self.command_factory = command_factory
        self.worker_options = worker_options
        self.attempts: list[Attempt] = [Attempt(config, resume)]
        self.job: EngineJob | None = None
        self._stopping = False
        self._tmp = tempfile.mkdtemp(prefix="lora-studio-")

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    def start(self) -> None:
        self._launch(self.attempts[-1])

    def stop(self) -> None:
        self._stopping = True
        if self.job is not None:
            self.job.stop()

    def _launch(self, attempt: Attempt) -> None:
        path = os.path.join(self._tmp, f"attempt-{len(self.attempts)}.json")
        attempt.config.save(path)
        self.job = EngineJob(
            self.command_factory(path, attempt.resume), self, **self.worker_options
        )
        self.job.event_received.connect(self.event_received)
        self.job.log_received.connect(self.log_received)
        self.job.finished.connect(self._on_finished)
        self.job.start()

    def _on_finished(self, outcome: Outcome) -> None:
        if (
            outcome.error_kind == ev.ErrorKind.OUT_OF_MEMORY
            and self.oom_recovery
            and not self._stopping
        ):
            rung = next_rung(self.attempts[-1].config)
            if rung is not None:
                can_resume = self._has_checkpoint() and rung.code != "lower_rank"
                self.attempts.append(Attempt(rung.config, can_resume, rung.code))
                self.retrying.emit(rung.code, rung.change)
                self._launch(self.attempts[-1])
                return
        self._cleanup()
        self.finished.emit(outcome)

    def _has_checkpoint(self) -> bool:
        return last_checkpoint(self.config.output_dir) is not None

    def _cleanup(self) -> None:
        for name in os.listdir(self._tmp):
            try:
                os.remove(os.path.join(self._tmp, name))
            except OSError:
                pass
        try:
            os.rmdir(self._tmp)
        except OSError:
            pass
