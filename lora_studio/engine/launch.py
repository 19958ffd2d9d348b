"""``main.py train --nproc_per_node N``: the same training in N processes on this machine.

This process supervises ``python -m paddle.distributed.launch`` (``core/commands.launch``), which
starts one ``main.py train`` per device (``engine/distributed.py`` says what each does). The
user, or the GUI, talks to this process exactly as to a one-process run:

- rank 0's events arrive on stdout (the launcher echoes rank 0's output; other lines go to
  ``logs/launcher.log``), and rank 0 writes the run folder;
- ``stop`` on stdin, Ctrl-C or SIGTERM reach the ranks as a ``stop`` line on their shared stdin:
  one rank reading it is enough, since the ranks agree on stopping every step; a second Ctrl-C
  ends the launcher at once;
- when a rank fails, the launcher ends the others within seconds, and this process emits one
  error event naming the rank and its cause (its own error event, or the signal that ended it),
  also appended to the run's ``events.jsonl``. Every rank's log stays in the run's ``logs/``.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import IO, Any

from lora_studio.core import commands, messages, runs
from lora_studio.core import events as ev
from lora_studio.core.events import ErrorKind
from lora_studio.core.messages import as_text, say
from lora_studio.core.paths import no_window_flags
from lora_studio.engine.errors import EngineError

LOGS = runs.LOGS
LAUNCHER_LOG = "launcher.log"
# "Container rank 1 status failed cmd [...] code -9 log /run/logs/workerlog.1"
_FAILED = re.compile(r"Container rank (\d+) status failed .* code (-?\d+) log")
# the launcher's copies of the whole environment (tokens included): not kept
_ENV_COPIES = re.compile(r"^(backup_env\.\d+\.json|envlog\.\d+)$")


@dataclass
class RankFailure:
    rank: int
    code: int


def worker_log(run_dir: str, rank: int) -> str:
    return os.path.join(run_dir, LOGS, f"workerlog.{rank}")


def check_platform(nproc: int) -> None:
    if sys.platform == "win32" and nproc > 1:
        raise EngineError(
            ErrorKind.UNSUPPORTED,
            say(
                "Training in several processes needs PaddlePaddle's distributed launcher (NCCL "
                "or gloo), which it ships for Linux only."
            ),
            say("On Windows, train in one process (one GPU); on several GPUs, use Linux."),
        )


def run_launched(
    argv: list[str], run_dir: str, nproc: int, reporter: Any, stop_signals: bool = True
) -> int:
    """Run ``main.py ARGV`` (a ``train`` command line) under the launcher; the exit code."""
    check_platform(nproc)
    logs = os.path.join(run_dir, LOGS)
    os.makedirs(logs, exist_ok=True)
    command = commands.launch(nproc, logs, [*argv, *commands.EVENTS])
    launcher_log = open(os.path.join(logs, LAUNCHER_LOG), "a", encoding="utf-8")
    proc = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        bufsize=1,
        preexec_fn=_end_with_parent if sys.platform.startswith("linux") else None,
        creationflags=no_window_flags(),
    )
    relay = _Relay(proc, reporter, launcher_log)
    watch = RankWatch(run_dir, nproc)
    threading.Thread(target=watch.run, args=(proc,), name="rank-watch", daemon=True).start()
    if stop_signals:
        relay.take_signals()
    threading.Thread(target=relay.forward_stdin, name="stdin-relay", daemon=True).start()
    err_reader = threading.Thread(target=relay.read_stderr, name="launcher-stderr", daemon=True)
    err_reader.start()
    relay.read_stdout()
    code = proc.wait()
    err_reader.join(timeout=5)
    launcher_log.close()
    _drop_env_copies(logs)
    if code == 0:
        return 0
    relay.failure = watch.culprit(run_dir) or relay.failure
    error = relay.failure_event(run_dir, nproc)
    reporter.emit(error)
    _append_to_run_log(run_dir, error)
    return 1


def _end_with_parent() -> None:
    """In the launcher, before it starts: SIGTERM when this supervisor dies, however it dies
    (the app killed, a crash), so that no rank trains on unwatched; the launcher passes the
    SIGTERM on, and the ranks stop with a checkpoint as on any stop request."""
    import ctypes

    PR_SET_PDEATHSIG = 1  # noqa: N806 - the C constant's name
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


class _Relay:
    def __init__(self, proc: subprocess.Popen, reporter: Any, log: IO[str]) -> None:
        self.proc = proc
        self.reporter = reporter
        self.log = log
        self.lock = threading.Lock()
        self.failure: RankFailure | None = None
        self.rank0_error: ev.Error | None = None
        self.stopping = False

    # ---- in: stop requests --------------------------------------------------------------------
    def take_signals(self) -> None:
        for name in ("SIGINT", "SIGTERM"):
            try:
                signal.signal(getattr(signal, name), self._on_signal)
            except (ValueError, OSError):  # not the main thread
                pass

    def _on_signal(self, signum: int, frame: Any) -> None:
        if self.stopping and signum == signal.SIGINT:
            self.proc.terminate()  # a second Ctrl-C: end the launcher (and the ranks) now
            return
        self.request_stop()

    def request_stop(self) -> None:
        self.stopping = True
        self._to_ranks("stop")

    def _to_ranks(self, line: str) -> None:
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
        except (OSError, ValueError):
            pass

    def forward_stdin(self) -> None:
        if sys.stdin is None or sys.stdin.closed:
            return
        try:
            for line in sys.stdin:
                if line.strip().lower() == "stop":
                    self.request_stop()
                    return
        except (OSError, ValueError):
            return

    # ---- out: rank 0's events, the launcher's words -------------------------------------------
    def read_stdout(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            event = ev.parse_line(line)
            if isinstance(event, ev.Error):
                self.rank0_error = event  # said once the launcher tells whose failure it was
            elif event is not None:
                self.reporter.emit(event)
            else:
                self._log(line)

    def read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._log(line)
            found = _FAILED.search(line)
            if found and self.failure is None:
                self.failure = RankFailure(int(found.group(1)), int(found.group(2)))

    def _log(self, line: str) -> None:
        with self.lock:
            self.log.write(line if line.endswith("\n") else line + "\n")
            self.log.flush()

    # ---- the ending ---------------------------------------------------------------------------
    def failure_event(self, run_dir: str, nproc: int) -> ev.Error:
        failure = self.failure
        if failure is None or failure.rank == 0:
            if self.rank0_error is not None:
                return self.rank0_error
            failure = failure or RankFailure(0, self.proc.returncode or 1)
        own = _last_error(worker_log(run_dir, failure.rank))
        if own is not None and failure.rank == 0:
            return own
        if own is not None:
            said = messages.from_dict(own.texts.get("message")) or as_text(own.message)
            hint = messages.from_dict(own.texts.get("hint")) or as_text(own.hint)
            return EngineError(
                own.kind,
                say(
                    "Process {rank} of {count} failed, and the job was ended: {message}",
                    rank=failure.rank,
                    count=nproc,
                    message=said,
                ),
                hint,
                own.detail,
            ).event()
        return EngineError(
            ErrorKind.INTERNAL,
            say(
                "Process {rank} of {count} ended with {cause}, and the job was ended.",
                rank=failure.rank,
                count=nproc,
                cause=_cause(failure.code),
            ),
            say(
                "Its log is {log}. A process killed with signal 9 is most often the system "
                "running out of memory: lower the micro-batch or the sequence length. The run "
                "resumes from its last complete checkpoint with --resume.",
                log=worker_log(run_dir, failure.rank),
            ),
        ).event()


class RankWatch:
    """When each rank died, and of what, seen from outside (Linux ``/proc``).

    The launcher names the first failed rank in its own order, not in time: a rank killed with
    SIGKILL takes its peers down within milliseconds (gloo aborts on a closed connection, NCCL
    times out), and the launcher, polling every two seconds, may then blame rank 0. A dead rank
    stays a zombie until the launcher reaps it, and a zombie's ``/proc/PID/stat`` holds its
    wait status: the culprit is the rank that died of something other than a peer's loss.
    """

    PEER_LOSS = (signal.SIGABRT, signal.SIGTERM)

    def __init__(self, run_dir: str, nproc: int) -> None:
        self.run_dir = run_dir
        self.pids: dict[int, int] = {}
        self.deaths: dict[int, tuple[float, int | None]] = {}  # rank -> (when, signal)
        self.nproc = nproc

    def run(self, proc: subprocess.Popen) -> None:
        while proc.poll() is None:
            for rank in range(self.nproc):
                if rank not in self.pids:
                    started = _first_started(worker_log(self.run_dir, rank))
                    if started is not None:
                        self.pids[rank] = started
                elif rank not in self.deaths:
                    dead, sig = _death(self.pids[rank])
                    if dead:
                        self.deaths[rank] = (time.monotonic(), sig)
            time.sleep(0.05)

    def culprit(self, run_dir: str) -> RankFailure | None:
        for rank in sorted(self.deaths, key=lambda r: self.deaths[r][0]):
            own = _last_error(worker_log(run_dir, rank))
            if own is not None and own.kind != ErrorKind.INTERNAL:
                return RankFailure(rank, 1)  # a failure it explained itself (out of memory, ...)
        by_signal = [
            r for r in self.deaths if self.deaths[r][1] not in (None, *map(int, self.PEER_LOSS))
        ]
        if by_signal:
            rank = min(by_signal, key=lambda r: self.deaths[r][0])
            return RankFailure(rank, -(self.deaths[rank][1] or 0))
        return None


def _first_started(path: str) -> int | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                event = ev.parse_line(line)
                if isinstance(event, ev.Started):
                    return event.pid or None
    except OSError:
        pass
    return None


def _death(pid: int) -> tuple[bool, int | None]:
    """(dead, the signal that killed it, if it is a zombie that died of one)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[-1].split()
    except OSError:
        return True, None  # gone (already reaped), or no /proc
    if fields[0] != "Z":
        return False, None
    try:
        status = int(fields[-1])  # field 52, exit_code: the wait status (Linux 3.5+)
    except (ValueError, IndexError):
        return True, None
    return True, (status & 0x7F) or None


def _cause(code: int) -> str:
    if code < 0:
        try:
            return f"signal {-code} ({signal.Signals(-code).name})"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def _last_error(path: str) -> ev.Error | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.readlines()
    except OSError:
        return None
    for line in reversed(lines):
        event = ev.parse_line(line)
        if isinstance(event, ev.Error):
            return event
    return None


def _append_to_run_log(run_dir: str, event: ev.Event) -> None:
    path = os.path.join(run_dir, runs.EVENTS_FILE)
    if not os.path.isfile(path):
        return
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            last = handle.readlines()[-1:]
        if last and json.loads(last[0]).get("time") == event.time:
            return
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(event.to_json() + "\n")
    except (OSError, ValueError, IndexError):
        pass


def _drop_env_copies(logs: str) -> None:
    """The launcher copies the whole environment into its log folder for elastic restarts,
    which this job does not use; an access token in the environment must not stay on disk."""
    deadline = time.monotonic() + 1
    while time.monotonic() < deadline:
        try:
            for name in os.listdir(logs):
                if _ENV_COPIES.match(name):
                    os.remove(os.path.join(logs, name))
            return
        except OSError:
            time.sleep(0.1)
