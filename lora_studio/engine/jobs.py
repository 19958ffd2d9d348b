"""What every engine command shares: running a job so that each failure becomes one error event,
and the stop request that a training job checks after each step.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from lora_studio.core import events as ev
from lora_studio.core.runs import EVENTS_FILE

# Signals that mean "stop, but keep the work": Ctrl-C, the GUI's (or a service manager's) SIGTERM,
# and CTRL_BREAK on Windows, where the GUI starts the engine in its own process group.
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGBREAK") if hasattr(signal, name)
)


class StopRequest:
    """Set by a ``stop`` line on stdin, or by SIGINT / SIGTERM / CTRL_BREAK; checked by the
    trainer after each step, which then saves a checkpoint and the adapter and ends."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.installed = False

    def install(self) -> None:
        self.install_signals()
        if sys.stdin is not None and not sys.stdin.closed:
            threading.Thread(target=self._read_stdin, name="stop-reader", daemon=True).start()
        self.installed = True

    def install_signals(self) -> None:
        """Take SIGINT / SIGTERM / CTRL_BREAK. Called again once Paddle is imported: its core
        installs its own SIGTERM handler at import, which would end the process at once."""
        for number in STOP_SIGNALS:
            try:
                signal.signal(number, self._on_signal)
            except (ValueError, OSError):  # not the main thread (tests calling run_train)
                pass

    def _on_signal(self, signum: int, frame: Any) -> None:
        if self.event.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt  # a second Ctrl-C: the user wants out now
        # A repeated SIGTERM (a supervisor that grew impatient) must not cut the checkpoint
        # that the first one asked for; SIGKILL is there for that.
        self.event.set()

    def _read_stdin(self) -> None:
        try:
            for line in sys.stdin:
                if line.strip().lower() == "stop":
                    self.event.set()
                    return
        except (OSError, ValueError):
            return

    def is_set(self) -> bool:
        return self.event.is_set()


def run_job(
    reporter: Any, job: Callable[[], Any], run_dir: str = "", quiet_success: bool = False
) -> int:
    """Run an engine job; every failure becomes one error event and exit code 1."""
    from lora_studio.engine.errors import EngineError, classify

    try:
        finished = job()
    except KeyboardInterrupt:
        reporter.emit(
            ev.Error(
                kind="interrupted", message="Interrupted.", hint="Resume the run with --resume."
            )
        )
        return 130
    except EngineError as exc:
        if not exc.leaves_run_dir_alone:
            _write_error_to_new_run_dir(reporter, run_dir)
        reporter.emit(exc.event())
        return 1
    except Exception as exc:  # noqa: BLE001 - the user gets a message, never a traceback
        import traceback

        error = classify(exc)
        if error.kind == "internal":
            error.detail = traceback.format_exc()
        reporter.emit(error.event())
        return 1
    if finished is not None and (reporter.jsonl or not quiet_success):
        reporter.emit(finished)
    reporter.close_log()
    return 0


def _write_error_to_new_run_dir(reporter: Any, run_dir: str) -> None:
    """A run that failed before it began leaves its run folder holding only the error event."""
    if not run_dir or reporter._log is not None:
        return
    if os.path.isdir(run_dir) and os.listdir(run_dir):
        return  # never append to another run's log
    try:
        os.makedirs(run_dir, exist_ok=True)
        reporter.attach_log(os.path.join(run_dir, EVENTS_FILE))
    except OSError:
        pass
