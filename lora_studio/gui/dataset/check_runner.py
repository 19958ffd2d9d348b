"""The dataset's checks and statistics, off the GUI thread.

On 100,000 records the token counts, ``checks.check_records`` and ``checks.dataset_stats`` take
about a second (bench/dataset_editor.py); run on the GUI thread they froze the window right
after a file showed and after every edit. ``CheckRunner`` runs them in a thread on a snapshot of
the record list (a list copy: edits replace a record's fields and insert or remove records, so
the thread never sees a list that changes under it), one run at a time; the panel applies a
result only when the document has not changed since the snapshot, else it starts again.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from lora_studio.core import checks

log = logging.getLogger(__name__)


@dataclass
class CheckResult:
    revision: int  # the document's revision the snapshot was taken at
    token_counts: list[int] | None
    problems: list[checks.Problem]
    stats: checks.Stats
    error: str = ""


def compute(records: list, max_len: int, counter: Any, train_on: str, revision: int) -> CheckResult:
    """Token counts (with the model's tokenizer, when one is chosen), problems, statistics."""
    prompt_tokens = answer_tokens = token_counts = None
    if counter is not None and records:
        prompt_tokens, answer_tokens = counter.counts(records, train_on)
        token_counts = [p + a for p, a in zip(prompt_tokens, answer_tokens, strict=True)]
    problems = checks.check_records(records, max_len, token_counts)
    stats = checks.dataset_stats(records, prompt_tokens, answer_tokens)
    return CheckResult(revision, token_counts, problems, stats)


class CheckRunner(QObject):
    finished = Signal(object)  # CheckResult, on the GUI thread
    _done = Signal(object)  # from the thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._again: tuple | None = None
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def start(
        self, records: list, max_len: int, counter: Any, train_on: str, revision: int
    ) -> None:
        """Check a snapshot of ``records``; while a run is on, the newest request waits for it."""
        args = (list(records), max_len, counter, train_on, revision)
        if self._thread is not None:
            self._again = args
            return
        self._thread = threading.Thread(
            target=self._run, args=args, name="dataset-checks", daemon=True
        )
        self._thread.start()

    def _run(self, *args: Any) -> None:
        try:
            result = compute(*args)
        except Exception as exc:  # noqa: BLE001 - a check that fails must not kill the editor
            log.exception("the dataset checks failed")
            result = CheckResult(args[-1], None, [], checks.dataset_stats([]), str(exc))
        self._done.emit(result)

    def _on_done(self, result: CheckResult) -> None:
        if self._thread is not None:
            self._thread.join()
        self._thread = None
        if self._again is not None:  # a newer snapshot is waiting: this result is stale
            args, self._again = self._again, None
            self.start(*args)
            return
        self.finished.emit(result)

    def wait(self, timeout: float = 30.0) -> None:
        """Block until the running check is over (tests; closing the editor)."""
        if self._thread is not None:
            self._thread.join(timeout)
