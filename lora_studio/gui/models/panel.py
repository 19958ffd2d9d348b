"""The Models section: every model on this machine (use for training, chat, open its folder,
delete it with the space it frees), and the catalogue to download from, with one download's
progress, pause, resume and cancel. A download stopped by closing the window resumes at the
next start."""

from __future__ import annotations

import os
import shutil

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core import catalogue, hubs, library, units
from lora_studio.core import events as ev
from lora_studio.core.model_shape import ModelShape, PlanError
from lora_studio.core.settings import AppSettings
from lora_studio.gui.icons import decorate
from lora_studio.gui.jobs.download import DownloadJob
from lora_studio.gui.models.catalogue_view import CatalogueView
from lora_studio.gui.models.download_bar import DownloadBar
from lora_studio.gui.models.library_model import LibraryTableModel, details_text


def this_machine(folder: str):
    from lora_studio.core.hardware import read_gpus, system_info
    from lora_studio.core.planner import detected_machine

    return detected_machine(read_gpus(), None, system_info(folder))


def ui_language(settings: AppSettings) -> str:
    """The language the app speaks: the hubs are tried in the order that suits it."""
    from PySide6.QtCore import QLocale

    return QLocale().name() if settings.language == "system" else settings.language


class ModelsPanel(QWidget):
    train_requested = Signal(str)  # a model folder
    chat_requested = Signal(str)
    status_message = Signal(str)
    download_finished = Signal(str, str)  # model id, folder
    library_changed = Signal(object)  # the list of LocalModels, after a download, a delete, ...
    import_requested = Signal(object)  # a core.gguf_sources.FoundGGUF to import

    def __init__(self, settings: AppSettings, machine=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.machine = machine
        self.job = DownloadJob(self)
        self.job.progressed.connect(self._on_progress)
        self.job.done.connect(self._on_download_done)
        self.job.paused.connect(self._on_paused)
        self.paused: tuple[str, str, str, str] | None = None  # id, folder, source, endpoint
        self.cancelling = False

        self.table_model = LibraryTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in ("name", "origin"):  # the long ones share what the figures leave
            header.setSectionResizeMode(
                LibraryTableModel.COLUMNS.index(column), QHeaderView.ResizeMode.Stretch
            )
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.use_selected())
        self.train = QPushButton(self.tr("Use for training"))
        self.chat = QPushButton(self.tr("Chat with it"))
        self.open_folder = QPushButton(self.tr("Open folder"))
        self.delete = QPushButton(self.tr("Delete…"))
        self.resume_partial = QPushButton(self.tr("Resume download"))
        self.import_button = QPushButton(self.tr("Import…"))
        self.import_button.clicked.connect(self._import_selected)
        self.add_folder = QPushButton(self.tr("Add folder…"))
        self.refresh_button = QPushButton(self.tr("Refresh"))
        decorate(
            [
                (self.train, "training"),
                (self.chat, "chat"),
                (self.open_folder, "folder"),
                (self.delete, "delete"),
                (self.import_button, "import"),
                (self.refresh_button, "detect"),
            ]
        )
        self.train.clicked.connect(self.use_selected)
        self.chat.clicked.connect(lambda: self._emit_selected(self.chat_requested))
        self.open_folder.clicked.connect(self._open_selected)
        self.delete.clicked.connect(lambda: self.delete_selected())
        self.resume_partial.clicked.connect(self._resume_selected)
        self.add_folder.clicked.connect(lambda: self.add_model_folder())
        self.refresh_button.clicked.connect(self.refresh)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        for button in (
            self.train, self.chat, self.open_folder, self.delete, self.resume_partial,
            self.import_button,
        ):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.add_folder)
        buttons.addWidget(self.refresh_button)
        mine = QGroupBox(self.tr("On this machine"))
        mine_layout = QVBoxLayout(mine)
        mine_layout.addWidget(self.table, 1)
        mine_layout.addWidget(self.details)
        mine_layout.addLayout(buttons)
        mine_layout.addWidget(self.summary)

        self.catalogue = CatalogueView(settings.download_source, settings.download_endpoint)
        self.catalogue.download_requested.connect(self.download)
        self.bar = DownloadBar()
        self.bar.pause_requested.connect(self.pause)
        self.bar.resume_requested.connect(self.resume)
        self.bar.cancel_requested.connect(self.cancel)
        fetch = QGroupBox(self.tr("Download"))
        fetch_layout = QVBoxLayout(fetch)
        fetch_layout.addWidget(self.catalogue, 1)
        fetch_layout.addWidget(self.bar)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(mine)
        split.addWidget(fetch)
        split.setSizes([330, 370])  # the catalogue and the download bar need the room
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.refresh()

    # ---- the library --------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.machine is None:
            self.machine = this_machine(self.settings.models_dir)
        models = library.on_this_machine(self.settings)
        found_models = list(models)
        self.ggufs = {f.path: f for f in self.find_ggufs()}
        models += library.gguf_rows(list(self.ggufs.values()))
        verdicts = {}
        for model in models:
            if model.config is not None:
                try:
                    shape = ModelShape.from_config(model.config, model.name)
                    verdicts[model.folder] = catalogue.verdict(shape, self.machine)[0]
                except (PlanError, ValueError, ZeroDivisionError):
                    pass
        self.table_model.set_models(models, verdicts)
        self.catalogue.set_entries(catalogue.entries(self.machine))
        total = sum(m.size_bytes for m in models)
        self.summary.setText(
            self.tr("%d model(s), %s on disk, in %s")
            % (len(models), units.size(total), self.settings.models_dir)
        )
        self._update_buttons()
        self.library_changed.emit(found_models)

    def selected(self) -> library.LocalModel | None:
        rows = self.table.selectionModel().selectedRows()
        return self.table_model.model_at(rows[0].row()) if rows else None

    def select_folder(self, folder: str) -> bool:
        for row, model in enumerate(self.table_model.models):
            if os.path.abspath(model.folder) == os.path.abspath(folder):
                self.table.selectRow(row)
                return True
        return False

    def _update_buttons(self) -> None:
        model = self.selected()
        self.details.setText(details_text(model))
        usable = model is not None and model.usable
        for button in (self.train, self.chat):
            button.setEnabled(usable)
        self.open_folder.setEnabled(model is not None and model.origin != library.GGUF)
        self.delete.setText(
            self.tr("Remove from list")
            if model and model.origin == library.ADDED
            else self.tr("Delete…")
        )
        self.resume_partial.setVisible(model is not None and model.origin == library.PARTIAL)
        self.import_button.setVisible(model is not None and model.origin == library.GGUF)
        self.delete.setEnabled(
            model is not None and model.origin not in (library.FOUND, library.GGUF)
        )

    def _emit_selected(self, signal) -> None:
        model = self.selected()
        if model is not None and model.usable:
            signal.emit(model.folder)

    def find_ggufs(self) -> list:
        from lora_studio.core.gguf_sources import find_ggufs

        return find_ggufs()

    def _import_selected(self) -> None:
        model = self.selected()
        if model is not None and model.folder in self.ggufs:
            self.import_requested.emit(self.ggufs[model.folder])

    def use_selected(self) -> None:
        self._emit_selected(self.train_requested)

    def _open_selected(self) -> None:
        model = self.selected()
        if model is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(model.folder))

    def delete_selected(self, confirm=None) -> int:
        """Delete the selected model (after asking); the bytes freed. ``confirm``: for tests."""
        model = self.selected()
        if model is None:
            return 0
        if model.origin == library.ADDED:
            self.settings.added_models = [
                f for f in self.settings.added_models if f != model.folder
            ]
            self.settings.save()
            self.refresh()
            return 0
        question = self.tr("Delete %s? This frees %s; the folder %s is removed.") % (
            model.name, units.size(model.size_bytes), model.folder,
        )  # fmt: skip
        ask = confirm or (
            lambda text: (
                QMessageBox.question(self, self.tr("Delete model"), text)
                == QMessageBox.StandardButton.Yes
            )
        )
        if not ask(question):
            return 0
        try:
            freed = library.delete(model, self.settings.models_dir, self.settings.runs_dir)
        except OSError as exc:
            QMessageBox.warning(
                self,
                self.tr("Delete model"),
                self.tr("Could not delete %s: %s") % (model.folder, exc),
            )
            return 0
        self.status_message.emit(self.tr("Deleted %s: %s freed.") % (model.name, units.size(freed)))
        self.refresh()
        return freed

    def add_model_folder(self, folder: str = "") -> bool:
        folder = folder or QFileDialog.getExistingDirectory(
            self, self.tr("Choose a model folder"), os.path.expanduser("~")
        )
        if not folder:
            return False
        if not os.path.isfile(os.path.join(folder, "config.json")):
            QMessageBox.warning(
                self, self.tr("Add folder"),
                self.tr("%s holds no config.json: it is not a model folder.") % folder,
            )  # fmt: skip
            return False
        if folder not in self.settings.added_models:
            self.settings.added_models.append(folder)
            self.settings.save()
        self.refresh()
        self.select_folder(folder)
        return True

    # ---- downloads ------------------------------------------------------------------------
    def download(self, model_id: str, source: str = "", endpoint: str = "") -> bool:
        if self.job.running:
            self.status_message.emit(
                self.tr("One download at a time: wait for %s.") % self.job.model_id
            )
            return False
        folder = hubs.library_folder(self.settings.models_dir, model_id)
        self.settings.download_source, self.settings.download_endpoint = source, endpoint
        self.settings.pending_downloads = [[model_id, folder, source, endpoint]]
        self.settings.save()
        self.paused = (model_id, folder, source, endpoint)
        self.cancelling = False
        self.bar.begin(model_id)
        self.catalogue.set_busy(True)
        return self.job.start(model_id, folder, source, endpoint, ui_language(self.settings))

    def pause(self) -> None:
        self.job.stop()

    def resume(self) -> None:
        if self.paused is not None and not self.job.running:
            self.download(*[self.paused[0], *self.paused[2:]])

    def cancel(self) -> None:
        """Stop the download and delete what arrived."""
        self.cancelling = True
        if self.job.running:
            self.job.stop()
        else:
            self._drop_partial()

    def _resume_selected(self) -> None:
        model = self.selected()
        if model is None:
            return
        source = hubs.read_source(model.folder)
        if source.get("model_id"):
            self.download(str(source["model_id"]), str(source.get("hub", "")))

    def resume_pending(self) -> bool:
        """At start: continue the download the last session stopped when it closed."""
        if self.job.running:
            return False
        for entry in self.settings.pending_downloads[:1]:
            if (
                isinstance(entry, list)
                and len(entry) == 4
                and all(isinstance(x, str) for x in entry)
            ):
                return self.download(entry[0], entry[2], entry[3])
        return False

    def stop_for_close(self) -> None:
        """The window closes: stop the download (what arrived stays; the next start resumes)."""
        if self.job.running:
            self.job.stop()

    def _on_progress(self, event: ev.Download) -> None:
        self.bar.show_progress(event)

    def _on_paused(self, folder: str) -> None:
        self.catalogue.set_busy(False)
        if self.cancelling:
            self._drop_partial()
            return
        self.bar.set_paused(self.job.model_id)
        self.refresh()

    def _drop_partial(self) -> None:
        if self.paused is not None:
            shutil.rmtree(self.paused[1], ignore_errors=True)
            self.status_message.emit(self.tr("Download of %s cancelled.") % self.paused[0])
        self.paused = None
        self.cancelling = False
        self.settings.pending_downloads = []
        self.settings.save()
        self.bar.hide()
        self.refresh()

    def _on_download_done(self, ok: bool, problem: str, folder: str) -> None:
        self.catalogue.set_busy(False)
        model_id = self.job.model_id
        if self.cancelling:
            self._drop_partial()
            return
        self.settings.pending_downloads = []
        self.settings.save()
        self.refresh()
        if ok:
            self.paused = None
            self.bar.hide()
            self.select_folder(folder)
            self.status_message.emit(self.tr("%s is downloaded.") % model_id)
            self.download_finished.emit(model_id, folder)
            return
        self.bar.set_failed(model_id, problem)
        self.status_message.emit(self.tr("The download of %s failed.") % model_id)
