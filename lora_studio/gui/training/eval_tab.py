"""The Evaluation tab of Runs: a run's evaluations from their files (``core/eval_results.py``),
base against tuned, record by record; "Evaluate…" runs ``main.py eval`` with progress; another
run's evaluation can stand beside it."""

from __future__ import annotations

import html
import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core import eval_results
from lora_studio.core.atomic import write_text_atomic
from lora_studio.core.commands import EvalOptions
from lora_studio.core.config import CONFIG_FILE_NAME, ConfigError, RunConfig
from lora_studio.core.eval_results import SUMMARY_METRICS, Evaluation
from lora_studio.core.runs import RunSummary
from lora_studio.gui.icons import decorate
from lora_studio.gui.jobs.eval import EvalJob
from lora_studio.gui.training.eval_dialog import EvalDialog
from lora_studio.gui.training.eval_records_model import EvalRecordsModel, WorseFilter
from lora_studio.gui.widgets.fields import ComboBox

BETTER, WORSE = "#1b7f3b", "#b00020"


class EvaluationTab(QWidget):
    evaluated = Signal(str)  # the new evaluation's folder

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_dir = ""
        self.other_runs: list[RunSummary] = []
        self.evaluation: Evaluation | None = None
        self.other: Evaluation | None = None
        self.job = EvalJob(self)
        self.job.progress.connect(self._on_progress)
        self.job.done.connect(self._on_done)

        self.choice = ComboBox()
        self.choice.currentIndexChanged.connect(self._on_chosen)
        self.compare = ComboBox()
        self.compare.currentIndexChanged.connect(self._on_compare)
        self.evaluate_button = QPushButton(self.tr("Evaluate…"))
        self.evaluate_button.clicked.connect(self.ask_and_evaluate)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.clicked.connect(self.job.stop)
        decorate([(self.evaluate_button, "evaluate"), (self.stop_button, "stop")])
        self.csv_button = QPushButton(self.tr("Export CSV…"))
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.markdown_button = QPushButton(self.tr("Export Markdown…"))
        self.markdown_button.clicked.connect(lambda: self.export("md"))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Evaluation")))
        top.addWidget(self.choice, 1)
        top.addWidget(self.evaluate_button)
        top.addWidget(self.stop_button)
        top.addWidget(QLabel(self.tr("Compare with")))
        top.addWidget(self.compare, 1)
        top.addWidget(self.csv_button)
        top.addWidget(self.markdown_button)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.message = QLabel()
        self.message.setWordWrap(True)

        self.summary = QTableWidget(0, 3)
        self.summary.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary.verticalHeader().hide()
        self.summary.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.summary.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.summary.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.general = QLabel()
        self.general.setWordWrap(True)
        self.only_worse = QCheckBox(self.tr("Only records that got worse"))
        self.only_worse.toggled.connect(self._on_only_worse)
        self.shown = QLabel()
        self.records = EvalRecordsModel(self)
        self.proxy = WorseFilter(self)
        self.proxy.setSourceModel(self.records)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the file's order until asked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        for column in range(self.records.columnCount()):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column < 4
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, mode)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_diff())
        self.reference_view, self.base_view, self.tuned_view = (QTextBrowser() for _ in range(3))
        diff = QSplitter(Qt.Orientation.Horizontal)
        for title, view in (
            (self.tr("Reference"), self.reference_view),
            (self.tr("Base answer (differences from the reference marked)"), self.base_view),
            (self.tr("Tuned answer (differences from the reference marked)"), self.tuned_view),
        ):
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            label = QLabel(title)
            label.setWordWrap(True)
            column.addWidget(label)
            column.addWidget(view)
            diff.addWidget(box)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.only_worse)
        filter_row.addWidget(self.shown)
        filter_row.addStretch(1)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.summary)
        upper_layout.addWidget(self.general)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        records = QWidget()
        records_layout = QVBoxLayout(records)
        records_layout.setContentsMargins(0, 0, 0, 0)
        records_layout.addLayout(filter_row)
        records_layout.addWidget(self.table)
        split.addWidget(records)
        split.addWidget(diff)
        split.setSizes([220, 260, 160])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        self.set_run("", [])

    def _tell(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # ---- which run and evaluation ----
    def set_run(self, run_dir: str, other_runs: list[RunSummary]) -> None:
        self.run_dir = run_dir
        self.other_runs = other_runs
        self.choice.blockSignals(True)
        self.choice.clear()
        for folder in eval_results.list_evaluations(run_dir) if run_dir else []:
            self.choice.addItem(os.path.basename(folder), folder)
        self.choice.blockSignals(False)
        self.compare.blockSignals(True)
        self.compare.clear()
        self.compare.addItem(self.tr("(no other run)"), "")
        for run in other_runs:
            if os.path.abspath(run.path) == os.path.abspath(run_dir or "."):
                continue
            for folder in eval_results.list_evaluations(run.path)[:1]:
                self.compare.addItem(f"{run.name} · {os.path.basename(folder)}", folder)
        self.compare.blockSignals(False)
        self.other = None
        self._on_chosen()

    def _on_chosen(self) -> None:
        folder = self.choice.currentData()
        self.evaluation = None
        self._tell("")
        if folder:
            try:
                self.evaluation = eval_results.load_evaluation(folder)
            except (OSError, ValueError) as exc:
                self._tell(self.tr("This evaluation cannot be read: %s") % exc)
        elif self.run_dir:
            self._tell(
                self.tr(
                    "This run has not been evaluated yet. Evaluate compares the answers of the "
                    "tuned model with the base model's on held-out records."
                )
            )
        if self.evaluation is not None and self.evaluation.skipped_lines:
            self._tell(
                self.tr("Unreadable lines skipped in this evaluation's files: %s")
                % self.evaluation.skipped_lines
            )
        self.records.set_rows(self.evaluation.rows if self.evaluation else [])
        for column in (7, 8):
            self.table.setColumnHidden(column, not self.records.judged)
        self._show_summary()
        self._update_counts()
        self._show_diff()
        self._update_buttons()

    def _on_compare(self) -> None:
        folder = self.compare.currentData()
        self.other = None
        if folder:
            try:
                self.other = eval_results.load_evaluation(folder)
            except (OSError, ValueError) as exc:
                self._tell(self.tr("This evaluation cannot be read: %s") % exc)
        self._show_summary()

    def _update_buttons(self) -> None:
        busy = self.job.running
        self.evaluate_button.setEnabled(bool(self.run_dir) and not busy)
        self.stop_button.setVisible(busy)
        self.progress.setVisible(busy)
        self.csv_button.setEnabled(self.evaluation is not None)
        self.markdown_button.setEnabled(self.evaluation is not None)
        self.compare.setEnabled(self.evaluation is not None and self.compare.count() > 1)

    # ---- the summary ----
    def metric_name(self, key: str) -> str:
        return {
            "exact_match": self.tr("Exact match"),
            "rouge_l": self.tr("ROUGE-L"),
            "bleu": self.tr("BLEU-4"),
            "eval_loss": self.tr("Eval loss"),
            "perplexity": self.tr("Perplexity"),
            "general": self.tr("General ability"),
            "judge": self.tr("Judge score"),
        }.get(key, key)

    @staticmethod
    def value_text(key: str, value: float | None) -> str:
        if value is None:
            return "–"
        if key in eval_results.FRACTIONS:
            return f"{value:.1%}"
        return f"{value:.1f}" if key == "perplexity" else f"{value:.3f}"

    def difference_item(self, key: str, higher_is_better: bool, a, b) -> QTableWidgetItem:
        if a is None or b is None:
            return QTableWidgetItem("–")
        delta = b - a
        if key in eval_results.FRACTIONS:
            text = self.tr("%+.1f points") % (delta * 100)
        else:
            text = f"{delta:+.3f}" if key != "perplexity" else f"{delta:+.1f}"
        item = QTableWidgetItem(text)
        if abs(delta) > 1e-9:
            better = (delta > 0) == higher_is_better
            item.setForeground(Qt.GlobalColor.darkGreen if better else Qt.GlobalColor.red)
        return item

    def _show_summary(self) -> None:
        evaluation, other = self.evaluation, self.other
        headers = [self.tr("Metric"), self.tr("Base"), self.tr("Tuned"), self.tr("Difference")]
        if other is not None:
            headers += [self.tr("Other run (tuned)"), self.tr("This run − other")]
        self.summary.clear()
        self.summary.setColumnCount(len(headers))
        self.summary.setHorizontalHeaderLabels(headers)
        rows = []
        if evaluation is not None:
            for key, higher in SUMMARY_METRICS:
                base, tuned = evaluation.metric("base", key), evaluation.metric("tuned", key)
                if base is None and tuned is None:
                    continue
                rows.append((key, higher, base, tuned))
        self.summary.setRowCount(len(rows))
        self.summary.setFixedHeight(
            self.summary.horizontalHeader().sizeHint().height()
            + self.summary.verticalHeader().defaultSectionSize() * len(rows)
            + 2 * self.summary.frameWidth()
        )
        for r, (key, higher, base, tuned) in enumerate(rows):
            self.summary.setItem(r, 0, QTableWidgetItem(self.metric_name(key)))
            self.summary.setItem(r, 1, QTableWidgetItem(self.value_text(key, base)))
            self.summary.setItem(r, 2, QTableWidgetItem(self.value_text(key, tuned)))
            self.summary.setItem(r, 3, self.difference_item(key, higher, base, tuned))
            if other is not None:
                theirs = other.metric("tuned", key)
                self.summary.setItem(r, 4, QTableWidgetItem(self.value_text(key, theirs)))
                self.summary.setItem(r, 5, self.difference_item(key, higher, theirs, tuned))
        general = evaluation.summary.get("general") if evaluation else None
        if isinstance(general, dict) and general.get("questions"):
            self.general.setText(
                self.tr(
                    "General ability (%1 bundled questions): the base answered %2, the tuned "
                    "model %3. Lost: %4 question(s) the base knew; gained: %5."
                )
                .replace("%1", str(general.get("questions")))
                .replace("%2", self.value_text("general", evaluation.metric("base", "general")))
                .replace("%3", self.value_text("general", evaluation.metric("tuned", "general")))
                .replace("%4", str(general.get("lost", 0)))
                .replace("%5", str(general.get("gained", 0)))
            )
        else:
            self.general.clear()

    # ---- the records ----
    def _on_only_worse(self, on: bool) -> None:
        self.proxy.set_only_worse(on)
        self._update_counts()

    def _update_counts(self) -> None:
        total = self.records.rowCount()
        self.shown.setText(
            self.tr("%1 of %2 records")
            .replace("%1", str(self.proxy.rowCount()))
            .replace("%2", str(total))
            if total
            else ""
        )

    def _show_diff(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            for view in (self.reference_view, self.base_view, self.tuned_view):
                view.clear()
            return
        row = self.records.rows[self.proxy.mapToSource(index).row()]
        reference = str(row.get("reference", ""))
        self.reference_view.setPlainText(reference)
        for side, view in (("base", self.base_view), ("tuned", self.tuned_view)):
            answer = str(eval_results.side_value(row, side, "answer") or "")
            _ref_spans, spans = eval_results.diff_spans(reference, answer)
            view.setHtml(
                "<div style='white-space: pre-wrap'>"
                + "".join(
                    f"<span style='background:#ffd7d5'>{html.escape(piece)}</span>"
                    if differs
                    else html.escape(piece)
                    for piece, differs in spans
                )
                + "</div>"
            )

    # ---- evaluate, export ----
    def has_split(self) -> bool:
        try:
            return RunConfig.load(os.path.join(self.run_dir, CONFIG_FILE_NAME)).eval_ratio > 0
        except (ConfigError, OSError, ValueError):
            return False

    def ask_and_evaluate(self) -> EvalDialog | None:
        if not self.run_dir or self.job.running:
            return None
        dialog = EvalDialog(self.run_dir, self.has_split(), self)
        dialog.accepted.connect(lambda: self.evaluate(dialog.options()))
        dialog.open()
        return dialog

    def evaluate(self, options: EvalOptions) -> bool:
        """Evaluate the run shown."""
        if not self.run_dir or not self.job.start(self.run_dir, options):
            return False
        self.progress.setValue(0)
        self._tell(self.tr("Evaluating… the base and the tuned model answer each record."))
        self._update_buttons()
        return True

    def _on_progress(self, text: str, fraction: float) -> None:
        self.progress.setValue(int(fraction * 1000))
        self._tell(text)

    def _on_done(self, ok: bool, problem: str, output: str) -> None:
        self._update_buttons()
        if not ok:
            self._tell(self.tr("The evaluation did not finish: %s") % problem)
            return
        self.set_run(self.run_dir, self.other_runs)
        index = self.choice.findData(output)
        if index >= 0:
            self.choice.setCurrentIndex(index)
        self._tell(self.tr("Evaluation saved in %s") % output)
        self.evaluated.emit(output)

    def export(self, kind: str, path: str = "") -> str:
        evaluation = self.evaluation
        if evaluation is None:
            return ""
        if not path:
            suggested = os.path.join(evaluation.folder, f"evaluation.{kind}")
            path, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Export the evaluation"),
                suggested,
                self.tr("CSV (*.csv)") if kind == "csv" else self.tr("Markdown (*.md)"),
            )
            if not path:
                return ""
        rows = self.proxy.visible_rows()
        text = (
            eval_results.to_csv(rows)
            if kind == "csv"
            else eval_results.to_markdown(evaluation, rows)
        )
        try:
            write_text_atomic(path, text)
        except OSError as exc:
            self._tell(self.tr("Could not write %1: %2").replace("%1", path).replace(
                "%2", exc.strerror or str(exc)))  # fmt: skip
            return ""
        self._tell(self.tr("Exported to %s") % path)
        return path
