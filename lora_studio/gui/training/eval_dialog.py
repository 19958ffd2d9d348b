"""What to evaluate a run on: its eval split or a file, how many records, the general-ability
check, and an optional LLM judge (whose key goes to the keyring, or stays for this session)."""

from __future__ import annotations

import os

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core import secrets
from lora_studio.core.commands import EvalOptions
from lora_studio.gui.widgets.emphasis import set_tone
from lora_studio.gui.widgets.fields import SpinBox


class EvalDialog(QDialog):
    def __init__(self, run_dir: str, has_split: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_dir = run_dir
        self.has_split = has_split
        self.setWindowTitle(self.tr("Evaluate the run"))
        self.setMinimumWidth(580)
        self.dataset = QLineEdit()
        self.dataset.setPlaceholderText(
            self.tr("the run's held-out records")
            if has_split
            else self.tr("this run held out no records: choose a file")
        )
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        dataset_row = QHBoxLayout()
        dataset_row.addWidget(self.dataset, 1)
        dataset_row.addWidget(browse)
        self.limit = SpinBox()
        self.limit.setRange(0, 100_000)
        self.limit.setSpecialValueText(self.tr("all"))
        self.max_new_tokens = SpinBox()
        self.max_new_tokens.setRange(1, 8192)
        self.max_new_tokens.setValue(256)
        self.general = QCheckBox(
            self.tr("General-ability check (24 bundled questions, English and Chinese)")
        )
        self.general.setChecked(True)
        self.judge = QGroupBox(self.tr("LLM judge (any OpenAI-compatible API)"))
        self.judge.setCheckable(True)
        self.judge.setChecked(False)
        self.judge_url = QLineEdit("https://api.deepseek.com/v1")
        self.judge_model = QLineEdit("deepseek-chat")
        self.judge_key = QLineEdit(secrets.load_key(self.judge_url.text()))
        self.judge_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.judge_url.editingFinished.connect(self._load_key)
        judge_form = QFormLayout(self.judge)
        judge_form.addRow(self.tr("Base URL"), self.judge_url)
        judge_form.addRow(self.tr("Model"), self.judge_model)
        judge_form.addRow(self.tr("API key"), self.judge_key)
        if not secrets.keyring_available():
            note = QLabel(
                self.tr(
                    "No system keyring was found: the key is kept only until LoRA Studio "
                    "closes, and never written to a file."
                )
            )
            note.setWordWrap(True)
            judge_form.addRow("", note)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        set_tone(self.problem, "error")
        form = QFormLayout()
        form.addRow(self.tr("Records"), dataset_row)
        form.addRow(self.tr("Evaluate at most"), self.limit)
        form.addRow(self.tr("Longest answer (tokens)"), self.max_new_tokens)
        form.addRow("", self.general)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Evaluate"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.judge)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Records to evaluate"),
            os.path.dirname(self.dataset.text()) or self.run_dir,
            self.tr("Datasets (*.json *.jsonl *.csv *.tsv *.txt *.xlsx);;All files (*)"),
        )
        if path:
            self.dataset.setText(path)

    def _load_key(self) -> None:
        if not self.judge_key.text():
            self.judge_key.setText(secrets.load_key(self.judge_url.text().strip()))

    def problems(self) -> str:
        dataset = self.dataset.text().strip()
        if not dataset and not self.has_split:
            return self.tr("This run held out no records: choose the records to evaluate.")
        if dataset and not os.path.isfile(dataset):
            return self.tr("There is no file %s.") % dataset
        if self.judge.isChecked():
            url = self.judge_url.text().strip()
            if not url.startswith(("http://", "https://")):
                return self.tr("The judge's base URL must start with http:// or https://.")
            if not self.judge_model.text().strip():
                return self.tr("Give the judge's model name.")
        return ""

    def _accept(self) -> None:
        problem = self.problems()
        self.problem.setText(problem)
        if problem:
            return
        if self.judge.isChecked() and self.judge_key.text().strip():
            secrets.save_key(self.judge_url.text().strip(), self.judge_key.text().strip())
        self.accept()

    def options(self) -> EvalOptions:
        judged = self.judge.isChecked()
        return EvalOptions(
            dataset=self.dataset.text().strip(),
            limit=self.limit.value(),
            max_new_tokens=self.max_new_tokens.value(),
            general=self.general.isChecked(),
            judge_url=self.judge_url.text().strip() if judged else "",
            judge_model=self.judge_model.text().strip() if judged else "",
            judge_key=self.judge_key.text().strip() if judged else "",
        )
