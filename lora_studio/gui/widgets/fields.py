"""Input fields for forms: spin boxes and combo boxes that the mouse wheel leaves alone.

A plain ``QSpinBox`` or ``QComboBox`` changes its value when the wheel turns over it, even
without focus: scrolling a long form then edits whatever field passes under the pointer (fp32
became bf16, 40 epochs 41). These take the wheel only once clicked or tabbed into; otherwise
the wheel scrolls the form, as in browsers and in Qt Creator's settings.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QSpinBox, QWidget


class _WheelOnlyWithFocus:
    """Mixed into a field: the wheel alone never gives focus, and without focus it passes the
    wheel on to the scroll area around the form."""

    def _take_wheel_only_with_focus(self) -> None:
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # type: ignore[attr-defined]

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        if self.hasFocus():  # type: ignore[attr-defined]
            super().wheelEvent(event)  # type: ignore[misc]
        else:
            event.ignore()


class SpinBox(_WheelOnlyWithFocus, QSpinBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._take_wheel_only_with_focus()


class DoubleSpinBox(_WheelOnlyWithFocus, QDoubleSpinBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._take_wheel_only_with_focus()


class ComboBox(_WheelOnlyWithFocus, QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._take_wheel_only_with_focus()


def int_box(low: int, high: int, value: int | None = None, step: int = 1) -> SpinBox:
    box = SpinBox()
    box.setRange(low, high)
    box.setSingleStep(step)
    if value is not None:
        box.setValue(value)
    return box


def float_box(
    low: float, high: float, value: float | None = None, step: float = 0.05, decimals: int = 2
) -> DoubleSpinBox:
    box = DoubleSpinBox()
    box.setDecimals(decimals)  # before the range and value, which it rounds
    box.setRange(low, high)
    box.setSingleStep(step)
    if value is not None:
        box.setValue(value)
    return box
