"""The plots: throttled redraws, and a guard on the Qt binding they depend on."""

import sys

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsObject

from lora_studio.core import events as ev
from lora_studio.gui.widgets.plots import MetricsView


def test_prepare_geometry_change_keeps_none_alive(qtbot):
    """PySide6 6.12.0 drops a reference to None on every call: with Python 3.11 the process
    aborts ("deallocating None") after a few thousand plot updates. The pin to 6.11.3 holds this.
    """

    class Item(QGraphicsObject):
        def boundingRect(self):
            return QRectF(0, 0, 1, 1)

        def paint(self, *args):
            pass

    item = Item()
    before = sys.getrefcount(None)
    for _ in range(200):
        item.prepareGeometryChange()
    assert sys.getrefcount(None) - before > -50


def test_bursts_of_metrics_are_coalesced_into_few_redraws(qtbot):
    view = MetricsView()
    qtbot.addWidget(view)
    view.show()
    for step in range(1, 2001):
        view.add_event(
            ev.Step(
                step=step,
                total_steps=2000,
                epoch=0,
                loss=1 / step,
                learning_rate=1e-4,
                tokens_per_second=100.0,
                memory_mb=10.0,
            )
        )
    view.add_event(ev.Eval(step=2000, eval_loss=0.5))
    assert not view.is_built  # events before the plots exist are kept, then drawn at once
    qtbot.waitUntil(lambda: view.redraws >= 1, timeout=2000)
    assert view.redraws == 1  # 2,001 events, one redraw
    assert view.point_count("loss") == 2000 and view.point_count("eval_loss") == 1
    x, y = view.loss.curves["raw"][0].getData()
    assert len(x) == 2000


def test_plot_saves_as_png(qtbot, tmp_path):
    view = MetricsView()
    qtbot.addWidget(view)
    view.show()
    view.load_events(
        [
            ev.Step(step=s, total_steps=3, epoch=0, loss=1.0 / s, learning_rate=0.1)
            for s in (1, 2, 3)
        ]
    )
    qtbot.waitUntil(lambda: view.is_built)  # the plots are built just after the first paint
    qtbot.waitUntil(lambda: view.loss.legend_names() != [])
    # The legend is a label above the plot, naming only curves with data (no eval yet).
    assert view.loss.legend_names() == ["training", "smoothed"]
    assert "training" in view.loss.legend.text() and "eval" not in view.loss.legend.text()
    path = view.loss.save_png(str(tmp_path / "loss.png"))
    assert open(path, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    assert view.loss.plot.getPlotItem().legend is None  # the image's own legend is gone again


def test_no_gpu_plot_without_a_gpu_and_speed_outliers_do_not_flatten(qtbot):
    from lora_studio.core import events as ev
    from lora_studio.gui.widgets.plots import MetricsView

    view = MetricsView()
    qtbot.addWidget(view)
    view.show()
    view.build()
    view.set_gpu_available(False)
    qtbot.wait(20)  # a layout shows the widgets added to it from the event loop
    assert not view.gpu.isVisibleTo(view) and view.memory.isVisibleTo(view)
    assert view.grid.getItemPosition(view.grid.indexOf(view.memory))[3] == 2  # both columns
    for step in range(1, 21):
        speed = 35_000.0 if step == 10 else 80.0 + step  # one resumed step reads 35,000
        view.add_event(
            ev.Step(step=step, total_steps=20, epoch=1.0, loss=1.0, learning_rate=1e-3,
                    tokens_per_second=speed)
        )  # fmt: skip
    view._redraw_if_dirty()
    low, high = view.speed.plot.getViewBox().viewRange()[1]
    assert high < 1000, high  # the typical speeds fill the plot
    view.clear()  # a new run: the axes follow its data again
    assert view.speed.plot.getViewBox().autoRangeEnabled()[1]
    view.set_gpu_available(True)
    qtbot.wait(20)
    assert view.gpu.isVisibleTo(view)
