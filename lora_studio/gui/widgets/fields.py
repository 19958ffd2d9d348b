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


def _wheel_only_with_focus(widget: QWidget) -> None:
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel alone never gives focus


class SpinBox(QSpinBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _wheel_only_with_focus(self)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # passes to the scroll area around the form


class DoubleSpinBox(QDoubleSpinBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _wheel_only_with_focus(self)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class ComboBox(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _wheel_only_with_focus(self)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


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
