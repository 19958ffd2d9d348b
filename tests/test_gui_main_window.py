"""The main window's frame: sections, shortcuts, status bar, settings, About, no display."""

import os
import subprocess
import sys

import pytest
from conftest import FAKE_ENGINE, MAIN, ROOT
from PySide6.QtCore import Qt

from lora_studio.core.settings import AppSettings
from lora_studio.gui.about import AboutDialog, version_rows
from lora_studio.gui.main_window import MainWindow
from lora_studio.gui.training.runs_panel import RunsTableModel


def test_sections_and_shortcuts(window, qtbot):
    assert window.current_section() == "home"  # a fresh profile, no runs yet
    for i, key in enumerate(MainWindow.SECTIONS, start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + i), Qt.KeyboardModifier.ControlModifier)
        assert window.current_section() == key
    assert window.sidebar.count() == 7


def test_status_bar_says_cpu_only_without_an_nvidia_gpu(window, qtbot):
    # this machine has no NVIDIA driver: NVML is absent, which is the CPU-only path
    qtbot.waitUntil(lambda: "CPU only" in window.device_label.text())
    assert "3.3.1 (CPU)" in window.paddle_label.text()


def test_language_choice_is_saved_and_says_to_restart(window, app_settings, qtbot):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMessageBox

    chinese = next(a for a in window.findChildren(QAction) if a.text() == "简体中文")
    chinese.trigger()  # Settings > Language > 简体中文
    assert AppSettings.load().language == "zh_CN"
    assert "Restart" in window.statusBar().currentMessage()
    notice = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert notice and "Restart" in notice[0].text()  # said where it is seen, not only below
    notice[0].close()


def test_about_lists_versions(qtbot):
    rows = dict(version_rows())
    assert rows["PaddlePaddle"].startswith("3.3.1") and rows["PaddleFormers"] == "1.0.0"
    assert rows["CUDA"] == ""  # no NVIDIA driver here
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    from PySide6.QtWidgets import QLabel

    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "PaddleFormers" in text and "1.0.0" in text and "3.3.1 (CPU)" in text


def test_help_about_opens_from_the_window(window, qtbot):
    dialog = window.show_about()
    assert dialog.isVisible() and "LoRA Studio" in dialog.windowTitle()
    dialog.close()


def test_delete_a_run_from_runs(window, qtbot, app_settings):
    from lora_studio.core.config import RunConfig

    run = os.path.join(app_settings.runs_dir, "old-run")
    os.makedirs(run)
    RunConfig(model_name_or_path="m", dataset_path="d.json").save(
        os.path.join(run, "run_config.json")
    )
    runs = window.runs
    runs.refresh()
    assert runs.select_run(run) and runs.buttons["delete"].isEnabled()
    runs.delete(confirm=False)
    assert not os.path.exists(run) and runs.model.rowCount() == 0
    assert runs.empty_note.isVisibleTo(runs)


def test_runs_table_model_passes_the_model_tester(qtmodeltester, tmp_path):
    from lora_studio.core.config import RunConfig
    from lora_studio.core.runs import list_runs

    for name in ("a", "b"):
        run = tmp_path / name
        run.mkdir()
        RunConfig(model_name_or_path="m", dataset_path="d.json").save(run / "run_config.json")
    model = RunsTableModel()
    model.set_runs(list_runs(str(tmp_path)))
    assert model.rowCount() == 2
    qtmodeltester.check(model)


def test_no_display_gives_one_clear_line():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, MAIN], capture_output=True, text=True, env=env, cwd=str(ROOT), timeout=60
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "graphical display" in lines[0]


def test_gui_process_never_imports_paddle(tmp_path):
    """Build the whole window in a fresh interpreter and look at what it loaded."""
    code = (
        "import sys\n"
        "from lora_studio.gui.app import create_app, apply_theme\n"
        "from lora_studio.core.settings import AppSettings\n"
        "app = create_app([]); apply_theme(app, 'system')\n"
        "from lora_studio.gui.main_window import MainWindow\n"
        "w = MainWindow(AppSettings.load()); w.show(); app.processEvents()\n"
        "print(sorted({n.split('.')[0] for n in sys.modules} & {'paddle', 'paddleformers'}))\n"
    )
    env = {**os.environ, "LORA_STUDIO_CONFIG_DIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_closing_with_a_loaded_chat_model_ends_its_process_first(window, qtbot, no_leaks):
    """A stand-in chat process (tests/fake_engine.py): only the close sequence is under test."""
    window.show_section("chat")
    chat = window.chat
    chat.add_model_folder(str(ROOT))  # any folder: the stand-in does not read it
    assert chat.load(command=[sys.executable, FAKE_ENGINE, "chat_idle"])
    qtbot.waitUntil(lambda: chat.is_loaded, timeout=30_000)
    assert not window.close()  # waits for the process
    assert window.isVisible()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
    assert chat.process is None


def test_add_to_dataset_from_chat_goes_to_the_editor(window):
    from lora_studio.core.conversation import Conversation

    window.show_section("chat")
    chat = window.chat
    chat.conversation = Conversation()
    chat.conversation.add("user", "What is a firewall?")
    chat.conversation.add("assistant", "A traffic filter.")
    assert chat.add_to_dataset()
    document = window.dataset.document
    assert document.records[-1].instruction == "What is a firewall?" and document.dirty
    document.undo()
    assert all(r.instruction != "What is a firewall?" for r in document.records)
    document.mark_saved()


def test_missing_qt_libraries_are_named_with_the_command_that_installs_them(monkeypatch):
    """This machine has the libraries, so the ldd output of one that lacks them is given."""
    from lora_studio.gui import app

    output = (
        "\tlinux-vdso.so.1 (0x00007ffd)\n"
        "\tlibxcb-cursor.so.0 => not found\n"
        "\tlibxkbcommon-x11.so.0 => not found\n"
        "\tlibxcb-cursor.so.0 => not found\n"
        "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n"
    )
    missing = app.not_found_in_ldd(output)
    assert missing == ["libxcb-cursor.so.0", "libxkbcommon-x11.so.0"]
    message = app.missing_libraries_message(missing)
    assert "libxcb-cursor.so.0, libxkbcommon-x11.so.0" in message
    assert "sudo apt-get install libxcb-cursor0" in message
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    import ctypes

    for name in app.missing_qt_libraries():  # the real check on this machine's Qt (the test
        with pytest.raises(OSError):  # set-up installs only what offscreen needs): each one
            ctypes.CDLL(name)  # it names really cannot be loaded


def test_a_dataset_given_on_the_command_line_opens_in_the_editor(window, memorise_dataset):
    """``LoRAStudio DATASET``: what the Windows .jsonl association and a file manager run."""
    assert window.open_dataset_file(str(memorise_dataset))
    assert window.current_section() == "dataset"
    assert window.dataset.model.rowCount() == 8
