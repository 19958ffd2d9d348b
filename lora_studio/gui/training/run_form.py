"""The form for a training run: every field of ``RunConfig``, checked before Start.

Problems show beside the field they concern. Load/Save config read and write the same JSON that
``main.py train --config`` reads.
"""

from __future__ import annotations

import dataclasses
import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core.config import ALL_PROJECTIONS, RunConfig
from lora_studio.core.dataset_io import DatasetError
from lora_studio.core.paths import sample_dataset_path
from lora_studio.core.presets import (
    BY_KEY,
    PRESETS,
    recipe_for,
    resolve_model,
)
from lora_studio.core.runs import new_run_name
from lora_studio.core.training_data import load_records
from lora_studio.gui.text import message_text, preset_label, problem_text
from lora_studio.gui.widgets.emphasis import set_tone
from lora_studio.gui.widgets.fields import ComboBox, float_box, int_box

PRECISIONS = ("fp32", "fp16", "bf16")
SOURCES = ("", "huggingface", "aistudio", "modelscope")


def _edited_signal(widget: QWidget):
    """The signal a field emits when the user changes it, or None for a non-field."""
    if isinstance(widget, QLineEdit):
        return widget.textEdited
    if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        return widget.valueChanged
    if isinstance(widget, QComboBox):
        return widget.currentTextChanged
    if isinstance(widget, QCheckBox):
        return widget.toggled
    return None


class RunFormWidget(QWidget):
    """Edits a run configuration; ``config()`` reads it back, ``check()`` validates it."""

    changed = Signal()
    train_on_changed = Signal(str)  # "all" or "last": which answers of a conversation learn

    def __init__(self, runs_dir: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runs_dir = runs_dir
        d = RunConfig()
        self.model = ComboBox()
        self.model.setEditable(True)
        # long model names must not set the form's width (1024-pixel screens)
        self.model.setSizeAdjustPolicy(
            ComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.model.setMinimumContentsLength(16)
        for preset in PRESETS:
            self.model.addItem(preset_label(preset.key, preset.label), preset.key)
        self.model.setToolTip(
            self.tr(
                "A preset, a hub name such as Qwen/Qwen2.5-0.5B-Instruct, or a local model folder"
            )
        )
        self.model.activated.connect(self._on_model_activated)
        browse_model = QPushButton(self.tr("Folder…"))
        browse_model.clicked.connect(self._browse_model)
        self.source = ComboBox()
        for value, label in zip(
            SOURCES, (self.tr("Automatic"), "Hugging Face", "AI Studio", "ModelScope"), strict=True
        ):
            self.source.addItem(label, value)
        self.dataset = QLineEdit()
        self.dataset.setPlaceholderText(self.tr("Any file the Dataset editor opens"))
        browse_data = QPushButton(self.tr("Browse…"))
        browse_data.clicked.connect(self._browse_dataset)
        self.run_name = QLineEdit()
        self.run_name.setPlaceholderText(self.tr("automatic"))

        self.rank = int_box(1, 512, d.lora_rank)
        self.alpha = float_box(0.1, 4096, d.lora_alpha, step=1, decimals=1)
        self.dropout = float_box(0, 0.9, d.lora_dropout, step=0.05, decimals=2)
        self.targets = {name: QCheckBox(name) for name in ALL_PROJECTIONS}
        for box in self.targets.values():
            box.setChecked(True)
        self.epochs = float_box(0.1, 1000, d.num_train_epochs, step=1, decimals=1)
        self.learning_rate = float_box(1e-6, 0.5, d.learning_rate, step=1e-5, decimals=6)
        self.warmup = float_box(0, 0.9, d.warmup_ratio, step=0.05, decimals=2)
        self.batch = int_box(1, 1024, d.per_device_train_batch_size)
        self.accumulation = int_box(1, 1024, d.gradient_accumulation_steps)
        self.max_len = int_box(8, 131072, d.max_seq_length)
        self.precision = ComboBox()
        self.precision.addItems(PRECISIONS)
        self.checkpointing = QCheckBox(self.tr("Gradient checkpointing (less memory, slower)"))
        self.every_answer = QCheckBox(self.tr("Learn every answer of a conversation"))
        self.every_answer.setChecked(d.train_on == "all")
        self.every_answer.toggled.connect(
            lambda on: self.train_on_changed.emit("all" if on else "last")
        )
        self.every_answer.setToolTip(
            self.tr(
                "On: every assistant turn of a multi-turn record is trained on. Off: only the "
                "last answer is; earlier turns are context."
            )
        )
        self.weights = ComboBox()
        self.weights.addItem(self.tr("16-bit (or fp32 on CPU)"), "none")
        self.weights.addItem(self.tr("8-bit (weight-only, GPU)"), "int8")
        self.weights.addItem(self.tr("4-bit (weight-only, GPU)"), "int4")
        self.weights.setToolTip(
            self.tr(
                "Store the base model's weights in fewer bits to save memory. Needs an NVIDIA "
                "GPU and the CUDA build of Paddle; the Hardware wizard says whether yours can."
            )
        )
        self.save_steps = int_box(1, 10**6, d.save_steps)
        self.keep = int_box(1, 100, d.save_total_limit)
        self.eval_ratio = float_box(0, 0.5, d.eval_ratio, step=0.05, decimals=2)
        self.seed = int_box(0, 2**31 - 1, d.seed)
        self.gpus = int_box(1, 64, d.nproc_per_node)
        self.gpus.setToolTip(
            self.tr(
                "Train on this many GPUs at once, one process each (data parallel, Linux). Each "
                "GPU holds the whole model; the effective batch is micro-batch x accumulation x "
                "GPUs."
            )
        )

        self.errors: dict[str, QLabel] = {}
        model_row = self._row(self.model, browse_model)
        data_row = self._row(self.dataset, browse_data)
        what = QGroupBox(self.tr("Model and data"))
        form = QFormLayout(what)
        form.addRow(self.tr("Model"), self._with_error("model_name_or_path", model_row))
        form.addRow(self.tr("Download source"), self.source)
        form.addRow(self.tr("Dataset"), self._with_error("dataset_path", data_row))
        form.addRow(self.tr("Run name"), self._with_error("output_dir", self.run_name))

        lora = QGroupBox(self.tr("LoRA"))
        form = QFormLayout(lora)
        form.addRow(self.tr("Rank"), self._with_error("lora_rank", self.rank))
        form.addRow(self.tr("Alpha"), self._with_error("lora_alpha", self.alpha))
        form.addRow(self.tr("Dropout"), self._with_error("lora_dropout", self.dropout))
        grid = QGridLayout()
        for i, box in enumerate(self.targets.values()):
            grid.addWidget(box, i // 4, i % 4)
        holder = QWidget()
        holder.setLayout(grid)
        form.addRow(self.tr("Target modules"), self._with_error("target_modules", holder))

        training = QGroupBox(self.tr("Training"))
        form = QFormLayout(training)
        form.addRow(self.tr("Epochs"), self._with_error("num_train_epochs", self.epochs))
        form.addRow(self.tr("Learning rate"), self._with_error("learning_rate", self.learning_rate))
        form.addRow(self.tr("Warm-up share"), self._with_error("warmup_ratio", self.warmup))
        form.addRow(
            self.tr("Batch size"), self._with_error("per_device_train_batch_size", self.batch)
        )
        form.addRow(
            self.tr("Gradient accumulation"),
            self._with_error("gradient_accumulation_steps", self.accumulation),
        )
        form.addRow(
            self.tr("Max sequence length"), self._with_error("max_seq_length", self.max_len)
        )
        form.addRow(self.tr("Precision"), self._with_error("fp16", self.precision))
        form.addRow("", self.checkpointing)
        form.addRow("", self.every_answer)
        form.addRow(self.tr("Base weights"), self._with_error("weight_quantization", self.weights))
        form.addRow(self.tr("Save every (steps)"), self._with_error("save_steps", self.save_steps))
        form.addRow(self.tr("Checkpoints kept"), self._with_error("save_total_limit", self.keep))
        form.addRow(self.tr("Eval share"), self._with_error("eval_ratio", self.eval_ratio))
        form.addRow(self.tr("Seed"), self.seed)
        form.addRow(self.tr("GPUs"), self._with_error("nproc_per_node", self.gpus))
        self._training_form = form
        form.setRowVisible(self.gpus.parentWidget(), False)  # shown when there are several

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(what)
        layout.addWidget(lora)
        layout.addWidget(training)
        layout.addStretch(1)
        self._hidden_fields: dict = {}

    def set_gpu_count(self, count: int) -> None:
        """The GPUs row appears on a machine with several NVIDIA GPUs."""
        self.gpus.setMaximum(max(1, count))
        self._training_form.setRowVisible(self.gpus.parentWidget(), count > 1)

    # ---- layout helpers ----
    @staticmethod
    def _row(*widgets: QWidget) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for i, widget in enumerate(widgets):
            layout.addWidget(widget, 1 if i == 0 else 0)
        return row

    def _with_error(self, field: str, widget: QWidget) -> QWidget:
        label = QLabel()
        label.setObjectName("fieldError")
        set_tone(label, "error")
        label.setWordWrap(True)
        label.hide()
        self.errors[field] = label
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(widget)
        layout.addWidget(label)
        for editor in [widget, *widget.findChildren(QWidget)]:  # fixed: the message goes
            signal = _edited_signal(editor)
            if signal is not None:
                signal.connect(label.hide)
        return box

    def set_library_models(
        self, models: list[tuple[str, str]], downloaded: set[str] | frozenset = frozenset()
    ) -> None:
        """The Models section's usable models (name, folder) after the presets, replacing the
        previous list; presets whose hub id is ``downloaded`` say so. The choice is kept."""
        text = self.model.currentText()
        for index in range(self.model.count() - 1, len(PRESETS) - 1, -1):
            self.model.removeItem(index)
        for index, preset in enumerate(PRESETS):
            if not preset.made_here:
                label = preset.label
                if preset.hub_id in downloaded:
                    label = self.tr("%s (on this machine)") % preset.label
                was_current = self.model.itemText(index) == text
                self.model.setItemText(index, label)
                text = label if was_current else text
        for name, folder in models:
            self.model.addItem(self.tr("%s (on this machine)") % name, folder)
            self.model.setItemData(self.model.count() - 1, folder, Qt.ItemDataRole.ToolTipRole)
        self.model.setEditText(text)

    def _browse_model(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a model folder"))
        if folder:
            self.model.setEditText(folder)

    def _browse_dataset(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a dataset"),
            os.path.dirname(self.dataset.text()) or os.path.dirname(sample_dataset_path()),
            self.tr("Datasets (*.json *.jsonl *.csv *.tsv *.txt *.xlsx);;All files (*)"),
        )
        if path:
            self.dataset.setText(path)

    # ---- config <-> widgets ----
    def model_choice(self) -> str:
        index = self.model.currentIndex()
        text = self.model.currentText().strip()
        if index >= 0 and self.model.itemText(index) == text:
            return self.model.itemData(index)
        return text

    def config(self) -> RunConfig:
        precision = self.precision.currentText()
        name = self.run_name.text().strip() or new_run_name(self.runs_dir, self._default_name())
        values = dict(self._hidden_fields)
        values.update(
            model_name_or_path=resolve_model(self.model_choice()),
            download_source=self.source.currentData(),
            dataset_path=self.dataset.text().strip(),
            output_dir=os.path.join(self.runs_dir, name),
            lora_rank=self.rank.value(),
            lora_alpha=self.alpha.value(),
            lora_dropout=self.dropout.value(),
            target_modules=[n for n, box in self.targets.items() if box.isChecked()],
            num_train_epochs=self.epochs.value(),
            learning_rate=self.learning_rate.value(),
            warmup_ratio=self.warmup.value(),
            per_device_train_batch_size=self.batch.value(),
            gradient_accumulation_steps=self.accumulation.value(),
            max_seq_length=self.max_len.value(),
            bf16=precision == "bf16",
            fp16=precision == "fp16",
            gradient_checkpointing=self.checkpointing.isChecked(),
            train_on="all" if self.every_answer.isChecked() else "last",
            weight_quantization=self.weights.currentData(),
            save_steps=self.save_steps.value(),
            save_total_limit=self.keep.value(),
            eval_ratio=self.eval_ratio.value(),
            seed=self.seed.value(),
            nproc_per_node=self.gpus.value(),
        )
        return dataclasses.replace(RunConfig(), **values)

    def _default_name(self) -> str:
        model = os.path.basename(self.model_choice().rstrip("/\\")) or "run"
        data = os.path.splitext(os.path.basename(self.dataset.text().strip()))[0] or "data"
        return f"{model}-{data}"

    def apply_plan(self, plan, model_key: str) -> None:
        """The hardware wizard's recommendation (a ``core.planner.Plan``) into the form."""
        index = self.model.findData(model_key)
        if index >= 0:
            self.model.setCurrentIndex(index)
        self.batch.setValue(plan.micro_batch)
        self.accumulation.setValue(plan.grad_accumulation)
        self.max_len.setValue(plan.max_seq_length)
        self.rank.setValue(plan.lora_rank)
        self.precision.setCurrentText(plan.precision)
        self.checkpointing.setChecked(plan.gradient_checkpointing)
        self.weights.setCurrentIndex(max(0, self.weights.findData(plan.quantization)))
        self.gpus.setValue(min(plan.gpus, self.gpus.maximum()))

    def use_preset(self, key: str) -> None:
        """Choose the preset ``key`` with the training settings that suit it."""
        index = self.model.findData(key)
        if index >= 0:
            self.model.setCurrentIndex(index)
        self.apply_recipe(recipe_for(key))

    def apply_recipe(self, recipe: dict) -> None:
        """Set the given RunConfig fields and keep the others (core.presets.recipe_for)."""
        if recipe:
            self.set_config(dataclasses.replace(self.config(), **recipe))

    def _on_model_activated(self, index: int) -> None:
        key = self.model.itemData(index)
        if key:  # the user picked a preset: its settings come with it
            self.apply_recipe(recipe_for(key))

    def set_config(self, config: RunConfig) -> None:
        """Fill the form from a config (Load config…, Duplicate, the last values)."""
        keys = {resolve_model(p.key): p.key for p in PRESETS}
        key = keys.get(config.model_name_or_path)
        index = self.model.findData(key) if key else -1
        if index >= 0:
            self.model.setCurrentIndex(index)
        elif config.model_name_or_path:
            self.model.setEditText(config.model_name_or_path)
        self.source.setCurrentIndex(max(0, self.source.findData(config.download_source)))
        self.dataset.setText(config.dataset_path)
        self.run_name.setText("")
        self.rank.setValue(config.lora_rank)
        self.alpha.setValue(config.lora_alpha)
        self.dropout.setValue(config.lora_dropout)
        for name, box in self.targets.items():
            box.setChecked(name in config.target_modules)
        self.epochs.setValue(config.num_train_epochs)
        self.learning_rate.setValue(config.learning_rate)
        self.warmup.setValue(config.warmup_ratio)
        self.batch.setValue(config.per_device_train_batch_size)
        self.accumulation.setValue(config.gradient_accumulation_steps)
        self.max_len.setValue(config.max_seq_length)
        self.precision.setCurrentText("bf16" if config.bf16 else "fp16" if config.fp16 else "fp32")
        self.checkpointing.setChecked(config.gradient_checkpointing)
        self.every_answer.setChecked(config.train_on == "all")
        self.weights.setCurrentIndex(max(0, self.weights.findData(config.weight_quantization)))
        self.save_steps.setValue(config.save_steps)
        self.keep.setValue(config.save_total_limit)
        self.eval_ratio.setValue(config.eval_ratio)
        self.seed.setValue(config.seed)
        self.gpus.setValue(config.nproc_per_node)
        # fields without a widget (max_steps, logging_steps, ...) travel unchanged
        shown = {
            "model_name_or_path",
            "download_source",
            "dataset_path",
            "output_dir",
            "lora_rank",
            "lora_alpha",
            "lora_dropout",
            "target_modules",
            "num_train_epochs",
            "learning_rate",
            "warmup_ratio",
            "per_device_train_batch_size",
            "gradient_accumulation_steps",
            "max_seq_length",
            "bf16",
            "fp16",
            "gradient_checkpointing",
            "train_on",
            "weight_quantization",
            "save_steps",
            "save_total_limit",
            "eval_ratio",
            "seed",
            "nproc_per_node",
            "overwrite_output_dir",
            "do_train",
        }
        self._hidden_fields = {
            f.name: getattr(config, f.name)
            for f in dataclasses.fields(config)
            if f.name not in shown
        }

    # ---- checks ----
    def check(self) -> dict[str, str]:
        """Validate; show each problem at its field and return them (empty when it can start)."""
        config = self.config()
        problems = {field: problem_text(text) for field, text in config.problems().items()}
        problems.pop("output_dir", None)
        choice = self.model_choice()
        if choice not in BY_KEY and not problems.get("model_name_or_path"):
            if (os.path.sep in choice or choice.startswith(".")) and not os.path.isdir(choice):
                problems["model_name_or_path"] = self.tr("This folder does not exist.")
        if config.dataset_path and "dataset_path" not in problems:
            try:
                load_records(config.dataset_path)
            except DatasetError as exc:
                problems["dataset_path"] = message_text(exc.text)
        elif "dataset_path" in problems:
            problems["dataset_path"] = self.tr("Choose a dataset file.")
        if "model_name_or_path" in problems and not choice:
            problems["model_name_or_path"] = self.tr("Choose a model.")
        if self.run_name.text().strip() and os.path.exists(config.output_dir):
            problems["output_dir"] = self.tr("A run with this name exists; choose another name.")
        for field, label in self.errors.items():
            text = problems.get(field, "")
            label.setText(text)
            label.setVisible(bool(text))
        return problems

    def load_config_file(self, path: str) -> None:
        config = RunConfig.load(path)  # ConfigError goes to the caller, who shows it
        self.set_config(config)

    def save_config_file(self, path: str) -> None:
        self.config().save(path)
