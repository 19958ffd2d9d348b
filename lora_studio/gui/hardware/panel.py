"""The Hardware section: the detected hardware, and the wizard one click away."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from lora_studio.core.settings import AppSettings
from lora_studio.gui.hardware.report import hardware_html
from lora_studio.gui.icons import decorate
from lora_studio.gui.jobs.probe import Detection


class HardwarePanel(QWidget):
    """The Hardware section: the detected hardware, and the wizard one click away."""

    wizard_requested = Signal()

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detection = Detection(settings, self)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.text.setOpenExternalLinks(True)  # the edition's download page
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        wizard = QPushButton(self.tr("Recommend settings…"))
        wizard.setToolTip(self.tr("Open the hardware wizard: the LoRA settings that fit"))
        wizard.clicked.connect(self.wizard_requested)
        again = QPushButton(self.tr("Detect again"))
        again.clicked.connect(lambda: self.detection.start())
        decorate([(wizard, "wizard"), (again, "detect")])
        buttons = QHBoxLayout()
        buttons.addWidget(wizard)
        buttons.addWidget(again)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        heading = self.tr("Hardware")
        layout.addWidget(QLabel(f"<h2>{heading}</h2>"))
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.detection.done.connect(self.refresh)
        self.detection.start()
        self.refresh()

    def refresh(self) -> None:
        self.text.setText(hardware_html(self.detection))
