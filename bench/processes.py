"""Timing a child process: its wall time and its own peak memory (what the export and download
benches compare)."""

from __future__ import annotations

import os
import subprocess
import time


def timed(command: list[str]) -> tuple[float, float]:
    """(seconds, peak resident MB) of one child process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024  # Linux: kilobytes
