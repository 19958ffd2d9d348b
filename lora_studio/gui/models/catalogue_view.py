"""The models the presets know, with download size and whether they fit, before anything is
fetched; the hub to fetch from and a mirror's address; any other hub id typed in."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core import catalogue, hubs, units
from lora_studio.core.messages import Text
from lora_studio.gui.icons import icon
from lora_studio.gui.models.library_model import parameters_text, verdict_text
from lora_studio.gui.models.token_dialog import HubTokenDialog
from lora_studio.gui.text import message_text
from lora_studio.gui.widgets.fields import ComboBox


class CatalogueView(QWidget):
    download_requested = Signal(str, str, str)  # model id, source ("" = automatic), endpoint
    hubs_checked = Signal(dict)  # {hub key: "" when it answers, else why not}; from a thread

    def __init__(self, source: str = "", endpoint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[catalogue.CatalogueEntry] = []
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Model"),
                self.tr("Parameters"),
                self.tr("Download"),
                self.tr("LoRA on this machine"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selected)
        self.table.doubleClicked.connect(lambda _index: self._request())
        self.model_id = QLineEdit()
        self.model_id.setPlaceholderText(self.tr("Organisation/Model, as on the hub"))
        self.model_id.returnPressed.connect(self._request)
        self.source = ComboBox()
        for value, label in (
            ("", self.tr("Automatic (the first hub that answers)")),
            (hubs.HUGGINGFACE, "Hugging Face"),
            (hubs.MODELSCOPE, self.tr("ModelScope (mainland China)")),
            (hubs.AISTUDIO, self.tr("AI Studio (Baidu, mainland China)")),
        ):
            self.source.addItem(label, value)
        self.source.setCurrentIndex(max(0, self.source.findData(source)))
        self.endpoint = QLineEdit(endpoint)
        self.endpoint.setPlaceholderText(
            self.tr("optional: a mirror, such as https://hf-mirror.com")
        )
        self.download = QPushButton(self.tr("Download"))
        self.download.clicked.connect(self._request)
        self.download.setIcon(icon("download"))
        self.check = QPushButton(self.tr("Check hubs"))
        self.check.setToolTip(self.tr("Which hubs answer from this network (a few seconds)"))
        self.check.clicked.connect(self.check_hubs)
        self.tokens = QPushButton(self.tr("Access tokens…"))
        self.tokens.setToolTip(self.tr("Tokens for gated or private models"))
        self.tokens.clicked.connect(self.edit_tokens)
        self.token_dialog: HubTokenDialog | None = None
        self.reachability = QLabel()
        self.reachability.setWordWrap(True)
        self.hubs_checked.connect(self._show_reachability)
        row = QHBoxLayout()
        row.addWidget(self.model_id, 1)
        row.addWidget(self.download)
        form = QFormLayout()
        form.addRow(self.tr("Model"), row)
        hub_row = QHBoxLayout()
        hub_row.addWidget(self.source, 1)
        hub_row.addWidget(self.check)
        hub_row.addWidget(self.tokens)
        form.addRow(self.tr("Hub"), hub_row)
        form.addRow(self.tr("Mirror"), self.endpoint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.reachability)

    def set_entries(self, entries: list[catalogue.CatalogueEntry]) -> None:
        self.entries = entries
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = (
                f"{entry.preset.label} ({entry.preset.hub_id})",
                parameters_text(entry.parameters),
                self.tr("about %s") % units.size(entry.download_bytes),
                verdict_text(entry.verdict),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 3:
                    item.setToolTip(self.tr("Estimated peak memory: %.1f GB") % entry.peak_gb)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _on_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.model_id.setText(self.entries[rows[0].row()].preset.hub_id)

    def _request(self) -> None:
        model_id = self.model_id.text().strip()
        if model_id:
            self.download_requested.emit(
                model_id, self.source.currentData(), self.endpoint.text().strip()
            )

    def set_busy(self, busy: bool) -> None:
        self.download.setEnabled(not busy)
        self.download.setToolTip(self.tr("One download at a time") if busy else "")

    def select(self, model_id: str) -> None:
        for row, entry in enumerate(self.entries):
            if entry.preset.hub_id == model_id:
                self.table.selectRow(row)
                return
        self.model_id.setText(model_id)
        self.table.clearSelection()
        self.model_id.setFocus(Qt.FocusReason.OtherFocusReason)

    def edit_tokens(self) -> HubTokenDialog:
        self.token_dialog = HubTokenDialog(self)
        self.token_dialog.open()
        return self.token_dialog

    def check_hubs(self) -> None:
        """Ask every hub at once, in a thread (one request each, 3 s at most)."""
        import threading

        endpoint = self.endpoint.text().strip()
        chosen = self.source.currentData() or hubs.HUGGINGFACE
        endpoints = {chosen: endpoint} if endpoint else {}
        self.check.setEnabled(False)
        self.reachability.setText(self.tr("Asking the hubs…"))

        def ask() -> None:
            self.hubs_checked.emit(hubs.answering(list(hubs.HUBS), endpoints))

        threading.Thread(target=ask, name="hub check", daemon=True).start()

    def _show_reachability(self, answers: dict) -> None:
        self.check.setEnabled(True)
        lines = []
        for key in [k for k in hubs.HUBS if k in answers]:  # Qt hands the dict back sorted
            why = answers[key]
            name = hubs.HUBS[key].name
            if why:
                reason = message_text(why) if isinstance(why, Text) else str(why)
                lines.append(self.tr("%s does not answer from this network (%s).") % (name, reason))
            else:
                lines.append(self.tr("%s answers.") % name)
        self.reachability.setText(" ".join(lines))
