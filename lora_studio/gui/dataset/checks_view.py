"""The checks' results: the list of problems (each jumps to its record) and the statistics
(token counts with a chosen tokenizer, the maximum length, a histogram of lengths)."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core import checks
from lora_studio.core.formats import ImportProblem
from lora_studio.gui.dataset.dialogs import MAX_LISTED_PROBLEMS
from lora_studio.gui.text import problem_kind_names
from lora_studio.gui.widgets.fields import ComboBox, SpinBox


class ProblemList(QListWidget):
    """Import problems first, then each check's problem; ``record_chosen`` on a click."""

    record_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)

    def show_problems(
        self,
        imported: list[ImportProblem],
        problems: list[checks.Problem],
        token_counts: list[int] | None,
    ) -> int:
        """Fill the list; returns how many problems there are in all."""
        names = problem_kind_names()
        self.clear()
        shown = 0
        for problem in imported[:MAX_LISTED_PROBLEMS]:
            item = QListWidgetItem(
                self.tr("%s: not imported: %s") % (problem.location, problem.message)
            )
            item.setData(Qt.ItemDataRole.UserRole, -1)
            self.addItem(item)
            shown += 1
        for problem in problems[: MAX_LISTED_PROBLEMS - shown]:
            where = self.tr("Record %d") % (problem.row + 1)
            text = f"{where}: {names.get(problem.kind, problem.kind)}"
            if problem.field:
                text += f" ({problem.field})"
            if problem.other >= 0:
                text += " " + self.tr("— like record %d") % (problem.other + 1)
            if problem.kind == "too_long" and token_counts is not None:
                text += f" ({token_counts[problem.row]})"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, problem.row)
            item.setToolTip(problem.message)
            self.addItem(item)
        total = len(problems) + len(imported)
        if total > MAX_LISTED_PROBLEMS:
            self.addItem(self.tr("… and %d more") % (total - MAX_LISTED_PROBLEMS))
        return total

    def _chosen(self, item: QListWidgetItem) -> None:
        row = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(row, int) and row >= 0:
            self.record_chosen.emit(row)


class StatsView(QWidget):
    """Counting settings and the dataset's statistics; ``settings_changed`` when the tokenizer
    or the maximum length changes (the checks run again)."""

    settings_changed = Signal()
    problem = Signal(str)  # a tokenizer that cannot be read

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.token_counter = None
        self.max_len = SpinBox()
        self.max_len.setRange(16, 131072)
        self.max_len.setValue(512)
        self.max_len.setToolTip(self.tr("Records longer than this are marked"))
        self.max_len.valueChanged.connect(self.settings_changed)
        self.token_model = ComboBox()
        self.token_model.setToolTip(
            self.tr("Count tokens with this model's tokenizer.json (characters without one)")
        )
        self.token_model.currentIndexChanged.connect(self._on_token_model_changed)
        self.stats_label = QLabel()
        self.stats_label.setWordWrap(True)
        self.histogram_holder = QVBoxLayout()
        self.histogram = None
        layout = QVBoxLayout(self)
        token_row = QHBoxLayout()
        token_row.addWidget(QLabel(self.tr("Count tokens with")))
        token_row.addWidget(self.token_model, 1)
        token_row.addWidget(QLabel(self.tr("Maximum length")))
        token_row.addWidget(self.max_len)
        layout.addLayout(token_row)
        layout.addWidget(self.stats_label)
        layout.addLayout(self.histogram_holder, 1)
        self._fill_token_models()

    def _fill_token_models(self) -> None:
        from lora_studio.core.presets import demo_model_dir

        self.token_model.blockSignals(True)
        self.token_model.clear()
        self.token_model.addItem(self.tr("(characters)"), "")
        for folder in (demo_model_dir(),):
            if os.path.isfile(os.path.join(folder, "tokenizer.json")):
                self.token_model.addItem(os.path.basename(folder), folder)
        self.token_model.blockSignals(False)

    def set_token_model(self, folder: str) -> None:
        index = self.token_model.findData(folder)
        if index < 0:
            self.token_model.addItem(os.path.basename(folder.rstrip("/\\")) or folder, folder)
            index = self.token_model.count() - 1
        self.token_model.setCurrentIndex(index)

    def _on_token_model_changed(self) -> None:
        folder = self.token_model.currentData()
        self.token_counter = None
        if folder:
            from lora_studio.core.tokens import TokenCounter

            try:
                self.token_counter = TokenCounter(folder)
            except ValueError as exc:
                self.problem.emit(str(exc))
        self.settings_changed.emit()

    def show_stats(self, stats: checks.Stats, draw: bool) -> None:
        unit = self.tr("tokens") if stats.unit == "tokens" else self.tr("characters")
        self.stats_label.setText(
            self.tr("%d records · %.0f%% in Chinese, %.0f%% in other languages · lengths in %s")
            % (stats.records, stats.chinese_share * 100, (1 - stats.chinese_share) * 100, unit)
        )
        if draw:
            self._draw_histogram(stats)

    def _draw_histogram(self, stats: checks.Stats) -> None:
        import numpy as np
        import pyqtgraph as pg

        if self.histogram is None:
            self.histogram = pg.PlotWidget()
            self.histogram.setBackground(None)
            self.histogram.addLegend()
            self.histogram.setLabel("left", self.tr("records"))
            self.histogram_holder.addWidget(self.histogram)
        plot = self.histogram
        plot.clear()
        unit = self.tr("tokens") if stats.unit == "tokens" else self.tr("characters")
        plot.setLabel("bottom", self.tr("length (%s)") % unit)
        lengths = stats.prompt_lengths + stats.answer_lengths
        if not lengths:
            return
        top = max(max(lengths), self.max_len.value() if stats.unit == "tokens" else 0)
        edges = np.linspace(0, top + 1, 41)
        for values, colour, name in (
            (stats.prompt_lengths, (78, 121, 167, 160), self.tr("prompts")),
            (stats.answer_lengths, (242, 142, 43, 160), self.tr("answers")),
        ):
            counts, _ = np.histogram(values, bins=edges)
            plot.addItem(
                pg.BarGraphItem(x0=edges[:-1], x1=edges[1:], height=counts, brush=colour, name=name)
            )
        if stats.unit == "tokens":
            line = pg.InfiniteLine(
                self.max_len.value(),
                angle=90,
                pen=pg.mkPen("#d62728", width=2),
                label=self.tr("maximum length"),
                labelOpts={"position": 0.9, "color": "#d62728", "anchors": [(1, 0), (1, 0)]},
            )
            plot.addItem(line)
        # The maximum-length line sat on the chart's right edge (or past it): room on both sides.
        plot.setXRange(0, (top + 1) * 1.08, padding=0)
