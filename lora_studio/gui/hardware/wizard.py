"""The hardware wizard: what this machine has, and the LoRA settings that fit.

Pages: detected hardware -> model (each preset marked will fit / tight / won't fit) -> goals
(sequence length, dataset size) -> recommendation (a stacked bar of the memory breakdown
against the memory available, and a rough time per epoch) -> Apply to the training form.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from lora_studio.core import catalogue, library, model_shape, planner
from lora_studio.core.formats import count_records
from lora_studio.core.presets import BY_KEY, PRESETS
from lora_studio.core.settings import AppSettings
from lora_studio.gui.hardware.report import hardware_html, plan_html
from lora_studio.gui.jobs.probe import Detection
from lora_studio.gui.text import preset_label
from lora_studio.gui.widgets.fields import SpinBox
from lora_studio.gui.widgets.memory_bar import PART_COLOURS, MemoryBar


class HardwarePage(QWizardPage):
    def __init__(self, detection: Detection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detection = detection
        self.setTitle(self.tr("Your hardware"))
        self.setSubTitle(self.tr("What LoRA Studio found on this computer."))
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.text.setOpenExternalLinks(True)  # the edition's download page
        again = QPushButton(self.tr("Detect again"))
        again.clicked.connect(lambda: self.detection.start())
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(again, 0, Qt.AlignmentFlag.AlignLeft)
        detection.done.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.text.setText(hardware_html(self.detection))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return not self.detection.running


class ModelPage(QWizardPage):
    def __init__(self, wizard: HardwareWizard) -> None:
        super().__init__(wizard)
        self.wizard_ = wizard
        self.setTitle(self.tr("Choose a model"))
        self.setSubTitle(
            self.tr("Each model is marked by whether LoRA training fits this machine's memory.")
        )
        self.list = QListWidget()
        self.list.currentRowChanged.connect(lambda _row: self.completeChanged.emit())
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        current = self.model_key() or self.wizard_.initial_model
        self.list.clear()
        machine = self.wizard_.machine()
        marks = {
            "fits": ("✔", self.tr("will fit"), "#2e7d32"),
            "tight": ("!", self.tr("tight"), "#b35c00"),
            "too_big": ("✘", self.tr("won't fit"), "#c62828"),
            "slow": ("◷", self.tr("fits, but slow on this CPU: hours per epoch"), "#b35c00"),
        }
        choices = [(preset.key, preset_label(preset.key, preset.label)) for preset in PRESETS] + [
            (model.folder, self.tr("%s (on this machine)") % model.name)
            for model in self.wizard_.library.values()
        ]
        for key, label in choices:
            shape = self.wizard_.shape(key)
            # All at micro-batch 1, so that the figures compare models, not batch sizes (the
            # recommendation page then picks the batch); fits at 1 is fits at all.
            plan = planner.recommend(shape, machine, seq_len=self.wizard_.seq_len(), micro_batch=1)
            level = plan.level()
            slow = machine.device == "cpu" and shape.parameters() > catalogue.CPU_SLOW_PARAMETERS
            mark, word, colour = marks["slow" if level != "too_big" and slow else level]
            figures = self.tr("%.1f GB at micro-batch %d") % (
                plan.estimated_peak_gb,
                plan.micro_batch,
            )
            item = QListWidgetItem(f"{mark}  {label} — {word} ({figures})")
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setForeground(QColor(colour))
            self.list.addItem(item)
            if key == current:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0:
            self.list.setCurrentRow(0)

    def model_key(self) -> str:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else ""

    def isComplete(self) -> bool:  # noqa: N802 - Qt API
        return bool(self.model_key())


class GoalsPage(QWizardPage):
    def __init__(self, wizard: HardwareWizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Your goals"))
        self.setSubTitle(
            self.tr("Longer sequences take more memory; the dataset decides the time per epoch.")
        )
        self.seq_len = SpinBox()
        self.seq_len.setRange(64, 32768)
        self.seq_len.setSingleStep(128)
        self.seq_len.setValue(512)
        self.seq_len.setToolTip(self.tr("Tokens per record at most (prompt and answer)"))
        self.target_batch = SpinBox()
        self.target_batch.setRange(1, 512)
        self.target_batch.setValue(16)
        self.target_batch.setToolTip(
            self.tr("Micro-batch x accumulation: the records per optimiser step")
        )
        self.records = SpinBox()
        self.records.setRange(0, 10_000_000)
        self.records.setValue(wizard.dataset_records)
        self.records.setToolTip(self.tr("Taken from the training form's dataset when it has one"))
        self.rank = SpinBox()
        self.rank.setRange(1, 512)
        self.rank.setValue(8)
        form = QFormLayout(self)
        form.addRow(self.tr("Maximum sequence length"), self.seq_len)
        form.addRow(self.tr("Effective batch"), self.target_batch)
        form.addRow(self.tr("Records in the dataset"), self.records)
        form.addRow(self.tr("LoRA rank"), self.rank)


class RecommendationPage(QWizardPage):
    def __init__(self, wizard: HardwareWizard) -> None:
        super().__init__(wizard)
        self.wizard_ = wizard
        self.setTitle(self.tr("Recommendation"))
        self.setSubTitle(self.tr("Apply puts these settings into the training form."))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = MemoryBar()
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.bar)
        layout.addWidget(self.legend)
        layout.addStretch(1)
        self.plan: planner.Plan | None = None

    def part_names(self) -> dict[str, str]:
        return {
            "base_weights": self.tr("Base weights"),
            "lora_weights": self.tr("LoRA weights"),
            "gradients": self.tr("Gradients"),
            "optimizer": self.tr("Optimizer states"),
            "activations": self.tr("Activations"),
            "logits": self.tr("Logits and loss"),
            "overhead": self.tr("Framework overhead"),
        }

    def initializePage(self) -> None:  # noqa: N802 - Qt API
        plan = self.plan = self.wizard_.plan()
        names = self.part_names()
        self.bar.set_plan(plan, names)
        self.legend.setText(
            " ".join(
                f"<span style='color:{PART_COLOURS[k]}'>■</span>&nbsp;"
                + names[k].replace(" ", "&nbsp;")
                + f"&nbsp;{v:.2f}&nbsp;GB&nbsp;&nbsp;"
                for k, v in plan.breakdown_gb.items()
            )
            + "<br><span style='color:#d62728'>|</span> "
            + self.tr("memory available")
        )
        self.summary.setText(self.wizard_.plan_html(plan))


class HardwareWizard(QWizard):
    """Detected hardware -> model -> goals -> recommendation; ``applied`` carries the result."""

    applied = Signal(object, str)  # Plan, model preset key

    def __init__(
        self,
        settings: AppSettings,
        detection: Detection | None = None,
        model: str = "",
        dataset_path: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Hardware wizard"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Apply"))
        self.resize(760, 560)
        self.detection = detection or Detection(settings, self)
        # Models on this machine whose config the planner can read, beside the presets.
        self.library = {
            m.folder: m
            for m in library.on_this_machine(settings)
            if m.usable and m.config and m.origin != library.DEMO
        }
        self.initial_model = model if model in BY_KEY or model in self.library else "qwen2.5-0.5b"
        self.dataset_records = count_records(dataset_path)
        self.hardware_page = HardwarePage(self.detection)
        self.model_page = ModelPage(self)
        self.goals_page = GoalsPage(self)
        self.recommendation_page = RecommendationPage(self)
        for page in (
            self.hardware_page,
            self.model_page,
            self.goals_page,
            self.recommendation_page,
        ):
            self.addPage(page)
        if self.detection.probe is None and not self.detection.running:
            self.detection.start()
        self.accepted.connect(self._apply)

    def machine(self) -> planner.Machine:
        return self.detection.machine()

    def seq_len(self) -> int:
        return self.goals_page.seq_len.value()

    def shape(self, key: str) -> model_shape.ModelShape:
        """A preset's shape, or a library model's read from its config."""
        if key in BY_KEY:
            return model_shape.ModelShape.from_preset(BY_KEY[key])
        model = self.library[key]
        return model_shape.ModelShape.from_config(model.config or {}, model.name)

    def plan(self) -> planner.Plan:
        key = self.model_page.model_key() or self.initial_model
        goals = self.goals_page
        return planner.recommend(
            self.shape(key),
            self.machine(),
            seq_len=goals.seq_len.value(),
            rank=goals.rank.value(),
            target_batch=goals.target_batch.value(),
            dataset_tokens=goals.records.value() * min(goals.seq_len.value(), 200),
            gpus=self.gpu_count(),
        )

    def gpu_count(self) -> int:
        """The GPUs a run here can use at once (data parallel): every one NVML sees, when the
        plan is for the GPU; one on Windows, which has no NCCL."""
        if self.machine().device != "gpu" or sys.platform == "win32":
            return 1
        seen = len(self.detection.reading.gpus)
        probe = self.detection.probe
        if probe is not None and probe.gpu_count > 0:  # the GPUs Paddle itself can use
            seen = min(seen, probe.gpu_count)
        return max(1, seen)

    def plan_html(self, plan: planner.Plan) -> str:
        key = self.model_page.model_key() or self.initial_model
        model = self.library.get(key)
        return plan_html(plan, key, model.name if model else "")

    def _apply(self) -> None:
        plan = self.recommendation_page.plan or self.plan()
        key = self.model_page.model_key() or self.initial_model
        self.applied.emit(plan, key)
