"""One download's progress: what it fetches, how far, how fast; Pause / Resume and Cancel."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from lora_studio.core import events as ev
from lora_studio.core import units
from lora_studio.gui.text import duration


class DownloadBar(QWidget):
    pause_requested = Signal()
    resume_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.detail = QLabel()
        self.pause = QPushButton(self.tr("Pause"))
        self.resume = QPushButton(self.tr("Resume"))
        self.cancel = QPushButton(self.tr("Cancel"))
        self.pause.clicked.connect(self.pause_requested)
        self.resume.clicked.connect(self.resume_requested)
        self.cancel.clicked.connect(self.cancel_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.detail)
        for button in (self.pause, self.resume, self.cancel):
            layout.addWidget(button)
        self.resume.hide()
        self.hide()

    def begin(self, model_id: str) -> None:
        self.title.setText(self.tr("Downloading %s") % model_id)
        self.detail.setText(self.tr("Asking the hub…"))
        self.bar.setValue(0)
        self.pause.show()
        self.resume.hide()
        self.show()

    def show_progress(self, event: ev.Download) -> None:
        if event.total_bytes:
            self.bar.setValue(int(1000 * event.done_bytes / event.total_bytes))
        parts = [
            self.tr("%s of %s") % (units.size(event.done_bytes), units.size(event.total_bytes)),
            self.tr("file %d of %d")
            % (min(event.files_done + 1, event.files_total), event.files_total),
        ]
        if event.bytes_per_second > 0:
            parts.append(self.tr("%s/s") % units.size(event.bytes_per_second))
        if event.eta_seconds is not None and event.done_bytes < event.total_bytes:
            parts.append(self.tr("%s left") % duration(event.eta_seconds))
        self.detail.setText(" · ".join(parts))
        self.bar.setToolTip(event.file)

    def set_paused(self, model_id: str) -> None:
        self.title.setText(self.tr("Paused: %s") % model_id)
        self.detail.setText(self.tr("What arrived is kept; Resume continues from there."))
        self.pause.hide()
        self.resume.show()
        self.show()

    def set_failed(self, model_id: str, problem: str) -> None:
        """The download ended in an error: the message stays here; Resume tries again."""
        self.set_paused(model_id)
        self.title.setText(self.tr("Stopped: %s") % model_id)
        self.detail.setText(problem)
        self.detail.setWordWrap(True)
