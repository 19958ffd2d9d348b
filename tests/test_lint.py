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


WORKFLOW = ".github/workflows/release.yml"


def _tool(name):
    import os

    return os.path.join(os.path.dirname(sys.executable), name)


def test_the_release_workflow_is_valid_and_audited():
    """GitHub's workflow schema (vendored in check-jsonschema: offline) and zizmor's audits
    (permissions, injection, credentials, pinning per .github/zizmor.yml)."""
    schema = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", WORKFLOW],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr
    audit = subprocess.run(
        [_tool("zizmor"), "--offline", "--config", ".github/zizmor.yml", WORKFLOW],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
    )
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_the_release_matrix_names_every_edition():
    from lora_studio.core.editions import EDITIONS

    text = (ROOT / WORKFLOW).read_text(encoding="utf-8")
    matrices = [line.split(":", 1)[1].strip() for line in text.splitlines() if "edition: [" in line]
    assert len(matrices) == 2  # linux and windows
    for matrix in matrices:
        assert sorted(matrix.strip("[]").replace(" ", "").split(",")) == sorted(EDITIONS)
