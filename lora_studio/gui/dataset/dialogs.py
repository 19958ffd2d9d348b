"""The dataset editor's dialogs: column mapping, placeholders, split, and opening a file that
has unreadable records."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from lora_studio.core import checks
from lora_studio.core.formats import ReadResult
from lora_studio.gui.text import translate
from lora_studio.gui.widgets.fields import ComboBox, DoubleSpinBox, SpinBox

MAX_LISTED_PROBLEMS = 2000


class ColumnMappingDialog(QDialog):
    """Which columns of a table are the instruction, input, output and system."""

    def __init__(self, columns: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Choose the columns"))
        self.boxes: dict[str, QComboBox] = {}
        form = QFormLayout(self)
        form.addRow(
            QLabel(self.tr("The first row does not name the fields. Which column is which?"))
        )
        names = {
            "instruction": self.tr("Instruction"),
            "input": self.tr("Input"),
            "output": self.tr("Output"),
            "system": self.tr("System"),
        }
        for i, (name, label) in enumerate(names.items()):
            box = ComboBox()
            box.addItem(self.tr("(none)"), "")
            for column in columns:
                box.addItem(column or self.tr("(unnamed)"), column)
            if name in ("instruction", "output"):
                box.setCurrentIndex(min(i if name == "instruction" else 2, len(columns)))
            self.boxes[name] = box
            form.addRow(label, box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def mapping(self) -> dict[str, str]:
        return {k: box.currentData() for k, box in self.boxes.items() if box.currentData()}


class PlaceholderDialog(QDialog):
    """One field per template placeholder: the value that replaces it everywhere."""

    def __init__(self, names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Fill placeholders"))
        form = QFormLayout(self)
        form.addRow(
            QLabel(
                self.tr(
                    "Each placeholder is replaced in every record by the value you give; "
                    "empty ones are left as they are. Undo takes it back in one step."
                )
            )
        )
        self.edits: dict[str, QLineEdit] = {}
        for name in names:
            edit = QLineEdit()
            self.edits[name] = edit
            form.addRow("{{" + name + "}}", edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, str]:
        return {name: edit.text() for name, edit in self.edits.items()}

    @classmethod
    def ask(cls, records: list, parent: QWidget, say: Callable[[str], None]) -> dict[str, str]:
        """The value of each placeholder in ``records`` ({} when there is none, or cancelled)."""
        names: dict[str, None] = {}
        for record in records:
            names.update((n, None) for n in checks.placeholders(record))
        if not names:
            say(translate("PlaceholderDialog", "No record holds a placeholder such as {{name}}."))
            return {}
        dialog = cls(list(names), parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else {}


class SplitDialog(QDialog):
    """The eval share and seed of a train/eval split."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Split into train and eval files"))
        self.ratio = DoubleSpinBox()
        self.ratio.setRange(0.01, 0.5)
        self.ratio.setSingleStep(0.05)
        self.ratio.setValue(0.1)
        self.seed = SpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(42)
        form = QFormLayout(self)
        form.addRow(self.tr("Eval share"), self.ratio)
        form.addRow(self.tr("Seed"), self.seed)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class OpenWithProblems(QMessageBox):
    """Some records of a file cannot be read: open the readable ones, or not."""

    def __init__(self, result: ReadResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("Some records cannot be read"))
        self.setText(
            self.tr("%d records cannot be read; %d can. Open the readable ones?")
            % (len(result.problems), len(result.records))
        )
        self.setDetailedText("\n".join(str(p) for p in result.problems[:MAX_LISTED_PROBLEMS]))
        self.open_button = self.addButton(
            self.tr("Open the readable ones"), QMessageBox.ButtonRole.AcceptRole
        )
        self.addButton(self.tr("Do not open"), QMessageBox.ButtonRole.RejectRole)

    @classmethod
    def ask(cls, result: ReadResult, parent: QWidget | None = None) -> bool:
        box = cls(result, parent)
        box.exec()
        return box.clickedButton() is box.open_button
