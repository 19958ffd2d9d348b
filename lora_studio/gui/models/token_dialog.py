"""Access tokens for gated or private models (Hugging Face, ModelScope): kept in the system
keyring, or for this session only when there is none; never in a settings file."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core import hubs, secrets


class HubTokenDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Access tokens"))
        self.setMinimumWidth(520)
        intro = QLabel(
            self.tr(
                "Gated models (Llama, for one) download only with an access token of an account "
                "that accepted the model's licence on its page. Leave a field empty to remove "
                "its token."
            )
        )
        intro.setWordWrap(True)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for hub, placeholder in (
            (hubs.HUGGINGFACE, "hf_…"),
            (hubs.MODELSCOPE, self.tr("the SDK token of your ModelScope account")),
            (hubs.AISTUDIO, self.tr("the access token of your AI Studio account")),
        ):
            field = QLineEdit(secrets.load_key(hubs.token_account(hub)))
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setPlaceholderText(placeholder)
            self.fields[hub] = field
            form.addRow(hubs.HUBS[hub].name, field)
        self.note = QLabel(
            self.tr("The tokens go to the system keyring.")
            if secrets.keyring_available()
            else self.tr(
                "No system keyring was found: the tokens are kept only until LoRA Studio "
                "closes, and never written to a file."
            )
        )
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(buttons)

    def save(self) -> None:
        for hub, field in self.fields.items():
            secrets.save_key(hubs.token_account(hub), field.text().strip())
        self.accept()
