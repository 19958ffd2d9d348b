"""The Training section: the run form, Start / Stop / Resume, progress, live plots and the log."""

from __future__ import annotations

import os
import time

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core import commands, runs
from lora_studio.core import events as ev
from lora_studio.core.config import CONFIG_FILE_NAME, ConfigError, RunConfig
from lora_studio.core.hardware import gpu_snapshots
from lora_studio.core.outcome import Outcome, Status
from lora_studio.core.presets import DEMO_MODEL, TEST_MODEL, made_here_dir, recipe_for
from lora_studio.core.settings import AppSettings
from lora_studio.gui.icons import decorate
from lora_studio.gui.jobs.slot import TaskSlot
from lora_studio.gui.jobs.training import TrainingSession
from lora_studio.gui.jobs.worker import EngineJob
from lora_studio.gui.text import duration, loading_text, outcome_text, rung_text, warning_text
from lora_studio.gui.training.run_form import RunFormWidget
from lora_studio.gui.widgets.plots import MetricsView

GPU_SAMPLE_MS = 1000


class TrainingPanel(QWidget):
    run_finished = Signal(object, str)  # Outcome, run folder
    run_started = Signal(str)
    train_on_changed = Signal(str)

    def __init__(
        self,
        settings: AppSettings,
        parent: QWidget | None = None,
        session_options: dict | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.session_options = session_options or {}
        self.session: TrainingSession | None = None  # the run shown; the slot owns it
        self.slot = TaskSlot(self)  # the run, or the demo model's build before it
        self.slot.busy_changed.connect(self._update_buttons)
        self.run_dir = ""
        self.last_outcome: Outcome | None = None
        self.started_at = 0.0
        self.error_box: QMessageBox | None = None

        self.form = RunFormWidget(settings.runs_dir)
        self._processes = 1
        QTimer.singleShot(0, self.refresh_library)
        QTimer.singleShot(0, lambda: self.form.set_gpu_count(len(gpu_snapshots())))
        self.form.train_on_changed.connect(self.train_on_changed)
        self.form.apply_recipe(recipe_for(DEMO_MODEL))  # first launch: the demo's settings
        if settings.last_run_config:
            try:
                self.form.set_config(RunConfig.from_dict(settings.last_run_config))
            except ConfigError:
                pass
        load = QPushButton(self.tr("Load config…"))
        load.clicked.connect(self.load_config)
        save = QPushButton(self.tr("Save config…"))
        save.clicked.connect(self.save_config)
        form_buttons = QHBoxLayout()
        form_buttons.addWidget(load)
        form_buttons.addWidget(save)
        form_holder = QWidget()
        form_layout = QVBoxLayout(form_holder)
        form_layout.addWidget(self.form)
        form_layout.addLayout(form_buttons)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_holder)
        # Wide enough for the form where there is room; on a 1024-pixel screen it may be narrower
        # and scrolls sideways rather than push the buttons off the window.
        scroll.setMinimumWidth(
            min(form_holder.sizeHint().width(), 420) + scroll.verticalScrollBar().sizeHint().width()
        )

        self.start_button = QPushButton(self.tr("Start"))
        self.start_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.start_button.setToolTip(self.tr("Start training (Ctrl+Enter)"))
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Save a checkpoint and stop"))
        self.stop_button.clicked.connect(self.stop)
        self.resume_button = QPushButton(self.tr("Resume"))
        self.resume_button.setToolTip(self.tr("Continue this run from its last checkpoint"))
        self.resume_button.clicked.connect(lambda: self.resume(self.run_dir))
        self.open_button = QPushButton(self.tr("Open run folder"))
        self.open_button.clicked.connect(self.open_run_folder)
        decorate(
            [
                (self.start_button, "start"),
                (self.stop_button, "stop"),
                (self.resume_button, "resume"),
                (self.open_button, "folder"),
            ]
        )
        self.oom_box = QCheckBox(self.tr("Recover from out-of-memory"))
        self.oom_box.setToolTip(
            self.tr(
                "On out-of-memory, retry with a smaller batch (keeping the "
                "effective batch), gradient checkpointing, shorter "
                "sequences, then a lower rank"
            )
        )
        self.oom_box.setChecked(settings.oom_recovery)
        self.oom_box.toggled.connect(self._on_oom_toggled)
        self.eval_box = QCheckBox(self.tr("Evaluate when training ends"))
        self.eval_box.setToolTip(
            self.tr(
                "For a run with an eval share: the base and the tuned model answer the "
                "held-out records and the general questions; the scores appear in Runs → "
                "Evaluation"
            )
        )
        self.eval_box.setChecked(settings.evaluate_after_training)
        self.eval_box.toggled.connect(self._on_eval_toggled)
        buttons = QHBoxLayout()
        for widget in (self.start_button, self.stop_button, self.resume_button, self.open_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        options = QHBoxLayout()  # its own row: the buttons fit a narrow window
        options.addWidget(self.oom_box)
        options.addWidget(self.eval_box)
        options.addStretch(1)

        self.progress = QProgressBar()
        self.progress.setFormat("%v / %m")
        self.status = QLabel(self.tr("Ready."))
        self.status.setWordWrap(True)
        self.metrics = MetricsView()
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(5000)
        self.log.setPlaceholderText(self.tr("Engine messages appear here."))
        right_split = QSplitter(Qt.Orientation.Vertical)
        right_split.addWidget(self.metrics)
        right_split.addWidget(self.log)
        right_split.setSizes([700, 100])
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addLayout(buttons)
        right_layout.addLayout(options)
        right_layout.addWidget(self.progress)
        right_layout.addWidget(self.status)
        right_layout.addWidget(right_split, 1)
        split = QSplitter()
        split.addWidget(scroll)
        split.addWidget(right)
        split.setSizes([form_holder.sizeHint().width() + 20, 900])
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

        self._gpu_timer = QTimer(self)
        self._gpu_timer.setInterval(GPU_SAMPLE_MS)
        self._gpu_timer.timeout.connect(self._sample_gpu)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._update_status)
        self._last_step: ev.Step | None = None
        self._phase = ""
        self._update_buttons()

    # ---- state ----
    @property
    def is_running(self) -> bool:
        return self.slot.busy

    def _update_buttons(self, *_busy) -> None:
        running = self.is_running
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        can_resume = (
            not running
            and bool(self.run_dir)
            and runs.last_checkpoint(self.run_dir) is not None
            and self.last_outcome is not None
            and self.last_outcome.status != Status.COMPLETED
        )
        self.resume_button.setEnabled(can_resume)
        self.open_button.setEnabled(bool(self.run_dir) and os.path.isdir(self.run_dir))
        self.form.setEnabled(not running)

    # ---- intents (the main window calls these) ----
    def use_dataset(self, path: str, replace: bool = True) -> None:
        """Train on ``path``; with ``replace`` False only when no dataset is chosen yet."""
        if replace or not self.form.dataset.text():
            self.form.dataset.setText(path)

    def refresh_library(self) -> None:
        """Offer the models on this machine (downloaded, imported, merged) in the model box."""
        from lora_studio.core import library

        self.set_library(library.on_this_machine(self.settings))

    def set_library(self, models: list) -> None:
        """The Models section's list (core.library.LocalModel) after the presets: a preset
        whose model is downloaded says so instead of appearing twice."""
        from lora_studio.core import library
        from lora_studio.core.presets import PRESETS

        presets = {p.hub_id for p in PRESETS if p.hub_id}
        downloaded = {m.hub_id for m in models if m.usable and m.hub_id in presets}
        self.form.set_library_models(
            [
                (m.name, m.folder)
                for m in models
                if m.usable
                and m.origin not in (library.DEMO, library.MADE)
                and m.hub_id not in presets
            ],
            downloaded,
        )

    def use_model(self, folder: str) -> None:
        """Train ``folder`` (a model just imported, say)."""
        self.form.model.setEditText(folder)

    def prepare_demo(self, dataset: str, **overrides) -> None:
        """The demo model, its recipe and ``dataset`` in the form (``overrides``: tests)."""
        self.form.use_preset(DEMO_MODEL)
        self.form.dataset.setText(dataset)
        self.form.run_name.clear()
        self.form.apply_recipe(overrides)

    def model_folder(self) -> str:
        """The chosen model's folder (a preset resolved), for the editor's token counts."""
        from lora_studio.core.presets import resolve_model

        return resolve_model(self.form.model_choice())

    def train_on(self) -> str:
        return self.form.config().train_on

    def wizard_inputs(self) -> tuple[str, str]:
        """(model preset key or "", dataset path): what the hardware wizard starts from."""
        return self.form.model.currentData() or "", self.form.dataset.text().strip()

    def apply_plan(self, plan, model_key: str) -> None:
        self.form.apply_plan(plan, model_key)

    def set_config(self, config: RunConfig) -> None:
        self.form.set_config(config)

    def _on_oom_toggled(self, checked: bool) -> None:
        self.settings.oom_recovery = checked
        self.settings.save()

    def _on_eval_toggled(self, checked: bool) -> None:
        self.settings.evaluate_after_training = checked
        self.settings.save()

    def note_evaluating(self) -> None:
        """The run is being evaluated (MainWindow started it in Runs)."""
        self.status.setText(
            self.status.text() + " " + self.tr("Evaluating it now: see Runs → Evaluation.")
        )

    # ---- actions ----
    def start(self) -> bool:
        if self.is_running:
            return False
        if self.form.check():
            self.status.setText(self.tr("Please correct the marked fields."))
            return False
        config = self.form.config()
        self._processes = config.nproc_per_node
        self.settings.last_run_config = {
            k: v for k, v in config.to_dict().items() if k not in ("output_dir", "config_version")
        }
        self.settings.last_model = config.model_name_or_path
        self.settings.last_dataset = config.dataset_path
        self.settings.save()
        self.metrics.clear()
        self.log.clear()
        self.progress.reset()  # not the previous run's "320 / 320" until this one reports
        made_here = {made_here_dir(k): k for k in (DEMO_MODEL, TEST_MODEL)}
        key = made_here.get(config.model_name_or_path)
        if key and not os.path.isfile(os.path.join(config.model_name_or_path, "config.json")):
            self._build_model_then(key, config)
        else:
            self._launch(config, resume=False)
        return True

    def resume(self, run_dir: str) -> bool:
        if self.is_running or not run_dir:
            return False
        try:
            config = RunConfig.load(os.path.join(run_dir, CONFIG_FILE_NAME))
        except ConfigError as exc:
            self._show_error(self.tr("This run cannot be resumed."), str(exc))
            return False
        self.metrics.load_events(ev.read_event_log(os.path.join(run_dir, runs.EVENTS_FILE)))
        self._launch(config, resume=True)
        return True

    def stop(self) -> None:
        if self.session is not None:
            self._phase = self.tr("Stopping: saving a checkpoint…")
            self.status.setText(self._phase)
            self.stop_button.setEnabled(False)
        self.slot.stop()

    def open_run_folder(self) -> None:
        if self.run_dir:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.run_dir))

    def load_config(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Load run config"), "", self.tr("Run config (*.json)")
        )
        if path:
            try:
                self.form.load_config_file(path)
            except ConfigError as exc:
                self._show_error(self.tr("The config could not be loaded."), str(exc))

    def save_config(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save run config"), CONFIG_FILE_NAME, self.tr("Run config (*.json)")
        )
        if path:
            self.form.save_config_file(path)

    # ---- running ----
    def _build_model_then(self, key: str, config: RunConfig) -> None:
        """Make the demo model (from its GGUF) or the test model first, then train."""
        if key == DEMO_MODEL:
            self._phase = self.tr("Preparing the demo model (first use only, about 20 s)…")
            command = commands.demo_model(made_here_dir(key))
        else:
            self._phase = self.tr("Building the test model…")
            command = commands.tiny_test_model(made_here_dir(key))
        self.status.setText(self._phase)
        build = EngineJob(command, self)
        build.log_received.connect(self._append_log)

        def done(outcome: Outcome) -> None:
            if outcome.ok:
                self._launch(config, resume=False)
            else:
                self._finish(outcome)

        self.slot.run(build, done)

    def _launch(self, config: RunConfig, resume: bool) -> None:
        self.run_dir = config.output_dir
        self.last_outcome = None
        self._last_step = None
        self.started_at = time.monotonic()
        self._phase = self.tr("Starting the engine…")
        self.session = TrainingSession(
            config,
            resume=resume,
            oom_recovery=self.oom_box.isChecked(),
            parent=self,
            **self.session_options,
        )
        self.session.event_received.connect(self._on_event)
        self.session.log_received.connect(self._append_log)
        self.session.retrying.connect(self._on_retry)
        self.slot.run(self.session, self._finish)
        self._gpu_timer.start()
        self._clock.start()
        self._update_buttons()
        self._update_status()
        self.run_started.emit(self.run_dir)

    def _on_event(self, event: ev.Event) -> None:
        self.metrics.add_event(event)
        if isinstance(event, ev.Loading):
            self._phase = loading_text(event.stage, event.message, event.progress)
        elif isinstance(event, ev.Started):
            self._phase = self.tr("Training on %s…") % event.device.upper()
        elif isinstance(event, ev.DatasetPrepared):
            self.progress.setMaximum(max(1, event.total_steps))
            self._append_log(
                self.tr("Dataset: %d training and %d eval records, %d steps.")
                % (event.train_records, event.eval_records, event.total_steps)
            )
        elif isinstance(event, ev.Step):
            self._last_step = event
            self.progress.setMaximum(max(1, event.total_steps))
            self.progress.setValue(event.step)
        elif isinstance(event, ev.Warning):
            self._append_log(
                self.tr("Warning: %s") % warning_text(event.code, event.message, event.hint)
            )
        elif isinstance(event, ev.CheckpointSaved):
            self._append_log(self.tr("Checkpoint saved at step %d.") % event.step)
        elif isinstance(event, ev.Eval):
            self._append_log(self.tr("Eval loss %.4f at step %d.") % (event.eval_loss, event.step))
        elif isinstance(event, ev.Error):
            self._append_log(self.tr("Error: %s") % event.message)
        self._update_status()

    def _on_retry(self, code: str, change: str) -> None:
        text = self.tr("Out of memory. Trying again with %s.") % rung_text(code, change)
        self._append_log(text)
        self._phase = text

    def _update_status(self) -> None:
        if not self.is_running:
            return
        elapsed = time.monotonic() - self.started_at
        step = self._last_step
        if step is None:
            self.status.setText(f"{self._phase}  ·  {duration(elapsed)}")
            return
        eta = duration(step.eta_seconds) if step.eta_seconds is not None else "?"
        self.status.setText(
            self.tr("Step %d of %d  ·  epoch %.2f  ·  loss %.4f  ·  elapsed %s  ·  about %s left")
            % (step.step, step.total_steps, step.epoch, step.loss, duration(elapsed), eta)
        )

    def _sample_gpu(self) -> None:
        gpus = gpu_snapshots()
        self.metrics.set_gpu_available(bool(gpus))
        x = self._last_step.step if self._last_step else 0
        used = max(1, self._last_step.world_size if self._last_step else self._processes)
        for gpu in gpus[:used]:  # a run on several GPUs: each one's memory
            self.metrics.add_gpu_sample(
                x, gpu.memory_used_mb, gpu.memory_total_mb, gpu.utilisation, gpu.index
            )

    def _append_log(self, line: str) -> None:
        self.log.appendPlainText(line)

    def _finish(self, outcome: Outcome) -> None:
        self.session = None
        self._gpu_timer.stop()
        self._clock.stop()
        self.last_outcome = outcome
        title, body = outcome_text(outcome)
        self.status.setText(f"{title} {body}".strip())
        self._append_log(title)
        self._update_buttons()
        if not outcome.ok:
            self._show_error(title, body)
        self.run_finished.emit(outcome, self.run_dir)

    def _show_error(self, title: str, body: str) -> None:
        """A window-modal message that does not block the event loop (training may continue)."""
        self.error_box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("LoRA Studio"),
            title,
            QMessageBox.StandardButton.Ok,
            self,
        )
        self.error_box.setInformativeText(body)
        self.error_box.open()
