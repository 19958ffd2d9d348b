"""The Runs section: every past run, its plots redrawn from its event log, and what to do next."""

from __future__ import annotations

import datetime
import json
import os

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core import events as ev
from lora_studio.core.commands import EvalOptions
from lora_studio.core.config import CONFIG_FILE_NAME, ConfigError, RunConfig
from lora_studio.core.runs import EVENTS_FILE, RunSummary, delete_run, list_runs
from lora_studio.gui.export_dialog import ExportDialog
from lora_studio.gui.jobs.merge import MergeJob
from lora_studio.gui.text import duration, error_event_text
from lora_studio.gui.training.cluster_job_dialog import ClusterJobDialog
from lora_studio.gui.training.eval_tab import EvaluationTab
from lora_studio.gui.widgets.plots import MetricsView

AFTER_TRAINING_LIMIT = 100  # records evaluated on their own after training (Evaluate… for all)


class RunsTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.runs: list[RunSummary] = []

    def headers(self) -> list[str]:
        return [
            self.tr("Name"),
            self.tr("Model"),
            self.tr("Dataset"),
            self.tr("Date"),
            self.tr("Status"),
            self.tr("Final loss"),
            self.tr("Duration"),
        ]

    def status_text(self, status: str) -> str:
        return {
            "completed": self.tr("completed"),
            "stopped": self.tr("stopped"),
            "failed": self.tr("failed"),
            "incomplete": self.tr("incomplete"),
        }.get(status, status)

    def set_runs(self, runs: list[RunSummary]) -> None:
        self.beginResetModel()
        self.runs = runs
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.runs)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 7

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.runs):
            return None
        run = self.runs[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return run.error or run.path
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            return run.name
        if column == 1:
            return os.path.basename(run.model.rstrip("/\\")) or run.model
        if column == 2:
            return os.path.basename(run.dataset)
        if column == 3:
            return datetime.datetime.fromtimestamp(run.started).strftime("%Y-%m-%d %H:%M")
        if column == 4:
            return self.status_text(run.status)
        if column == 5:
            return f"{run.final_loss:.4f}" if run.final_loss is not None else "–"
        return duration(run.duration_seconds) if run.duration_seconds else "–"

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None


class RunsPanel(QWidget):
    resume_requested = Signal(str)  # run folder
    duplicate_requested = Signal(object)  # RunConfig
    chat_requested = Signal(str)  # run folder

    def __init__(self, runs_dir: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runs_dir = runs_dir
        self.model = RunsTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentRowChanged.connect(self._on_selected)
        self.table.doubleClicked.connect(lambda _index: self.open_folder())

        self.buttons = {}
        row = QHBoxLayout()
        for key, label, slot in (
            ("refresh", self.tr("Refresh"), self.refresh),
            ("resume", self.tr("Resume"), self._resume),
            ("merge", self.tr("Merge"), self.merge),
            ("export", self.tr("Export…"), self.export),
            ("chat", self.tr("Open in Chat"), self._chat),
            ("duplicate", self.tr("Duplicate config"), self._duplicate),
            ("cluster", self.tr("Cluster job…"), self.cluster_job),
            ("folder", self.tr("Open folder"), self.open_folder),
            ("delete", self.tr("Delete…"), self.delete),
        ):
            button = QPushButton(label)
            button.clicked.connect(slot)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.empty_note = QLabel(self.tr("No runs yet. Start one in the Training section."))
        self.metrics = MetricsView()
        self.config_view = QPlainTextEdit()
        self.config_view.setReadOnly(True)
        details = QTabWidget()
        details.addTab(self.metrics, self.tr("Plots"))
        details.addTab(self.config_view, self.tr("Config"))
        self.evaluation = EvaluationTab()
        details.addTab(self.evaluation, self.tr("Evaluation"))
        self.details = details
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(details)
        split.setSizes([150, 700])
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.empty_note)
        layout.addWidget(split, 1)
        self.export_dialog: ExportDialog | None = None
        self.cluster_dialog: ClusterJobDialog | None = None
        self.merger = MergeJob(self)
        self.merger.progress.connect(lambda text, _fraction: self.message.setText(text))
        self.merger.done.connect(self._merge_done)
        self.refresh()

    def selected(self) -> RunSummary | None:
        index = self.table.currentIndex()
        return self.model.runs[index.row()] if index.isValid() else None

    def refresh(self) -> None:
        current = self.selected()
        self.model.set_runs(list_runs(self.runs_dir))
        self.empty_note.setVisible(not self.model.runs)
        paths = [r.path for r in self.model.runs]
        if current is not None and current.path in paths:
            self.table.selectRow(paths.index(current.path))
        self._update_buttons()

    def select_run(self, path: str) -> bool:
        for row, run in enumerate(self.model.runs):
            if os.path.abspath(run.path) == os.path.abspath(path):
                self.table.selectRow(row)
                return True
        return False

    def _update_buttons(self) -> None:
        run = self.selected()
        busy = self.merger.running
        for key, button in self.buttons.items():
            button.setEnabled(key == "refresh" or run is not None)
        if run is not None:
            self.buttons["resume"].setEnabled(run.can_resume)
            self.buttons["merge"].setEnabled(run.has_adapter and not busy)
            self.buttons["export"].setEnabled(run.has_adapter and not busy)
            self.buttons["chat"].setEnabled(run.has_adapter or run.has_merged)

    def _on_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()
        run = self.selected()
        self.evaluation.set_run(run.path if run else "", self.model.runs)
        if run is None:
            return
        events_path = os.path.join(run.path, EVENTS_FILE)
        events = ev.read_event_log(events_path) if os.path.isfile(events_path) else []
        self.metrics.load_events(events)
        errors = [e for e in events if isinstance(e, ev.Error)]
        if run.status == "failed" and errors:
            self.message.setText(self.tr("This run failed: %s") % error_event_text(errors[-1]))
        else:
            self.message.clear()
        try:
            with open(os.path.join(run.path, CONFIG_FILE_NAME), encoding="utf-8") as handle:
                self.config_view.setPlainText(
                    json.dumps(json.load(handle), indent=2, ensure_ascii=False)
                )
        except (OSError, ValueError):
            self.config_view.setPlainText(self.tr("No readable run_config.json in this run."))

    def _resume(self) -> None:
        run = self.selected()
        if run is not None:
            self.resume_requested.emit(run.path)

    def _chat(self) -> None:
        run = self.selected()
        if run is not None:
            self.chat_requested.emit(run.path)

    def _duplicate(self) -> None:
        run = self.selected()
        if run is None:
            return
        try:
            self.duplicate_requested.emit(RunConfig.load(os.path.join(run.path, CONFIG_FILE_NAME)))
        except ConfigError as exc:
            self.message.setText(str(exc))

    def evaluate_after_training(self, run_dir: str) -> bool:
        """Evaluate a run that just finished, when it held records out; False when it did not
        (or an evaluation already runs)."""
        if not self.select_run(run_dir) or not self.evaluation.has_split():
            return False
        return self.evaluation.evaluate(EvalOptions(limit=AFTER_TRAINING_LIMIT))

    def open_folder(self) -> None:
        run = self.selected()
        if run is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(run.path))

    def delete(self, confirm: bool = True) -> None:
        run = self.selected()
        if run is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                self.tr("Delete run"),
                self.tr(
                    "Delete the run “%s” with its checkpoints and adapter? This cannot be undone."
                )
                % run.name,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            delete_run(run.path)
        except (OSError, ValueError) as exc:
            self.message.setText(self.tr("Could not delete the run: %s") % exc)
        self.metrics.clear()
        self.config_view.clear()
        self.evaluation.set_run("", [])
        self.refresh()

    def merge(self) -> None:
        run = self.selected()
        if run is None or not self.merger.start(run.path):
            return
        self.message.setText(self.tr("Merging the adapter of “%s”…") % run.name)
        self._update_buttons()

    def export(self) -> ExportDialog | None:
        """Export… for the selected run, in a window-modal dialog."""
        run = self.selected()
        if run is None:
            return None
        self.export_dialog = ExportDialog(run.path, self)
        self.export_dialog.finished.connect(lambda _result: self.refresh())
        self.export_dialog.open()
        return self.export_dialog

    def cluster_job(self) -> ClusterJobDialog | None:
        """Cluster job… for the selected run: the same folder as ``main.py job export``."""
        run = self.selected()
        if run is None:
            return None
        self.cluster_dialog = ClusterJobDialog(run.path, self)
        self.cluster_dialog.open()
        return self.cluster_dialog

    @property
    def merge_job(self):
        """The merge's engine job while one runs, else None."""
        return self.merger.job

    def _merge_done(self, ok: bool, problem: str, output: str) -> None:
        self.refresh()  # first: selecting a run clears the line below (it is about one run)
        if ok:
            self.message.setText(self.tr("Merged model saved in %s") % output)
        else:
            self.message.setText(self.tr("Merge failed: %s") % problem)
