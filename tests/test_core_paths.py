"""core/paths: the engine program of a bundle, and child programs that open no console window.

A frozen bundle cannot exist in the test run: ``sys.frozen`` and ``sys.executable`` are set to a
stand-in folder holding an engine file, as PyInstaller would set them in dist/LoRAStudio/."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from lora_studio.core import paths

ROOT = Path(__file__).resolve().parent.parent


def test_a_bundle_runs_its_commands_in_the_engine_executable(tmp_path, monkeypatch):
    app = tmp_path / "LoRAStudio"
    app.write_text("")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(app))
    # built without the engine program: the app's executable runs the commands itself
    assert paths.engine_command("probe") == [str(app), "probe"]
    engine = tmp_path / paths.ENGINE_EXECUTABLE
    engine.write_text("")
    assert paths.engine_command("probe") == [str(engine), "probe"]
    assert paths.engine_executable(r"C:\Apps\LoRA Studio\LoRAStudio.exe").endswith(
        "lora-studio-engine.exe"
    )


def test_from_source_the_engine_is_main_py():
    command = paths.engine_command("train", "--help")
    assert command[0] == sys.executable and command[1].endswith("main.py")


def test_on_windows_children_open_no_console_window():
    assert paths.no_window_flags("win32") == 0x08000000  # CREATE_NO_WINDOW
    assert paths.no_window_flags("linux") == 0


def test_every_child_program_is_started_without_a_console_window():
    """Each subprocess.run / Popen in the app passes creationflags (no_window_flags), except
    the Linux-only ldd check."""
    missing = []
    for path in sorted((ROOT / "lora_studio").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("run", "Popen")
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "subprocess"
            ):
                keywords = {k.arg for k in node.keywords}
                if "creationflags" not in keywords and None not in keywords:  # None: **kwargs
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert [m for m in missing if not m.startswith("lora_studio/gui/app.py:")] == [], missing
