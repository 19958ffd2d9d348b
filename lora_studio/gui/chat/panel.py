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

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lora_studio.core import events as ev
from lora_studio.core.conversation import Conversation, ConversationStore
from lora_studio.core.outcome import Outcome
from lora_studio.core.paths import user_data_dir
from lora_studio.core.runs import ChatSource
from lora_studio.core.settings import AppSettings
from lora_studio.gui.chat import conversation_files
from lora_studio.gui.chat.composer import Composer
from lora_studio.gui.chat.exchange import Exchange, reply_stats
from lora_studio.gui.chat.history_list import HistoryList
from lora_studio.gui.chat.model_bar import ModelBar
from lora_studio.gui.chat.sampling_box import SamplingBox
from lora_studio.gui.chat.transcript import Transcript
from lora_studio.gui.jobs.chat import ChatProcess
from lora_studio.gui.jobs.slot import TaskSlot
from lora_studio.gui.text import loading_text, outcome_text
from lora_studio.gui.widgets.emphasis import set_tone

RENDER_MS = 50


class ChatPanel(QWidget):
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
        self.process: ChatProcess | None = None  # the process shown; the slot owns it
        self.pending_source: ChatSource | None = None
        self.slot = TaskSlot(self)
        self.slot.started.connect(self._on_started)
        self.loaded_source: ChatSource | None = None
        self.conversation = Conversation()
        self.exchange = Exchange(self)
        self.exchange.streamed.connect(self._on_streamed)
        self.exchange.answered.connect(self._on_answered)
        self.exchange.finished.connect(self._finish_exchange)
        self.exchange.failed.connect(self._on_request_failed)
        self.last_reply: ev.Reply | None = None
        self._unloading = False
        self.dataset_sink = None  # set by the main window: records go to the dataset editor

        # ---- the model bar ----
        self.model_bar = ModelBar(settings)
        self.model_bar.source_changed.connect(self._update_buttons)
        self.model_bar.load_requested.connect(self.load)
        self.model_bar.unload_requested.connect(self.unload)
        self.model_bar.jobs_changed.connect(self._update_buttons)
        self.model_bar.jobs_changed.connect(self._emit_if_idle)
        self.state_label, self.busy = self.model_bar.state_label, self.model_bar.busy

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
        set_tone(self.notice, "warning")
        self.composer = Composer()
        self.composer.send_requested.connect(self.send)
        self.composer.stop_requested.connect(self.stop)
        self.composer.regenerate_requested.connect(self.regenerate)
        self.composer.edit_requested.connect(self.edit_last)
        self.composer.copy_requested.connect(self.copy_reply)
        self.composer.export_requested.connect(self.export)
        self.composer.dataset_requested.connect(self.add_to_dataset)
        QShortcut(QKeySequence("Escape"), self, self.stop)
        self.input = self.composer.input
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.transcripts, 1)
        middle_layout.addWidget(self.stats_label)
        middle_layout.addWidget(self.notice)
        middle_layout.addWidget(self.composer)

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
        layout.addWidget(self.model_bar)
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

    # ---- sources (the model bar holds them) ----
    def refresh_sources(self) -> None:
        self.model_bar.refresh_sources()

    def current_source(self) -> ChatSource | None:
        return self.model_bar.current_source()

    def select_source(self, key: str) -> bool:
        return self.model_bar.select_source(key)

    def select_run(self, run_dir: str) -> None:
        self.model_bar.select_run(run_dir)

    def set_compare(self, on: bool) -> None:
        self.sampling.compare_box.setChecked(on)

    def add_model_folder(self, folder: str) -> None:
        self.model_bar.add_model_folder(folder)

    # ---- the chat process ----
    @property
    def is_loaded(self) -> bool:
        process = self.process
        return process is not None and process.is_ready and not self.slot.switching

    @property
    def is_generating(self) -> bool:
        return self.exchange.busy

    def load(self, command: list[str] | None = None) -> bool:
        """Load the chosen source. A model already loaded is unloaded first and the new one
        starts once its process has ended. ``command`` replaces the engine (tests)."""
        source = self.current_source()
        if source is None:
            self.show_problem(self.tr("Choose a model first: train a run, or pick a model folder."))
            return False
        if self.process is not None:
            self._abandon_pending()
        self.model_bar.reload_button.hide()
        process = ChatProcess(source.model, source.adapter, self, command=command)
        # a replaced process's late signals are dropped: only the one shown reaches the panel
        process.loading.connect(lambda *a, p=process: p is self.process and self._on_loading(*a))
        process.ready.connect(lambda info, p=process: p is self.process and self._on_ready(info))
        self.pending_source = source
        self.slot.run(process, lambda outcome, p=process: self._on_ended(p, outcome))
        if self.slot.switching:
            self.state_label.setText(self.tr("Unloading…"))
        self.busy.show()
        self._update_buttons()
        return True

    def _on_started(self, process: ChatProcess) -> None:
        """The slot started ``process``: from now on it is the one the panel talks to."""
        self.process = process
        self.loaded_source = self.pending_source
        self._unloading = False
        self.exchange.attach(process)
        self.state_label.setText(
            self.tr("Loading %s…") % self.model_bar.source_label(self.loaded_source)
        )

    def unload(self) -> None:
        if not self.slot.busy:
            return
        self._unloading = True
        self._abandon_pending()
        self.slot.stop()
        self.state_label.setText(self.tr("Unloading…"))
        self._update_buttons()

    def _on_loading(self, stage: str, message: str, progress: float) -> None:
        self.state_label.setText(loading_text(stage, message, progress))

    def _on_ready(self, info: ev.ChatReady) -> None:
        self.busy.hide()
        source = self.loaded_source
        label = self.model_bar.source_label(source) if source else info.model
        self.state_label.setText(
            self.tr("Ready: %s · context %d tokens · %s")
            % (label, info.context_length, info.device.upper())
        )
        self._update_buttons()
        self.input.setFocus()

    def _on_ended(self, process: ChatProcess, outcome: Outcome) -> None:
        """``process`` has ended (the slot deletes it): unloaded, crashed or failed to load."""
        if process is not self.process:  # replaced before it started: nothing was shown
            return
        self.process = None
        if self.slot.switching:  # the next model starts now; its loading says the rest
            return
        self.busy.hide()
        crashed = self.exchange.busy
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
            self.model_bar.reload_button.show()
        self._unloading = False
        self._update_buttons()
        self._emit_if_idle()

    def _emit_if_idle(self) -> None:
        if not self.is_busy:
            self.idle.emit()

    # ---- sending ----
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
            self.model_bar.source_label(self.loaded_source) if self.loaded_source else ""
        )
        messages = self.conversation.request_messages()
        settings = self.sampling.current_settings()
        self.exchange.ask(messages, settings, self.comparing)
        self.stats_label.setText(self.tr("Generating…"))
        self._update_buttons()
        self.render()

    @property
    def comparing(self) -> bool:
        source = self.loaded_source
        return self.sampling.compare_box.isChecked() and source is not None and source.can_compare

    def _on_streamed(self) -> None:
        if not self._render_timer.isActive():
            self._render_timer.start()

    def _on_answered(self, reply: ev.Reply, stats: dict) -> None:
        self.conversation.add("assistant", reply.text, stats)
        self.last_reply = reply
        text, notice = reply_stats(reply)
        self.stats_label.setText(text)
        if notice:
            self.notice.setText(notice)
        self.render()

    def _finish_exchange(self, base_reply: str) -> None:
        if base_reply:
            for message in reversed(self.conversation.messages):
                if message.role == "assistant":
                    message.stats["base_reply"] = base_reply
                    break
        self._save_conversation()
        self._update_buttons()
        self.render()

    def _on_request_failed(self, message: str) -> None:
        messages = self.conversation.messages
        if messages and messages[-1].role == "user" and not self.input.toPlainText().strip():
            self.input.setPlainText(messages.pop().content)  # back in the box, to shorten it
        self.show_problem(self.tr("The model could not answer: %s") % message)
        self.stats_label.clear()
        self._update_buttons()
        self.render()

    def _abandon_pending(self) -> None:
        """The process is going away: keep what streamed as a stopped reply."""
        busy = self.exchange.busy
        partial = self.exchange.abandon()
        if partial:
            self.conversation.add("assistant", partial, {"finish_reason": "interrupted"})
        if busy:
            self._save_conversation()
        self.render()

    def show_problem(self, text: str) -> None:
        self.notice.setText(text)
        self.status_message.emit(text)

    # ---- rendering ----
    def render(self) -> None:
        self.transcripts.show_conversation(
            self.conversation, self.exchange.streams, self.exchange.waiting(), self.comparing
        )

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
        done, message = conversation_files.export_asking(self, self.conversation, path)
        self._tell(done, message)
        return done

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
        done, message = conversation_files.append_asking(
            self, record, path, self.settings.last_dataset
        )
        self._tell(done, message)
        return done

    def _tell(self, done: bool, message: str) -> None:
        if message:
            self.status_message.emit(message) if done else self.show_problem(message)

    @property
    def merge_job(self):
        return self.model_bar.merger.job

    @property
    def server_url(self) -> str:
        return self.model_bar.server.url

    # ---- state ----
    def shutdown(self) -> None:
        """Before the window closes: end the chat process and the server."""
        self.unload()
        self.model_bar.server.stop()

    @property
    def is_busy(self) -> bool:
        return self.slot.busy or self.model_bar.jobs_running

    def _update_buttons(self) -> None:
        source = self.current_source()
        running = self.process is not None
        loaded = self.is_loaded
        generating = self.is_generating
        has_reply = any(m.role == "assistant" for m in self.conversation.messages)
        self.model_bar.update_buttons(generating, running)
        self.composer.send_button.setEnabled(loaded and not generating)
        self.composer.stop_button.setEnabled(generating)
        self.composer.regenerate_button.setEnabled(
            loaded and not generating and bool(self.conversation.messages)
        )
        self.composer.edit_button.setEnabled(not generating and bool(self.conversation.messages))
        self.composer.copy_button.setEnabled(has_reply)
        self.composer.dataset_button.setEnabled(has_reply and not generating)
        self.composer.export_button.setEnabled(bool(self.conversation.messages))
        compare_possible = source is not None and source.can_compare
        self.sampling.compare_box.setEnabled(compare_possible and not generating)
        if not compare_possible:
            self.sampling.compare_box.setToolTip(
                self.tr("Compare needs a run's base model + adapter (the adapter is switched off)")
            )
        self.transcripts.set_comparing(self.comparing)
