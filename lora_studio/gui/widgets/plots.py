"""Live training plots: loss (raw, smoothed, eval), learning rate, speed, memory, GPU use.

Events only append to a ``MetricHistory``; a timer redraws at most four times a second when
something changed, so a burst of metric events never floods the GUI thread. pyqtgraph clips to
the view and downsamples long curves.

pyqtgraph costs about 0.4 s to import and the plots 0.15 s to build, more than the rest of the
window together: a ``MetricsView`` builds its plots just after it is first painted, so the window
appears at once. Events that arrive before are kept in the history and drawn then.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core import events as ev
from lora_studio.core.metrics import MetricHistory, Series, smooth
from lora_studio.gui.deferred import after_first_paint
from lora_studio.gui.icons import icon

REDRAW_MS = 250
COLOURS = {
    "raw": (120, 160, 220),
    "smooth": (30, 90, 200),
    "eval": (220, 110, 30),
    "other": (40, 150, 90),
    "peak": (150, 150, 150),
    "total": (200, 60, 60),
}
# the memory curves of a data-parallel run's further GPUs (GPU 1, 2, ...)
MORE_GPUS = ((150, 60, 170), (30, 150, 150), (180, 140, 20), (90, 90, 200))


class PlotBox(QWidget):
    """One titled plot with a hover readout and a Save-as-PNG button."""

    def __init__(self, title: str, units: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        pg = _pyqtgraph(self)
        self.plot = pg.PlotWidget()
        self.plot.setClipToView(True)
        self.plot.setDownsampling(auto=True, mode="peak")
        # No grid: its translucent lines are replayed on every repaint and cost more than the
        # curves (bench/ui_latency.py).
        self.plot.showGrid(x=False, y=False)
        # The x axis is always the training step: said by the tooltip and the hover readout, not
        # by an axis label, which cost each plot a text line (the plots are short at 680 px).
        self.plot.setToolTip(self.tr("Horizontal axis: training step"))
        if units:
            self.plot.setLabel("left", units)
        # The legend is a label above the plot, not pyqtgraph's box inside it: the box sat over
        # the curves and was clipped in short plots. It lists the curves that have data.
        self.legend = QLabel("")
        self.legend.setObjectName("plotLegend")
        self.title = QLabel(f"<b>{title}</b>")
        self.readout = QLabel("")
        self.readout.setObjectName("plotReadout")
        save = QToolButton()
        save.setText(self.tr("Save PNG"))
        save.setToolTip(self.tr("Save this plot as a PNG image"))
        save.clicked.connect(self.save_png)
        save.setIcon(icon("save_image"))
        save.setAutoRaise(True)  # an icon in the title row, not a button row of its own
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.legend)
        head.addStretch(1)
        head.addWidget(self.readout)
        head.addWidget(save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addWidget(self.plot)
        self.curves: dict[str, tuple] = {}
        self._colours: dict[str, tuple] = {}
        self._proxy = pg.SignalProxy(
            self.plot.scene().sigMouseMoved, rateLimit=20, slot=self._on_mouse
        )
        self.empty_text = pg.TextItem("", anchor=(0.5, 0.5), color=(140, 140, 140))
        self.plot.addItem(self.empty_text, ignoreBounds=True)

    def curve(
        self,
        key: str,
        name: str,
        colour: tuple[int, int, int],
        width: float = 1.5,
        symbol: str | None = None,
    ):
        import pyqtgraph as pg

        item = self.plot.plot(
            [],
            [],
            name=name,
            pen=pg.mkPen(colour, width=width),
            symbol=symbol,
            symbolSize=6,
            symbolBrush=colour,
        )
        self.curves[key] = (item, name)
        self._colours[key] = (colour, symbol)
        return item

    def set_data(self, key: str, x, y) -> None:
        # Copies: a zero-copy view would pin the series' buffer, and its next append would fail.
        import numpy as np

        self.curves[key][0].setData(np.array(x, dtype=float), np.array(y, dtype=float))
        self._update_legend()

    def legend_names(self) -> list[str]:
        """The curves the legend lists: those with data."""
        names = []
        for item, name in self.curves.values():
            xs, _ys = item.getData()
            if xs is not None and len(xs):
                names.append(name)
        return names

    def _update_legend(self) -> None:
        parts = []
        for key, (item, name) in self.curves.items():
            xs, _ys = item.getData()
            if xs is None or not len(xs):
                continue
            (r, g, b), symbol = self._colours[key]
            mark = "●" if symbol else "━"
            parts.append(
                f"<span style='color: rgb({r},{g},{b})'>{mark}</span>&nbsp;{html.escape(name)}"
            )
        self.legend.setText("&nbsp;&nbsp; ".join(parts))

    def set_empty_message(self, text: str) -> None:
        self.empty_text.setText(text)
        self.empty_text.setPos(0.5, 0.5)
        self.empty_text.setVisible(bool(text))

    def _on_mouse(self, args) -> None:
        pos = args[0]
        if not self.plot.sceneBoundingRect().contains(pos):
            return
        x = self.plot.getPlotItem().vb.mapSceneToView(pos).x()
        parts = []
        for item, name in self.curves.values():
            xs, ys = item.getData()
            if xs is None or len(xs) == 0:
                continue
            i = int(abs(xs - x).argmin())
            parts.append(f"{name} {ys[i]:.4g}")
            step = int(xs[i])
        label = self.tr("step")
        self.readout.setText(f"{label} {step}: " + ", ".join(parts) if parts else "")

    def save_png(self, path: str | None = None) -> str | None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save plot"), "plot.png", self.tr("PNG image (*.png)")
            )
        if not path:
            return None
        from pyqtgraph.exporters import ImageExporter  # noqa: I001 - pyqtgraph loads lazily

        # A saved image carries its own legend (the label above is not part of it).
        plot_item = self.plot.getPlotItem()
        legend = plot_item.addLegend(offset=(-5, 5))
        for item, name in self.curves.values():
            xs, _ys = item.getData()
            if xs is not None and len(xs):
                legend.addItem(item, name)
        try:
            ImageExporter(plot_item).export(path)
        finally:
            legend.scene().removeItem(legend)
            plot_item.legend = None
        return path


def _pyqtgraph(widget: QWidget):
    """Import pyqtgraph once, with colours that follow the application's palette."""
    import pyqtgraph as pg

    if not getattr(_pyqtgraph, "configured", False):
        palette = widget.palette()
        pg.setConfigOptions(
            antialias=False,  # keeps repaints under 50 ms
            background=palette.color(QPalette.ColorRole.Base),
            foreground=palette.color(QPalette.ColorRole.Text),
        )
        _pyqtgraph.configured = True
    return pg


class MetricsView(QWidget):
    """The grid of training plots. Feed it events; it redraws on its own timer."""

    redrawn = Signal()
    built = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = MetricHistory()
        self.gpu_total_mb: float | None = None
        self.gpu_available = False
        self.is_built = False
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self._placeholder = QLabel(self.tr("Preparing the plots…"))
        self.grid.addWidget(self._placeholder, 0, 0)
        self._dirty = False
        self.redraws = 0
        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self._redraw_if_dirty)
        self._timer.start()
        after_first_paint(self, self.build)

    def build(self) -> None:
        if self.is_built:
            return
        self.loss = PlotBox(self.tr("Loss"))
        self.loss.curve("raw", self.tr("training"), COLOURS["raw"], 1)
        self.loss.curve("smooth", self.tr("smoothed"), COLOURS["smooth"], 2)
        self.loss.curve("eval", self.tr("eval"), COLOURS["eval"], 2, symbol="o")
        self.lr = PlotBox(self.tr("Learning rate"))
        self.lr.curve("lr", self.tr("learning rate"), COLOURS["other"])
        self.speed = PlotBox(self.tr("Speed"), self.tr("tokens/s"))
        self.speed.curve("tps", self.tr("tokens per second"), COLOURS["other"])
        self.memory = PlotBox(self.tr("Memory"), "MiB")
        self.memory.curve("engine", self.tr("engine in use"), COLOURS["smooth"])
        self.memory.curve("peak", self.tr("engine peak"), COLOURS["peak"])
        self.memory.curve("gpu", self.tr("GPU used (NVML)"), COLOURS["eval"])
        self.memory.curve("total", self.tr("GPU total"), COLOURS["total"], 1)
        import pyqtgraph as pg

        self.overfit_line = pg.InfiniteLine(
            angle=90,
            movable=False,
            pen=pg.mkPen(COLOURS["eval"], width=1, style=Qt.PenStyle.DashLine),
            label=self.tr("eval loss rising: overfitting"),
            labelOpts={"position": 0.85, "color": COLOURS["eval"]},
        )
        self.overfit_line.hide()
        self.loss.plot.addItem(self.overfit_line, ignoreBounds=True)
        self.gpu = PlotBox(self.tr("GPU utilisation"), "%")
        self.gpu.curve("util", self.tr("utilisation"), COLOURS["eval"])
        self.gpu.plot.setYRange(0, 100)
        self._placeholder.hide()
        grid = self.grid
        grid.addWidget(self.loss, 0, 0, 1, 2)
        grid.addWidget(self.lr, 1, 0)
        grid.addWidget(self.speed, 1, 1)
        grid.addWidget(self.memory, 2, 0)
        grid.addWidget(self.gpu, 2, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        grid.setRowStretch(2, 2)
        self.is_built = True
        self.set_gpu_available(self.gpu_available)
        self._dirty = True
        self._redraw_if_dirty()
        self.built.emit()

    def clear(self) -> None:
        self.history = MetricHistory()
        self._dirty = True
        if self.is_built:  # a new run: not the previous run's axes
            for box in (self.loss, self.lr, self.speed, self.memory):
                box.plot.enableAutoRange()
            for key in self.memory.curves:
                if key.startswith("gpu") and key != "gpu":  # the previous run's further GPUs
                    self.memory.set_data(key, [], [])

    def add_event(self, event: ev.Event) -> None:
        if self.history.add(event):
            self._dirty = True

    def load_events(self, events: list[ev.Event]) -> None:
        self.history = MetricHistory.from_events(events)
        self._dirty = True
        self._redraw_if_dirty()

    def add_gpu_sample(
        self, step: float, used_mb: float, total_mb: float, util: float, index: int = 0
    ) -> None:
        """One NVML reading; ``index`` > 0 for the further GPUs of a run on several."""
        if index:
            self.history.series.setdefault(f"gpu_memory_mb_{index}", Series()).append(step, used_mb)
        else:
            self.gpu_total_mb = total_mb
            self.history["gpu_memory_mb"].append(step, used_mb)
            self.history["gpu_utilisation"].append(step, util)
        self._dirty = True

    def _more_gpu_curves(self) -> None:
        for key, series in self.history.series.items():
            if not key.startswith("gpu_memory_mb_"):
                continue
            index = int(key.rsplit("_", 1)[1])
            curve = f"gpu{index}"
            if curve not in self.memory.curves:
                colour = MORE_GPUS[(index - 1) % len(MORE_GPUS)]
                self.memory.curve(curve, self.tr("GPU %d used") % index, colour)
            self.memory.set_data(curve, series.x, series.y)

    def set_gpu_available(self, available: bool) -> None:
        """Without an NVIDIA GPU the utilisation plot goes and memory takes its place."""
        self.gpu_available = available
        if self.is_built:
            self.gpu.setVisible(available)
            self.grid.removeWidget(self.memory)
            self.grid.addWidget(self.memory, 2, 0, 1, 1 if available else 2)

    def point_count(self, name: str) -> int:
        return len(self.history[name])

    def _redraw_if_dirty(self) -> None:
        if not self._dirty or not self.is_built:
            return
        self._dirty = False
        h = self.history
        loss: Series = h["loss"]
        self.loss.set_data("raw", loss.x, loss.y)
        self.loss.set_data("smooth", loss.x, smooth(loss.y) if len(loss) else loss.y)
        self.loss.set_data("eval", h["eval_loss"].x, h["eval_loss"].y)
        if h.overfitting_step is not None:  # where the engine saw it (a Warning event)
            self.overfit_line.setPos(h.overfitting_step)
        self.overfit_line.setVisible(h.overfitting_step is not None)
        self.lr.set_data("lr", h["learning_rate"].x, h["learning_rate"].y)
        speed = h["tokens_per_second"]
        self.speed.set_data("tps", speed.x, speed.y)
        if len(speed) >= 5:  # one resumed step at 35,000 tokens/s must not flatten the rest
            import numpy as np

            typical = float(np.percentile(np.asarray(speed.y, dtype=float), 90))
            if typical > 0:
                self.speed.plot.setYRange(0, typical * 1.4, padding=0)
        self.memory.set_data("engine", h["memory_mb"].x, h["memory_mb"].y)
        self.memory.set_data("peak", h["peak_memory_mb"].x, h["peak_memory_mb"].y)
        gpu = h["gpu_memory_mb"]
        self.memory.set_data("gpu", gpu.x, gpu.y)
        if self.gpu_total_mb and len(gpu):
            self.memory.set_data("total", gpu.x, [self.gpu_total_mb] * len(gpu))
        self._more_gpu_curves()
        self.gpu.set_data("util", h["gpu_utilisation"].x, h["gpu_utilisation"].y)
        self.redraws += 1
        self.redrawn.emit()
