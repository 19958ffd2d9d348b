"""The Chat section with the real engine: a demo model fine-tuned in this session answers from its
dataset, streams, stops, regenerates, compares base and tuned, and unloads."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import FAKE_ENGINE, MEMORISE_RECORDS, prompt_of
from PySide6.QtCore import Qt

from lora_studio.core.conversation import ConversationStore
from lora_studio.core.runs import ChatSource
from lora_studio.gui.chat.panel import ChatPanel

LOAD_MS = 120_000
REPLY_MS = 120_000


@pytest.fixture
def panel(qtbot, app_settings, memorised_run, tmp_path, no_leaks):
    """Not given to ``qtbot.addWidget``: pytest-qt deletes those widgets before fixtures end,
    which would delete a running chat process's thread. The fixture ends the process first."""
    app_settings.runs_dir = str(memorised_run.parent)
    chat = ChatPanel(app_settings, store=ConversationStore(str(tmp_path / "conversations")))
    chat.resize(1200, 800)
    chat.show()
    yield chat
    chat.shutdown()
    qtbot.waitUntil(lambda: not chat.is_busy, timeout=30_000)
    chat.close()
    chat.deleteLater()


def adapter_source(run) -> str:
    return ChatSource("adapter", run.name, adapter=str(run)).key


def load(qtbot, chat: ChatPanel, **kwargs) -> None:
    assert chat.load(**kwargs)
    qtbot.waitUntil(lambda: chat.is_loaded or chat.process is None, timeout=LOAD_MS)
    assert chat.is_loaded, chat.state_label.text()


def ask(qtbot, chat: ChatPanel, text: str) -> None:
    chat.input.setPlainText(text)
    qtbot.mouseClick(chat.composer.send_button, Qt.MouseButton.LeftButton)
    assert chat.is_generating
    qtbot.waitUntil(lambda: not chat.is_generating, timeout=REPLY_MS)


def test_conversation_stop_regenerate_compare_unload(qtbot, panel, memorised_run, tmp_path):
    assert panel.select_source(adapter_source(memorised_run))
    panel.sampling.preset_box.setCurrentIndex(
        panel.sampling.preset_box.findData("precise")
    )  # greedy
    assert panel.sampling.greedy_box.isChecked()
    assert not panel.composer.send_button.isEnabled()
    load(qtbot, panel)
    assert "context" in panel.state_label.text()

    record = MEMORISE_RECORDS[0]
    ask(qtbot, panel, prompt_of(record))
    reply = panel.conversation.messages[-1]
    assert reply.role == "assistant" and reply.content == record["output"]
    assert record["output"] in panel.transcripts.transcript.toPlainText()
    assert "tokens/s" in panel.stats_label.text()

    # Regenerate answers the same question again (greedy: the same answer), not a second copy
    qtbot.mouseClick(panel.composer.regenerate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_generating, timeout=REPLY_MS)
    assert [m.role for m in panel.conversation.messages] == ["user", "assistant"]
    assert panel.conversation.messages[-1].content == record["output"]

    # Compare: the base model (adapter off) and the fine-tuned one answer side by side
    panel.new_conversation()
    panel.sampling.compare_box.setChecked(True)
    assert panel.transcripts.base_holder.isVisible()
    second = MEMORISE_RECORDS[1]
    ask(qtbot, panel, prompt_of(second))
    tuned = panel.conversation.messages[-1]
    assert tuned.content == second["output"]
    base_reply = tuned.stats["base_reply"]
    assert base_reply and base_reply != second["output"]
    assert base_reply.strip()[:20] in panel.transcripts.base_transcript.toPlainText()
    assert second["output"] in panel.transcripts.transcript.toPlainText()

    # Stop mid-stream: the base request waiting behind the tuned one is dropped too
    replies = []
    panel.process.reply.connect(replies.append)
    panel.sampling.max_tokens.setValue(300)
    assert (
        panel.sampling.preset_box.currentData() == "precise"
    )  # the length is not part of a preset
    panel.input.setPlainText("Tell me a long story about firewalls.")
    panel.process.token.connect(lambda _rid, _text: panel.stop())
    panel.send()
    qtbot.waitUntil(lambda: not panel.is_generating, timeout=REPLY_MS)
    panel.process.token.disconnect()
    assert len(replies) == 2 and replies[-1].cancelled  # the base reply never started
    assert panel.composer.send_button.isEnabled() and not panel.composer.stop_button.isEnabled()

    # the window is still usable: ask again, in a new conversation
    panel.sampling.compare_box.setChecked(False)
    panel.new_conversation()
    ask(qtbot, panel, prompt_of(record))
    assert panel.conversation.messages[-1].content == record["output"]

    # history, export, add to dataset
    assert panel.history_list.history.count() == 3
    exported = tmp_path / "chat.md"
    assert panel.export(str(exported))
    assert record["output"] in exported.read_text(encoding="utf-8")
    dataset = tmp_path / "new.json"
    assert panel.add_to_dataset(str(dataset))
    added = json.loads(dataset.read_text(encoding="utf-8"))
    assert added[-1]["instruction"] == prompt_of(record)
    assert added[-1]["output"] == record["output"]
    assert "history" not in added[-1]
    panel.open_conversation(panel.history_list.history.item(1).data(Qt.ItemDataRole.UserRole))
    assert panel.conversation.messages[0].content == prompt_of(second)
    assert panel.add_to_dataset(str(dataset))  # the stopped exchange, after the compared one
    added = json.loads(dataset.read_text(encoding="utf-8"))
    assert len(added) == 2 and added[-1]["history"] == [[prompt_of(second), second["output"]]]

    # Unload ends the process (no_leaks checks that no child is left)
    process = panel.process
    pid = process.job.worker.process.pid
    qtbot.mouseClick(panel.model_bar.unload_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.process is None, timeout=30_000)
    assert "No model loaded" in panel.state_label.text()
    assert not panel.composer.send_button.isEnabled()
    import psutil

    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_bad_inputs_each_get_a_message(qtbot, panel, memorised_run, tmp_path):
    # an empty prompt
    panel.input.setPlainText("   ")
    assert not panel.send()
    assert "Type a message" in panel.notice.text()

    # a model folder missing its files
    empty = tmp_path / "not-a-model"
    empty.mkdir()
    panel.add_model_folder(str(empty))
    assert panel.load()
    qtbot.waitUntil(lambda: panel.process is None, timeout=LOAD_MS)
    assert panel.model_bar.reload_button.isVisibleTo(panel)
    assert "config.json" in panel.state_label.text() or "model" in panel.state_label.text()

    # a prompt longer than the model's context: refused, and the text is back in the box
    assert panel.select_source(adapter_source(memorised_run))
    load(qtbot, panel)
    long_prompt = "firewall " * 9000
    panel.input.setPlainText(long_prompt)
    assert panel.send()
    qtbot.waitUntil(lambda: not panel.is_generating, timeout=REPLY_MS)
    assert "context" in panel.notice.text()
    assert panel.input.toPlainText().strip() == long_prompt.strip()
    assert panel.conversation.messages == []
    assert panel.composer.send_button.isEnabled()


@pytest.fixture(scope="module")
def mismatched_run(memorised_run, tmp_path_factory):
    """A copy of the memorised run whose adapter names a base model of another shape."""
    import shutil
    import subprocess

    from conftest import ROOT

    root = tmp_path_factory.mktemp("mismatch")
    other = root / "narrow-model"
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from lora_studio.engine.demo_model import build_test_model; "
        "build_test_model(sys.argv[2], hidden_size=64, intermediate_size=128)"
    )
    subprocess.run([sys.executable, "-c", code, str(ROOT), str(other)], check=True, timeout=300)
    run = root / "runs" / "copy"
    shutil.copytree(memorised_run / "adapter", run / "adapter")
    shutil.copy(memorised_run / "run_config.json", run / "run_config.json")
    config_path = run / "adapter" / "lora_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["base_model_name_or_path"] = str(other)
    config_path.write_text(json.dumps(config), encoding="utf-8")
    return run


def test_an_adapter_for_another_base_model_is_refused(qtbot, panel, mismatched_run):
    panel.settings.runs_dir = str(mismatched_run.parent)
    panel.refresh_sources()
    assert panel.select_source(adapter_source(mismatched_run))
    assert panel.load()
    qtbot.waitUntil(lambda: panel.process is None, timeout=LOAD_MS)
    assert "does not fit this base model" in panel.state_label.text()
    assert panel.model_bar.reload_button.isVisibleTo(panel)


def test_chat_process_crash_mid_reply_keeps_the_conversation(qtbot, panel, memorised_run):
    """A stand-in process (tests/fake_engine.py) dies after two tokens: the real engine cannot be
    made to crash on demand."""
    assert panel.select_source(adapter_source(memorised_run))
    load(qtbot, panel, command=[sys.executable, FAKE_ENGINE, "chat_crash"])
    panel.input.setPlainText("Hello?")
    panel.send()
    qtbot.waitUntil(lambda: panel.process is None, timeout=30_000)
    assert "ended in the middle of a reply" in panel.state_label.text()
    assert panel.model_bar.reload_button.isVisibleTo(panel)
    roles = [(m.role, m.content) for m in panel.conversation.messages]
    assert roles == [("user", "Hello?"), ("assistant", "Half of a reply")]
    assert "Half of a reply" in panel.transcripts.transcript.toPlainText()
    assert not panel.is_generating and not panel.composer.send_button.isEnabled()


def test_serve_the_api_from_the_chat_window(qtbot, panel, merged_model, memorised_run, monkeypatch):
    import urllib.error
    import urllib.request

    import openai
    from PySide6.QtGui import QGuiApplication

    from lora_studio.core import secrets

    monkeypatch.setattr(secrets, "keyring_available", lambda: False)  # not the real keyring
    monkeypatch.setattr(secrets, "_session", {})
    panel.model_bar.serve_port = 0  # any free port
    panel.select_run(str(memorised_run))
    assert panel.current_source().kind == "merged"
    panel.model_bar.serve_button.click()
    qtbot.waitUntil(lambda: bool(panel.server_url), timeout=LOAD_MS)
    assert panel.server_url.startswith("http://127.0.0.1:")
    assert panel.server_url in panel.state_label.text()
    info = panel.model_bar.serve_info
    assert info.isVisible() and info.address.text() == panel.server_url
    assert info.key.echoMode() == info.key.EchoMode.Password
    with pytest.raises(urllib.error.HTTPError) as refused:  # the key is required
        urllib.request.urlopen(panel.server_url + "/models", timeout=30)
    assert refused.value.code == 401
    info.copy_key.click()
    key = QGuiApplication.clipboard().text()
    assert key.startswith("sk-local-") and key == info.key.text()
    info.copy_address.click()
    client = openai.OpenAI(base_url=QGuiApplication.clipboard().text(), api_key=key)
    assert client.models.list().data[0].id
    assert key not in " ".join(panel.model_bar.server.job.worker.command)  # not on the command line
    panel.model_bar.serve_button.click()  # stop
    qtbot.waitUntil(lambda: not panel.model_bar.server.running, timeout=30_000)
    assert "stopped" in panel.state_label.text()
    assert not panel.model_bar.serve_button.isChecked()
    assert not info.isVisible() and not info.key.text()


def test_merge_from_the_chat_window(qtbot, panel, memorised_run, tmp_path):
    import shutil

    run = tmp_path / "runs" / "to-merge"
    shutil.copytree(memorised_run / "adapter", run / "adapter")
    shutil.copy(memorised_run / "run_config.json", run / "run_config.json")
    shutil.copy(memorised_run / "events.jsonl", run / "events.jsonl")
    panel.settings.runs_dir = str(run.parent)
    panel.refresh_sources()
    assert panel.select_source(adapter_source(run))
    assert panel.model_bar.merge_button.isEnabled()
    panel.model_bar.merge_button.click()
    assert not panel.model_bar.merge_button.isEnabled()
    qtbot.waitUntil(lambda: panel.merge_job is None, timeout=LOAD_MS)
    assert "Merged" in panel.state_label.text()
    assert (run / "merged" / "config.json").is_file()
    source = panel.current_source()
    assert source.kind == "merged" and source.model == str(run / "merged")


def test_loading_another_model_while_one_is_loaded_switches_to_it(qtbot, panel, memorised_run):
    """Load, then Load again (the natural way to reach another model) used to abort the app:
    the first process's ending deleted the second while its thread ran. Stand-in processes
    (tests/fake_engine.py) that load at once, so the switch is quick to watch."""
    assert panel.select_source(adapter_source(memorised_run))
    idle = [sys.executable, FAKE_ENGINE, "chat_idle"]
    load(qtbot, panel, command=idle)
    first = panel.process
    for _ in range(3):  # pressing Load twice in a row, before the switch is done, too
        assert panel.load(command=idle)
    qtbot.waitUntil(lambda: panel.is_loaded, timeout=30_000)
    second = panel.process
    assert second is not first and second.running
    assert "Ready" in panel.state_label.text()
    assert panel.composer.send_button.isEnabled() or panel.input.toPlainText() == ""
    qtbot.wait(300)  # nothing left over from the first process acts on the second
    assert panel.process is second and panel.is_loaded
