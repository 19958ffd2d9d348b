"""Cluster job… for a run: machines, GPUs per machine, node 0's address, the container image, and
a new folder; the job is written in a thread (the model is copied with it) by
``core/cluster_job.write_job``, the same code as ``main.py job export``."""

from __future__ import annotations

import os
import threading

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core import cluster_job
from lora_studio.core.config import CONFIG_FILE_NAME, ConfigError, RunConfig
from lora_studio.gui.text import message_text
from lora_studio.gui.widgets.fields import int_box


class ClusterJobDialog(QDialog):
    written = Signal(object, str)  # (paths written | None, problem in the UI language)

    def __init__(self, run_dir: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_dir = run_dir
        self.setWindowTitle(
            self.tr("Cluster job for “%s”") % os.path.basename(run_dir.rstrip(os.sep))
        )
        self.nodes = int_box(1, 1024, 1)
        self.gpus = int_box(1, 64, 8)
        self.master = QLineEdit()
        self.master.setPlaceholderText(self.tr("node0.example.com:8090 (or set MASTER later)"))
        self.image = QLineEdit(cluster_job.DEFAULT_IMAGE)
        self.folder = QLineEdit(os.path.join(run_dir, "cluster-job"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        folder_row = QWidget()
        row = QHBoxLayout(folder_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.batch = QLabel()
        form = QFormLayout()
        form.addRow(self.tr("Machines (nodes)"), self.nodes)
        form.addRow(self.tr("GPUs per machine"), self.gpus)
        form.addRow(self.tr("Effective batch"), self.batch)
        form.addRow(self.tr("Node 0 address"), self.master)
        form.addRow(self.tr("Container image"), self.image)
        form.addRow(self.tr("Job folder"), folder_row)
        explain = QLabel(
            self.tr(
                "Writes a folder with the run's config, dataset and model, a launch script per "
                "machine, a Slurm batch script and a Kubernetes manifest. Put it on storage that "
                "every machine mounts at the same path; its README says what each one needs."
            )
        )
        explain.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.write_button = QPushButton(self.tr("Write job"))
        self.write_button.setDefault(True)
        self.open_button = QPushButton(self.tr("Open folder"))
        self.buttons.addButton(self.write_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.hide()  # after addButton, which shows it; shown once the job is written
        self.buttons.rejected.connect(self.reject)
        self.write_button.clicked.connect(self.write)
        self.open_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder.text()))
        )
        self.written.connect(self._show_written)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.config: RunConfig | None = None
        try:
            self.config = RunConfig.load(os.path.join(run_dir, CONFIG_FILE_NAME))
        except ConfigError:
            self.message.setText(self.tr("This run has no readable run_config.json."))
            self.write_button.setEnabled(False)
        self.nodes.valueChanged.connect(self._show_batch)
        self.gpus.valueChanged.connect(self._show_batch)
        self._show_batch()
        # Wide enough for a registry path and a job folder under the runs folder to show whole.
        self.resize(max(self.sizeHint().width(), self.fontMetrics().averageCharWidth() * 90), 0)

    def spec(self) -> cluster_job.JobSpec:
        return cluster_job.JobSpec(
            nnodes=self.nodes.value(),
            nproc_per_node=self.gpus.value(),
            master=self.master.text().strip(),
            image=self.image.text().strip() or cluster_job.DEFAULT_IMAGE,
        )

    def _show_batch(self) -> None:
        if self.config is None:
            return
        c = self.config
        world = self.nodes.value() * self.gpus.value()
        total = c.per_device_train_batch_size * c.gradient_accumulation_steps * world
        self.batch.setText(
            self.tr("%d x %d accumulation x %d GPUs = %d sequences per step")
            % (c.per_device_train_batch_size, c.gradient_accumulation_steps, world, total)
        )

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Job folder"), self.run_dir)
        if folder:
            self.folder.setText(os.path.join(folder, "cluster-job"))

    def write(self) -> None:
        """Write the job in a thread; ``written`` says how it went."""
        if self.config is None:
            return
        config, spec, folder = self.config, self.spec(), self.folder.text().strip()
        problems = spec.problems()
        if problems:
            self.message.setText(" ".join(message_text(p) for p in problems))
            return
        self.write_button.setEnabled(False)
        self.message.setText(self.tr("Writing the job (copying the dataset and the model)…"))

        def work() -> None:
            try:
                self.written.emit(cluster_job.write_job(config, folder, spec), "")
            except cluster_job.JobError as exc:
                self.written.emit(None, message_text(exc.text))
            except OSError as exc:
                self.written.emit(None, self.tr("Could not write the job: %s") % exc)

        self._thread = threading.Thread(target=work, name="cluster job", daemon=True)
        self._thread.start()

    def _show_written(self, paths: object, problem: str) -> None:
        self.write_button.setEnabled(True)
        if paths is None:
            self.message.setText(problem)
            return
        self.message.setText(
            self.tr("Job written to %s. Its README.md says how to start it on each machine.")
            % self.folder.text()
        )
        self.open_button.show()
