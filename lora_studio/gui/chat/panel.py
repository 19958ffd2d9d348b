"""The Chat section: talk to a merged model or a run's base + adapter, offline.

Load starts a persistent chat process (``ChatProcess``); the model stays loaded between messages
and Unload ends the process. Replies stream token by token into a Markdown transcript, rendered
at most every ``RENDER_MS`` so that a fast model does not flood the window. Compare sends one
prompt twice, with the adapter on and off, and shows both replies side by side. Conversations
are kept in a history list (one JSON file each) and can be exported or turned into a training
record.
"""

from __future__ import annotations

import os
import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core import commands
from lora_studio.core import events as ev
from lora_studio.core.atomic import write_text_atomic
from lora_studio.core.conversation import Conversation, ConversationStore
from lora_studio.core.dataset_io import DatasetError
from lora_studio.core.formats import write_dataset
from lora_studio.core.generation_settings import GenerationSettings
from lora_studio.core.outcome import Outcome
from lora_studio.core.paths import user_data_dir
from lora_studio.core.runs import MERGED_DIR, ChatSource, chat_sources
from lora_studio.core.settings import AppSettings
from lora_studio.core.training_data import load_records
from lora_studio.gui.chat.history_list import HistoryList
from lora_studio.gui.chat.sampling_box import SamplingBox
from lora_studio.gui.chat.transcript import Transcript
from lora_studio.gui.jobs.chat import ChatProcess
from lora_studio.gui.jobs.merge import MergeJob
from lora_studio.gui.jobs.worker import EngineJob
from lora_studio.gui.text import outcome_text

RENDER_MS = 50
TUNED, BASE = "tuned", "base"


class ChatPanel(QWidget):
    serve_port = 8000  # the API server's port (0: any free one)
    status_message = Signal(str)
    idle = Signal()  # no chat process, server or merge is left running

    def __init__(
        self,
        settings: AppSettings,
        store: ConversationStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.store = store or ConversationStore(os.path.join(user_data_dir(), "conversations"))
        self.process: ChatProcess | None = None
        self.loaded_source: ChatSource | None = None
        self.extra_sources: list[ChatSource] = []
        self.conversation = Conversation()
        self.pending: dict[str, str] = {}  # request id -> TUNED / BASE
        self.streams: dict[str, str] = {TUNED: "", BASE: ""}
        self.compare_base = ""  # the base model's reply to the last prompt, in compare mode
        self.last_reply: ev.Reply | None = None
        self._unloading = False
        self.merger = MergeJob(self)
        self.merger.progress.connect(self._on_loading)
        self.merger.done.connect(self._merge_done)
        self.serve_job: EngineJob | None = None
        self.dataset_sink = None  # set by the main window: records go to the dataset editor
        self.server_url = ""

        # ---- the model bar ----
        self.source_box = QComboBox()
        self.source_box.setMinimumContentsLength(28)
        self.source_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.source_box.currentIndexChanged.connect(self._update_buttons)
        self.browse_button = QPushButton(self.tr("Model folder…"))
        self.browse_button.setToolTip(self.tr("Chat with a model folder (a base or merged model)"))
        self.browse_button.clicked.connect(self.browse_model)
        self.load_button = QPushButton(self.tr("Load"))
        self.load_button.setToolTip(self.tr("Load the model into memory (Ctrl+L)"))
        self.load_button.setShortcut(QKeySequence("Ctrl+L"))
        self.load_button.clicked.connect(self.load)
        self.unload_button = QPushButton(self.tr("Unload"))
        self.unload_button.setToolTip(self.tr("End the chat process and free its memory"))
        self.unload_button.clicked.connect(self.unload)
        self.merge_button = QPushButton(self.tr("Merge…"))
        self.merge_button.setToolTip(
            self.tr("Merge the run's adapter into a standalone model in the run folder")
        )
        self.merge_button.clicked.connect(self.merge)
        self.serve_button = QPushButton(self.tr("Serve API"))
        self.serve_button.setCheckable(True)
        self.serve_button.setToolTip(
            self.tr("Serve the chosen model as an OpenAI-compatible API on this computer")
        )
        self.serve_button.toggled.connect(self._on_serve_toggled)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        self.state_label = QLabel(self.tr("No model loaded."))
        self.state_label.setWordWrap(True)
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reload_button = QPushButton(self.tr("Reload"))
        self.reload_button.clicked.connect(self.load)
        self.reload_button.hide()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Model:")))
        bar.addWidget(self.source_box, 1)
        for widget in (
            self.browse_button,
            self.load_button,
            self.unload_button,
            self.merge_button,
            self.serve_button,
            self.busy,
        ):
            bar.addWidget(widget)
        state_row = QHBoxLayout()
        state_row.addWidget(self.state_label, 1)
        state_row.addWidget(self.reload_button)

        # ---- history ----
        self.history_list = HistoryList()
        self.history_list.new_requested.connect(self.new_conversation)
        self.history_list.delete_requested.connect(self.delete_conversation)
        self.history_list.conversation_chosen.connect(self._open_history_item)

        # ---- transcript and input ----
        self.transcripts = Transcript()
        self.stats_label = QLabel("")
        self.notice = QLabel("")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #b35c00;")
        self.input = QPlainTextEdit()
        self.input.setPlaceholderText(self.tr("Type a message. Ctrl+Enter sends it."))
        self.input.setMaximumHeight(110)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setToolTip(self.tr("Send the message (Ctrl+Enter)"))
        self.send_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop generating (Esc)"))
        self.stop_button.clicked.connect(self.stop)
        QShortcut(QKeySequence("Escape"), self, self.stop)
        self.regenerate_button = QPushButton(self.tr("Regenerate"))
        self.regenerate_button.setToolTip(self.tr("Answer the last message again (Ctrl+R)"))
        self.regenerate_button.setShortcut(QKeySequence("Ctrl+R"))
        self.regenerate_button.clicked.connect(self.regenerate)
        self.edit_button = QPushButton(self.tr("Edit last"))
        self.edit_button.setToolTip(self.tr("Take back the last message to edit and resend it"))
        self.edit_button.clicked.connect(self.edit_last)
        self.copy_button = QPushButton(self.tr("Copy reply"))
        self.copy_button.setToolTip(self.tr("Copy the last reply (Ctrl+Shift+C)"))
        self.copy_button.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.copy_button.clicked.connect(self.copy_reply)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setToolTip(self.tr("Save the conversation as Markdown or JSON"))
        self.export_button.clicked.connect(self.export)
        self.dataset_button = QPushButton(self.tr("Add to dataset…"))
        self.dataset_button.setToolTip(
            self.tr("Append the last question and reply to a dataset file as a training record")
        )
        self.dataset_button.clicked.connect(self.add_to_dataset)
        actions = QHBoxLayout()
        for widget in (
            self.send_button,
            self.stop_button,
            self.regenerate_button,
            self.edit_button,
            self.copy_button,
        ):
            actions.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(self.export_button)
        actions.addWidget(self.dataset_button)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.transcripts, 1)
        middle_layout.addWidget(self.stats_label)
        middle_layout.addWidget(self.notice)
        middle_layout.addWidget(self.input)
        middle_layout.addLayout(actions)

        # ---- sampling settings ----
        self.sampling = SamplingBox()
        self.sampling.compare_toggled.connect(self._on_compare_toggled)
        self.sampling.system_changed.connect(self._on_system_changed)

        split = QSplitter()
        split.addWidget(self.history_list)
        split.addWidget(middle)
        split.addWidget(self.sampling)
        split.setStretchFactor(1, 1)
        split.setSizes([200, 800, 280])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(state_row)
        layout.addWidget(split, 1)

        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(RENDER_MS)
        self._render_timer.timeout.connect(self.render)
        self.refresh_sources()
        self.refresh_history()
        self.render()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not self.is_busy:
            self.refresh_sources()  # runs may have been trained or merged meanwhile
        super().showEvent(event)

    # ---- sources ----
    def refresh_sources(self) -> None:
        current = self.current_source()
        self.source_box.blockSignals(True)
        self.source_box.clear()
        for source in chat_sources(self.settings.runs_dir) + self.extra_sources:
            self.source_box.addItem(self.source_label(source), source)
        self.source_box.blockSignals(False)
        if current is not None:
            self.select_source(current.key)
        self._update_buttons()

    def source_label(self, source: ChatSource) -> str:
        if source.kind == "merged":
            return self.tr("%s — merged model") % source.name
        if source.kind == "adapter":
            return self.tr("%s — base model + adapter") % source.name
        return self.tr("%s — model folder") % source.name

    def current_source(self) -> ChatSource | None:
        return self.source_box.currentData()

    def select_source(self, key: str) -> bool:
        for i in range(self.source_box.count()):
            if self.source_box.itemData(i).key == key:
                self.source_box.setCurrentIndex(i)
                return True
        return False

    def select_run(self, run_dir: str) -> None:
        """From Runs: the run's merged model when there is one, else its base + adapter."""
        self.refresh_sources()
        for kind in ("merged", "adapter"):
            for i in range(self.source_box.count()):
                source = self.source_box.itemData(i)
                if source.kind == kind and os.path.normpath(source.adapter or source.model) in (
                    os.path.normpath(run_dir),
                    os.path.normpath(os.path.join(run_dir, MERGED_DIR)),
                ):
                    self.source_box.setCurrentIndex(i)
                    return

    def add_model_folder(self, folder: str) -> None:
        source = ChatSource("model", os.path.basename(folder.rstrip("/\\")) or folder, model=folder)
        if all(s.key != source.key for s in self.extra_sources):
            self.extra_sources.append(source)
        self.refresh_sources()
        self.select_source(source.key)

    def browse_model(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose a model folder"), self.settings.models_dir
        )
        if folder:
            self.add_model_folder(folder)

    # ---- the chat process ----
    @property
    def is_loaded(self) -> bool:
        return self.process is not None and self.process.is_ready

    @property
    def is_generating(self) -> bool:
        return bool(self.pending)

    def load(self, command: list[str] | None = None) -> bool:
        """Start a chat process for the chosen source. ``command`` replaces the engine (tests)."""
        source = self.current_source()
        if source is None:
            self.show_problem(self.tr("Choose a model first: train a run, or pick a model folder."))
            return False
        if self.process is not None:
            self.unload()
        self.reload_button.hide()
        self.loaded_source = source
        self._unloading = False
        self.process = ChatProcess(source.model, source.adapter, self, command=command)
        self.process.loading.connect(self._on_loading)
        self.process.ready.connect(self._on_ready)
        self.process.token.connect(self._on_token)
        self.process.reply.connect(self._on_reply)
        self.process.request_failed.connect(self._on_request_failed)
        self.process.ended.connect(self._on_ended)
        self.state_label.setText(self.tr("Loading %s…") % self.source_label(source))
        self.busy.show()
        self.process.start()
        self._update_buttons()
        return True

    def unload(self) -> None:
        if self.process is None:
            return
        self._unloading = True
        self._abandon_pending()
        self.process.unload()
        self.state_label.setText(self.tr("Unloading…"))
        self._update_buttons()

    def _on_loading(self, message: str, progress: float) -> None:
        self.state_label.setText(f"{message} ({progress:.0%})" if progress else message)

    def _on_ready(self, info: ev.ChatReady) -> None:
        self.busy.hide()
        source = self.loaded_source
        label = self.source_label(source) if source else info.model
        self.state_label.setText(
            self.tr("Ready: %s · context %d tokens · %s")
            % (label, info.context_length, info.device.upper())
        )
        self._update_buttons()
        self.input.setFocus()

    def _on_ended(self, outcome: Outcome) -> None:
        process = self.process
        self.process = None
        if process is not None:
            process.deleteLater()
        self.busy.hide()
        crashed = bool(self.pending)
        self._abandon_pending()
        if self._unloading or outcome.ok:
            self.state_label.setText(self.tr("No model loaded."))
        else:
            title, details = outcome_text(outcome)
            text = outcome.message or title
            if crashed:
                text = self.tr("The chat process ended in the middle of a reply: %s") % text
            self.state_label.setText(
                f"<b>{text}</b>" + (f"<br>{outcome.hint}" if outcome.hint else "")
            )
            self.state_label.setToolTip(details)
            self.reload_button.show()
        self._unloading = False
        self._update_buttons()
        self._emit_if_idle()

    def _emit_if_idle(self) -> None:
        if not self.is_busy:
            self.idle.emit()

    # ---- sending ----
    def current_settings(self) -> GenerationSettings:
        return self.sampling.current_settings()

    def send(self) -> bool:
        text = self.input.toPlainText().strip()
        if not text:
            self.show_problem(self.tr("Type a message first."))
            return False
        if not self.is_loaded:
            self.show_problem(self.tr("Load a model first (Ctrl+L)."))
            return False
        if self.is_generating:
            return False
        self.input.clear()
        self.conversation.add("user", text)
        self._ask()
        return True

    def regenerate(self) -> None:
        if not self.is_loaded or self.is_generating:
            return
        messages = self.conversation.messages
        if messages and messages[-1].role == "assistant":
            messages.pop()
        if messages and messages[-1].role == "user":
            self._ask()

    def edit_last(self) -> None:
        """Take the last message back into the input box (with its reply removed)."""
        if self.is_generating:
            return
        messages = self.conversation.messages
        while messages and messages[-1].role == "assistant":
            messages.pop()
        if messages and messages[-1].role == "user":
            self.input.setPlainText(messages.pop().content)
            self.input.setFocus()
        self._save_conversation()
        self.render()

    def stop(self) -> None:
        if self.process is not None and self.is_generating:
            self.process.cancel()

    def _ask(self) -> None:
        assert self.process is not None
        self.notice.clear()
        self.conversation.source = (
            self.source_label(self.loaded_source) if self.loaded_source else ""
        )
        messages = self.conversation.request_messages()
        settings = self.current_settings()
        self.streams = {TUNED: "", BASE: ""}
        self.compare_base = ""
        tuned = self.process.generate(messages, settings, adapter=True)
        self.pending[tuned] = TUNED
        if self.comparing:
            base = self.process.generate(messages, settings, adapter=False)
            self.pending[base] = BASE
        self.stats_label.setText(self.tr("Generating…"))
        self._update_buttons()
        self.render()

    @property
    def comparing(self) -> bool:
        source = self.loaded_source
        return self.sampling.compare_box.isChecked() and source is not None and source.can_compare

    def _on_token(self, request_id: str, text: str) -> None:
        side = self.pending.get(request_id)
        if side is None:
            return
        self.streams[side] += text
        if not self._render_timer.isActive():
            self._render_timer.start()

    def _on_reply(self, reply: ev.Reply) -> None:
        side = self.pending.pop(reply.id, None)
        if side is None:
            return
        self.streams[side] = ""
        stats = {
            "new_tokens": reply.new_tokens,
            "tokens_per_second": round(reply.tokens_per_second, 2),
            "first_token_seconds": reply.first_token_seconds,
            "finish_reason": reply.finish_reason,
            "at": time.time(),
        }
        if side == TUNED:
            self.conversation.add("assistant", reply.text, stats)
            self.last_reply = reply
            self._show_reply_stats(reply)
        else:
            self.compare_base = reply.text
        if not self.pending:
            self._finish_exchange()
        self.render()

    def _finish_exchange(self) -> None:
        if self.compare_base:
            for message in reversed(self.conversation.messages):
                if message.role == "assistant":
                    message.stats["base_reply"] = self.compare_base
                    break
        self._save_conversation()
        self._update_buttons()

    def _show_reply_stats(self, reply: ev.Reply) -> None:
        parts = [self.tr("Tokens: %d") % reply.new_tokens]
        if reply.tokens_per_second:
            parts.append(self.tr("%.1f tokens/s") % reply.tokens_per_second)
        if reply.first_token_seconds is not None:
            parts.append(self.tr("first token after %.2f s") % reply.first_token_seconds)
        if reply.cancelled:
            parts.append(self.tr("stopped"))
        elif reply.finish_reason == "length":
            parts.append(self.tr("cut at the token limit"))
        self.stats_label.setText(" · ".join(parts))
        if reply.dropped_turns:
            self.notice.setText(
                self.tr(
                    "The conversation is longer than the model's context: the %d oldest "
                    "messages were left out of the prompt."
                )
                % reply.dropped_turns
            )

    def _on_request_failed(self, request_id: str, message: str) -> None:
        side = self.pending.pop(request_id, None)
        if side is None and request_id:
            return
        self.streams = {TUNED: "", BASE: ""}
        if self.process is not None and self.pending:
            self.process.cancel()
        self.pending.clear()
        messages = self.conversation.messages
        if messages and messages[-1].role == "user" and not self.input.toPlainText().strip():
            self.input.setPlainText(messages.pop().content)  # back in the box, to shorten it
        self.show_problem(self.tr("The model could not answer: %s") % message)
        self.stats_label.clear()
        self._update_buttons()
        self.render()

    def _abandon_pending(self) -> None:
        """The process is going away: keep what streamed as a stopped reply."""
        partial = self.streams.get(TUNED, "")
        if self.pending and partial:
            self.conversation.add("assistant", partial, {"finish_reason": "interrupted"})
        if self.pending:
            self._save_conversation()
        self.pending.clear()
        self.streams = {TUNED: "", BASE: ""}
        self.render()

    def show_problem(self, text: str) -> None:
        self.notice.setText(text)
        self.status_message.emit(text)

    # ---- rendering ----
    def render(self) -> None:
        waiting = set(self.pending.values())
        self.transcripts.show_conversation(self.conversation, self.streams, waiting, self.comparing)

    def _on_compare_toggled(self, _checked: bool) -> None:
        self._update_buttons()
        self.render()

    def _on_system_changed(self, text: str) -> None:
        self.conversation.system = text

    # ---- conversations ----
    def refresh_history(self) -> None:
        self.history_list.show_conversations(self.store.load_all())

    def _save_conversation(self) -> None:
        if not self.conversation.messages:
            return
        try:
            self.store.save(self.conversation)
        except OSError as exc:
            self.show_problem(self.tr("The conversation could not be saved: %s") % exc)
            return
        self.refresh_history()

    def new_conversation(self) -> None:
        if self.is_generating:
            return
        self._save_conversation()
        self.conversation = Conversation(system=self.sampling.system_prompt())
        self.stats_label.clear()
        self.notice.clear()
        self.history_list.history.clearSelection()
        self.render()
        self.input.setFocus()

    def open_conversation(self, conversation: Conversation) -> None:
        if self.is_generating:
            return
        self._save_conversation()
        self.conversation = conversation
        self.sampling.set_system_prompt(conversation.system)
        self.stats_label.clear()
        self.notice.clear()
        self.render()

    def _open_history_item(self, conversation: Conversation) -> None:
        if conversation.id != self.conversation.id:
            self.open_conversation(conversation)

    def delete_conversation(self) -> None:
        conversation = self.history_list.current()
        if conversation is None or self.is_generating:
            return
        self.store.delete(conversation.id)
        if conversation.id == self.conversation.id:
            self.conversation = Conversation(system=self.sampling.system_prompt())
            self.render()
        self.refresh_history()

    def copy_reply(self) -> None:
        for message in reversed(self.conversation.messages):
            if message.role == "assistant":
                QGuiApplication.clipboard().setText(message.content)
                self.status_message.emit(self.tr("Reply copied."))
                return

    def export(self, path: str = "") -> bool:
        if not self.conversation.messages:
            self.show_problem(self.tr("There is nothing to export yet."))
            return False
        if not path:
            path, _filter = QFileDialog.getSaveFileName(
                self,
                self.tr("Export conversation"),
                self.conversation.display_title or "conversation",
                self.tr("Markdown (*.md);;JSON (*.json)"),
            )
        if not path:
            return False
        if path.lower().endswith(".json"):
            text = self.conversation.to_json()
        else:
            if not path.lower().endswith(".md"):
                path += ".md"
            names = {"user": self.tr("You"), "assistant": self.tr("Model")}
            text = self.conversation.to_markdown({**names, "system": self.tr("System")})
        try:
            write_text_atomic(path, text)
        except OSError as exc:
            self.show_problem(self.tr("Could not export: %s") % exc)
            return False
        self.status_message.emit(self.tr("Conversation exported to %s") % path)
        return True

    def add_to_dataset(self, path: str = "") -> bool:
        """The last exchange as a training record: into the dataset editor (as an undoable
        step) when the window has one, else appended to a JSON dataset file."""
        try:
            record = self.conversation.to_record()
        except ValueError:
            self.show_problem(self.tr("Ask something and get a reply first."))
            return False
        if not path and self.dataset_sink is not None:
            self.dataset_sink(record)
            return True
        if not path:
            path, _filter = QFileDialog.getSaveFileName(
                self,
                self.tr("Add the exchange to a dataset"),
                self.settings.last_dataset or "dataset.json",
                self.tr("JSON dataset (*.json)"),
                options=QFileDialog.Option.DontConfirmOverwrite,
            )
        if not path:
            return False
        try:
            records = load_records(path) if os.path.isfile(path) else []
            write_dataset([*records, record], path, "json")
        except DatasetError as exc:
            self.show_problem(
                self.tr("The dataset could not be read, so nothing was added: %s") % exc
            )
            return False
        except OSError as exc:
            self.show_problem(self.tr("The dataset could not be saved: %s") % exc)
            return False
        self.status_message.emit(
            self.tr("Added to %s as record %d") % (os.path.basename(path), len(records) + 1)
        )
        return True

    # ---- merge and serve ----
    def merge(self) -> None:
        source = self.current_source()
        if source is None or not source.adapter or not self.merger.start(source.adapter):
            return
        self.state_label.setText(self.tr("Merging the adapter of “%s”…") % source.name)
        self.busy.show()
        self._update_buttons()

    @property
    def merge_job(self):
        """The merge's engine job while one runs, else None."""
        return self.merger.job

    def _on_job_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.Loading):
            self._on_loading(event.message, event.progress)
        elif isinstance(event, ev.ChatReady) and event.url:
            self.server_url = event.url
            self.state_label.setText(
                self.tr("Serving at %s — OpenAI-compatible; stop it with Serve API.") % event.url
            )

    def _merge_done(self, ok: bool, problem: str, output: str) -> None:
        self.busy.hide()
        if ok:
            self.state_label.setText(self.tr("Merged. The merged model is now in the list."))
            source = self.current_source()
            self.refresh_sources()
            if source is not None:
                self.select_source(ChatSource("merged", source.name, model=output).key)
        else:
            self.state_label.setText(self.tr("Merge failed: %s") % problem)
        self._update_buttons()
        self._emit_if_idle()

    def _on_serve_toggled(self, on: bool) -> None:
        if on and self.serve_job is None:
            self.start_serving()
        elif not on and self.serve_job is not None:
            self.serve_job.stop()
            self.state_label.setText(self.tr("Stopping the API server…"))

    def start_serving(self) -> None:
        source = self.current_source()
        if source is None:
            self.serve_button.setChecked(False)
            return
        command = commands.serve(self.serve_port, source.model, source.adapter)
        self.serve_job = EngineJob(command, self, stop_grace=5.0)
        self.serve_job.event_received.connect(self._on_job_event)
        self.serve_job.finished.connect(self._serve_done)
        self.state_label.setText(self.tr("Starting the API server…"))
        self.serve_job.start()
        self._update_buttons()

    def _serve_done(self, outcome: Outcome) -> None:
        self.serve_job = None
        self.server_url = ""
        self.serve_button.blockSignals(True)
        self.serve_button.setChecked(False)
        self.serve_button.blockSignals(False)
        if outcome.ok:
            self.state_label.setText(self.tr("The API server has stopped."))
        else:
            title, _details = outcome_text(outcome)
            self.state_label.setText(
                self.tr("The API server stopped: %s") % (outcome.message or title)
            )
        self._update_buttons()
        self._emit_if_idle()

    # ---- state ----
    def shutdown(self) -> None:
        """Before the window closes: end the chat process and the server."""
        if self.process is not None:
            self.unload()
        if self.serve_job is not None:
            self.serve_job.stop()

    @property
    def is_busy(self) -> bool:
        return self.process is not None or self.serve_job is not None or self.merger.running

    def _update_buttons(self) -> None:
        source = self.current_source()
        running = self.process is not None
        loaded = self.is_loaded
        generating = self.is_generating
        has_reply = any(m.role == "assistant" for m in self.conversation.messages)
        self.load_button.setEnabled(source is not None and not generating)
        self.unload_button.setEnabled(running)
        self.merge_button.setEnabled(
            source is not None and source.kind == "adapter" and not self.merger.running
        )
        self.serve_button.setEnabled(source is not None or self.serve_job is not None)
        self.send_button.setEnabled(loaded and not generating)
        self.stop_button.setEnabled(generating)
        self.regenerate_button.setEnabled(
            loaded and not generating and bool(self.conversation.messages)
        )
        self.edit_button.setEnabled(not generating and bool(self.conversation.messages))
        self.copy_button.setEnabled(has_reply)
        self.dataset_button.setEnabled(has_reply and not generating)
        self.export_button.setEnabled(bool(self.conversation.messages))
        compare_possible = source is not None and source.can_compare
        self.sampling.compare_box.setEnabled(compare_possible and not generating)
        if not compare_possible:
            self.sampling.compare_box.setToolTip(
                self.tr("Compare needs a run's base model + adapter (the adapter is switched off)")
            )
        self.transcripts.set_comparing(self.comparing)
