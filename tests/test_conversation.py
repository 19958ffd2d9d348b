"""Conversations (core, no Qt) and atomic saves."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT

from lora_studio.core.atomic import write_text_atomic
from lora_studio.core.conversation import Conversation, ConversationStore


def sample() -> Conversation:
    c = Conversation(system="Be brief.", source="demo — merged model")
    c.add("user", "What is a firewall?")
    c.add("assistant", "A filter for network traffic.", {"tokens_per_second": 12.5})
    c.add("user", "And a honeypot?")
    c.add("assistant", "A decoy system.")
    return c


def test_an_exchange_becomes_a_record_with_its_history():
    record = sample().to_record()
    assert record.instruction == "And a honeypot?"
    assert record.output == "A decoy system."
    assert record.system == "Be brief."
    assert record.history == [("What is a firewall?", "A filter for network traffic.")]
    first = sample().to_record(reply_index=1)
    assert first.instruction == "What is a firewall?" and first.history == []
    with pytest.raises(ValueError):
        Conversation().to_record()
    with pytest.raises(ValueError):
        sample().to_record(reply_index=2)  # a question, not a reply


def test_request_messages_and_title():
    c = sample()
    messages = c.request_messages()
    assert messages[0] == {"role": "system", "content": "Be brief."}
    assert [m["role"] for m in messages[1:]] == ["user", "assistant", "user", "assistant"]
    assert c.display_title == "What is a firewall?"
    c.messages[0].content = "x " * 100
    assert len(c.display_title) == 40 and c.display_title.endswith("…")
    assert Conversation().request_messages() == []


def test_round_trip_markdown_and_bad_files(tmp_path):
    c = sample()
    again = Conversation.from_dict(json.loads(c.to_json()))
    assert again == c
    markdown = c.to_markdown({"user": "你", "assistant": "模型"})
    assert "**你:**" in markdown and "A decoy system." in markdown and "Be brief." in markdown
    for bad in ([], {"messages": "no"}, {"messages": [{"role": "tool", "content": ""}]}):
        with pytest.raises(ValueError):
            Conversation.from_dict(bad)

    store = ConversationStore(str(tmp_path / "chats"))
    older = sample()
    older.created -= 100
    store.save(older)
    store.save(c)
    (tmp_path / "chats" / "broken.json").write_text("{not json", encoding="utf-8")
    assert [x.id for x in store.load_all()] == [c.id, older.id]  # newest first, broken skipped
    store.delete(older.id)
    store.delete("missing")  # no error
    assert [x.id for x in store.load_all()] == [c.id]
    assert ConversationStore(str(tmp_path / "nowhere")).load_all() == []


def test_a_save_killed_before_the_rename_leaves_the_old_file(tmp_path):
    target = tmp_path / "data.json"
    write_text_atomic(target, "old\n")
    code = f"""
import os, signal, sys
sys.path.insert(0, {str(ROOT)!r})
from lora_studio.core import atomic
os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)  # dies between write and rename
atomic.write_text_atomic({str(target)!r}, "new\\n" * 1000)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert result.returncode != 0
    assert target.read_text(encoding="utf-8") == "old\n"
    write_text_atomic(target, "新\n")
    assert target.read_text(encoding="utf-8") == "新\n"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["data.json"]
