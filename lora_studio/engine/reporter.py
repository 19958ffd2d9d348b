"""Where an engine process's events go: JSON lines on stdout (for the GUI), readable lines for a
person at a terminal, and the run folder's ``events.jsonl``.

Libraries print to stdout at will, which would corrupt a JSON-lines stream. ``claim_stdout``
keeps the real stdout for the engine's own output and points file descriptor 1 at stderr.
"""

from __future__ import annotations

import atexit
import io
import os
import sys
import threading
from typing import IO

from lora_studio.core import events as ev
from lora_studio.core.units import duration

_real_stdout: IO[str] | None = None


def claim_stdout() -> IO[str]:
    """Reserve the process's stdout for engine output; anything else printed goes to stderr."""
    global _real_stdout
    if _real_stdout is None:
        sys.stdout.flush()
        try:
            fd = os.dup(1)
            os.dup2(2, 1)
            _real_stdout = io.TextIOWrapper(
                os.fdopen(fd, "wb", buffering=0),
                encoding="utf-8",
                errors="replace",
                line_buffering=True,
                write_through=True,
            )
            sys.stdout = sys.stderr
            atexit.register(_real_stdout.close)
        except (OSError, ValueError):  # no real file descriptors (embedded, some test runners)
            _real_stdout = sys.stdout
    return _real_stdout


def human_line(event: ev.Event) -> str | None:
    """A one-line rendering of an event for a terminal, or None for events not worth a line."""
    if isinstance(event, ev.Loading):
        if event.progress not in (0.0, 1.0):
            return None
        status = "done" if event.progress >= 1.0 else "..."
        return f"  {event.message or event.stage} {status}"
    if isinstance(event, ev.Started):
        where = f" -> {event.run_dir}" if event.run_dir else ""
        processes = f", {event.world_size} processes" if event.world_size > 1 else ""
        return f"{event.command}: {event.model}{where} ({event.device}{processes})"
    if isinstance(event, ev.DatasetPrepared):
        extra = []
        if event.truncated:
            extra.append(f"{event.truncated} truncated")
        if event.dropped:
            extra.append(f"{event.dropped} dropped")
        more = f" ({', '.join(extra)})" if extra else ""
        return (
            f"  dataset: {event.train_records} training / {event.eval_records} eval records"
            f"{more}, {event.total_steps} steps"
        )
    if isinstance(event, ev.Step):
        return (
            f"  step {event.step}/{event.total_steps}  loss {event.loss:.4f}  "
            f"lr {event.learning_rate:.2e}  {event.tokens_per_second:.0f} tok/s  "
            f"eta {duration(event.eta_seconds)}"
        )
    if isinstance(event, ev.Download):
        return download_line(event)
    if isinstance(event, ev.Eval):
        return f"  eval loss {event.eval_loss:.4f} at step {event.step}"
    if isinstance(event, ev.CheckpointSaved):
        return f"  checkpoint saved: {event.path}"
    if isinstance(event, ev.Finished):
        loss = f", final loss {event.final_loss:.4f}" if event.final_loss is not None else ""
        steps = f" after {event.step} steps" if event.step else ""
        return f"{event.status}{steps} in {duration(event.duration_seconds)}{loss}: {event.output}"
    if isinstance(event, ev.Warning):
        hint = f" {event.hint}" if event.hint else ""
        return f"warning: {event.message}{hint}"
    if isinstance(event, ev.Error):
        hint = f"\n  what to do: {event.hint}" if event.hint else ""
        detail = f"\n{event.detail}" if event.kind == "internal" and event.detail else ""
        return f"error: {event.message}{hint}{detail}"
    if isinstance(event, ev.Log):
        return f"  {event.message}"
    if isinstance(event, ev.ChatReady):
        return f"ready: {event.model} ({event.device})"
    return None


def download_line(event: ev.Download) -> str | None:
    """A line per file begun and about every ten seconds: not one per progress event."""
    from lora_studio.core.units import size

    if event.file_bytes and event.file_bytes < event.file_total and int(event.time) % 10:
        return None
    speed = f", {size(event.bytes_per_second)}/s" if event.bytes_per_second else ""
    eta = f", {duration(event.eta_seconds)} left" if event.eta_seconds is not None else ""
    return (
        f"  {event.file or 'done'}: {size(event.done_bytes)} of {size(event.total_bytes)} "
        f"({event.files_done}/{event.files_total} files{speed}{eta})"
    )


class Reporter:
    """Emits events to stdout (JSON lines or readable text) and to the run's event log."""

    def __init__(
        self,
        jsonl: bool = False,
        stream: IO[str] | None = None,
        human_stream: IO[str] | None = None,
    ) -> None:
        self.jsonl = jsonl
        self.stream = stream
        self.human_stream = human_stream
        self._log: IO[str] | None = None
        self._lock = threading.Lock()  # the chat process emits from two threads

    def attach_log(self, path: str) -> None:
        """Append every later event to ``path`` (a run's ``events.jsonl``)."""
        self.close_log()
        self._log = open(path, "a", encoding="utf-8", buffering=1)

    def close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def emit(self, event: ev.Event) -> None:
        with self._lock:
            self._emit(event)

    def _emit(self, event: ev.Event) -> None:
        line = event.to_json()
        if self._log is not None:
            try:
                self._log.write(line + "\n")
            except OSError:  # a full disk must not hide the event itself
                pass
        if self.jsonl:
            out = self.stream or claim_stdout()
            out.write(line + "\n")
            out.flush()
            return
        text = human_line(event)
        if text is not None:
            out = self.human_stream or sys.stderr
            out.write(text + "\n")
            out.flush()
