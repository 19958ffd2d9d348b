"""Generate records with an LLM through an OpenAI-compatible API, in the background.

Progress, Cancel, retries shown as they happen; the records that survive (valid, not duplicates)
are appended to the dataset as one undoable step. The API key goes to the system keyring.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core import generator, secrets
from lora_studio.core.records import Record
from lora_studio.core.settings import AppSettings
from lora_studio.gui.widgets.fields import DoubleSpinBox, SpinBox


class GeneratorWorker(QObject):
    progress = Signal(int, int)
    retrying = Signal(str)
    done = Signal(object)  # GenerationReport
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, job: dict) -> None:
        super().__init__()
        self.job = job
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            report = generator.generate_records(
                should_stop=self.stop.is_set,
                on_progress=self.progress.emit,
                on_retry=self.retrying.emit,
                **self.job,
            )
        except generator.Cancelled:
            self.cancelled.emit()
        except generator.GenerationError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - the dialog must always hear how it ended
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.done.emit(report)
        finally:
            thread = self.thread()
            if thread is not None:
                thread.quit()


class GeneratorDialog(QDialog):
    """Ask for ``count`` records; ``generated`` carries them when the job succeeds."""

    generated = Signal(list)

    def __init__(
        self,
        settings: AppSettings,
        examples: list[Record],
        existing: list[Record],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.examples = examples
        self.existing = existing
        self.thread_: QThread | None = None
        self.worker: GeneratorWorker | None = None
        self.report: generator.GenerationReport | None = None
        self.setWindowTitle(self.tr("Generate records with an LLM"))
        self.resize(620, 520)
        saved = settings.generator if isinstance(settings.generator, dict) else {}
        self.base_url = QLineEdit(saved.get("base_url", "https://api.deepseek.com/v1"))
        self.base_url.setToolTip(
            self.tr(
                "Any OpenAI-compatible API: DeepSeek, Baidu Qianfan (ERNIE), or this app's "
                "own server (http://127.0.0.1:8000/v1)"
            )
        )
        self.model = QLineEdit(saved.get("model", "deepseek-chat"))
        self.api_key = QLineEdit(secrets.load_key(self.base_url.text()))
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_note = QLabel()
        self.key_note.setWordWrap(True)
        if not secrets.keyring_available():
            self.key_note.setText(
                self.tr(
                    "No system keyring was found: the key is kept only until LoRA Studio "
                    "closes, and never written to a file."
                )
            )
        self.topic = QLineEdit(saved.get("topic", ""))
        self.topic.setPlaceholderText(self.tr("e.g. network security questions for beginners"))
        self.language = QLineEdit(saved.get("language", ""))
        self.language.setPlaceholderText(self.tr("optional, e.g. Simplified Chinese"))
        self.count = SpinBox()
        self.count.setRange(1, 5000)
        self.count.setValue(int(saved.get("count", 20)))
        self.temperature = DoubleSpinBox()
        self.temperature.setRange(0.0, 2.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setValue(float(saved.get("temperature", 0.8)))
        self.examples_view = QPlainTextEdit()
        self.examples_view.setReadOnly(True)
        self.examples_view.setMaximumHeight(90)
        self.examples_view.setPlainText(
            "\n".join(f"• {r.instruction} → {r.output[:60]}" for r in examples[:5])
            or self.tr("(none: select records in the table to use them as examples)")
        )
        form = QFormLayout()
        form.addRow(self.tr("Base URL"), self.base_url)
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("API key"), self.api_key)
        form.addRow("", self.key_note)
        form.addRow(self.tr("Topic"), self.topic)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Records"), self.count)
        form.addRow(self.tr("Temperature"), self.temperature)
        form.addRow(self.tr("Examples"), self.examples_view)
        self.progress = QProgressBar()
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton(
            self.tr("Generate"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    @property
    def running(self) -> bool:
        return self.thread_ is not None

    def start(self) -> bool:
        if self.running:
            return False
        if not self.base_url.text().strip() or not self.model.text().strip():
            self.status.setText(self.tr("Give the API's base URL and a model name."))
            return False
        if not self.topic.text().strip():
            self.status.setText(self.tr("Give a topic."))
            return False
        url = self.base_url.text().strip()
        if not secrets.save_key(url, self.api_key.text().strip()) and self.api_key.text():
            self.key_note.setText(
                self.tr(
                    "No system keyring was found: the key is kept only until LoRA Studio "
                    "closes, and never written to a file."
                )
            )
        self.settings.generator = {
            "base_url": url,
            "model": self.model.text().strip(),
            "topic": self.topic.text().strip(),
            "language": self.language.text().strip(),
            "count": self.count.value(),
            "temperature": self.temperature.value(),
        }
        try:
            self.settings.save()
        except OSError:
            pass
        job = {
            "api": generator.ApiSettings(
                base_url=url,
                model=self.model.text().strip(),
                api_key=self.api_key.text().strip(),
                temperature=self.temperature.value(),
            ),
            "topic": self.topic.text().strip(),
            "examples": self.examples,
            "count": self.count.value(),
            "existing": self.existing,
            "language": self.language.text().strip(),
        }
        self.thread_ = QThread()
        self.worker = GeneratorWorker(job)
        self.worker.moveToThread(self.thread_)
        self.thread_.started.connect(self.worker.run)
        self.worker.progress.connect(self._on_progress)
        self.worker.retrying.connect(
            lambda message: self.status.setText(self.tr("Waiting: %s") % message)
        )
        self.worker.done.connect(self._on_done)
        self.worker.failed.connect(self._on_failed)
        self.worker.cancelled.connect(self._on_cancelled)
        self.thread_.finished.connect(self._on_thread_finished)
        self.progress.setRange(0, self.count.value())
        self.progress.setValue(0)
        self.progress.show()
        self.start_button.setEnabled(False)
        self.status.setText(self.tr("Asking %s…") % self.model.text().strip())
        self.thread_.start()
        return True

    def cancel(self) -> None:
        if self.worker is not None and self.running:
            self.worker.stop.set()
            self.status.setText(self.tr("Cancelling…"))
        else:
            self.reject()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        self.status.setText(self.tr("%d of %d records") % (done, total))

    def _on_done(self, report: generator.GenerationReport) -> None:
        self.report = report
        self.status.setText(
            self.tr(
                "%d records added. Dropped: %d not valid, %d duplicates. %d requests, %d retries."
            )
            % (
                len(report.records),
                report.dropped_invalid,
                report.dropped_duplicates,
                report.requests,
                report.retries,
            )
        )
        if report.records:
            self.generated.emit(report.records)

    def _on_failed(self, message: str) -> None:
        self.status.setText(self.tr("Generation stopped: %s") % message)

    def _on_cancelled(self) -> None:
        self.status.setText(self.tr("Cancelled: nothing was added."))

    def _on_thread_finished(self) -> None:
        thread, self.thread_ = self.thread_, None
        self.worker = None
        if thread is not None:
            thread.deleteLater()
        self.start_button.setEnabled(True)
        self.start_button.setText(self.tr("Generate more"))

    def wait(self, msecs: int = 30_000) -> None:
        if self.thread_ is not None:
            self.thread_.wait(msecs)

    def done(self, result: int) -> None:  # closing: stop the worker first
        if self.worker is not None:
            self.worker.stop.set()
        if self.thread_ is not None:
            self.thread_.wait(10_000)
        super().done(result)
