"""Export… for a run: the format, the GGUF weight type with the file it will make, where it
goes, progress, and what to do with the result next, in words."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core import export_plan, units
from lora_studio.gui.jobs.export import ExportJob


def size_text(count: int | None) -> str:
    return "?" if count is None else units.size(count)


class ExportDialog(QDialog):
    def __init__(self, run_dir: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_dir = run_dir
        self.output = ""
        self.setWindowTitle(self.tr("Export “%s”") % os.path.basename(run_dir.rstrip(os.sep)))
        self.format_box = QComboBox()
        for key, label in (
            ("gguf", self.tr("GGUF (llama.cpp, LM Studio)")),
            ("ollama", self.tr("Ollama (GGUF + Modelfile)")),
            ("peft", self.tr("LoRA adapter for Hugging Face PEFT")),
        ):
            self.format_box.addItem(label, key)
        self.quant_box = QComboBox()
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow(self.tr("Format"), self.format_box)
        form.addRow(self.tr("Weights"), self.quant_box)
        self.quants = export_plan.QUANTS
        if export_plan.k_quants_available():
            self.quants += export_plan.K_QUANTS
        else:  # said once, where the weight types are chosen
            k_note = QLabel(
                self.tr(
                    "K-quants (q4_k_m and the like) are written by llama.cpp: install its "
                    "llama-quantize, or pip install llama-cpp-python, to get them here."
                )
            )
            k_note.setWordWrap(True)
            form.addRow("", k_note)
        form.addRow(self.tr("Saved in"), self.where)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = QPushButton(self.tr("Export"))
        self.export_button.setDefault(True)
        self.folder_button = QPushButton(self.tr("Open folder"))
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.folder_button.hide()  # after addButton, which shows it
        self.buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(self.start)
        self.folder_button.clicked.connect(self.open_folder)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.job = ExportJob(self)
        self.job.progress.connect(self._on_progress)
        self.job.done.connect(self._on_done)
        # the GGUF each weight type makes; read once, the run does not change
        self.sizes = export_plan.gguf_sizes(run_dir, self.quants)
        self.format_box.currentIndexChanged.connect(self._refresh)
        self._refresh()

    def plan(self) -> export_plan.ExportPlan:
        return export_plan.plan(
            self.run_dir, self.format_box.currentData(), self.quant_box.currentData() or "q8_0"
        )

    def _refresh(self) -> None:
        fmt = self.format_box.currentData()
        chosen = self.quant_box.currentData() or export_plan.DEFAULT_QUANT
        names = {
            "f32": self.tr("f32 (exact, largest)"),
            "f16": self.tr("f16 (as good as the original)"),
            "bf16": self.tr("bf16 (as good as the original)"),
            "q8_0": self.tr("q8_0 (near the original, half the size; recommended)"),
            "q4_0": self.tr("q4_0 (small, some loss)"),
            "q2_k": self.tr("q2_k (smallest, much loss)"),
            "q3_k_m": self.tr("q3_k_m (very small, noticeable loss)"),
            "q4_k_m": self.tr("q4_k_m (small, little loss; a common choice)"),
            "q5_k_m": self.tr("q5_k_m (little loss)"),
            "q6_k": self.tr("q6_k (near the original)"),
        }
        self.quant_box.blockSignals(True)
        self.quant_box.clear()
        for quant in self.quants:
            self.quant_box.addItem(f"{names[quant]} · ~{size_text(self.sizes[quant])}", quant)
        self.quant_box.setCurrentIndex(max(0, self.quant_box.findData(chosen)))
        self.quant_box.blockSignals(False)
        self.quant_box.setEnabled(fmt != "peft")
        self.where.setText(export_plan.default_output(self.run_dir, fmt))

    def start(self) -> bool:
        if not self.job.start(self.plan()):
            return False
        self.export_button.setEnabled(False)
        self.format_box.setEnabled(False)
        self.quant_box.setEnabled(False)
        self.folder_button.hide()
        self.progress.setValue(0)
        self.progress.show()
        self.message.setText(self.tr("Exporting… a merge comes first when the run has none."))
        return True

    def _on_progress(self, text: str, fraction: float) -> None:
        self.progress.setValue(int(fraction * 100))
        self.message.setText(text)

    def _on_done(self, ok: bool, problem: str, output: str) -> None:
        self.export_button.setEnabled(True)
        self.format_box.setEnabled(True)
        self.quant_box.setEnabled(self.format_box.currentData() != "peft")
        self.progress.hide()
        if not ok:
            self.message.setText(self.tr("The export failed: %s") % problem)
            return
        self.output = output
        self.folder_button.show()
        self.message.setText(self.tr("Saved: %s") % output + "\n\n" + self.next_step())

    def next_step(self) -> str:
        fmt = self.format_box.currentData()
        if fmt == "ollama":
            return self.tr(
                "Next: in a terminal, in that folder, run “ollama create my-model -f Modelfile”, "
                "then “ollama run my-model”."
            )
        if fmt == "peft":
            return self.tr(
                "Next: load it in Python with PeftModel.from_pretrained(base_model, folder), "
                "on the same base model."
            )
        return self.tr(
            "Next: in LM Studio, import the .gguf file (My Models, then Import), or run it with "
            "llama.cpp: llama-cli -m FILE.gguf -cnv."
        )

    def open_folder(self) -> None:
        folder = self.output if os.path.isdir(self.output) else os.path.dirname(self.output)
        QDesktopServices.openUrl(QUrl.fromLocalFile(folder))

    def reject(self) -> None:
        self.job.stop()
        super().reject()
