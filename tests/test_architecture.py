"""The house's rules, checked: the three layers (import-linter), no import circle that breaks at
import time, no file over 500 lines, one place for each run-folder name and each engine
subcommand's arguments, and type checks of core (mypy)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "lora_studio"
BIN = Path(sys.executable).parent


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "lint-imports"), "--config", str(root / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=str(root),
        env={**os.environ, "PYTHONPATH": str(root)},
        timeout=300,
    )


def test_the_layer_contracts_hold():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    "module, line",
    [
        ("core/runs.py", "import PySide6.QtCore"),
        ("engine/merge.py", "from lora_studio.gui import text"),
        ("gui/text.py", "import paddle"),
    ],
)
def test_a_bad_import_breaks_a_contract(tmp_path, module, line):
    """The contracts can fail: in a scratch copy, one import across a layer breaks one."""
    scratch = tmp_path / "house"
    shutil.copytree(PACKAGE, scratch / "lora_studio", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", scratch / "pyproject.toml")
    path = scratch / "lora_studio" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = _lint_imports(scratch)
    assert result.returncode != 0 and "BROKEN" in result.stdout, result.stdout[-3000:]


def _modules() -> list[str]:
    return sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in PACKAGE.rglob("*.py")
        if path.name != "__init__.py"
    )


def test_every_module_imports_alone():
    """Each module imported first, with no other module of the project loaded before it: an
    import circle that only works in one order fails here."""
    code = f"""
import importlib, sys
failed = []
for name in {_modules()!r}:
    for loaded in [m for m in sys.modules if m == "lora_studio" or m.startswith("lora_studio.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{{name}}: {{type(exc).__name__}}: {{exc}}")
print("\\n".join(failed))
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == ""


def test_no_file_is_over_500_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}


def _grep(pattern: str) -> list[str]:
    result = subprocess.run(
        ["git", "grep", "-n", "-E", pattern, "--", "lora_studio"],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
    )
    return result.stdout.splitlines()


RUN_FOLDER_NAMES = [
    ("events.jsonl", "EVENTS_FILE", "lora_studio/core/runs.py"),
    ("checkpoints", "CHECKPOINTS", "lora_studio/core/runs.py"),
    ("adapter", "ADAPTER", "lora_studio/core/runs.py"),
    ("merged", "MERGED_DIR", "lora_studio/core/runs.py"),
    ("lora_config.json", "ADAPTER_CONFIG", "lora_studio/core/runs.py"),
    ("incomplete-checkpoints", "INCOMPLETE_CHECKPOINTS", "lora_studio/core/runs.py"),
    ("lora_studio_complete.json", "CHECKPOINT_MARKER", "lora_studio/core/runs.py"),
    ("run_config.json", "CONFIG_FILE_NAME", "lora_studio/core/config.py"),
]


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs the git checkout")
@pytest.mark.parametrize("name, constant, home", RUN_FOLDER_NAMES)
def test_each_run_folder_name_lives_in_one_place(name, constant, home):
    """Spelled once, as a constant of its home; everywhere else a path uses the constant."""
    spelled = _grep(f'"{name}"')
    assert [line.split(":")[0] for line in spelled if f'{constant} = "{name}"' in line] == [home]
    joined = [line for line in _grep(f'(join|Path)\\([^)]*"{name}"') if "test" not in line]
    assert joined == []


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs the git checkout")
@pytest.mark.parametrize(
    "subcommand",
    ['"train", "--config"', '"merge", "--adapter"', '"chat", *EVENTS', '"serve", "--port"',
     '"demo-model", output',
     '"test-model", output', '"import-gguf", gguf', 'engine_command("--self-test-window"',
     'engine_command("probe"'],
)  # fmt: skip
def test_each_engine_command_line_is_built_in_one_place(subcommand):
    files = {line.split(":")[0] for line in _grep(re.escape(subcommand))}
    assert files == {"lora_studio/core/commands.py"}, files


def test_core_type_checks():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:]
