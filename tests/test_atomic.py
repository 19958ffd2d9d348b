"""Every save of user data is atomic and keeps the file's mode: a save killed between writing and
renaming leaves the old file (or folder) intact; no instant has neither the old nor the new one.

Each case saves once in a child process, then saves again with ``os.replace`` turned into a
SIGKILL of the child: the kill lands exactly between the write and the rename.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT

from lora_studio.core.atomic import recover_dir, replace_dir, temp_dir_for, write_text_atomic

SAVES = {
    "settings": """
        from lora_studio.core.settings import AppSettings
        def save(text):
            s = AppSettings(); s.last_dataset = text; s.save()
        target = AppSettings.path()
    """,
    "dataset": """
        from lora_studio.core.formats import write_dataset
        from lora_studio.core.records import Record
        target = os.path.join(folder, "data.json")
        def save(text):
            write_dataset([Record("q", text)], target)
    """,
    "conversation": """
        from lora_studio.core.conversation import Conversation, ConversationStore
        store = ConversationStore(folder)
        c = Conversation(id="c1", created=1.0)
        target = store.path("c1")
        def save(text):
            c.title = text; store.save(c)
    """,
    "run config": """
        from lora_studio.core.config import RunConfig
        target = os.path.join(folder, "run_config.json")
        def save(text):
            RunConfig(dataset_path=text).save(target)
    """,
    "dataset recovery": """
        from lora_studio.core.atomic import write_text_atomic
        target = os.path.join(folder, "recovery.json")
        def save(text):
            write_text_atomic(target, text)
    """,
}
CHILD = """
import os, signal, sys
folder = sys.argv[1]
os.environ["XDG_CONFIG_HOME"] = folder
{setup}
save("old-version")
os.chmod(target, 0o640)
if sys.argv[2] == "kill":
    os.replace = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
save("new-version")
print(target)
"""


def _child(kind, folder, mode):
    code = CHILD.format(setup=textwrap.dedent(SAVES[kind]))
    return subprocess.run(
        [sys.executable, "-c", code, str(folder), mode],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        timeout=60,
    )


@pytest.mark.parametrize("kind", sorted(SAVES))
def test_a_killed_save_leaves_the_old_file_and_a_save_keeps_the_mode(tmp_path, kind):
    killed = _child(kind, tmp_path / "killed", "kill")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    files = [p for p in (tmp_path / "killed").rglob("*") if p.is_file()]
    targets = [p for p in files if not p.name.endswith(".saving")]
    assert len(targets) == 1
    text = targets[0].read_text(encoding="utf-8")
    assert "old-version" in text and "new-version" not in text
    assert stat.S_IMODE(targets[0].stat().st_mode) == 0o640

    saved = _child(kind, tmp_path / "saved", "save")
    assert saved.returncode == 0, saved.stderr
    target = saved.stdout.strip()
    assert "new-version" in open(target, encoding="utf-8").read()
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640  # the mode survives the rename
    assert not [p for p in (tmp_path / "saved").rglob("*.saving")]


def test_a_new_file_gets_the_umask_mode_not_0600(tmp_path):
    path = tmp_path / "new.json"
    write_text_atomic(path, "{}")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def _folder(path, text):
    path.mkdir(parents=True, exist_ok=True)
    (path / "weights.safetensors").write_text(text)


def test_replace_dir_swaps_a_folder_and_recovers_from_a_kill_between_the_renames(tmp_path):
    target = tmp_path / "merged"
    _folder(target, "old")
    new = temp_dir_for(str(target))
    assert os.path.basename(new).startswith(".merged.")
    _folder(type(target)(new), "new")
    replace_dir(new, str(target))
    assert (target / "weights.safetensors").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["merged"]

    # a kill after the old folder was renamed aside, before the new one came in
    code = f"""
import os, signal, sys
sys.path.insert(0, {str(ROOT)!r})
from lora_studio.core import atomic
calls = []
real = os.replace
def replace(a, b):
    calls.append(a)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    real(a, b)
os.replace = replace
new = atomic.temp_dir_for({str(target)!r})
open(os.path.join(new, "weights.safetensors"), "w").write("newer")
atomic.replace_dir(new, {str(target)!r})
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert result.returncode == -signal.SIGKILL
    assert not target.exists()  # between the renames: the old copy is beside it, complete
    assert recover_dir(str(target))  # what the Runs section and merge do first
    assert (target / "weights.safetensors").read_text() == "new"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".retired")]
