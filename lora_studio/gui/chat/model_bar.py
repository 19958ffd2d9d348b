"""The chat section's model bar: which model to talk to (a run's merged model, its base +
adapter, or a model folder), and Load, Unload, Merge and Serve API; the engine's state below."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core.outcome import Outcome
from lora_studio.core.runs import ADAPTER, MERGED_DIR, ChatSource, chat_sources
from lora_studio.core.settings import AppSettings
from lora_studio.gui.chat.serve_info import ServeInfo
from lora_studio.gui.export_dialog import ExportDialog
from lora_studio.gui.icons import decorate
from lora_studio.gui.jobs.merge import MergeJob
from lora_studio.gui.jobs.serve import ServeJob
from lora_studio.gui.text import outcome_text
from lora_studio.gui.widgets.fields import ComboBox


class ModelBar(QWidget):
    """Holds the sources and says what the user asks for; the panel runs the processes."""

    source_changed = Signal()
    load_requested = Signal()
    unload_requested = Signal()
    jobs_changed = Signal()  # a merge or the API server started or ended
    serve_port = 8000  # the API server's port (0: any free one)

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.extra_sources: list[ChatSource] = []
        self.merger = MergeJob(self)
        self.merger.progress.connect(self.show_progress)
        self.merger.done.connect(self._merge_done)
        self.server = ServeJob(self)
        self.server.loading.connect(self.show_progress)
        self.server.serving.connect(self._on_serving)
        self.server.ended.connect(self._serve_done)
        self.source_box = ComboBox()
        self.source_box.setMinimumContentsLength(14)  # fits a 1024-pixel window
        self.source_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.source_box.currentIndexChanged.connect(self.source_changed)
        self.browse_button = QPushButton(self.tr("Model folder…"))
        self.browse_button.setToolTip(self.tr("Chat with a model folder (a base or merged model)"))
        self.browse_button.clicked.connect(self.browse_model)
        self.load_button = QPushButton(self.tr("Load"))
        self.load_button.setToolTip(self.tr("Load the model into memory (Ctrl+L)"))
        self.load_button.setShortcut(QKeySequence("Ctrl+L"))
        self.load_button.clicked.connect(self.load_requested)
        self.unload_button = QPushButton(self.tr("Unload"))
        self.unload_button.setToolTip(self.tr("End the chat process and free its memory"))
        self.unload_button.clicked.connect(self.unload_requested)
        self.merge_button = QPushButton(self.tr("Merge…"))
        self.merge_button.setToolTip(
            self.tr("Merge the run's adapter into a standalone model in the run folder")
        )
        self.merge_button.clicked.connect(self.merge)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setToolTip(
            self.tr(
                "Export the run as GGUF (llama.cpp, LM Studio), for Ollama, or as a PEFT adapter"
            )
        )
        self.export_button.clicked.connect(self.export)
        self.export_dialog: ExportDialog | None = None
        self.serve_button = QPushButton(self.tr("Serve API"))
        self.serve_button.setCheckable(True)
        self.serve_button.setToolTip(
            self.tr("Serve the chosen model as an OpenAI-compatible API on this computer")
        )
        self.serve_button.toggled.connect(self._on_serve_toggled)
        decorate(
            [
                (self.load_button, "load"),
                (self.unload_button, "unload"),
                (self.merge_button, "merge"),
                (self.export_button, "export"),
                (self.serve_button, "serve"),
            ]
        )
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        self.state_label = QLabel(self.tr("No model loaded."))
        self.state_label.setWordWrap(True)
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reload_button = QPushButton(self.tr("Reload"))
        self.reload_button.clicked.connect(self.load_requested)
        self.reload_button.hide()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Model:")))
        bar.addWidget(self.source_box, 1)
        for widget in (
            self.browse_button,
            self.load_button,
            self.unload_button,
            self.merge_button,
            self.export_button,
            self.serve_button,
            self.busy,
        ):
            bar.addWidget(widget)
        state_row = QHBoxLayout()
        state_row.addWidget(self.state_label, 1)
        state_row.addWidget(self.reload_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(state_row)
        self.serve_info = ServeInfo()
        layout.addWidget(self.serve_info)

    def refresh_sources(self) -> None:
        current = self.current_source()
        self.source_box.blockSignals(True)
        self.source_box.clear()
        sources = chat_sources(self.settings.runs_dir) + self.extra_sources
        seen = {os.path.normpath(s.model) for s in sources if s.model}
        for source in sources + [
            s for s in library_sources(self.settings) if os.path.normpath(s.model) not in seen
        ]:
            self.source_box.addItem(self.source_label(source), source)
        self.source_box.blockSignals(False)
        if current is not None:
            self.select_source(current.key)
        self.source_changed.emit()

    def source_label(self, source: ChatSource) -> str:
        if source.kind == "library":
            return self.tr("%s — on this machine") % source.name
        if source.kind == "merged":
            return self.tr("%s — merged model") % source.name
        if source.kind == "adapter":
            return self.tr("%s — base model + adapter") % source.name
        return self.tr("%s — model folder") % source.name

    def current_source(self) -> ChatSource | None:
        return self.source_box.currentData()

    def select_source(self, key: str) -> bool:
        for i in range(self.source_box.count()):
            if self.source_box.itemData(i).key == key:
                self.source_box.setCurrentIndex(i)
                return True
        return False

    def select_run(self, run_dir: str) -> None:
        """From Runs: the run's merged model when there is one, else its base + adapter."""
        self.refresh_sources()
        for kind in ("merged", "adapter"):
            for i in range(self.source_box.count()):
                source = self.source_box.itemData(i)
                if source.kind == kind and os.path.normpath(source.adapter or source.model) in (
                    os.path.normpath(run_dir),
                    os.path.normpath(os.path.join(run_dir, MERGED_DIR)),
                ):
                    self.source_box.setCurrentIndex(i)
                    return

    def add_model_folder(self, folder: str) -> None:
        source = ChatSource("model", os.path.basename(folder.rstrip("/\\")) or folder, model=folder)
        if all(s.key != source.key for s in self.extra_sources):
            self.extra_sources.append(source)
        self.refresh_sources()
        self.select_source(source.key)

    def browse_model(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose a model folder"), self.settings.models_dir
        )
        if folder:
            self.add_model_folder(folder)

    def show_progress(self, text: str, _progress: float) -> None:
        self.state_label.setText(text)  # already in the UI language (gui.text.loading_text)

    @property
    def jobs_running(self) -> bool:
        return self.merger.running or self.server.running

    def update_buttons(self, generating: bool, chat_running: bool) -> None:
        source = self.current_source()
        self.load_button.setEnabled(source is not None and not generating)
        self.unload_button.setEnabled(chat_running)
        self.merge_button.setEnabled(
            source is not None and source.kind == "adapter" and not self.merger.running
        )
        self.serve_button.setEnabled(source is not None or self.server.running)
        self.export_button.setEnabled(bool(self.source_run(source)))

    @staticmethod
    def source_run(source: ChatSource | None) -> str:
        """The run folder behind a chat source (its adapter, or the run its merged model is
        in); empty for a plain model folder."""
        if source is None:
            return ""
        if source.kind == "adapter":
            return source.adapter
        parent = os.path.dirname(os.path.normpath(source.model))
        if source.kind == "merged" and os.path.isdir(os.path.join(parent, ADAPTER)):
            return parent
        return ""

    def export(self) -> ExportDialog | None:
        run = self.source_run(self.current_source())
        if not run:
            return None
        self.export_dialog = ExportDialog(run, self)
        self.export_dialog.open()
        return self.export_dialog

    # ---- merge, export and serve ----
    def merge(self) -> None:
        source = self.current_source()
        if source is None or not source.adapter or not self.merger.start(source.adapter):
            return
        self.state_label.setText(self.tr("Merging the adapter of “%s”…") % source.name)
        self.busy.show()
        self.jobs_changed.emit()

    def _on_serving(self, url: str) -> None:
        self.state_label.setText(
            self.tr("Serving at %s — OpenAI-compatible; stop it with Serve API.") % url
        )
        self.serve_info.show_server(url, self.server.key)

    def _merge_done(self, ok: bool, problem: str, output: str) -> None:
        self.busy.hide()
        if ok:
            self.state_label.setText(self.tr("Merged. The merged model is now in the list."))
            source = self.current_source()
            self.refresh_sources()
            if source is not None:
                self.select_source(ChatSource("merged", source.name, model=output).key)
        else:
            self.state_label.setText(self.tr("Merge failed: %s") % problem)
        self.jobs_changed.emit()

    def _on_serve_toggled(self, on: bool) -> None:
        if on and not self.server.running:
            self.start_serving()
        elif not on and self.server.running:
            self.server.stop()
            self.state_label.setText(self.tr("Stopping the API server…"))

    def start_serving(self) -> None:
        source = self.current_source()
        if source is None:
            self.serve_button.setChecked(False)
            return
        self.server.start(source, self.serve_port)
        self.state_label.setText(self.tr("Starting the API server…"))
        self.jobs_changed.emit()

    def _serve_done(self, outcome: Outcome) -> None:
        self.serve_info.clear()
        self.serve_button.blockSignals(True)
        self.serve_button.setChecked(False)
        self.serve_button.blockSignals(False)
        if outcome.ok:
            self.state_label.setText(self.tr("The API server has stopped."))
        else:
            title, _details = outcome_text(outcome)
            self.state_label.setText(
                self.tr("The API server stopped: %s") % (outcome.message or title)
            )
        self.jobs_changed.emit()


def library_sources(settings) -> list[ChatSource]:
    """The Models section's usable models that are not a run's merge (those come first)."""
    from lora_studio.core import library

    return [
        ChatSource("library", m.name, model=m.folder)
        for m in library.on_this_machine(settings)
        if m.usable and m.origin not in (library.MERGED, library.FOUND)
    ]
