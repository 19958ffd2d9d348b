"""A stacked bar of the memory a run needs, part by part, against the memory available."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QWidget

from lora_studio.core import planner

PART_COLOURS = {
    "base_weights": "#4e79a7",
    "lora_weights": "#f28e2b",
    "gradients": "#e15759",
    "optimizer": "#76b7b2",
    "activations": "#59a14f",
    "logits": "#edc948",
    "overhead": "#b07aa1",
}


class MemoryBar(QWidget):
    """A stacked bar of the planned peak memory, part by part, against the memory available."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parts: dict[str, float] = {}
        self.available = 0.0
        self.names: dict[str, str] = {}
        self.setMinimumHeight(64)

    def set_plan(self, plan: planner.Plan, names: dict[str, str]) -> None:
        self.parts = dict(plan.breakdown_gb)
        self.available = plan.available_gb
        self.names = names
        self.setToolTip("\n".join(f"{names.get(k, k)}: {v:.2f} GB" for k, v in self.parts.items()))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(500, 64)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        total = sum(self.parts.values())
        scale_max = max(total, self.available, 1e-9)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        width = self.width() - 2
        bar = QRectF(1, 4, width, 26)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawRect(bar)
        x = 1.0
        for part, gb in self.parts.items():
            w = width * gb / scale_max
            painter.fillRect(QRectF(x, 5, max(w, 0.0), 24), QColor(PART_COLOURS.get(part, "#999")))
            x += w
        if self.available:
            ax = 1 + width * self.available / scale_max
            painter.setPen(QColor("#d62728"))
            painter.drawLine(int(ax), 0, int(ax), 34)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(
            QRectF(1, 36, width, 24),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"{total:.1f} GB / {self.available:.1f} GB",
        )
        painter.end()
