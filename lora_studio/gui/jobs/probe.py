"""Detecting the hardware: NVML and system figures at once, the Paddle build probed in a child
process (``main.py probe``, a second or two) through the same supervisor as every engine job.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Signal

from lora_studio.core import commands, hardware, planner
from lora_studio.core.outcome import Outcome, Status
from lora_studio.core.settings import AppSettings
from lora_studio.gui.jobs.worker import EngineJob


class Detection(QObject):
    """NVML and system figures at once; the Paddle probe in a child process, then ``done``."""

    done = Signal()

    def __init__(self, settings: AppSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.reading = hardware.GpuReading()
        self.system: hardware.SystemInfo | None = None
        self.probe: hardware.PaddleProbe | None = None
        self.job: EngineJob | None = None
        self._lines: list[str] = []
        if parent is not None:  # a probe still running when the window goes is ended first
            parent.destroyed.connect(lambda *_: self.shutdown())

    @property
    def running(self) -> bool:
        return self.job is not None

    def start(self, command: list[str] | None = None) -> None:
        if self.job is not None:
            return
        self.reading = hardware.read_gpus()
        self.system = hardware.system_info(self.settings.runs_dir)
        self.probe = None
        self._lines = []
        # the probe reads nothing from stdin: a stop request goes straight to terminating it
        self.job = EngineJob(command or commands.probe(), self, stop_grace=0.0, terminate_grace=2.0)
        self.job.log_received.connect(self._lines.append)
        self.job.finished.connect(self._finished)
        self.job.start()

    def _finished(self, outcome: Outcome) -> None:
        self.job = None
        if outcome.status == Status.FAILED_TO_START:
            self.probe = hardware.PaddleProbe(problem="The Paddle probe could not start.")
        else:
            self.probe = hardware.parse_probe_output("\n".join(self._lines))
            if self.probe is None:
                self.probe = hardware.PaddleProbe(problem="The Paddle probe gave no answer.")
        self.done.emit()

    def shutdown(self, msecs: int = 5000) -> None:
        """End a probe still running (the window is closing) and wait until it has."""
        if self.job is not None:
            self.job.stop()
        self.wait(msecs)

    def wait(self, msecs: int = 60_000) -> None:
        """Block until the probe has answered (for scripts and tests)."""
        deadline = time.monotonic() + msecs / 1000
        while self.job is not None and time.monotonic() < deadline:
            self.job.thread.wait(20)
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    def machine(self) -> planner.Machine:
        return planner.detected_machine(self.reading, self.probe, self.system)
