"""Supervises one engine child process from a QThread and turns its output into signals.

The child speaks JSON lines (``docs/events.md``). Reader threads buffer its stdout and stderr;
the worker parses each complete line into an event (anything else is log text), asks it to stop
with a ``stop`` line on stdin, then terminates, then kills it, each after a grace period, and
reports every way it can end as one ``Outcome``. Nothing here blocks the GUI thread.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections import deque

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal

from lora_studio.core import events as ev
from lora_studio.core.outcome import Outcome, Status, decide
from lora_studio.core.paths import no_window_flags


def child_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, **(extra or {})}
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONUTF8"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    return env


class EngineWorker(QObject):
    """Runs one command to its end. Create it, move it to a QThread, and start the thread."""

    event_received = Signal(object)  # a lora_studio.core.events.Event
    log_received = Signal(str)
    finished = Signal(object)  # an Outcome

    def __init__(
        self,
        command: list[str],
        stop_grace: float = 120.0,
        terminate_grace: float = 10.0,
        cwd: str | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.command = command
        self.env = env or {}  # added to the child's environment (a secret the command line
        # would show to every local user, say)
        self.stop_grace = stop_grace
        self.terminate_grace = terminate_grace
        self.cwd = cwd
        self._stop = threading.Event()
        self._stdin_lock = threading.Lock()
        self.process: subprocess.Popen | None = None

    def request_stop(self) -> None:
        """Thread-safe: ask the child to save and stop; escalate if it does not."""
        self._stop.set()

    def send_line(self, text: str) -> bool:
        """Thread-safe: write one line to the child's stdin (a request to a chat process)."""
        proc = self.process
        if proc is None or proc.poll() is not None:
            return False
        with self._stdin_lock:
            try:
                proc.stdin.write(text.encode("utf-8") + b"\n")
                proc.stdin.flush()
            except (OSError, ValueError):
                return False
        return True

    # -- runs in the worker thread ------------------------------------------------------------
    def run(self) -> None:
        try:
            outcome = self._supervise()
        except Exception as exc:  # noqa: BLE001 - the GUI must always get an outcome
            outcome = Outcome(Status.CRASHED, f"Supervising the engine failed: {exc}", "")
        self.finished.emit(outcome)
        # The thread ends here, not when its owner hears of it: an owner deleted mid-run (a
        # closed window) would otherwise leave the thread's event loop running for ever.
        thread = QThread.currentThread()
        if thread is not QCoreApplication.instance().thread():
            thread.quit()

    def _start(self) -> subprocess.Popen:
        kwargs: dict = {}
        if sys.platform == "win32":
            kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | no_window_flags()
        else:
            kwargs["start_new_session"] = True  # its own process group: Ctrl-C in a terminal
        proc = subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=self.cwd,
            env=child_environment(self.env),
            **kwargs,
        )
        _lower_priority(proc.pid)
        return proc

    def _supervise(self) -> Outcome:
        try:
            self.process = proc = self._start()
        except OSError as exc:
            return Outcome(
                Status.FAILED_TO_START,
                f"The engine could not be started: {exc.strerror or exc}.",
                "Reinstall LoRA Studio, or check that the program files are complete.",
            )
        lines: queue.Queue = queue.Queue()
        stderr_tail: deque[str] = deque(maxlen=20)
        readers = [
            threading.Thread(target=_read_lines, args=(stream, name, lines), daemon=True)
            for stream, name in ((proc.stdout, "out"), (proc.stderr, "err"))
        ]
        for reader in readers:
            reader.start()
        last_error: ev.Error | None = None
        finished: ev.Finished | None = None
        asked_at = terminated_at = None
        forced = False
        open_streams = 2
        while open_streams or proc.poll() is None:
            now = time.monotonic()
            if self._stop.is_set() and asked_at is None:
                asked_at = now
                with self._stdin_lock:
                    _write_stop(proc)
            if asked_at is not None and terminated_at is None and now - asked_at > self.stop_grace:
                terminated_at, forced = now, True
                _signal_group(proc, kill=False)
            if terminated_at is not None and now - terminated_at > self.terminate_grace:
                _signal_group(proc, kill=True)
                terminated_at = float("inf")  # killed: nothing further to escalate
            try:
                name, line = lines.get(timeout=0.05)
            except queue.Empty:
                continue
            if line is None:
                open_streams -= 1
                continue
            if name == "err":
                stderr_tail.append(line)
                self.log_received.emit(line)
                continue
            event = ev.parse_line(line)
            if event is None:
                self.log_received.emit(line)
                continue
            if isinstance(event, ev.Error):
                last_error = event
            elif isinstance(event, ev.Finished):
                finished = event
            self.event_received.emit(event)
        code = proc.wait()
        return decide(code, last_error, finished, forced, "\n".join(stderr_tail))


ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _read_lines(stream, name: str, out: queue.Queue) -> None:
    """Complete lines only: a partial line waits in the buffer until its newline arrives.
    Terminal colour codes (which libraries add to their logs) are removed."""
    try:
        for raw in iter(stream.readline, b""):
            text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            out.put((name, ANSI_ESCAPE.sub("", text)))
    except (OSError, ValueError):
        pass
    finally:
        out.put((name, None))


def _lower_priority(pid: int) -> None:
    """The engine uses every core it can get; at a lower priority it still does when the machine
    is otherwise idle, but the window (and the rest of the desktop) stays responsive."""
    try:
        import psutil

        process = psutil.Process(pid)
        if sys.platform == "win32":
            process.nice(psutil.BELOW_NORMAL_PRIORITY_CLASS)
        else:
            process.nice(10)
    except Exception:  # noqa: BLE001 - only a courtesy; the child may already have exited
        pass


def _write_stop(proc: subprocess.Popen) -> None:
    try:
        proc.stdin.write(b"stop\n")
        proc.stdin.flush()
    except (OSError, ValueError):  # already gone
        pass


def _signal_group(proc: subprocess.Popen, kill: bool) -> None:
    if proc.poll() is not None:
        return
    try:
        if sys.platform == "win32":
            # CTRL_BREAK reaches the child's own process group; the engine treats it as a stop
            # request (checkpoint, adapter, final event), like SIGTERM elsewhere.
            proc.kill() if kill else proc.send_signal(signal.CTRL_BREAK_EVENT)
        else:
            os.killpg(proc.pid, signal.SIGKILL if kill else signal.SIGTERM)
    except (ProcessLookupError, PermissionError, OSError):
        pass


class _Keeper(QObject):
    """Holds every started job's thread and worker until the thread has ended.

    A QThread whose Python wrapper is collected while it runs aborts the whole app ("QThread:
    Destroyed while thread is still running"): that happens when the widget owning a job is
    deleted mid-run (a window closed while a merge runs). Kept here, the thread ends on its own
    and is let go in the GUI thread afterwards; ``stop_all`` ends them all at quit.
    """

    def __init__(self) -> None:
        super().__init__()
        self.live: dict[int, tuple[QThread, EngineWorker]] = {}

    def keep(self, thread: QThread, worker: EngineWorker) -> None:
        self.live[id(thread)] = (thread, worker)
        thread.finished.connect(self._release, Qt.ConnectionType.QueuedConnection)

    def _release(self) -> None:
        thread = self.sender()
        kept = self.live.pop(id(thread), None)
        if kept is not None:
            kept[0].wait()  # it has finished: returns at once


_keeper: _Keeper | None = None


def _the_keeper() -> _Keeper:
    global _keeper
    if _keeper is None:
        _keeper = _Keeper()
    return _keeper


def running_jobs() -> int:
    """Engine jobs whose thread still runs (a test hook for stray threads)."""
    return sum(1 for thread, _worker in _the_keeper().live.values() if thread.isRunning())


def stop_all(wait_ms: int = 30_000) -> bool:
    """Ask every running job to stop and wait for their threads (at quit); True when all
    ended in time (a child that ignores stop is terminated, then killed, by its worker)."""
    live = list(_the_keeper().live.values())
    for _thread, worker in live:
        worker.stop_grace = min(worker.stop_grace, wait_ms / 3000)
        worker.terminate_grace = min(worker.terminate_grace, wait_ms / 3000)
        worker.request_stop()
    deadline = time.monotonic() + wait_ms / 1000
    ended = True
    for thread, _worker in live:
        left = max(0, int((deadline - time.monotonic()) * 1000))
        ended = thread.wait(left) and ended
    return ended


class EngineJob(QObject):
    """Owns a worker and its thread for the GUI thread; emits in the GUI thread."""

    event_received = Signal(object)
    log_received = Signal(str)
    finished = Signal(object)

    def __init__(self, command: list[str], parent: QObject | None = None, **worker_options) -> None:
        super().__init__(parent)
        self.thread = QThread()
        self.worker = EngineWorker(command, **worker_options)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.event_received.connect(self.event_received)
        self.worker.log_received.connect(self.log_received)
        self.worker.finished.connect(self._on_worker_finished)
        self.thread.finished.connect(self._on_thread_finished)
        self.running = False
        self._outcome: Outcome | None = None

    def start(self) -> None:
        self.running = True
        _the_keeper().keep(self.thread, self.worker)
        self.thread.start()

    def stop(self) -> None:
        self.worker.request_stop()

    def _on_worker_finished(self, outcome: Outcome) -> None:
        self._outcome = outcome
        self.thread.quit()  # finished fires once the thread's loop has ended; no join here

    def _on_thread_finished(self) -> None:
        self.running = False
        self.finished.emit(self._outcome)


class SingleJob(QObject):
    """At most one engine job of a kind at a time (a merge, a server): ``launch`` refuses a
    second while one runs; subclasses read its events and its ending."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.job: EngineJob | None = None

    @property
    def running(self) -> bool:
        return self.job is not None

    def launch(self, command: list[str], **worker_options) -> bool:
        if self.job is not None:
            return False
        self.job = EngineJob(command, self, **worker_options)
        self.job.event_received.connect(self._on_event)
        self.job.finished.connect(self._finished)
        self.job.start()
        return True

    def stop(self) -> None:
        if self.job is not None:
            self.job.stop()

    def _finished(self, outcome: Outcome) -> None:
        self.job = None
        self._on_finished(outcome)

    def _on_event(self, event: ev.Event) -> None:
        pass

    def _on_finished(self, outcome: Outcome) -> None:
        pass
