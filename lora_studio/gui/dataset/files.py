"""The dataset editor's files: open (any readable format, with column mapping and a chosen
encoding), save (atomic), export, split, recent files, reload when another program changes the
file, and the recovery file that brings unsaved edits back after a crash."""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QFileSystemWatcher, QObject, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMenu, QMessageBox, QWidget

from lora_studio.core import formats, recovery
from lora_studio.core.dataset_io import ENCODING_CHOICES, DatasetError
from lora_studio.core.document import DatasetDocument, ReplaceRecords
from lora_studio.core.paths import sample_dataset_path
from lora_studio.core.record_shapes import KTO_REJECTED, object_to_record
from lora_studio.core.records import Record
from lora_studio.core.settings import AppSettings
from lora_studio.gui.dataset.dialogs import ColumnMappingDialog, OpenWithProblems, SplitDialog
from lora_studio.gui.text import message_text

RECENT_FILES = 8
OWN_SAVE_SECONDS = 2.0  # a change on disk this soon after our own save is that save


class DatasetFiles(QObject):
    """Reads and writes the document; dialogs open over ``view``. ``commit_requested`` asks the
    editor to write a pending edit into the document before it is saved or replaced."""

    loaded = Signal()  # the document holds another file's records (or a new, empty dataset)
    saved = Signal(str)
    status = Signal(str)
    commit_requested = Signal()

    def __init__(self, document: DatasetDocument, settings: AppSettings, view: QWidget) -> None:
        super().__init__(view)
        self.document = document
        self.settings = settings
        self.view = view
        self.import_problems: list[formats.ImportProblem] = []
        self._own_save_at = 0.0
        self._autosaved_revision = -1
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._on_file_changed_on_disk)

    # ---- open ----
    def new_dataset(self) -> None:
        if not self.maybe_save():
            return
        self._watch("")
        self.document.load([Record("", "")])
        self.import_problems = []
        self.discard_recovery()
        self._emit_loaded()

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.view,
            self.tr("Open a dataset"),
            self._start_folder(),
            self.tr("Datasets (*.json *.jsonl *.csv *.tsv *.txt *.xlsx);;All files (*)"),
        )
        if path:
            self.open_path(path)

    def open_path(self, path: str, ask=None, encoding: str = "") -> bool:
        """Open any readable file. ``ask(result) -> bool`` decides whether a file with bad lines
        opens with its good records (the default asks with a message box); ``encoding`` names
        the file's encoding instead of detecting it."""
        if not self.maybe_save():
            return False
        try:
            result = self._read(path, encoding=encoding)
        except DatasetError as exc:
            self._show_error(self.tr("The file cannot be opened"), message_text(exc.text))
            return False
        if result is None:
            return False
        if result.problems and not (ask or self._ask_open_with_problems)(result):
            return False
        self.document.load(result.records, path)
        self.document.encoding = result.encoding
        self.document.format = result.format
        self.import_problems = result.problems
        self._watch(path)
        self._remember_recent(path)
        self.discard_recovery()
        self._emit_loaded()
        message = self.tr("Opened %d records from %s (%s)") % (
            len(result.records),
            os.path.basename(path),
            result.encoding,
        )
        if result.left_out.get(KTO_REJECTED):
            left_out = self.tr("%d answers marked bad (KTO) were left out")
            message += " · " + left_out % result.left_out[KTO_REJECTED]
        self.status.emit(message)
        return True

    def _read(self, path: str, mapping: dict[str, str] | None = None, encoding: str = ""):
        try:
            return formats.read_dataset(path, mapping, encoding)
        except formats.NeedsMapping as exc:
            dialog = ColumnMappingDialog(exc.columns, self.view)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return formats.read_dataset(path, dialog.mapping(), encoding)

    def _ask_open_with_problems(self, result: formats.ReadResult) -> bool:
        return OpenWithProblems.ask(result, self.view)

    def reopen_with_encoding_dialog(self) -> bool:
        """Read the open file again in an encoding the user names (detection guessed wrong)."""
        path = self.document.path
        if not path or self.document.format not in ("json", "jsonl", "csv", "tsv"):
            self.status.emit(self.tr("Open a text dataset first."))
            return False
        encoding = self.document.encoding
        current = ENCODING_CHOICES.index(encoding) if encoding in ENCODING_CHOICES else 0
        choice, ok = QInputDialog.getItem(
            self.view,
            self.tr("Reopen with encoding"),
            self.tr("The file was read as %s. Read it as:") % encoding,
            list(ENCODING_CHOICES),
            current,
            False,
        )
        return bool(ok and choice) and self.open_path(path, encoding=choice)

    # ---- save, export, split ----
    def save(self) -> bool:
        if not self.document.path or self.document.format not in ("json", "jsonl"):
            return self.save_as()
        return self.save_to(self.document.path)

    def save_as(self) -> bool:
        start = self.document.path or os.path.join(self._start_folder(), "dataset.json")
        if start and not start.lower().endswith((".json", ".jsonl")):
            start = os.path.splitext(start)[0] + ".json"
        path, _ = QFileDialog.getSaveFileName(
            self.view,
            self.tr("Save the dataset"),
            start,
            self.tr("JSON (*.json);;JSON lines (*.jsonl)"),
        )
        return self.save_to(path) if path else False

    def save_to(self, path: str, fmt: str = "") -> bool:
        self.commit_requested.emit()
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
        self._watch(path)
        self._remember_recent(path)
        self.discard_recovery()
        self.saved.emit(path)
        self.status.emit(self.tr("Saved %s") % path)
        return True

    def export_dialog(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self.view,
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
        self.status.emit(self.tr("Exported %s") % path)

    def split_dialog(self) -> None:
        dialog = SplitDialog(self.view)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        base, _ = QFileDialog.getSaveFileName(
            self.view,
            self.tr("Save the train file (the eval file goes beside it)"),
            os.path.splitext(self.document.path or "dataset")[0] + "-train.json",
            self.tr("JSON (*.json)"),
        )
        if base:
            self.split_to(base, dialog.ratio.value(), dialog.seed.value())

    def split_to(self, train_path: str, ratio: float, seed: int) -> tuple[str, str] | None:
        try:
            train, evaluation = formats.split_records(self.document.records, ratio, seed)
        except ValueError as exc:
            self._show_error(self.tr("Cannot split"), str(exc))
            return None
        suffix = "-train.json"
        stem = (
            train_path[: -len(suffix)]
            if train_path.endswith(suffix)
            else os.path.splitext(train_path)[0]
        )
        eval_path = f"{stem}-eval.json"
        try:
            formats.write_dataset(train, train_path)
            formats.write_dataset(evaluation, eval_path)
        except OSError as exc:
            self._show_error(self.tr("Split failed"), str(exc))
            return None
        self.status.emit(
            self.tr("%d records in %s, %d in %s")
            % (len(train), train_path, len(evaluation), eval_path)
        )
        return train_path, eval_path

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False when the user cancels."""
        self.commit_requested.emit()
        if not self.document.dirty:
            return True
        answer = QMessageBox.question(
            self.view,
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

    # ---- recent files, the file watch ----
    def _start_folder(self) -> str:
        """The folder of the last dataset, else the bundled samples (not the home folder)."""
        recent = self.settings.recent_datasets
        return os.path.dirname(recent[0]) if recent else os.path.dirname(sample_dataset_path())

    def _remember_recent(self, path: str) -> None:
        path = os.path.abspath(path)
        recent = [p for p in self.settings.recent_datasets if p != path]
        self.settings.recent_datasets = [path, *recent][:RECENT_FILES]
        self.settings.last_dataset = path
        try:
            self.settings.save()
        except OSError:
            pass

    def fill_recent(self, menu: QMenu) -> None:
        menu.clear()
        for path in self.settings.recent_datasets:
            action = menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_path(p))
        if not self.settings.recent_datasets:
            menu.addAction(self.tr("No recent files")).setEnabled(False)

    def _watch(self, path: str) -> None:
        if self.watcher.files():
            self.watcher.removePaths(self.watcher.files())
        if path and os.path.isfile(path):
            self.watcher.addPath(path)

    def _on_file_changed_on_disk(self, path: str) -> None:
        own_save = time.monotonic() - self._own_save_at < OWN_SAVE_SECONDS
        self._watch(self.document.path)  # an atomic save replaces the file: watch the new one
        if own_save or path != self.document.path:
            return
        if not os.path.exists(path):
            self.status.emit(self.tr("%s was deleted or moved on disk.") % path)
            return
        text = self.tr("%s was changed by another program. Reload it?") % os.path.basename(path)
        if self.document.dirty:
            text += " " + self.tr("Your unsaved changes here would be lost.")
        if self.ask_reload(text):
            try:
                result = formats.read_dataset(path)
            except DatasetError as exc:
                self._show_error(self.tr("The file cannot be reloaded"), message_text(exc.text))
                return
            self.document.load(result.records, path)
            self._emit_loaded()

    def ask_reload(self, text: str) -> bool:
        answer = QMessageBox.question(self.view, self.tr("File changed on disk"), text)
        return answer == QMessageBox.StandardButton.Yes

    # ---- recovery ----
    def autosave(self) -> None:
        if not self.document.dirty:  # saved, or every edit undone: nothing to bring back
            if self._autosaved_revision != -1:
                self.discard_recovery()
            return
        if self.document.revision == self._autosaved_revision:
            return
        try:
            recovery.save_recovery(self.document.path, self.document.records)
            self._autosaved_revision = self.document.revision
        except OSError:
            pass

    def discard_recovery(self) -> None:
        self._autosaved_revision = -1
        recovery.discard_recovery()

    def restore(self, data: dict) -> int:
        """Put recovered records back: they are unsaved edits of their file (or a new file)."""
        records = []
        for obj in data["records"]:
            record, _why, _left_out = object_to_record(obj)
            if record is not None:
                records.append(record)
        path = data.get("path") or ""
        self.document.load([], path)
        self.document.apply(ReplaceRecords(records, text="Restore"))
        self._watch(path)
        self._emit_loaded()
        self.status.emit(self.tr("Restored %d records of unsaved edits.") % len(records))
        return len(records)

    def _emit_loaded(self) -> None:
        self._autosaved_revision = -1  # the recovery file no longer matches
        self.loaded.emit()

    def _show_error(self, title: str, text: str) -> None:
        self.status.emit(text)
        QMessageBox.warning(self.view, title, text)
