"""The Dataset section: a table of records with a detail pane, live checks and nothing lost.

Every edit is an undoable step of the ``DatasetDocument`` (Ctrl+Z / Ctrl+Shift+Z); a paste, an
import or a replace-all is one step. Checks rerun shortly after each change. Unsaved edits are
written to a recovery file every few seconds, and the next start offers them back after a crash.
Saves are atomic.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import time

from PySide6.QtCore import QFileSystemWatcher, QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core import checks, formats
from lora_studio.core.atomic import write_text_atomic
from lora_studio.core.dataset_io import ENCODING_CHOICES, DatasetError
from lora_studio.core.document import (
    TEXT_FIELDS,
    DatasetDocument,
    InsertRecords,
    MoveRecords,
    RemoveRecords,
    ReplaceRecords,
    SetFields,
)
from lora_studio.core.paths import user_data_dir
from lora_studio.core.record_shapes import KTO_REJECTED, object_to_record
from lora_studio.core.records import Record
from lora_studio.core.settings import AppSettings
from lora_studio.gui.dataset.table_model import COLUMNS, DatasetTableModel

AUTOSAVE_MS = 3000
CHECK_DELAY_MS = 300
MAX_LISTED_PROBLEMS = 2000
RECENT_FILES = 8
JSON_MIME = "application/x-lora-studio-records+json"


def recovery_path() -> str:
    return os.path.join(user_data_dir(), "recovery", "dataset.json")


class ColumnMappingDialog(QDialog):
    """Which columns of a table are the instruction, input, output and system."""

    def __init__(self, columns: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Choose the columns"))
        self.boxes: dict[str, QComboBox] = {}
        form = QFormLayout(self)
        form.addRow(
            QLabel(self.tr("The first row does not name the fields. Which column is which?"))
        )
        names = {
            "instruction": self.tr("Instruction"),
            "input": self.tr("Input"),
            "output": self.tr("Output"),
            "system": self.tr("System"),
        }
        for i, (name, label) in enumerate(names.items()):
            box = QComboBox()
            box.addItem(self.tr("(none)"), "")
            for column in columns:
                box.addItem(column or self.tr("(unnamed)"), column)
            if name in ("instruction", "output"):
                box.setCurrentIndex(min(i if name == "instruction" else 2, len(columns)))
            self.boxes[name] = box
            form.addRow(label, box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def mapping(self) -> dict[str, str]:
        return {k: box.currentData() for k, box in self.boxes.items() if box.currentData()}


class PlaceholderDialog(QDialog):
    """One field per template placeholder: the value that replaces it everywhere."""

    def __init__(self, names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Fill placeholders"))
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                self.tr(
                    "Each placeholder is replaced in every record by the value you give; "
                    "empty ones are left as they are. Undo takes it back in one step."
                )
            )
        )
        self.edits: dict[str, QLineEdit] = {}
        for name in names:
            edit = QLineEdit()
            self.edits[name] = edit
            form.addRow("{{" + name + "}}", edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, str]:
        return {name: edit.text() for name, edit in self.edits.items()}


class DatasetPanel(QWidget):
    status_message = Signal(str)
    dataset_saved = Signal(str)  # path

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.document = DatasetDocument()
        self.model = DatasetTableModel(self.document, self)
        self.model.rows_changed.connect(self._on_rows_changed)
        self.document.listeners.append(lambda _kind, _rows: self._on_document_changed())
        self.problems: list[checks.Problem] = []
        self.import_problems: list[formats.ImportProblem] = []
        self.token_counts: list[int] | None = None
        self.token_counter = None
        self.train_on = "all"  # as the training form says: which answers count as trained
        self._autosaved_revision = -1
        self._own_save_at = 0.0
        self._detail_row = -1
        self._loading_detail = False

        # ---- actions (shortcuts work while the section has focus) ----
        self.actions_: dict[str, QAction] = {}
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for key, text, shortcut, slot in (
            ("new", self.tr("New"), "", self.new_dataset),
            ("open", self.tr("Open…"), "", self.open_dialog),
            ("save", self.tr("Save"), "", self.save),
            ("save_as", self.tr("Save as…"), "Ctrl+Shift+S", self.save_as),
            ("export", self.tr("Export…"), "", self.export_dialog),
            ("split", self.tr("Split…"), "", self.split_dialog),
            (None, None, None, None),
            ("undo", self.tr("Undo"), QKeySequence.StandardKey.Undo, self.undo),
            ("redo", self.tr("Redo"), "Ctrl+Shift+Z", self.redo),
            (None, None, None, None),
            ("add", self.tr("Add"), "Ctrl+Return", self.add_record),
            ("insert", self.tr("Insert"), "Ins", self.insert_record),
            ("duplicate", self.tr("Duplicate"), "Ctrl+D", self.duplicate_records),
            ("delete", self.tr("Delete"), "Del", self.delete_records),
            ("up", self.tr("Move up"), "Alt+Up", lambda: self.move_records(-1)),
            ("down", self.tr("Move down"), "Alt+Down", lambda: self.move_records(1)),
            (None, None, None, None),
            ("copy", self.tr("Copy"), QKeySequence.StandardKey.Copy, self.copy_records),
            ("paste", self.tr("Paste"), QKeySequence.StandardKey.Paste, self.paste_records),
            ("generate", self.tr("Generate…"), "", self.generate_dialog),
            ("find", self.tr("Find"), QKeySequence.StandardKey.Find, self.show_find),
            ("replace", self.tr("Replace"), "Ctrl+H", self.show_find),
            ("fill", self.tr("Fill placeholders…"), "", self.fill_placeholders_dialog),
            ("encoding", self.tr("Reopen with encoding…"), "", self.reopen_with_encoding_dialog),
        ):
            if key is None:
                toolbar.addSeparator()
                continue
            action = QAction(text, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                action.setToolTip(f"{text} ({action.shortcut().toString()})")
            action.triggered.connect(slot)
            self.addAction(action)
            toolbar.addAction(action)
            self.actions_[key] = action
        self.recent_menu = QMenu(self)
        self.actions_["open"].setMenu(self.recent_menu)
        self.recent_menu.aboutToShow.connect(self._fill_recent)

        # ---- table ----
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.table.horizontalHeader()
        for column, width in zip(range(len(COLUMNS)), (260, 160, 360, 120, 50), strict=True):
            header.resizeSection(column, width)
        header.setStretchLastSection(False)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)

        # ---- detail pane ----
        self.detail: dict[str, QPlainTextEdit] = {}
        detail_box = QWidget()
        detail_layout = QFormLayout(detail_box)
        self.detail_title = QLabel()
        detail_layout.addRow(self.detail_title)
        labels = {
            "instruction": self.tr("Instruction"),
            "input": self.tr("Input"),
            "output": self.tr("Output"),
            "system": self.tr("System"),
        }
        for name in TEXT_FIELDS:
            edit = QPlainTextEdit()
            edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
            edit.setTabChangesFocus(True)
            edit.textChanged.connect(self._on_detail_edited)
            self.detail[name] = edit
            detail_layout.addRow(labels[name], edit)
        self.history_view = QLabel()
        self.history_view.setWordWrap(True)
        detail_layout.addRow(self.tr("Earlier turns"), self.history_view)
        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(600)
        self._detail_timer.timeout.connect(self.commit_detail)

        # ---- find and replace, filters ----
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText(self.tr("Find"))
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.returnPressed.connect(self.find_next)
        self.find_edit.textChanged.connect(self._on_find_changed)
        self.replace_edit = QLineEdit()
        self.replace_edit.setPlaceholderText(self.tr("Replace with"))
        self.regex_box = QCheckBox(self.tr("Regular expression"))
        self.case_box = QCheckBox(self.tr("Match case"))
        self.regex_box.toggled.connect(self._on_find_changed)
        self.case_box.toggled.connect(self._on_find_changed)
        next_button = QPushButton(self.tr("Find next"))
        next_button.clicked.connect(self.find_next)
        replace_button = QPushButton(self.tr("Replace all"))
        replace_button.clicked.connect(self.replace_all)
        self.matches_only = QCheckBox(self.tr("Only matches"))
        self.matches_only.toggled.connect(self.apply_filter)
        self.problems_only = QCheckBox(self.tr("Only records with problems"))
        self.problems_only.toggled.connect(self.apply_filter)
        find_row = QHBoxLayout()
        for widget in (
            self.find_edit,
            self.replace_edit,
            self.regex_box,
            self.case_box,
            next_button,
            replace_button,
        ):
            find_row.addWidget(widget)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.matches_only)
        filter_row.addWidget(self.problems_only)
        filter_row.addStretch(1)
        self.find_status = QLabel()
        filter_row.addWidget(self.find_status)

        # ---- problems and statistics ----
        self.problem_list = QListWidget()
        self.problem_list.itemActivated.connect(self._jump_to_problem)
        self.problem_list.itemClicked.connect(self._jump_to_problem)
        self.stats_label = QLabel()
        self.stats_label.setWordWrap(True)
        self.max_len = QSpinBox()
        self.max_len.setRange(16, 131072)
        self.max_len.setValue(512)
        self.max_len.setToolTip(self.tr("Records longer than this are marked"))
        self.max_len.valueChanged.connect(self.schedule_checks)
        self.token_model = QComboBox()
        self.token_model.setToolTip(
            self.tr("Count tokens with this model's tokenizer.json (characters without one)")
        )
        self.token_model.currentIndexChanged.connect(self._on_token_model_changed)
        self.histogram_holder = QVBoxLayout()
        self.histogram = None
        stats_box = QWidget()
        stats_layout = QVBoxLayout(stats_box)
        token_row = QHBoxLayout()
        token_row.addWidget(QLabel(self.tr("Count tokens with")))
        token_row.addWidget(self.token_model, 1)
        token_row.addWidget(QLabel(self.tr("Maximum length")))
        token_row.addWidget(self.max_len)
        stats_layout.addLayout(token_row)
        stats_layout.addWidget(self.stats_label)
        stats_layout.addLayout(self.histogram_holder, 1)
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(detail_box, self.tr("Record"))
        self.side_tabs.addTab(self.problem_list, self.tr("Problems"))
        self.side_tabs.addTab(stats_box, self.tr("Statistics"))
        self.side_tabs.currentChanged.connect(self._on_tab_changed)

        self.file_label = QLabel()
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(find_row)
        left_layout.addLayout(filter_row)
        left_layout.addWidget(self.table, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.side_tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(toolbar)
        layout.addWidget(self.file_label)
        layout.addWidget(split, 1)

        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.run_checks)
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setInterval(AUTOSAVE_MS)
        self._autosave_timer.timeout.connect(self.autosave)
        self._autosave_timer.start()
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._on_file_changed_on_disk)
        self._fill_token_models()
        self._update_state()

    # ---- files ----
    def new_dataset(self) -> None:
        if not self.maybe_save():
            return
        self._set_path_watch("")
        self.document.load([Record("", "")])
        self.import_problems = []
        self.discard_recovery()
        self._after_load()

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a dataset"),
            self._start_folder(),
            self.tr("Datasets (*.json *.jsonl *.csv *.tsv *.txt *.xlsx);;All files (*)"),
        )
        if path:
            self.open_path(path)

    def open_path(self, path: str, ask=None, encoding: str = "") -> bool:
        """Open any readable file. ``ask(problems) -> bool`` decides whether a file with bad lines
        opens with its good records (the default asks with a message box); ``encoding`` names
        the file's encoding instead of detecting it."""
        if not self.maybe_save():
            return False
        try:
            result = self._read(path, encoding=encoding)
        except DatasetError as exc:
            self._show_error(self.tr("The file cannot be opened"), str(exc))
            return False
        if result is None:
            return False
        if result.problems:
            decide = ask or self._ask_open_with_problems
            if not decide(result):
                return False
        self.document.load(result.records, path)
        self.document.encoding = result.encoding
        self.document.format = result.format
        self.import_problems = result.problems
        self._set_path_watch(path)
        self._remember_recent(path)
        self.discard_recovery()
        self._after_load()
        message = self.tr("Opened %d records from %s (%s)") % (
            len(result.records),
            os.path.basename(path),
            result.encoding,
        )
        if result.left_out.get(KTO_REJECTED):
            message += (
                " · "
                + self.tr("%d answers marked bad (KTO) were left out")
                % result.left_out[KTO_REJECTED]
            )
        self.status_message.emit(message)
        return True

    def _read(self, path: str, mapping: dict[str, str] | None = None, encoding: str = ""):
        try:
            return formats.read_dataset(path, mapping, encoding)
        except formats.NeedsMapping as exc:
            dialog = ColumnMappingDialog(exc.columns, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return formats.read_dataset(path, dialog.mapping(), encoding)

    def reopen_with_encoding_dialog(self) -> bool:
        """Read the open file again in an encoding the user names (detection guessed wrong)."""
        path = self.document.path
        if not path or self.document.format not in ("json", "jsonl", "csv", "tsv"):
            self.status_message.emit(self.tr("Open a text dataset first."))
            return False
        current = (
            ENCODING_CHOICES.index(self.document.encoding)
            if (self.document.encoding in ENCODING_CHOICES)
            else 0
        )
        choice, ok = QInputDialog.getItem(
            self,
            self.tr("Reopen with encoding"),
            self.tr("The file was read as %s. Read it as:") % self.document.encoding,
            list(ENCODING_CHOICES),
            current,
            False,
        )
        return bool(ok and choice) and self.open_path(path, encoding=choice)

    def fill_placeholders_dialog(self) -> int:
        """Ask a value for each template placeholder ({{name}}) and fill them all in one step."""
        names: dict[str, None] = {}
        for record in self.document.records:
            names.update((n, None) for n in checks.placeholders(record))
        if not names:
            self.status_message.emit(self.tr("No record holds a placeholder such as {{name}}."))
            return 0
        dialog = PlaceholderDialog(list(names), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        return self.fill_placeholders(dialog.values())

    def fill_placeholders(self, values: dict[str, str]) -> int:
        values = {k: v for k, v in values.items() if v}
        changes = checks.fill_placeholders(self.document.records, values)
        if changes:
            self.commit_detail()
            self.document.apply(SetFields(changes, self.tr("Fill placeholders")))
        self.status_message.emit(self.tr("Filled placeholders in %d texts.") % len(changes))
        return len(changes)

    def set_train_on(self, train_on: str) -> None:
        """Token counts follow the training form: all answers trained, or the last only."""
        if train_on != self.train_on:
            self.train_on = train_on
            self.schedule_checks()

    def _ask_open_with_problems(self, result: formats.ReadResult) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Some records cannot be read"))
        box.setText(
            self.tr("%d records cannot be read; %d can. Open the readable ones?")
            % (len(result.problems), len(result.records))
        )
        box.setDetailedText("\n".join(str(p) for p in result.problems[:MAX_LISTED_PROBLEMS]))
        open_button = box.addButton(
            self.tr("Open the readable ones"), QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(self.tr("Do not open"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is open_button

    def save(self) -> bool:
        if not self.document.path or self.document.format not in ("json", "jsonl"):
            return self.save_as()
        return self.save_to(self.document.path)

    def save_as(self) -> bool:
        start = self.document.path or os.path.join(self._start_folder(), "dataset.json")
        if start and not start.lower().endswith((".json", ".jsonl")):
            start = os.path.splitext(start)[0] + ".json"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the dataset"), start, self.tr("JSON (*.json);;JSON lines (*.jsonl)")
        )
        return self.save_to(path) if path else False

    def save_to(self, path: str, fmt: str = "") -> bool:
        self.commit_detail()
        try:
            self._own_save_at = time.monotonic()
            formats.write_dataset(self.document.records, path, fmt)
        except OSError as exc:
            self._show_error(
                self.tr("The dataset could not be saved"),
                self.tr("%s: %s. The file on disk is unchanged.") % (path, exc.strerror or exc),
            )
            return False
        self.document.mark_saved(path)
        self.document.format = fmt or formats.format_for_path(path)
        self.document.encoding = "utf-8"
        self._set_path_watch(path)
        self._remember_recent(path)
        self.discard_recovery()
        self._update_state()
        self.dataset_saved.emit(path)
        self.status_message.emit(self.tr("Saved %s") % path)
        return True

    def export_dialog(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self,
            self.tr("Export"),
            os.path.splitext(self.document.path or "dataset")[0] + "-messages.jsonl",
            self.tr("OpenAI messages JSON lines (*.jsonl);;JSON lines (*.jsonl);;JSON (*.json)"),
        )
        if not path:
            return
        fmt = "messages" if "messages" in chosen else formats.format_for_path(path)
        try:
            formats.write_dataset(self.document.records, path, fmt)
        except OSError as exc:
            self._show_error(self.tr("Export failed"), f"{path}: {exc.strerror or exc}")
            return
        self.status_message.emit(self.tr("Exported %s") % path)

    def split_dialog(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Split into train and eval files"))
        ratio = QDoubleSpinBox()
        ratio.setRange(0.01, 0.5)
        ratio.setSingleStep(0.05)
        ratio.setValue(0.1)
        seed = QSpinBox()
        seed.setRange(0, 2**31 - 1)
        seed.setValue(42)
        form = QFormLayout(dialog)
        form.addRow(self.tr("Eval share"), ratio)
        form.addRow(self.tr("Seed"), seed)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        base, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the train file (the eval file goes beside it)"),
            os.path.splitext(self.document.path or "dataset")[0] + "-train.json",
            self.tr("JSON (*.json)"),
        )
        if base:
            self.split_to(base, ratio.value(), seed.value())

    def split_to(self, train_path: str, ratio: float, seed: int) -> tuple[str, str] | None:
        try:
            train, evaluation = formats.split_records(self.document.records, ratio, seed)
        except ValueError as exc:
            self._show_error(self.tr("Cannot split"), str(exc))
            return None
        stem = (
            train_path[: -len("-train.json")]
            if train_path.endswith("-train.json")
            else (os.path.splitext(train_path)[0])
        )
        eval_path = f"{stem}-eval.json"
        try:
            formats.write_dataset(train, train_path)
            formats.write_dataset(evaluation, eval_path)
        except OSError as exc:
            self._show_error(self.tr("Split failed"), str(exc))
            return None
        self.status_message.emit(
            self.tr("%d records in %s, %d in %s")
            % (len(train), train_path, len(evaluation), eval_path)
        )
        return train_path, eval_path

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False when the user cancels."""
        self.commit_detail()
        if not self.document.dirty:
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("The dataset has unsaved changes. Save them?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.discard_recovery()
            return True
        return False

    def _start_folder(self) -> str:
        recent = self.settings.recent_datasets
        return os.path.dirname(recent[0]) if recent else os.path.expanduser("~")

    def _remember_recent(self, path: str) -> None:
        path = os.path.abspath(path)
        recent = [p for p in self.settings.recent_datasets if p != path]
        self.settings.recent_datasets = [path, *recent][:RECENT_FILES]
        self.settings.last_dataset = path
        try:
            self.settings.save()
        except OSError:
            pass

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_datasets:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        if not self.settings.recent_datasets:
            self.recent_menu.addAction(self.tr("No recent files")).setEnabled(False)

    def _set_path_watch(self, path: str) -> None:
        if self.watcher.files():
            self.watcher.removePaths(self.watcher.files())
        if path and os.path.isfile(path):
            self.watcher.addPath(path)

    def _on_file_changed_on_disk(self, path: str) -> None:
        if time.monotonic() - self._own_save_at < 2.0 or path != self.document.path:
            self._set_path_watch(self.document.path)  # an atomic save replaces the file
            return
        self._set_path_watch(self.document.path)
        if not os.path.exists(path):
            self.status_message.emit(self.tr("%s was deleted or moved on disk.") % path)
            return
        text = self.tr("%s was changed by another program. Reload it?") % os.path.basename(path)
        if self.document.dirty:
            text += " " + self.tr("Your unsaved changes here would be lost.")
        if self.ask_reload(text):
            try:
                result = formats.read_dataset(path)
            except DatasetError as exc:
                self._show_error(self.tr("The file cannot be reloaded"), str(exc))
                return
            self.document.load(result.records, path)
            self._after_load()

    def ask_reload(self, text: str) -> bool:
        answer = QMessageBox.question(self, self.tr("File changed on disk"), text)
        return answer == QMessageBox.StandardButton.Yes

    # ---- recovery ----
    def autosave(self) -> None:
        if not self.document.dirty:
            return
        if self.document.revision == self._autosaved_revision:
            return
        data = {
            "path": self.document.path,
            "saved_at": time.time(),
            "records": [r.to_dict() for r in self.document.records],
        }
        try:
            write_text_atomic(recovery_path(), json.dumps(data, ensure_ascii=False))
            self._autosaved_revision = self.document.revision
        except OSError:
            pass

    def discard_recovery(self) -> None:
        self._autosaved_revision = -1
        try:
            os.remove(recovery_path())
        except OSError:
            pass

    @staticmethod
    def pending_recovery() -> dict | None:
        try:
            with open(recovery_path(), encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and isinstance(data.get("records"), list) else None

    def restore(self, data: dict) -> int:
        """Put recovered records back: they are unsaved edits of their file (or a new file)."""
        records, bad = [], 0
        for obj in data["records"]:
            record, _why, _left_out = object_to_record(obj)
            if record is None:
                bad += 1
            else:
                records.append(record)
        path = data.get("path") or ""
        self.document.load([], path)
        self.document.apply(ReplaceRecords(records, text="Restore"))
        self._set_path_watch(path)
        self._after_load()
        self.status_message.emit(self.tr("Restored %d records of unsaved edits.") % len(records))
        return len(records)

    # ---- editing ----
    def selected_records(self) -> list[int]:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        current = self.table.currentIndex()
        if not rows and current.isValid():
            rows = {current.row()}
        return sorted(self.model.record_at(r) for r in rows)

    def current_record(self) -> int:
        index = self.table.currentIndex()
        return self.model.record_at(index.row()) if index.isValid() else -1

    def add_record(self) -> None:
        self.commit_detail()
        self.document.apply(InsertRecords(len(self.document.records), [Record("", "")], "Add"))
        self.detail["instruction"].setFocus()

    def insert_record(self) -> None:
        self.commit_detail()
        at = max(0, self.current_record())
        self.document.apply(InsertRecords(at, [Record("", "")], "Insert"))

    def duplicate_records(self) -> None:
        self.commit_detail()
        rows = self.selected_records()
        if rows:
            copies = [self.document.records[r] for r in rows]
            self.document.apply(InsertRecords(rows[-1] + 1, copies, "Duplicate"))

    def delete_records(self) -> None:
        self.commit_detail()
        rows = self.selected_records()
        if rows:
            self.document.apply(RemoveRecords(rows))

    def move_records(self, delta: int) -> None:
        self.commit_detail()
        rows = self.selected_records()
        if not rows or rows[0] + delta < 0 or rows[-1] + delta >= len(self.document.records):
            return
        self.document.apply(MoveRecords(rows, delta))

    def undo(self) -> None:
        self.commit_detail()
        self.document.undo()

    def redo(self) -> None:
        self.commit_detail()
        self.document.redo()

    # ---- generating with an LLM ----
    def generate_dialog(self):
        from lora_studio.gui.dataset.generator_dialog import GeneratorDialog

        self.commit_detail()
        examples = [self.document.records[r] for r in self.selected_records()]
        dialog = GeneratorDialog(self.settings, examples, list(self.document.records), self)
        dialog.generated.connect(self.append_generated)
        dialog.open()
        return dialog

    def append_generated(self, records: list) -> None:
        at = len(self.document.records)
        if self.document.records == [Record("", "")]:  # the blank record of a new dataset
            self.document.apply(ReplaceRecords(records, "Generate"))
        else:
            self.document.apply(InsertRecords(at, records, "Generate"))
        self.status_message.emit(self.tr("Added %d generated records.") % len(records))

    # ---- clipboard: TSV for spreadsheets, JSON for this app ----
    def copy_records(self) -> None:
        rows = self.selected_records()
        if not rows:
            return
        records = [self.document.records[r] for r in rows]
        out = io.StringIO()
        writer = csv.writer(out, dialect="excel-tab", lineterminator="\n")
        for record in records:
            writer.writerow([record.instruction, record.input, record.output])
        mime = QMimeData()
        mime.setText(out.getvalue())
        mime.setData(
            JSON_MIME, json.dumps([r.to_dict() for r in records], ensure_ascii=False).encode()
        )
        QGuiApplication.clipboard().setMimeData(mime)
        self.status_message.emit(self.tr("Copied %d records.") % len(records))

    def paste_records(self) -> int:
        mime = QGuiApplication.clipboard().mimeData()
        records: list[Record] = []
        if mime is not None and mime.hasFormat(JSON_MIME):
            for obj in json.loads(bytes(mime.data(JSON_MIME).data()).decode("utf-8")):
                record, _why, _left_out = object_to_record(obj)
                if record is not None:
                    records.append(record)
        elif mime is not None and mime.hasText():
            records = records_from_clipboard_text(mime.text())
        if not records:
            self.status_message.emit(self.tr("Nothing to paste: copy rows or JSON records first."))
            return 0
        self.commit_detail()
        at = self.current_record() + 1 if self.current_record() >= 0 else len(self.document.records)
        self.document.apply(InsertRecords(at, records, "Paste"))
        self.status_message.emit(self.tr("Pasted %d records.") % len(records))
        return len(records)

    # ---- the detail pane ----
    def _on_current_changed(self, current, _previous) -> None:
        self.commit_detail()
        self.show_detail(self.model.record_at(current.row()) if current.isValid() else -1)

    def show_detail(self, row: int) -> None:
        self._detail_row = row
        self._loading_detail = True
        record = self.document.records[row] if 0 <= row < len(self.document.records) else None
        for name, edit in self.detail.items():
            edit.setPlainText(getattr(record, name) if record else "")
            edit.setEnabled(record is not None)
        if record is None:
            self.detail_title.setText("")
            self.history_view.setText("")
        else:
            self.detail_title.setText(self.tr("<b>Record %d</b>") % (row + 1))
            self.history_view.setText(
                "<br>".join(
                    f"<b>{i}.</b> {_html(u)} → {_html(a)}"
                    for i, (u, a) in enumerate(record.history, start=1)
                )
                or self.tr("none")
            )
        self._loading_detail = False

    def _on_detail_edited(self) -> None:
        if not self._loading_detail:
            self._detail_timer.start()

    def commit_detail(self) -> None:
        """Write the detail pane's edits into the record (one undoable step)."""
        self._detail_timer.stop()
        row = self._detail_row
        if not 0 <= row < len(self.document.records):
            return
        record = self.document.records[row]
        changes = [
            (row, name, getattr(record, name), edit.toPlainText())
            for name, edit in self.detail.items()
            if edit.toPlainText() != getattr(record, name)
        ]
        if changes:
            self.document.apply(SetFields(changes, text="Edit"))

    # ---- find, replace, filter ----
    def show_find(self) -> None:
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def _pattern_ok(self) -> bool:
        if not self.regex_box.isChecked():
            return True
        try:
            re.compile(self.find_edit.text())
        except re.error as exc:
            self.find_status.setText(self.tr("Not a valid expression: %s") % exc)
            return False
        return True

    def _on_find_changed(self) -> None:
        if self.matches_only.isChecked():
            self.apply_filter()
        else:
            self._pattern_ok() and self.find_status.setText("")

    def matching_rows(self) -> list[int]:
        text = self.find_edit.text()
        if not text or not self._pattern_ok():
            return []
        hits = self.document.find(text, self.regex_box.isChecked(), self.case_box.isChecked())
        return sorted({row for row, _ in hits})

    def find_next(self) -> bool:
        if not self._pattern_ok():
            return False
        rows = self.matching_rows()
        if not rows:
            self.find_status.setText(self.tr("Not found"))
            return False
        current = self.current_record()
        following = [r for r in rows if r > current] or rows
        self.select_record(following[0])
        self.find_status.setText(self.tr("%d matching records") % len(rows))
        return True

    def replace_all(self) -> int:
        text = self.find_edit.text()
        if not text or not self._pattern_ok():
            return 0
        self.commit_detail()
        count = self.document.replace_all(
            text, self.replace_edit.text(), self.regex_box.isChecked(), self.case_box.isChecked()
        )
        self.find_status.setText(self.tr("%d fields replaced (Ctrl+Z undoes it)") % count)
        return count

    def apply_filter(self) -> None:
        rows: set[int] | None = None
        if self.matches_only.isChecked() and self.find_edit.text():
            rows = set(self.matching_rows())
        if self.problems_only.isChecked():
            with_problems = {p.row for p in self.problems}
            rows = with_problems if rows is None else rows & with_problems
        current = self.current_record()
        self.model.set_filter(sorted(rows) if rows is not None else None)
        if rows is not None:
            self.find_status.setText(self.tr("%d records shown") % len(rows))
        if current >= 0:
            self.select_record(current, scroll=False)

    def select_record(self, row: int, scroll: bool = True) -> bool:
        view_row = self.model.view_row_of(row)
        if view_row < 0:
            return False
        index = self.model.index(view_row, 0)
        self.table.setCurrentIndex(index)
        self.table.selectRow(view_row)
        if scroll:
            self.table.scrollTo(index)
        return True

    # ---- checks and statistics ----
    def schedule_checks(self) -> None:
        self._check_timer.start()

    def _fill_token_models(self) -> None:
        self.token_model.blockSignals(True)
        self.token_model.clear()
        self.token_model.addItem(self.tr("(characters)"), "")
        from lora_studio.core.presets import demo_model_dir

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
                self.status_message.emit(str(exc))
        self.schedule_checks()

    def run_checks(self) -> None:
        records = self.document.records
        prompt_tokens = answer_tokens = None
        if self.token_counter is not None and records:
            prompt_tokens, answer_tokens = self.token_counter.counts(records, self.train_on)
            self.token_counts = [p + a for p, a in zip(prompt_tokens, answer_tokens, strict=True)]
        else:
            self.token_counts = None
        self.problems = checks.check_records(records, self.max_len.value(), self.token_counts)
        self.model.set_problems(self.problems)
        self._fill_problem_list()
        if self.problems_only.isChecked():
            self.apply_filter()
        self._stats = checks.dataset_stats(records, prompt_tokens, answer_tokens)
        self._update_stats()
        self._update_state()

    def _fill_problem_list(self) -> None:
        names = problem_kind_names()
        self.problem_list.clear()
        shown = 0
        for problem in self.import_problems[:MAX_LISTED_PROBLEMS]:
            item = QListWidgetItem(
                self.tr("%s: not imported: %s") % (problem.location, problem.message)
            )
            item.setData(Qt.ItemDataRole.UserRole, -1)
            self.problem_list.addItem(item)
            shown += 1
        for problem in self.problems[: MAX_LISTED_PROBLEMS - shown]:
            where = self.tr("Record %d") % (problem.row + 1)
            text = f"{where}: {names.get(problem.kind, problem.kind)}"
            if problem.field:
                text += f" ({problem.field})"
            if problem.other >= 0:
                text += " " + self.tr("— like record %d") % (problem.other + 1)
            if problem.kind == "too_long" and self.token_counts is not None:
                text += f" ({self.token_counts[problem.row]})"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, problem.row)
            item.setToolTip(problem.message)
            self.problem_list.addItem(item)
        total = len(self.problems) + len(self.import_problems)
        if total > MAX_LISTED_PROBLEMS:
            self.problem_list.addItem(self.tr("… and %d more") % (total - MAX_LISTED_PROBLEMS))
        self.side_tabs.setTabText(1, self.tr("Problems (%d)") % total)

    def _jump_to_problem(self, item: QListWidgetItem) -> None:
        row = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(row, int) and row >= 0:
            if not self.select_record(row):
                self.problems_only.setChecked(False)
                self.matches_only.setChecked(False)
                self.select_record(row)
            self.side_tabs.setCurrentIndex(0)

    def _update_stats(self) -> None:
        stats = getattr(self, "_stats", None)
        if stats is None:
            return
        unit = self.tr("tokens") if stats.unit == "tokens" else self.tr("characters")
        self.stats_label.setText(
            self.tr("%d records · Chinese %.0f%%, English %.0f%% of letters · lengths in %s")
            % (stats.records, stats.chinese_share * 100, (1 - stats.chinese_share) * 100, unit)
        )
        if self.side_tabs.currentIndex() == 2:
            self._draw_histogram(stats)

    def _on_tab_changed(self, index: int) -> None:
        if index == 2:
            self._update_stats()

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
            plot.addItem(
                pg.InfiniteLine(self.max_len.value(), angle=90, pen=pg.mkPen("#d62728", width=2))
            )

    # ---- state ----
    def _after_load(self) -> None:
        self._autosaved_revision = -1
        self.model.set_filter(None)
        self.apply_filter()
        if self.document.records:
            self.select_record(0)
        else:
            self.show_detail(-1)
        self._update_state()
        # the table shows first; the checks follow from the event loop
        self._check_timer.stop()
        QTimer.singleShot(0, self.run_checks)

    def _on_document_changed(self) -> None:
        self.schedule_checks()
        self._update_state()

    def _on_rows_changed(self, rows: list[int]) -> None:
        if self.model.view_rows is not None:
            self.apply_filter()
        if rows:
            self.select_record(rows[0])
            for row in rows[1:]:
                view_row = self.model.view_row_of(row)
                if view_row >= 0:
                    self.table.selectionModel().select(
                        self.model.index(view_row, 0),
                        self.table.selectionModel().SelectionFlag.Select
                        | self.table.selectionModel().SelectionFlag.Rows,
                    )
        self.show_detail(self.current_record())

    def _update_state(self) -> None:
        doc = self.document
        name = doc.path or self.tr("(not saved yet)")
        mark = " *" if doc.dirty else ""
        self.file_label.setText(
            self.tr("%s%s · %d records · %s") % (name, mark, len(doc.records), doc.encoding)
        )
        self.actions_["undo"].setEnabled(bool(doc.undo_stack))
        self.actions_["redo"].setEnabled(bool(doc.redo_stack))

    def _show_error(self, title: str, text: str) -> None:
        self.status_message.emit(text)
        QMessageBox.warning(self, title, text)


def dropped_file(mime) -> str:
    if mime is None or not mime.hasUrls():
        return ""
    for url in mime.urls():
        if url.isLocalFile() and os.path.isfile(url.toLocalFile()):
            return url.toLocalFile()
    return ""


def records_from_clipboard_text(text: str) -> list[Record]:
    """Rows copied from Excel or WPS (tab-separated), or JSON records as text."""
    stripped = text.strip()
    if stripped.startswith(("[", "{")):
        try:
            data = json.loads(stripped)
        except ValueError:
            data = None
        if data is not None:
            objects = data if isinstance(data, list) else [data]
            return [r for r, _, _ in map(object_to_record, objects) if r is not None]
        lines = [line for line in stripped.splitlines() if line.strip()]
        try:
            objects = [json.loads(line) for line in lines]
            return [r for r, _, _ in map(object_to_record, objects) if r is not None]
        except ValueError:
            pass
    rows = [row for row in csv.reader(io.StringIO(text), dialect="excel-tab") if any(row)]
    if rows and formats.auto_mapping(rows[0]):
        mapping = formats.auto_mapping(rows[0])
        columns = rows[0]
        rows = rows[1:]
        return [
            Record(
                instruction=_cell(row, columns.index(mapping["instruction"])),
                output=_cell(row, columns.index(mapping["output"])),
                input=_cell(row, columns.index(mapping["input"])) if "input" in mapping else "",
            )
            for row in rows
        ]
    out = []
    for row in rows:
        if len(row) >= 3:
            out.append(Record(row[0], row[2], input=row[1]))
        elif len(row) == 2:
            out.append(Record(row[0], row[1]))
        else:
            out.append(Record(row[0], ""))
    return out


def _cell(row: list[str], i: int) -> str:
    return row[i] if i < len(row) else ""


def _html(text: str) -> str:
    import html

    return html.escape(text[:200])


def problem_kind_names() -> dict[str, str]:
    from lora_studio.gui.text import translate

    return {
        "empty": translate("Text", "empty"),
        "duplicate": translate("Text", "duplicate"),
        "near_duplicate": translate("Text", "near duplicate (spaces, letter case)"),
        "too_long": translate("Text", "longer than the maximum length"),
        "whitespace": translate("Text", "leading or trailing whitespace"),
        "encoding": translate("Text", "� characters: wrong encoding?"),
        "placeholder": translate("Text", "template placeholders such as {{name}}"),
        "tool_call": translate("Text", "a tool call that is not valid JSON"),
    }
