"""The main window: a sidebar of sections (Dataset, Hardware, Training, Chat, Runs), a status bar
with the device and the Paddle build, menus with shortcuts, and the close-while-training guard.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core.config import RunConfig
from lora_studio.core.hardware import gpu_snapshots, paddle_build
from lora_studio.core.outcome import Outcome, Status
from lora_studio.core.runs import has_runs
from lora_studio.core.settings import AppSettings
from lora_studio.gui import sections
from lora_studio.gui.deferred import LazyPage, after_first_paint
from lora_studio.gui.icons import app_icon, decorate
from lora_studio.gui.text import outcome_title


class PlaceholderPage(QWidget):
    """A section whose full editor is not built yet: says so, and what to use meanwhile."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(f"<h2>{title}</h2>")
        body = QLabel(text)
        body.setWordWrap(True)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    SECTIONS = ("home", "dataset", "models", "hardware", "training", "chat", "runs")

    def __init__(
        self,
        settings: AppSettings,
        geometry: QSettings | None = None,
        session_options: dict | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.geometry_store = geometry
        self.setWindowTitle("LoRA Studio")
        self.setWindowIcon(app_icon())
        self.training_page = LazyPage(
            lambda: sections.training_panel(settings, session_options), self._connect_training
        )
        self.runs_page = LazyPage(
            lambda: sections.runs_panel(settings.runs_dir), self._connect_runs
        )
        self.chat_page = LazyPage(lambda: sections.chat_panel(settings), self._connect_chat)
        self.dataset_page = LazyPage(
            lambda: sections.dataset_panel(settings), self._connect_dataset
        )
        self.hardware_page = LazyPage(
            lambda: sections.hardware_panel(settings), self._connect_hardware
        )
        self.home_page = LazyPage(sections.home_page, self._connect_home)
        self.models_page = LazyPage(lambda: sections.models_panel(settings), self._connect_models)
        self.wizard = None
        self.tour = None
        self.pages = {
            "home": self.home_page,
            "dataset": self.dataset_page,
            "models": self.models_page,
            "hardware": self.hardware_page,
            "training": self.training_page,
            "chat": self.chat_page,
            "runs": self.runs_page,
        }
        self.sidebar = QListWidget()
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setFixedWidth(150)
        self.stack = QStackedWidget()
        labels = {
            "home": self.tr("Home"),
            "dataset": self.tr("Dataset"),
            "models": self.tr("Models"),
            "hardware": self.tr("Hardware"),
            "training": self.tr("Training"),
            "chat": self.tr("Chat"),
            "runs": self.tr("Runs"),
        }
        for i, key in enumerate(self.SECTIONS):
            item = QListWidgetItem(labels[key])
            item.setToolTip(self.tr("%s (Ctrl+%d)") % (labels[key], i + 1))
            self.sidebar.addItem(item)
            self.stack.addWidget(self.pages[key])
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)
        split = QSplitter()
        split.addWidget(self.sidebar)
        split.addWidget(self.stack)
        split.setStretchFactor(1, 1)
        split.setCollapsible(0, False)
        split.setSizes([150, 1200])
        self.setCentralWidget(split)

        # NVML and package metadata take a few tens of ms: read them once the window is painted
        self.device_label = QLabel(self.tr("Detecting the device…"))
        self.paddle_label = QLabel("")
        self.statusBar().addPermanentWidget(self.device_label)
        self.statusBar().addPermanentWidget(self.paddle_label)
        after_first_paint(self, self.detect_device)
        self._build_menus(labels)
        after_first_paint(self, self._decorate_sidebar)

        self.tray: QSystemTrayIcon | None = None
        after_first_paint(self, self._create_tray)
        after_first_paint(self, self._offer_wizard)
        after_first_paint(self, self.offer_recovery)
        after_first_paint(self, self.resume_downloads)
        self.setAcceptDrops(True)
        self._close_after_stop = False
        self._close_after_chat = False
        self._close_after_download = False
        self.show_section("training" if has_runs(settings.runs_dir) else "home")
        self.resize(1280, 820)
        if geometry is not None and geometry.value("main/geometry") is not None:
            self.restoreGeometry(geometry.value("main/geometry"))

    def _decorate_sidebar(self) -> None:
        decorate((self.sidebar.item(i), key) for i, key in enumerate(self.SECTIONS))

    @property
    def training(self):
        return self.training_page.get()

    @property
    def runs(self):
        return self.runs_page.get()

    @property
    def chat(self):
        return self.chat_page.get()

    @property
    def dataset(self):
        return self.dataset_page.get()

    @property
    def models(self):
        return self.models_page.get()

    def _connect_models(self, models) -> None:
        models.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        models.train_requested.connect(self._train_imported)
        models.chat_requested.connect(self._chat_with_model)
        models.download_finished.connect(self._on_download_finished)
        models.import_requested.connect(lambda found: self.import_gguf([found]))
        models.library_changed.connect(
            lambda found: self.training.set_library(found) if self.training_page.widget else None
        )
        models.job.done.connect(lambda *_: self._close_if_waiting_for_download())
        models.job.paused.connect(lambda _folder: self._close_if_waiting_for_download())

    def resume_downloads(self) -> bool:
        """A download the last session stopped when its window closed continues now."""
        if not self.settings.pending_downloads:
            return False
        return self.models.resume_pending()

    def _chat_with_model(self, folder: str) -> None:
        self.show_section("chat")
        self.chat.add_model_folder(folder)

    def _on_download_finished(self, model_id: str, folder: str) -> None:
        if self.settings.notify_when_done and self.tray is not None and self.tray.isVisible():
            self.tray.showMessage(
                "LoRA Studio", self.tr("%s is downloaded.") % model_id,
                QSystemTrayIcon.MessageIcon.Information, 8000,
            )  # fmt: skip

    def _close_if_waiting_for_download(self) -> None:
        if self._close_after_download:
            self.close()

    def _connect_home(self, home) -> None:
        home.demo_requested.connect(self.try_demo)
        home.section_requested.connect(self.show_section)

    def try_demo(self, **overrides):
        """Home's "Try it with the demo" (``overrides``: RunConfig fields, for tests)."""
        from lora_studio.gui.home.demo_tour import DemoTour

        if self.training.is_running:
            self.show_section("training")
            return None
        self.tour = DemoTour(self, self, **overrides)
        self.tour.start()
        return self.tour

    def _connect_dataset(self, dataset) -> None:
        dataset.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        dataset.dataset_saved.connect(self._on_dataset_saved)
        dataset.dataset_opened.connect(lambda path: self.training.use_dataset(path))
        if self.training_page.widget is not None:  # count tokens as the chosen model would
            folder = self.training.model_folder()
            if os.path.isfile(os.path.join(folder, "tokenizer.json")):
                dataset.set_token_model(folder)
            dataset.set_train_on(self.training.train_on())

    def import_gguf(self, found=None):
        """File > Import GGUF model…: the dialog, and the imported model in Training after."""
        from lora_studio.gui.import_gguf_dialog import ImportGGUFDialog

        self.import_dialog = ImportGGUFDialog(self.settings.models_dir, found, self)
        self.import_dialog.model_imported.connect(self._train_imported)
        self.import_dialog.open()
        return self.import_dialog

    def _train_imported(self, folder: str) -> None:
        if self.models_page.widget is not None:
            self.models.refresh()
        self.show_section("training")
        self.training.use_model(folder)

    def open_dataset_file(self, path: str) -> bool:
        """Show the Dataset section with ``path`` open (a file given on the command line)."""
        self.show_section("dataset")
        return self.dataset.open_path(path)

    def _open_dataset(self) -> None:
        self.show_section("dataset")
        self.dataset.open_dialog()

    def _on_dataset_saved(self, path: str) -> None:
        if self.training_page.widget is not None:
            self.training.use_dataset(path, replace=False)

    def offer_recovery(self, ask=None) -> bool:
        """After a crash: unsaved dataset edits are in the recovery file; offer them back."""
        from lora_studio.gui.dataset.panel import DatasetPanel

        data = DatasetPanel.pending_recovery()
        if data is None:
            return False
        import time as _time

        when = _time.strftime("%Y-%m-%d %H:%M", _time.localtime(data.get("saved_at") or 0))
        text = self.tr(
            "LoRA Studio closed with %d records of unsaved dataset edits (%s, autosaved %s). "
            "Restore them?"
        ) % (len(data["records"]), data.get("path") or self.tr("a new dataset"), when)
        decide = ask or (
            lambda message: (
                QMessageBox.question(self, self.tr("Restore unsaved edits"), message)
                == QMessageBox.StandardButton.Yes
            )
        )
        if decide(text):
            self.show_section("dataset")
            self.dataset.restore(data)
            return True
        self.dataset.discard_recovery()
        return False

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt API
        if dropped_file(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt API
        path = dropped_file(event.mimeData())
        if path:
            event.acceptProposedAction()
            self.show_section("dataset")
            self.dataset.open_path(path)

    @property
    def hardware(self):
        return self.hardware_page.get()

    def _connect_hardware(self, hardware) -> None:
        hardware.wizard_requested.connect(self.open_hardware_wizard)

    def open_hardware_wizard(self):
        """The wizard, non-modal; Apply puts its recommendation into the training form."""
        from lora_studio.gui.hardware.wizard import HardwareWizard

        if self.wizard is not None and self.wizard.isVisible():
            self.wizard.raise_()
            return self.wizard
        model_key, dataset_path = self.training.wizard_inputs()
        detection = self.hardware.detection if self.hardware_page.widget is not None else None
        self.wizard = HardwareWizard(
            self.settings,
            detection=detection,
            model=model_key,
            dataset_path=dataset_path,
            parent=self,
        )
        self.wizard.applied.connect(self._apply_plan)
        self.wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.wizard.destroyed.connect(lambda _obj=None: setattr(self, "wizard", None))
        self.wizard.open()
        return self.wizard

    def _apply_plan(self, plan, model_key: str) -> None:
        self.training.apply_plan(plan, model_key)
        self.show_section("training")
        self.statusBar().showMessage(self.tr("The recommended settings are in the form."), 8000)

    def _offer_wizard(self) -> None:
        if self.settings.hardware_wizard_offered:
            return
        self.settings.hardware_wizard_offered = True
        self.settings.save()
        self.open_hardware_wizard()

    def _connect_chat(self, chat) -> None:
        chat.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        chat.idle.connect(self._on_chat_idle)
        chat.dataset_sink = self._add_record_to_dataset

    def _add_record_to_dataset(self, record) -> None:
        """From Chat: the exchange becomes a record of the open dataset (Ctrl+Z undoes it)."""
        dataset = self.dataset
        dataset.add_exchange(record)
        self.statusBar().showMessage(
            self.tr("The exchange is record %d of the dataset in the Dataset section.")
            % len(dataset.document.records),
            8000,
        )

    def _connect_training(self, training) -> None:
        training.run_started.connect(lambda _path: self._refresh_runs())
        training.train_on_changed.connect(self._on_train_on_changed)
        training.run_finished.connect(self._on_run_finished)

    def _on_train_on_changed(self, train_on: str) -> None:
        if self.dataset_page.widget is not None:
            self.dataset.set_train_on(train_on)

    def _create_tray(self) -> None:
        self.tray = QSystemTrayIcon(self.windowIcon(), self)
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray.show()

    def _connect_runs(self, runs) -> None:
        runs.resume_requested.connect(self._resume_run)
        runs.duplicate_requested.connect(self._duplicate_config)
        runs.chat_requested.connect(self._chat_with_run)

    def _chat_with_run(self, run_dir: str) -> None:
        self.show_section("chat")
        self.chat.select_run(run_dir)

    def _on_chat_idle(self) -> None:
        if self._close_after_chat:
            self.close()

    def _refresh_runs(self, run_dir: str = "") -> None:
        if self.chat_page.widget is not None:
            self.chat.refresh_sources()
        if self.runs_page.widget is not None:  # a page not built yet lists the runs when it is
            self.runs.refresh()
            if run_dir:
                self.runs.select_run(run_dir)

    def detect_device(self) -> None:
        self.device_label.setText(device_text())
        self.paddle_label.setText(self.tr("Paddle %s") % (paddle_build() or self.tr("not found")))

    # ---- sections and menus ----
    def show_section(self, key: str) -> None:
        self.sidebar.setCurrentRow(self.SECTIONS.index(key))

    def current_section(self) -> str:
        return self.SECTIONS[self.stack.currentIndex()]

    def _build_menus(self, labels: dict[str, str]) -> None:
        from lora_studio.gui.menus import build_menus

        build_menus(self, labels)

    def show_about(self):
        from lora_studio.gui.about import AboutDialog

        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # ---- runs ----
    def _resume_run(self, path: str) -> None:
        self.show_section("training")
        self.training.resume(path)

    def _duplicate_config(self, config: RunConfig) -> None:
        self.training.set_config(config)
        self.show_section("training")
        self.statusBar().showMessage(self.tr("The run's settings are in the form."), 5000)

    def _on_run_finished(self, outcome: Outcome, run_dir: str) -> None:
        self._refresh_runs(run_dir)
        done = outcome.status == Status.COMPLETED and not self._close_after_stop
        if done and self.settings.evaluate_after_training:
            if self.runs.evaluate_after_training(run_dir):
                self.training.note_evaluating()
        if self.settings.notify_when_done and self.tray is not None and self.tray.isVisible():
            icon = (
                QSystemTrayIcon.MessageIcon.Information
                if outcome.ok
                else QSystemTrayIcon.MessageIcon.Warning
            )
            self.tray.showMessage("LoRA Studio", outcome_title(outcome.status), icon, 8000)
        if self._close_after_stop and outcome.status in (
            Status.STOPPED,
            Status.COMPLETED,
            Status.FAILED,
            Status.CRASHED,
            Status.TERMINATED,
        ):
            self.close()

    # ---- closing ----
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self.training_page.widget is not None and self.training.is_running:
            choice = self.ask_close_while_training()
            if choice == "stop":
                self._close_after_stop = True
                self.training.stop()
            event.ignore()
            return
        if self.dataset_page.widget is not None and not self.dataset.maybe_save():
            event.ignore()
            return
        if self.chat_page.widget is not None and self.chat.is_busy:
            # end the chat process and the API server first; the window closes when they have
            self._close_after_chat = True
            self.chat.shutdown()
            event.ignore()
            return
        if self.models_page.widget is not None and self.models.job.running:
            # the download stops, keeping what arrived; the next start continues it
            self._close_after_download = True
            self.models.stop_for_close()
            event.ignore()
            return
        if self.hardware_page.widget is not None:  # a probe still running ends first
            self.hardware.detection.shutdown()
        if self.geometry_store is not None:
            self.geometry_store.setValue("main/geometry", self.saveGeometry())
        if self.tray is not None:
            self.tray.hide()
        event.accept()

    def ask_close_while_training(self) -> str:
        """'stop' (save a checkpoint, then close) or 'keep' (keep the window open)."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Training is running"),
            self.tr("A training run is in progress. Stop it and save a checkpoint before closing?"),
            parent=self,
        )
        stop = box.addButton(self.tr("Stop and save"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Keep the window open"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return "stop" if box.clickedButton() is stop else "keep"


def device_text() -> str:
    from PySide6.QtCore import QCoreApplication

    gpus = gpu_snapshots()
    if not gpus:
        return QCoreApplication.translate("MainWindow", "CPU only (no NVIDIA GPU found)")
    gpu = gpus[0]
    return f"{gpu.name} · {gpu.memory_total_mb / 1024:.0f} GB"


def dropped_file(mime) -> str:
    """The first local file dropped on the window, or ""."""
    if mime is None or not mime.hasUrls():
        return ""
    for url in mime.urls():
        if url.isLocalFile() and os.path.isfile(url.toLocalFile()):
            return url.toLocalFile()
    return ""
