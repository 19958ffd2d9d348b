"""The models on this machine as a table (core.library.LocalModel rows), and the words for
where a model came from and whether it fits."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt

from lora_studio.core import catalogue, library, units

translate = QCoreApplication.translate


def origin_text(origin: str) -> str:
    return {
        library.DEMO: translate("Models", "demo (made from the bundled GGUF)"),
        library.DOWNLOADED: translate("Models", "downloaded"),
        library.PARTIAL: translate("Models", "download not finished"),
        library.IMPORTED: translate("Models", "imported from GGUF"),
        library.MERGED: translate("Models", "merged from a run"),
        library.ADDED: translate("Models", "added folder"),
        library.MADE: translate("Models", "test model (random weights)"),
        library.LOCAL: translate("Models", "in the models folder"),
        library.FOUND: translate("Models", "found on this machine"),
        library.GGUF: translate("Models", "GGUF file (import to train)"),
    }.get(origin, origin)


def verdict_text(verdict: str) -> str:
    return {
        catalogue.FITS: translate("Models", "fits"),
        catalogue.TIGHT: translate("Models", "tight"),
        catalogue.TOO_BIG: translate("Models", "won't fit"),
        catalogue.SLOW: translate("Models", "slow on CPU"),
    }.get(verdict, verdict)


def parameters_text(count: int) -> str:
    if count <= 0:
        return "?"
    if count >= 1e9:
        return f"{count / 1e9:.1f}B"
    if count >= 1e6:
        return f"{count / 1e6:.0f}M"
    return f"{count / 1e3:.0f}K"


class LibraryTableModel(QAbstractTableModel):
    # architecture and chat template are in the details line under the table (details_text)
    COLUMNS = ("name", "origin", "parameters", "size", "context", "fits")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.models: list[library.LocalModel] = []
        self.verdicts: dict[str, str] = {}

    def headers(self) -> list[str]:
        return [
            self.tr("Name"), self.tr("Where from"), self.tr("Parameters"), self.tr("On disk"),
            self.tr("Context"), self.tr("LoRA here"),
        ]  # fmt: skip

    def set_models(self, models: list[library.LocalModel], verdicts: dict[str, str]) -> None:
        self.beginResetModel()
        self.models, self.verdicts = models, verdicts
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.models)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        model = self.models[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return model.folder if column == "name" else model.detail or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == "name":
            return model.name
        if column == "origin":
            text = origin_text(model.origin)
            return f"{text} · {model.detail}" if model.detail else text
        if column == "parameters":
            count = parameters_text(model.parameters)
            return f"{count} · {model.dtype}" if model.dtype else count
        if column == "size":
            return units.size(model.size_bytes)
        if column == "context":
            return f"{model.context_length:,}" if model.context_length else "?"
        if column == "fits":
            verdict = self.verdicts.get(model.folder, "")
            return verdict_text(verdict) if verdict else "?"
        return None

    def model_at(self, row: int) -> library.LocalModel | None:
        return self.models[row] if 0 <= row < len(self.models) else None


def details_text(model: library.LocalModel | None) -> str:
    """Everything about the selected model in one line under the table."""
    if model is None:
        return ""
    template = (
        translate("Models", "has a chat template")
        if model.has_chat_template
        else translate("Models", "no chat template: use an instruction-tuned model for chat")
    )
    where = origin_text(model.origin) + (f" · {model.detail}" if model.detail else "")
    parts = [model.architecture or "?", template, where, model.folder]
    return " · ".join(parts)
