"""The dataset editor: a lazy table of records with a detail pane, every edit undoable.

The panel composes its parts and connects them: the toolbar (``toolbar.py``), the find bar
(``find_bar.py``), the detail pane (``record_editor.py``), the problems and statistics
(``checks_view.py``, run by ``check_runner.py`` in a thread) and the files (``files.py``).
Each part emits signals and never imports the panel; the panel holds the editing operations.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QMenu,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core import checks, clipboard, recovery
from lora_studio.core.document import (
    DatasetDocument,
    InsertRecords,
    MoveRecords,
    RemoveRecords,
    ReplaceRecords,
    SetFields,
)
from lora_studio.core.records import Record
from lora_studio.core.settings import AppSettings
from lora_studio.gui.dataset.check_runner import CheckResult, CheckRunner, compute
from lora_studio.gui.dataset.checks_view import ProblemList, StatsView
from lora_studio.gui.dataset.dialogs import PlaceholderDialog
from lora_studio.gui.dataset.empty_hint import EmptyHint
from lora_studio.gui.dataset.files import DatasetFiles
from lora_studio.gui.dataset.find_bar import FindBar
from lora_studio.gui.dataset.record_editor import RecordEditor
from lora_studio.gui.dataset.table_model import COLUMNS, DatasetTableModel
from lora_studio.gui.dataset.toolbar import build_toolbar

AUTOSAVE_MS = 3000
CHECK_DELAY_MS = 300
RECORD_TAB, PROBLEMS_TAB, STATS_TAB = range(3)


class DatasetPanel(QWidget):
    status_message = Signal(str)
    checks_done = Signal()  # problems and statistics are up to date
    dataset_saved = Signal(str)
    dataset_opened = Signal(str)  # a file's records are in the editor (the Training form follows)

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.document = DatasetDocument()
        self.model = DatasetTableModel(self.document, self)
        self.model.rows_changed.connect(self._on_rows_changed)
        self.document.listeners.append(lambda _kind, _rows: self._on_document_changed())
        self.problems: list[checks.Problem] = []
        self.token_counts: list[int] | None = None
        self.train_on = "all"  # as the training form says: which answers count as trained
        self._stats: checks.Stats | None = None
        self._revision = 0  # +1 on each change of the document: a check result names its own
        self.checker = CheckRunner(self)
        self.checker.finished.connect(self._apply_checks)

        self.files = DatasetFiles(self.document, settings, self)
        self.files.loaded.connect(self._after_load)
        self.files.saved.connect(self._on_saved)
        self.files.status.connect(self.status_message)
        self.files.commit_requested.connect(self.commit_detail)
        self.find_bar = FindBar()
        self.find_bar.find_next_requested.connect(self.find_next)
        self.find_bar.replace_all_requested.connect(self.replace_all)
        self.find_bar.filter_changed.connect(self.apply_filter)
        self.editor = RecordEditor()
        self.editor.edited.connect(self.commit_detail)
        self.problem_list = ProblemList()
        self.problem_list.record_chosen.connect(self._jump_to_problem)
        self.stats = StatsView()
        self.stats.settings_changed.connect(self.schedule_checks)
        self.stats.problem.connect(self.status_message)

        toolbar, self.actions_ = build_toolbar(
            self,
            {
                "new": self.files.new_dataset,
                "open": self.files.open_dialog,
                "save": self.files.save,
                "save_as": self.files.save_as,
                "export": self.files.export_dialog,
                "split": self.files.split_dialog,
                "undo": self.undo,
                "redo": self.redo,
                "add": self.add_record,
                "insert": self.insert_record,
                "duplicate": self.duplicate_records,
                "delete": self.delete_records,
                "up": lambda: self.move_records(-1),
                "down": lambda: self.move_records(1),
                "copy": self.copy_records,
                "paste": self.paste_records,
                "generate": self.generate_dialog,
                "find": self.find_bar.focus,
                "replace": self.find_bar.focus,
                "fill": self.fill_placeholders_dialog,
                "encoding": self.files.reopen_with_encoding_dialog,
            },
        )
        self.recent_menu = QMenu(self)
        self.actions_["open"].setMenu(self.recent_menu)
        self.recent_menu.aboutToShow.connect(lambda: self.files.fill_recent(self.recent_menu))

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

        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.editor, self.tr("Record"))
        self.side_tabs.addTab(self.problem_list, self.tr("Problems"))
        self.side_tabs.addTab(self.stats, self.tr("Statistics"))
        self.side_tabs.currentChanged.connect(self._on_tab_changed)
        self.file_label = QLabel()
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.empty_hint = EmptyHint()
        self.empty_hint.open_requested.connect(
            lambda path: self.open_path(path) if path else self.open_dialog()
        )
        left_layout.addWidget(self.empty_hint)
        left_layout.addWidget(self.find_bar)
        left_layout.addWidget(self.table, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.side_tabs)
        self.side_tabs.setMinimumWidth(300)  # below its natural width: fits a 1024-pixel window
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(toolbar)
        layout.addWidget(self.file_label)
        layout.addWidget(split, 1)

        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.start_checks)
        self._autosave_timer = QTimer(self)
        self._autosave_timer.setInterval(AUTOSAVE_MS)
        self._autosave_timer.timeout.connect(self.files.autosave)
        self._autosave_timer.start()
        self._update_state()

    # ---- intents (the main window and the other sections call these) ----
    def open_dialog(self) -> None:
        self.files.open_dialog()

    def open_path(self, path: str, ask=None, encoding: str = "") -> bool:
        return self.files.open_path(path, ask, encoding)

    def reopen_with_encoding_dialog(self) -> bool:
        return self.files.reopen_with_encoding_dialog()

    def save(self) -> bool:
        return self.files.save()

    def save_to(self, path: str, fmt: str = "") -> bool:
        return self.files.save_to(path, fmt)

    def split_to(self, train_path: str, ratio: float, seed: int) -> tuple[str, str] | None:
        return self.files.split_to(train_path, ratio, seed)

    def maybe_save(self) -> bool:
        return self.files.maybe_save()

    def discard_recovery(self) -> None:
        self.files.discard_recovery()

    @staticmethod
    def pending_recovery() -> dict | None:
        return recovery.pending_recovery()

    def restore(self, data: dict) -> int:
        return self.files.restore(data)

    def set_token_model(self, folder: str) -> None:
        self.stats.set_token_model(folder)

    def set_train_on(self, train_on: str) -> None:
        """Token counts follow the training form: all answers trained, or the last only."""
        if train_on != self.train_on:
            self.train_on = train_on
            self.schedule_checks()

    def add_exchange(self, record: Record) -> None:
        """A chat exchange added from the Chat section, as one undoable step."""
        self.document.apply(InsertRecords(len(self.document.records), [record], "Add from chat"))

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
        self.editor.focus_first()

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

    def fill_placeholders_dialog(self) -> int:
        """Ask a value for each template placeholder ({{name}}) and fill them all in one step."""
        values = PlaceholderDialog.ask(self.document.records, self, self.status_message.emit)
        return self.fill_placeholders(values) if values else 0

    def fill_placeholders(self, values: dict[str, str]) -> int:
        values = {k: v for k, v in values.items() if v}
        changes = checks.fill_placeholders(self.document.records, values)
        if changes:
            self.commit_detail()
            self.document.apply(SetFields(changes, self.tr("Fill placeholders")))
        self.status_message.emit(self.tr("Filled placeholders in %d texts.") % len(changes))
        return len(changes)

    def generate_dialog(self):
        from lora_studio.gui.dataset.generator_dialog import GeneratorDialog

        self.commit_detail()
        examples = [self.document.records[r] for r in self.selected_records()]
        dialog = GeneratorDialog(self.settings, examples, list(self.document.records), self)
        dialog.generated.connect(self.append_generated)
        dialog.open()
        return dialog

    def append_generated(self, records: list) -> None:
        if self.document.records == [Record("", "")]:  # the blank record of a new dataset
            self.document.apply(ReplaceRecords(records, "Generate"))
        else:
            self.document.apply(InsertRecords(len(self.document.records), records, "Generate"))
        self.status_message.emit(self.tr("Added %d generated records.") % len(records))

    # ---- clipboard: TSV for spreadsheets, JSON for this app ----
    def copy_records(self) -> None:
        rows = self.selected_records()
        if not rows:
            return
        records = [self.document.records[r] for r in rows]
        mime = QMimeData()
        mime.setText(clipboard.records_to_tsv(records))
        mime.setData(clipboard.JSON_MIME, clipboard.records_to_json(records))
        QGuiApplication.clipboard().setMimeData(mime)
        self.status_message.emit(self.tr("Copied %d records.") % len(records))

    def paste_records(self) -> int:
        mime = QGuiApplication.clipboard().mimeData()
        records: list[Record] = []
        if mime is not None and mime.hasFormat(clipboard.JSON_MIME):
            records = clipboard.records_from_json(bytes(mime.data(clipboard.JSON_MIME).data()))
        elif mime is not None and mime.hasText():
            records = clipboard.records_from_clipboard_text(mime.text())
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
        records = self.document.records
        self.editor.show_record(row, records[row] if 0 <= row < len(records) else None)

    def commit_detail(self) -> None:
        """Write the detail pane's edits into the record (one undoable step)."""
        row = self.editor.row
        if 0 <= row < len(self.document.records):
            changes = self.editor.changes(self.document.records[row])
            if changes:
                self.document.apply(SetFields(changes, text="Edit"))

    # ---- find, replace, filter ----
    def show_find(self) -> None:
        self.find_bar.focus()

    def matching_rows(self) -> list[int]:
        bar = self.find_bar
        if not bar.text() or not bar.pattern_ok():
            return []
        hits = self.document.find(bar.text(), bar.is_regex(), bar.match_case())
        return sorted({row for row, _ in hits})

    def find_next(self) -> bool:
        if not self.find_bar.pattern_ok():
            return False
        rows = self.matching_rows()
        if not rows:
            self.find_bar.set_status(self.tr("Not found"))
            return False
        current = self.current_record()
        following = [r for r in rows if r > current] or rows
        self.select_record(following[0])
        self.find_bar.set_status(self.tr("%d matching records") % len(rows))
        return True

    def replace_all(self) -> int:
        bar = self.find_bar
        if not bar.text() or not bar.pattern_ok():
            return 0
        self.commit_detail()
        count = self.document.replace_all(
            bar.text(), bar.replacement(), bar.is_regex(), bar.match_case()
        )
        bar.set_status(self.tr("%d fields replaced (Ctrl+Z undoes it)") % count)
        return count

    def apply_filter(self) -> None:
        bar = self.find_bar
        rows: set[int] | None = None
        if bar.matches_only.isChecked() and bar.text():
            rows = set(self.matching_rows())
        if bar.problems_only.isChecked():
            with_problems = {p.row for p in self.problems}
            rows = with_problems if rows is None else rows & with_problems
        current = self.current_record()
        self.model.set_filter(sorted(rows) if rows is not None else None)
        if rows is not None:
            bar.set_status(self.tr("%d records shown") % len(rows))
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

    def _jump_to_problem(self, row: int) -> None:
        if not self.select_record(row):
            self.find_bar.clear_filters()
            self.select_record(row)
        self.side_tabs.setCurrentIndex(RECORD_TAB)

    # ---- checks and statistics ----
    def schedule_checks(self) -> None:
        self._check_timer.start()

    def run_checks(self) -> None:  # now, on this thread; start_checks: in CheckRunner's
        self._apply_checks(compute(*self._check_args()))

    def start_checks(self) -> None:
        self.checker.start(*self._check_args())

    def _check_args(self) -> tuple:
        max_len, counter = self.stats.max_len.value(), self.stats.token_counter
        return list(self.document.records), max_len, counter, self.train_on, self._revision

    def _apply_checks(self, result: CheckResult) -> None:
        if result.revision != self._revision:  # the document changed meanwhile: again
            self.schedule_checks()
            return
        if result.error:
            self.status_message.emit(self.tr("The checks failed: %s") % result.error)
        self.token_counts, self.problems = result.token_counts, result.problems
        self.model.set_problems(self.problems)
        total = self.problem_list.show_problems(
            self.files.import_problems, self.problems, self.token_counts
        )
        self.side_tabs.setTabText(PROBLEMS_TAB, self.tr("Problems (%d)") % total)
        if self.find_bar.problems_only.isChecked():
            self.apply_filter()
        self._stats = result.stats
        self._update_stats()
        self._update_state()
        self.checks_done.emit()

    def _update_stats(self) -> None:
        if self._stats is not None:
            self.stats.show_stats(self._stats, self.side_tabs.currentIndex() == STATS_TAB)

    def _on_tab_changed(self, index: int) -> None:
        if index == STATS_TAB:
            self._update_stats()

    # ---- state ----
    def _after_load(self) -> None:
        self.model.set_filter(None)
        self.apply_filter()
        if self.document.records:
            self.select_record(0)
        else:
            self.show_detail(-1)
        self._update_state()
        if self.document.path and not self.document.dirty:  # opened, not restored
            self.dataset_opened.emit(self.document.path)
        self._revision += 1  # the table shows first; the checks follow, in their own thread
        self._check_timer.stop()
        self.start_checks()

    def _on_saved(self, path: str) -> None:
        self._update_state()
        self.dataset_saved.emit(path)

    def _on_document_changed(self) -> None:
        self._revision += 1
        self.schedule_checks()
        self._update_state()

    def _on_rows_changed(self, rows: list[int]) -> None:
        if self.model.view_rows is not None:
            self.apply_filter()
        if rows:
            self.select_record(rows[0])
            selection = self.table.selectionModel()
            for row in rows[1:]:
                view_row = self.model.view_row_of(row)
                if view_row >= 0:
                    selection.select(
                        self.model.index(view_row, 0),
                        selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
                    )
        self.show_detail(self.current_record())

    def _update_state(self) -> None:
        doc = self.document
        name = doc.path or self.tr("(not saved yet)")
        mark = " *" if doc.dirty else ""
        self.file_label.setText(
            self.tr("%s%s · %d records · %s") % (name, mark, len(doc.records), doc.encoding)
        )
        self.empty_hint.setVisible(not doc.records)
        self.actions_["undo"].setEnabled(bool(doc.undo_stack))
        self.actions_["redo"].setEnabled(bool(doc.redo_stack))
