"""One task slot per view: the view's running engine job, its busy state, and what comes next.

After Orange's ``ConcurrentWidgetMixin``. A view hands the slot a task (an object with
``start()``, ``stop()`` and a ``finished(outcome)`` signal, such as ``EngineJob`` or
``ChatProcess``). Starting a task while another runs asks the running one to stop and starts the
new one once it has ended, so two models are never loaded at once and an ending is always
delivered for the task that ended: a late signal of a replaced task never reaches the view as
if it came from the new one. The slot deletes each task after its ending, never before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal, SignalInstance


class Task(Protocol):
    finished: SignalInstance

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def deleteLater(self) -> None: ...  # noqa: N802 - Qt API


class TaskSlot(QObject):
    started = Signal(object)  # the task, just before it starts: the one the view now shows
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.task: Any = None  # the task running, or asked to stop and not yet ended
        self._on_finished: Callable[[Any], None] | None = None
        self._next: tuple[Any, Callable[[Any], None] | None] | None = None
        self._reported = False  # the busy state last announced

    @property
    def busy(self) -> bool:
        return self.task is not None or self._next is not None

    @property
    def switching(self) -> bool:
        """A task waits for the running one to end."""
        return self._next is not None

    def run(self, task: Task, on_finished: Callable[[Any], None] | None = None) -> None:
        """Start ``task`` now, or once the running one has ended (it is asked to stop). A task
        already waiting is replaced, never started: pressing Load three times loads once."""
        if self.task is None:
            self._begin(task, on_finished)
            return
        if self._next is not None:
            self._next[0].deleteLater()
        self._next = (task, on_finished)
        self.task.stop()

    def stop(self) -> None:
        """Stop the running task; a waiting one is dropped."""
        if self._next is not None:
            self._next[0].deleteLater()
            self._next = None
        if self.task is not None:
            self.task.stop()

    def _begin(self, task: Task, on_finished: Callable[[Any], None] | None) -> None:
        self.task, self._on_finished = task, on_finished
        task.finished.connect(lambda outcome, ended=task: self._ended(ended, outcome))
        self.started.emit(task)
        task.start()
        self._report_busy()

    def _report_busy(self) -> None:
        if self.busy != self._reported:
            self._reported = self.busy
            self.busy_changed.emit(self.busy)

    def _ended(self, task: Any, outcome: Any) -> None:
        if task is not self.task:
            return  # cannot happen with one slot per task; kept so a stray signal is harmless
        handler = self._on_finished
        self.task, self._on_finished = None, None
        if handler is not None:
            handler(outcome)
        task.deleteLater()
        if self._next is not None:
            following, self._next = self._next, None
            self._begin(*following)  # busy all along: a switch is one busy spell
        self._report_busy()
