"""Export… in Runs: the real dialog, offscreen, driving the real engine on the tiny model's run."""

import os
import shutil

import pytest

from lora_studio.core import export_plan


@pytest.fixture
def run_copy(memorised_run, tmp_path):
    """A copy of the session's trained run (its exports and merge stay in this test's tmp)."""
    out = tmp_path / "runs" / "memorise"
    shutil.copytree(memorised_run, out, ignore=shutil.ignore_patterns("merged", "export"))
    return out


def test_plan_sizes_follow_the_weight_type(run_copy):
    sizes = {q: export_plan.plan(str(run_copy), "gguf", q).size_bytes for q in export_plan.QUANTS}
    tokenizer = export_plan.tokenizer_bytes(str(run_copy))
    assert tokenizer > 10_000  # the tiny model's vocabulary and merges, counted once per type
    assert sizes["f32"] - tokenizer == 2 * (sizes["f16"] - tokenizer)
    assert sizes["f16"] > sizes["q8_0"] > sizes["q4_0"] > tokenizer
    peft = export_plan.plan(str(run_copy), "peft")
    assert peft.size_bytes and peft.output.endswith("export/peft")
    assert export_plan.plan(str(run_copy / "nothing"), "gguf").size_bytes is None


def test_export_dialog_writes_a_gguf_and_says_what_to_do_next(qtbot, run_copy):
    from lora_studio.gui.training.runs_panel import RunsPanel

    panel = RunsPanel(str(run_copy.parent))
    qtbot.addWidget(panel)
    assert panel.select_run(str(run_copy))
    assert panel.buttons["export"].isEnabled()
    dialog = panel.export()
    assert [dialog.format_box.itemData(i) for i in range(dialog.format_box.count())] == [
        "gguf", "ollama", "peft"
    ]  # fmt: skip
    assert dialog.quant_box.currentData() == "q8_0"
    assert dialog.quant_box.currentText().endswith(" KB")  # the tiny model's planned size
    assert not dialog.folder_button.isVisibleTo(dialog)  # nothing exported yet
    with qtbot.waitSignal(dialog.job.done, timeout=300_000) as blocker:
        assert dialog.start()
        assert not dialog.export_button.isEnabled()
    ok, problem, output = blocker.args
    assert ok, problem
    assert output.endswith("-q8_0.gguf") and (run_copy / "export" / "gguf").is_dir()
    planned = dialog.sizes["q8_0"]
    # within 3% of the file written: weights and the tokenizer's metadata are both counted
    assert abs(planned - os.path.getsize(output)) < 0.03 * os.path.getsize(output), (
        planned,
        os.path.getsize(output),
    )
    assert (run_copy / "merged" / "config.json").is_file()  # merged first
    assert "llama-cli" in dialog.message.text() and dialog.folder_button.isVisibleTo(dialog)

    dialog.format_box.setCurrentIndex(dialog.format_box.findData("ollama"))
    with qtbot.waitSignal(dialog.job.done, timeout=300_000) as blocker:
        dialog.start()
    assert blocker.args[0], blocker.args[1]
    assert (run_copy / "export" / "ollama" / "Modelfile").is_file()
    assert "ollama create" in dialog.message.text()
    dialog.reject()


def test_a_failed_export_says_why(qtbot, run_copy):
    from lora_studio.gui.export_dialog import ExportDialog

    for path in (run_copy / "adapter").glob("peft_model*"):
        path.unlink()
    dialog = ExportDialog(str(run_copy))
    qtbot.addWidget(dialog)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("peft"))
    with qtbot.waitSignal(dialog.job.done, timeout=120_000):
        dialog.start()
    assert "The export failed" in dialog.message.text()
    assert "No LoRA weights" in dialog.message.text()
    assert dialog.export_button.isEnabled()


def test_a_failed_run_says_why_in_runs_in_the_ui_language(qtbot, tmp_path):
    """A run folder whose events end with the engine's error: Runs shows the reason, in
    Chinese in a Chinese window, and selecting another run clears it."""
    import json

    from PySide6.QtCore import QTranslator
    from PySide6.QtWidgets import QApplication

    from lora_studio.core.config import CONFIG_FILE_NAME
    from lora_studio.engine.errors import gradients_diverged
    from lora_studio.gui.app import install_translation
    from lora_studio.gui.training.runs_panel import RunsPanel

    runs = tmp_path / "runs"
    for name, last in (("broken", gradients_diverged(3).event().to_json()), ("other", None)):
        (runs / name).mkdir(parents=True)
        (runs / name / CONFIG_FILE_NAME).write_text(json.dumps({"model_name_or_path": "m"}))
        lines = [json.dumps({"v": 1, "type": "started", "command": "train", "time": 1.0})]
        (runs / name / "events.jsonl").write_text("\n".join(lines + ([last] if last else [])))
    app = QApplication.instance()
    assert install_translation(app, "zh_CN")
    try:
        panel = RunsPanel(str(runs))
        qtbot.addWidget(panel)
        assert panel.select_run(str(runs / "broken"))
        text = panel.message.text()
        assert "第 3 步的梯度变为 NaN" in text and "学习率" in text, text
        assert panel.select_run(str(runs / "other"))
        assert panel.message.text() == ""
    finally:
        for translator in app.findChildren(QTranslator):
            app.removeTranslator(translator)


def test_chat_offers_export_for_a_run_not_for_a_plain_model(qtbot, app_settings, run_copy):
    from lora_studio.core.runs import ChatSource
    from lora_studio.gui.chat.model_bar import ModelBar

    bar = ModelBar(app_settings)
    qtbot.addWidget(bar)
    run = str(run_copy)
    assert bar.source_run(ChatSource("adapter", "memorise", adapter=run)) == run
    merged = ChatSource("merged", "memorise", model=str(run_copy / "merged"))
    assert bar.source_run(merged) == run
    assert bar.source_run(ChatSource("model", "base", model=str(run_copy.parent))) == ""
    bar.add_model_folder(str(run_copy.parent))  # a plain folder: nothing to export
    bar.update_buttons(generating=False, chat_running=False)
    assert not bar.export_button.isEnabled()


@pytest.mark.parametrize("available", [True, False])
def test_k_quants_are_offered_where_llama_cpp_can_write_them(
    qtbot, run_copy, monkeypatch, available
):
    from PySide6.QtWidgets import QLabel

    from lora_studio.gui.export_dialog import ExportDialog

    monkeypatch.setattr(export_plan, "k_quants_available", lambda: available)
    dialog = ExportDialog(str(run_copy))
    qtbot.addWidget(dialog)
    offered = [dialog.quant_box.itemData(i) for i in range(dialog.quant_box.count())]
    assert ("q4_k_m" in offered) == available and "q8_0" in offered
    notes = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert ("llama-cpp-python" in notes) == (not available)
    if available:
        k_size = dialog.sizes["q4_k_m"]
        assert dialog.sizes["q4_0"] < k_size < dialog.sizes["q8_0"]


def test_k_quant_availability_follows_the_engine_search(monkeypatch, tmp_path):
    import importlib.util

    tool = tmp_path / "llama-quantize"
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("LLAMA_QUANTIZE", raising=False)
    assert export_plan.k_quants_available()  # an executable on PATH
    monkeypatch.setenv("PATH", "/nonexistent")
    installed = importlib.util.find_spec("llama_cpp") is not None
    assert export_plan.k_quants_available() == installed  # else llama-cpp-python, if installed
