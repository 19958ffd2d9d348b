"""The Hardware section and its wizard: what this machine has, and the LoRA settings that fit.

Detection reads NVML (milliseconds) and probes the Paddle build in a child process
(``main.py probe``, a second or two), so the GUI never imports Paddle and stays responsive. The
wizard's pages: detected hardware -> model (each preset marked will fit / tight / won't fit) ->
goals (sequence length, dataset size) -> recommendation (a stacked bar of the memory breakdown
against the memory available, and a rough time per epoch) -> Apply to the training form.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, QProcess, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from lora_studio.core import hardware, planner
from lora_studio.core.paths import engine_command
from lora_studio.core.presets import BY_KEY, PRESETS
from lora_studio.core.settings import AppSettings
from lora_studio.gui.text import duration, translate

PART_COLOURS = {
    "base_weights": "#4e79a7",
    "lora_weights": "#f28e2b",
    "gradients": "#e15759",
    "optimizer": "#76b7b2",
    "activations": "#59a14f",
    "logits": "#edc948",
    "overhead": "#b07aa1",
}


class Detection(QObject):
    """NVML and system figures at once; the Paddle probe in a child process, then ``done``."""

    done = Signal()

    def __init__(self, settings: AppSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.reading = hardware.GpuReading()
        self.system: hardware.SystemInfo | None = None
        self.probe: hardware.PaddleProbe | None = None
        self.process: QProcess | None = None
        self._output = b""
        if parent is not None:  # a probe still running when the window goes is ended first
            parent.destroyed.connect(lambda *_: self.shutdown())

    def shutdown(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            process.blockSignals(True)
            process.kill()
            process.waitForFinished(3000)

    @property
    def running(self) -> bool:
        return self.process is not None

    def start(self, command: list[str] | None = None) -> None:
        self.reading = hardware.read_gpus()
        self.system = hardware.system_info(self.settings.runs_dir)
        self.probe = None
        self._output = b""
        command = command or engine_command("probe")
        self.process = QProcess(self)
        self.process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        self.process.readyReadStandardOutput.connect(self._read)
        self.process.finished.connect(self._finished)
        self.process.errorOccurred.connect(self._failed)
        self.process.start(command[0], command[1:])

    def _read(self) -> None:
        if self.process is not None:
            self._output += bytes(self.process.readAllStandardOutput().data())

    def _failed(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self.probe = hardware.PaddleProbe(problem="The Paddle probe could not start.")
            self._end()

    def _finished(self, _code: int, _status: QProcess.ExitStatus) -> None:
        self._read()
        self.probe = hardware.parse_probe_output(self._output.decode("utf-8", "replace"))
        if self.probe is None:
            self.probe = hardware.PaddleProbe(problem="The Paddle probe gave no answer.")
        self._end()

    def _end(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            process.deleteLater()
        self.done.emit()

    def machine(self) -> planner.Machine:
        return planner.detected_machine(self.reading, self.probe, self.system)

    def wait(self, msecs: int = 60_000) -> None:
        """Block until the probe has answered (for scripts and tests)."""
        if self.process is not None:
            self.process.waitForFinished(msecs)


def hardware_html(detection: Detection) -> str:
    """The detected hardware as rich text."""
    reading, probe, system = detection.reading, detection.probe, detection.system
    rows = []
    for gpu in reading.gpus:
        rows.append(
            (
                translate("Hardware", "GPU %d") % gpu.index,
                translate("Hardware", "%s · %.1f GB, %.1f GB free · compute capability %d.%d%s")
                % (
                    gpu.name,
                    gpu.memory_total_mb / 1024,
                    gpu.memory_free_mb / 1024,
                    *gpu.compute_capability,
                    translate("Hardware", " · bf16") if gpu.bf16 else "",
                ),
            )
        )
    if reading.gpus:
        rows.append(
            (
                translate("Hardware", "Driver"),
                translate("Hardware", "%s (CUDA %s)")
                % (reading.driver_version, reading.cuda_driver_version),
            )
        )
    else:
        rows.append(
            (
                translate("Hardware", "GPU"),
                translate("Hardware", "No NVIDIA GPU found (or no NVIDIA driver)"),
            )
        )
    if probe is None:
        rows.append(
            (
                translate("Hardware", "Paddle"),
                translate("Hardware", "Checking the installed build…"),
            )
        )
    elif not probe.version:
        rows.append(
            (translate("Hardware", "Paddle"), probe.problem or translate("Hardware", "not found"))
        )
    else:
        build = (
            translate("Hardware", "CUDA %s build") % probe.cuda
            if probe.cuda
            else translate("Hardware", "CPU build")
        )
        sees = translate("Hardware", ", sees %d GPU(s)") % probe.gpu_count if probe.cuda else ""
        bits = ", ".join(probe.low_bit) or translate("Hardware", "none")
        rows.append((translate("Hardware", "Paddle"), f"{probe.version} · {build}{sees}"))
        rows.append((translate("Hardware", "8/4-bit training"), bits))
    if system is not None:
        rows.append(
            (
                translate("Hardware", "CPU"),
                translate("Hardware", "%s · %d cores") % (system.cpu_name, system.cores),
            )
        )
        rows.append(
            (
                translate("Hardware", "Memory"),
                translate("Hardware", "%.1f GB, %.1f GB available")
                % (system.ram_total_mb / 1024, system.ram_available_mb / 1024),
            )
        )
        rows.append(
            (
                translate("Hardware", "Disk"),
                translate("Hardware", "%.0f GB free for runs") % (system.disk_free_mb / 1024),
            )
        )
    html = "<table cellspacing='4'>" + "".join(
        f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows
    )
    html += "</table>"
    notes = []
    if reading.problem:
        notes.append(f"<p style='color:#b35c00'>{reading.problem}</p>")
    if reading.gpus and probe is not None and probe.version and probe.cpu_build:
        command = hardware.gpu_build_command(reading.cuda_driver_version, probe.version)
        text = translate(
            "Hardware",
            "You have an NVIDIA GPU, but the installed Paddle is the CPU build: training would "
            "run on the CPU.",
        )
        if command:
            text += " " + translate("Hardware", "Install the GPU build that matches your driver:")
            text += f"<pre>{command}</pre>"
        else:
            text += " " + translate(
                "Hardware", "Your driver is too old for Paddle's GPU builds: update it first."
            )
        notes.append(f"<p style='color:#b35c00'>{text}</p>")
    if not reading.gpus:
        notes.append(
            "<p>"
            + translate(
                "Hardware",
                "<b>CPU mode.</b> Without an NVIDIA GPU, LoRA Studio trains on the processor. "
                "That is fine for the demo model and workable for models up to about 0.5B "
                "parameters with short sequences; larger models take hours per epoch. The "
                "recommendation below plans against the memory that is free.",
            )
            + " "
            + cpu_example(detection)
            + "</p>"
        )
    return html + "".join(notes)


def cpu_example(detection: Detection) -> str:
    """A time estimate that makes CPU mode concrete: the bundled sample on Qwen2.5-0.5B."""
    machine = planner.detected_machine(detection.reading, detection.probe, detection.system)
    if machine.device != "cpu":
        return ""
    records, tokens = 64, 200  # the bundled sample: 64 records of about 200 tokens
    run = planner.RunShape(micro_batch=2, seq_len=512, precision="fp32", device="cpu")
    seconds = planner.epoch_seconds(
        planner.resolve_shape("qwen2.5-0.5b"), run, machine, records * tokens
    )
    return translate(
        "Hardware",
        "For example, one epoch of the bundled sample (64 records) on Qwen2.5-0.5B takes "
        "roughly %s here; a dataset of 5,000 records, roughly %s.",
    ) % (duration(seconds), duration(seconds * 5000 / records))


class MemoryBar(QWidget):
    """A stacked bar of the planned peak memory, part by part, against the memory available."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parts: dict[str, float] = {}
        self.available = 0.0
        self.names: dict[str, str] = {}
        self.setMinimumHeight(64)

    def set_plan(self, plan: planner.Plan, names: dict[str, str]) -> None:
        self.parts = dict(plan.breakdown_gb)
        self.available = plan.available_gb
        self.names = names
        self.setToolTip("\n".join(f"{names.get(k, k)}: {v:.2f} GB" for k, v in self.parts.items()))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(500, 64)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        total = sum(self.parts.values())
        scale_max = max(total, self.available, 1e-9)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        width = self.width() - 2
        bar = QRectF(1, 4, width, 26)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawRect(bar)
        x = 1.0
        for part, gb in self.parts.items():
            w = width * gb / scale_max
            painter.fillRect(QRectF(x, 5, max(w, 0.0), 24), QColor(PART_COLOURS.get(part, "#999")))
            x += w
        if self.available:
            ax = 1 + width * self.available / scale_max
            painter.setPen(QColor("#d62728"))
            painter.drawLine(int(ax), 0, int(ax), 34)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(
            QRectF(1, 36, width, 24),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"{total:.1f} GB / {self.available:.1f} GB",
        )
        painter.end()


class HardwarePage(QWizardPage):
    def __init__(self, detection: Detection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detection = detection
        self.setTitle(self.tr("Your hardware"))
        self.setSubTitle(self.tr("What LoRA Studio found on this computer."))
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
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
        }
        for preset in PRESETS:
            plan = planner.recommend(
                planner.ModelShape.from_preset(preset), machine, seq_len=self.wizard_.seq_len()
            )
            mark, word, colour = marks[plan.level()]
            figures = self.tr("%.1f GB at micro-batch %d") % (
                plan.estimated_peak_gb,
                plan.micro_batch,
            )
            item = QListWidgetItem(f"{mark}  {preset.label} — {word} ({figures})")
            item.setData(Qt.ItemDataRole.UserRole, preset.key)
            item.setForeground(QColor(colour))
            self.list.addItem(item)
            if preset.key == current:
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
        self.seq_len = QSpinBox()
        self.seq_len.setRange(64, 32768)
        self.seq_len.setSingleStep(128)
        self.seq_len.setValue(512)
        self.seq_len.setToolTip(self.tr("Tokens per record at most (prompt and answer)"))
        self.target_batch = QSpinBox()
        self.target_batch.setRange(1, 512)
        self.target_batch.setValue(16)
        self.target_batch.setToolTip(
            self.tr("Micro-batch x accumulation: the records per optimiser step")
        )
        self.records = QSpinBox()
        self.records.setRange(0, 10_000_000)
        self.records.setValue(wizard.dataset_records)
        self.records.setToolTip(self.tr("Taken from the training form's dataset when it has one"))
        self.rank = QSpinBox()
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
        self.initial_model = model if model in BY_KEY else "qwen2.5-0.5b"
        self.dataset_records = _count_records(dataset_path)
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

    def plan(self) -> planner.Plan:
        key = self.model_page.model_key() or self.initial_model
        goals = self.goals_page
        return planner.recommend(
            planner.ModelShape.from_preset(BY_KEY[key]),
            self.machine(),
            seq_len=goals.seq_len.value(),
            rank=goals.rank.value(),
            target_batch=goals.target_batch.value(),
            dataset_tokens=goals.records.value() * min(goals.seq_len.value(), 200),
        )

    def plan_html(self, plan: planner.Plan) -> str:
        key = self.model_page.model_key() or self.initial_model
        name = BY_KEY[key].label
        if plan.fits:
            weights = {
                "none": self.tr("16-bit") if plan.device == "gpu" else "fp32",
                "int8": self.tr("8-bit"),
                "int4": self.tr("4-bit"),
            }[plan.quantization]
            lines = [
                self.tr("<b>%s fits.</b> Estimated peak %.1f GB of %.1f GB available.")
                % (name, plan.estimated_peak_gb, plan.available_gb),
                self.tr(
                    "Precision %s · micro-batch %d × accumulation %d · gradient checkpointing "
                    "%s · base weights %s · LoRA rank %d · sequence length %d"
                )
                % (
                    plan.precision,
                    plan.micro_batch,
                    plan.grad_accumulation,
                    self.tr("on") if plan.gradient_checkpointing else self.tr("off"),
                    weights,
                    plan.lora_rank,
                    plan.max_seq_length,
                ),
            ]
        else:
            lines = [
                self.tr(
                    "<b>%s does not fit</b>, even with micro-batch 1 and gradient "
                    "checkpointing: about %.1f GB against %.1f GB available."
                )
                % (name, plan.estimated_peak_gb, plan.available_gb)
            ]
            if plan.largest_fitting_model:
                lines.append(
                    self.tr("The largest model that fits: %s.")
                    % BY_KEY[plan.largest_fitting_model].label
                )
            else:
                lines.append(self.tr("Try a shorter sequence length."))
        if plan.seconds_per_epoch:
            lines.append(self.tr("Rough time per epoch: %s.") % duration(plan.seconds_per_epoch))
        if plan.gradient_checkpointing:
            lines.append(self.tr("Gradient checkpointing is needed to fit: about 30% slower."))
        if plan.device == "cpu":
            lines.append(self.tr("CPU mode: training runs on the processor, slowly."))
        return "<br>".join(lines)

    def _apply(self) -> None:
        plan = self.recommendation_page.plan or self.plan()
        key = self.model_page.model_key() or self.initial_model
        self.applied.emit(plan, key)


def _count_records(path: str) -> int:
    """Records in a dataset file, cheaply and without failing: 0 when it cannot be read."""
    if not path or not os.path.isfile(path):
        return 0
    try:
        from lora_studio.core.formats import load_records

        return len(load_records(path))
    except Exception:  # noqa: BLE001 - only a default for a spin box
        return 0


class HardwarePanel(QWidget):
    """The Hardware section: the detected hardware, and the wizard one click away."""

    wizard_requested = Signal()

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detection = Detection(settings, self)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        wizard = QPushButton(self.tr("Recommend settings…"))
        wizard.setToolTip(self.tr("Open the hardware wizard: the LoRA settings that fit"))
        wizard.clicked.connect(self.wizard_requested)
        again = QPushButton(self.tr("Detect again"))
        again.clicked.connect(lambda: self.detection.start())
        buttons = QHBoxLayout()
        buttons.addWidget(wizard)
        buttons.addWidget(again)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        heading = self.tr("Hardware")
        layout.addWidget(QLabel(f"<h2>{heading}</h2>"))
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.detection.done.connect(self.refresh)
        self.detection.start()
        self.refresh()

    def refresh(self) -> None:
        self.text.setText(hardware_html(self.detection))
