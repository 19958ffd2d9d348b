"""``main.py serve`` as a child process for the API tests: started, its URL read from its ``ready``
event, its stdout drained, its stderr kept in a file, stopped with Ctrl-C."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from conftest import MAIN, ROOT


class Served:
    def __init__(self, url: str, stderr: Path, events: list[dict]) -> None:
        self.url = url  # http://127.0.0.1:PORT/v1
        self.stderr = stderr
        self.events = events

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].split("/")[0])

    def stderr_text(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")


@contextlib.contextmanager
def serving(model: Path, tmp: Path, *args: str, env: dict | None = None) -> Iterator[Served]:
    stderr_path = tmp / "serve-stderr.txt"
    with open(stderr_path, "w", encoding="utf-8") as stderr:
        proc = subprocess.Popen(
            [
                sys.executable,
                MAIN,
                "serve",
                "--model",
                str(model),
                "--port",
                "0",
                "--events",
                "jsonl",
                *args,
            ],
            cwd=str(ROOT),
            stdin=subprocess.DEVNULL,  # not a pipe: its end does not stop the server
            # Ctrl-C must reach it even when the suite runs in the background, where the shell
            # hands every child SIGINT already ignored (and an ignored SIGINT is kept)
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            encoding="utf-8",
            env={**os.environ, **(env or {})},
        )
        events: list[dict] = []
        url = None
        for line in proc.stdout:
            event = json.loads(line)
            events.append(event)
            if event["type"] == "ready":
                url = event["url"]
                break
        assert url and url.startswith("http://127.0.0.1:"), events[-3:]

        def drain() -> None:  # a pipe nobody reads fills up, and then the server blocks
            for line in proc.stdout:
                events.append(json.loads(line))

        threading.Thread(target=drain, daemon=True).start()
        try:
            yield Served(url, stderr_path, events)
        finally:
            proc.send_signal(signal.SIGINT)
            code = proc.wait(timeout=60)
    assert code == 0, stderr_path.read_text()[-3000:]
