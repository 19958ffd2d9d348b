"""Import GGUF…: the GGUF files LM Studio and Ollama keep on this machine (or any file), turned
into a model folder that training, chat and the wizard use."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core import gguf_sources
from lora_studio.gui.export_dialog import size_text
from lora_studio.gui.jobs.import_gguf import ImportJob


class ImportGGUFDialog(QDialog):
    model_imported = Signal(str)  # the new model folder, when the user asks to train it

    def __init__(
        self, models_dir: str, found: list | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.models_dir = models_dir
        self.output = ""
        self.setWindowTitle(self.tr("Import a GGUF model"))
        self.list = QListWidget()
        self.empty = QLabel(
            self.tr("No GGUF files were found in LM Studio's or Ollama's folders. Choose a file.")
        )
        self.empty.setWordWrap(True)
        for item in gguf_sources.find_ggufs() if found is None else found:
            self._add_row(item)
        self.empty.setVisible(self.list.count() == 0)
        self.choose_button = QPushButton(self.tr("Choose file…"))
        self.choose_button.clicked.connect(self.choose_file)
        self.name = QLineEdit()
        self.where = QLabel()
        self.where.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Saved in"), self.where)
        note = QLabel(
            self.tr(
                "Llama, Qwen2 and Qwen3 models, any quantisation: the weights are expanded to "
                "32-bit floats for training (a 1 GB Q4 file takes about 7 GB on disk)."
            )
        )
        note.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = QPushButton(self.tr("Import"))
        self.import_button.setDefault(True)
        self.train_button = QPushButton(self.tr("Use for training"))
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.train_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.train_button.hide()  # after addButton, which shows it
        self.buttons.rejected.connect(self.reject)
        self.import_button.clicked.connect(self.start)
        self.train_button.clicked.connect(self._use_for_training)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.job = ImportJob(self)
        self.job.progress.connect(self._on_progress)
        self.job.done.connect(self._on_done)
        self.list.currentItemChanged.connect(self._on_selected)
        self.name.textChanged.connect(self._update_where)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._update_where()

    def selected(self) -> gguf_sources.FoundGGUF | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a GGUF file"), "", self.tr("GGUF models (*.gguf);;All files (*)")
        )
        if path:
            self.add_file(path)

    def add_file(self, path: str) -> None:
        found = gguf_sources.FoundGGUF(
            os.path.splitext(os.path.basename(path))[0], path, os.path.getsize(path), "folder"
        )
        self.list.setCurrentItem(self._add_row(found))
        self.empty.hide()

    def _add_row(self, found: gguf_sources.FoundGGUF) -> QListWidgetItem:
        sources = {"lmstudio": "LM Studio", "ollama": "Ollama", "folder": self.tr("chosen file")}
        row = QListWidgetItem(
            f"{found.name}  ·  {size_text(found.size)}  ·  {sources[found.source]}"
        )
        row.setData(Qt.ItemDataRole.UserRole, found)
        row.setToolTip(found.path)
        self.list.addItem(row)
        return row

    def _on_selected(self, *_args) -> None:
        found = self.selected()
        if found is not None:
            self.name.setText(gguf_sources.folder_name(found))

    def target(self) -> str:
        return os.path.join(self.models_dir, self.name.text().strip())

    def _update_where(self) -> None:
        self.where.setText(self.target())
        ready = self.selected() is not None and bool(self.name.text().strip())
        self.import_button.setEnabled(ready and not self.job.running)

    def start(self) -> bool:
        found = self.selected()
        if found is None or not self.name.text().strip():
            return False
        if os.path.exists(self.target()):
            self.message.setText(self.tr("%s already exists: choose another name.") % self.target())
            return False
        if not self.job.start(found.path, self.target()):
            return False
        self.import_button.setEnabled(False)
        self.train_button.hide()
        self.progress.setValue(0)
        self.progress.show()
        self.message.setText(self.tr("Importing…"))
        return True

    def _on_progress(self, text: str, fraction: float) -> None:
        self.progress.setValue(int(fraction * 100))
        self.message.setText(text)

    def _on_done(self, ok: bool, problem: str, output: str) -> None:
        self.progress.hide()
        self._update_where()
        if not ok:
            self.message.setText(self.tr("The import failed: %s") % problem)
            return
        self.output = output
        self.train_button.show()
        self.message.setText(self.tr("Imported: %s") % output)

    def _use_for_training(self) -> None:
        self.model_imported.emit(self.output)
        self.accept()

    def reject(self) -> None:
        self.job.stop()
        super().reject()
