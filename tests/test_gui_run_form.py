"""The training form on its own: the mouse wheel scrolls it and edits no field it passes over."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea

from lora_studio.gui.training.run_form import RunFormWidget


def turn_wheel(widget, notches: int = -1) -> bool:
    """One wheel event at the widget's centre; whether the widget took it.

    Qt passes an ignored wheel event on to the parents (here the scroll area) only when it
    comes from the window system; one sent from a test stops at the widget, so the test checks
    that the field declined it, and the form's scroll area is shown to scroll on the same event.
    """
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def test_the_wheel_scrolls_the_form_and_leaves_fields_alone(qtbot, tmp_path):
    form = RunFormWidget(str(tmp_path / "runs"))
    scroll = QScrollArea()
    scroll.setWidget(form)
    scroll.setWidgetResizable(True)
    scroll.resize(500, 300)  # much shorter than the form: it has to scroll
    qtbot.addWidget(scroll)
    scroll.show()
    qtbot.waitExposed(scroll)
    before = (form.precision.currentText(), form.epochs.value(), form.rank.value())
    bar = scroll.verticalScrollBar()
    assert bar.maximum() > 0
    for field in (form.precision, form.epochs, form.rank, form.source, form.weights):
        assert not turn_wheel(field), field
    assert (form.precision.currentText(), form.epochs.value(), form.rank.value()) == before
    turn_wheel(scroll.viewport())  # where the declined event goes next
    assert bar.value() > 0

    form.epochs.setFocus()  # clicked or tabbed into: now the wheel is meant for it
    qtbot.waitUntil(form.epochs.hasFocus)
    assert turn_wheel(form.epochs, notches=1)
    assert form.epochs.value() == before[1] + 1


def test_a_fields_problem_goes_once_the_field_is_changed(qtbot, tmp_path):
    form = RunFormWidget(str(tmp_path / "runs"))
    qtbot.addWidget(form)
    form.show()
    form.dataset.clear()
    for box in form.targets.values():
        box.setChecked(False)
    problems = form.check()
    assert {"dataset_path", "target_modules"} <= set(problems)
    assert form.errors["dataset_path"].isVisibleTo(form)
    qtbot.keyClicks(form.dataset, "data.json")  # typed: that field's message goes
    assert not form.errors["dataset_path"].isVisibleTo(form)
    assert form.errors["target_modules"].isVisibleTo(form)  # the other one stays until fixed
    form.targets["q_proj"].setChecked(True)
    assert not form.errors["target_modules"].isVisibleTo(form)
