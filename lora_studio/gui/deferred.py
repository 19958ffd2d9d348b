"""Start-up helpers: run work after a widget's first paint, and build pages on first use.

The window must appear fast (bench/startup.py); anything not needed for the first frame (device
detection, the Runs page, the plots) waits until that frame has been painted.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self.callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self.callback)
        return False


def after_first_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call ``callback`` from the event loop once ``widget`` has painted for the first time."""
    _FirstPaint(widget, callback)


class LazyPage(QWidget):
    """A stack page whose real widget is made by ``factory`` just after the page is first
    painted (empty, for one frame), or at once when code asks for it with ``get()``."""

    def __init__(
        self,
        factory: Callable[[], QWidget],
        on_created: Callable[[QWidget], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.factory = factory
        self.on_created = on_created
        self.widget: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def get(self) -> QWidget:
        if self.widget is None:
            self.widget = self.factory()
            self._layout.addWidget(self.widget)
            self.widget.show()  # addWidget would show it only later, through the event queue
            self.on_created(self.widget)
        return self.widget

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self.widget is None:
            after_first_paint(self, self.get)
