"""The sampling settings (presets, or each value), Compare, and the system prompt."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core.generation_settings import PRESETS, GenerationSettings
from lora_studio.gui.widgets.fields import ComboBox, SpinBox, float_box


class SamplingBox(QWidget):
    """Edits a ``GenerationSettings``; the preset shown follows the values."""

    compare_toggled = Signal(bool)
    system_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preset_box = ComboBox()
        self.preset_names = {
            "precise": self.tr("Precise"),
            "balanced": self.tr("Balanced"),
            "creative": self.tr("Creative"),
        }
        for key, label in self.preset_names.items():
            self.preset_box.addItem(label, key)
        self.preset_box.addItem(self.tr("Custom"), "custom")
        self.greedy_box = QCheckBox(self.tr("Greedy decoding"))
        self.greedy_box.setToolTip(
            self.tr("Always take the likeliest token: the same reply each time")
        )
        self.temperature = float_box(0.01, 2.0, step=0.05)
        self.top_p = float_box(0.01, 1.0, step=0.05)
        self.top_k = SpinBox()
        self.top_k.setRange(0, 1000)
        self.top_k.setSpecialValueText(self.tr("off"))
        self.repetition = float_box(0.5, 2.0, step=0.05)
        self.max_tokens = SpinBox()
        self.max_tokens.setRange(1, 8192)
        self.seed = SpinBox()
        self.seed.setRange(-1, 2**31 - 1)
        self.seed.setSpecialValueText(self.tr("random"))
        self.compare_box = QCheckBox(self.tr("Compare with the base model"))
        self.compare_box.setToolTip(
            self.tr("Answer each message with the adapter off and on, side by side")
        )
        self.compare_box.toggled.connect(self.compare_toggled)
        self.system_edit = QPlainTextEdit()
        self.system_edit.setPlaceholderText(self.tr("Optional: how the model should behave"))
        self.system_edit.setMaximumHeight(100)
        self.system_edit.textChanged.connect(
            lambda: self.system_changed.emit(self.system_edit.toPlainText())
        )
        sampling = QGroupBox(self.tr("Sampling"))
        form = QFormLayout(sampling)
        form.addRow(self.tr("Preset"), self.preset_box)
        form.addRow(self.greedy_box)
        form.addRow(self.tr("Temperature"), self.temperature)
        form.addRow(self.tr("Top-p"), self.top_p)
        form.addRow(self.tr("Top-k"), self.top_k)
        form.addRow(self.tr("Repetition penalty"), self.repetition)
        form.addRow(self.tr("Max new tokens"), self.max_tokens)
        form.addRow(self.tr("Seed"), self.seed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(sampling)
        layout.addWidget(self.compare_box)
        layout.addWidget(QLabel(self.tr("System prompt")))
        layout.addWidget(self.system_edit)
        layout.addStretch(1)
        self.setMinimumWidth(250)
        self.setMaximumWidth(330)

        self._setting_preset = False
        self.preset_box.currentIndexChanged.connect(self._on_preset_chosen)
        for widget in (self.temperature, self.top_p, self.repetition):
            widget.valueChanged.connect(self._on_setting_edited)
        for widget in (self.top_k, self.max_tokens, self.seed):
            widget.valueChanged.connect(self._on_setting_edited)
        self.greedy_box.toggled.connect(self._on_setting_edited)
        self.apply_settings(PRESETS["balanced"])

    def current_settings(self) -> GenerationSettings:
        return GenerationSettings(
            greedy=self.greedy_box.isChecked(),
            temperature=self.temperature.value(),
            top_p=self.top_p.value(),
            top_k=self.top_k.value(),
            repetition_penalty=self.repetition.value(),
            max_new_tokens=self.max_tokens.value(),
            seed=None if self.seed.value() < 0 else self.seed.value(),
        )

    def apply_settings(self, settings: GenerationSettings) -> None:
        self._setting_preset = True
        self.greedy_box.setChecked(settings.greedy)
        self.temperature.setValue(settings.temperature)
        self.top_p.setValue(settings.top_p)
        self.top_k.setValue(settings.top_k)
        self.repetition.setValue(settings.repetition_penalty)
        self.max_tokens.setValue(settings.max_new_tokens)
        self.seed.setValue(-1 if settings.seed is None else settings.seed)
        self._setting_preset = False
        self._match_preset()

    def system_prompt(self) -> str:
        return self.system_edit.toPlainText()

    def set_system_prompt(self, text: str) -> None:
        """Show a conversation's system prompt (without telling: it is not an edit)."""
        self.system_edit.blockSignals(True)
        self.system_edit.setPlainText(text)
        self.system_edit.blockSignals(False)

    def _on_preset_chosen(self) -> None:
        key = self.preset_box.currentData()
        if key in PRESETS and not self._setting_preset:
            # a preset is a sampling style: the reply length and the seed stay as they are
            self.apply_settings(
                replace(
                    PRESETS[key],
                    max_new_tokens=self.max_tokens.value(),
                    seed=self.current_settings().seed,
                )
            )

    def _on_setting_edited(self) -> None:
        greedy = self.greedy_box.isChecked()
        for widget in (self.temperature, self.top_p, self.top_k, self.seed):
            widget.setEnabled(not greedy)
        if not self._setting_preset:
            self._match_preset()

    def _match_preset(self) -> None:
        current = self.current_settings()
        key = next((k for k, p in PRESETS.items() if same_style(p, current)), "custom")
        self._setting_preset = True
        self.preset_box.setCurrentIndex(self.preset_box.findData(key))
        self._setting_preset = False


def same_style(a: GenerationSettings, b: GenerationSettings) -> bool:
    """Equal sampling settings, whatever the reply length and the seed."""
    return replace(a, max_new_tokens=0, seed=None) == replace(b, max_new_tokens=0, seed=None)
