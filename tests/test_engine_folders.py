"""A run folder that cannot be written: read-only, not this user's, or on a full disk. Each is
its own error kind with a plain message and hint, said before the model loads, never "internal".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import MAIN, ROOT, can_mount_private_tmpfs, events_of

pytestmark = pytest.mark.slow


def _train_args(model, dataset, run_dir):
    return [
        "train",
        "--model_name_or_path",
        str(model),
        "--dataset_path",
        str(dataset),
        "--output_dir",
        str(run_dir),
        "--max_steps",
        "2",
        "--events",
        "jsonl",
    ]


def _assert_said_before_loading(result, kind):
    assert result.returncode == 1, result.stderr[-2000:]
    events = events_of(result.stdout)
    error = events[-1]
    assert error["type"] == "error" and error["kind"] == kind, error
    assert error["message"] and error["hint"] and "Traceback" not in result.stderr
    assert not [e for e in events if e["type"] in ("loading", "started")]  # no model loaded
    return error


@pytest.mark.skipif(
    not can_mount_private_tmpfs(), reason="needs unshare -rm to mount a read-only folder"
)
def test_a_read_only_run_folder(tmp_path, tiny_model, memorise_dataset):
    runs_dir = tmp_path / "readonly"
    runs_dir.mkdir()
    args = _train_args(tiny_model, memorise_dataset, runs_dir / "run")
    command = " ".join(f"'{a}'" for a in [sys.executable, MAIN, *args])
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o ro tmpfs '{runs_dir}' && {command}"],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        timeout=120,
    )
    error = _assert_said_before_loading(result, "read_only")
    assert "read-only" in error["message"] and "writable drive" in error["hint"]


def _can_drop_root():
    if os.geteuid() != 0:
        return True  # the permission bits apply to this user as they are
    probe = subprocess.run(
        ["unshare", "--user", "--map-user=1000", "--map-group=1000", "true"], capture_output=True
    )
    return shutil.which("unshare") is not None and probe.returncode == 0


@pytest.mark.skipif(not _can_drop_root(), reason="as root, needs unshare --map-user to drop it")
def test_a_run_folder_without_write_permission(tmp_path, tiny_model, memorise_dataset):
    """Root ignores permission bits, so as root the child runs in a user namespace as an
    ordinary user (its files look like that user's own, and 0555 means no writing)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    command = [sys.executable, MAIN, *_train_args(tiny_model, memorise_dataset, locked / "run")]
    if os.geteuid() == 0:
        command = ["unshare", "--user", "--map-user=1000", "--map-group=1000", *command]
    try:
        result = subprocess.run(command, capture_output=True, text=True, cwd=str(ROOT), timeout=120)
    finally:
        locked.chmod(0o755)
    error = _assert_said_before_loading(result, "permission_denied")
    assert "No permission to write" in error["message"] and "folder" in error["hint"]
