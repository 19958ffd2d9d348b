"""ruff's lint and format checks are part of the suite (configuration in pyproject.toml)."""

import subprocess
import sys

from conftest import ROOT

PATHS = ["lora_studio", "tests", "bench", "scripts", "main.py"]


def test_ruff_lint():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *PATHS],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_ruff_format():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *PATHS],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
