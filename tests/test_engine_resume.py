"""Nothing lost: a training run killed at any moment resumes and ends as if never interrupted.

Real training children on the tiny demo model. Kills inside a checkpoint write are aimed with
the engine's fault hook (``LORA_STUDIO_FAULT``: the child kills itself with SIGKILL at a chosen
stage of writing checkpoint N), so that they are known to land mid-write, not hoped to; the
others are a ``kill -9`` from outside when an event line arrives.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
from conftest import MAIN, ROOT, can_mount_private_tmpfs, events_of, run_cli

from lora_studio.core import runs

pytestmark = pytest.mark.slow
STEPS = 8


def _args(tiny_model, dataset, run_dir, *extra):
    return [
        "train",
        "--model_name_or_path",
        str(tiny_model),
        "--dataset_path",
        str(dataset),
        "--output_dir",
        str(run_dir),
        "--max_steps",
        str(STEPS),
        "--per_device_train_batch_size",
        "2",
        "--gradient_accumulation_steps",
        "2",
        "--learning_rate",
        "5e-3",
        "--save_steps",
        "2",
        "--save_total_limit",
        "2",
        "--logging_steps",
        "1",
        "--lora_dropout",
        "0.1",
        "--events",
        "jsonl",
        *extra,
    ]


def _start(tiny_model, dataset, run_dir, env=None):
    """A training child whose events are read line by line as they arrive."""
    return subprocess.Popen(
        [sys.executable, MAIN, *_args(tiny_model, dataset, run_dir)],
        cwd=str(ROOT),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        env=env,
    )


def _losses(run_dir):
    """step -> loss; a step trained again after a resume counts with its last value."""
    out = {}
    for event in events_of(run_dir / "events.jsonl"):
        if event["type"] == "step":
            out[event["step"]] = event["loss"]
    return out


@pytest.fixture(scope="module")
def reference(tmp_path_factory, tiny_model, memorise_dataset):
    run_dir = tmp_path_factory.mktemp("reference") / "run"
    result = run_cli(*_args(tiny_model, memorise_dataset, run_dir))
    assert result.returncode == 0, result.stderr[-2000:]
    return _losses(run_dir)


def _kill_when(proc, wanted):
    """Read events until ``wanted(event)``, then SIGKILL the child at once."""
    for line in proc.stdout:
        if line.startswith("{") and wanted(json.loads(line)):
            proc.kill()
            break
    proc.wait(timeout=120)
    return proc.returncode


# (what to wait for, or a fault spec): 4 kills inside a checkpoint write, 6 at other moments
MOMENTS = [
    ("fault", "kill:4:model"),  # weights written, no optimizer yet
    ("fault", "kill:6:optimizer"),  # the optimizer file cut to half its size
    ("fault", "kill:6:seal"),  # every file written, the completeness marker not yet
    ("fault", "kill:8:model"),  # the last checkpoint
    ("step", 3),
    ("step", 4),  # right after a step's log line: that step's checkpoint follows
    ("checkpoint", 4),  # between a checkpoint and the next step
    ("step", 5),
    ("step", 7),
    ("checkpoint", 8),  # the last checkpoint done; the adapter is being written
]


def test_a_run_killed_before_its_first_checkpoint_is_not_offered_resume(
    tmp_path, tiny_model, memorise_dataset
):
    run_dir = tmp_path / "run"
    env = {**os.environ, "LORA_STUDIO_FAULT": "kill:2:seal"}
    result = run_cli(*_args(tiny_model, memorise_dataset, run_dir), env=env)
    assert result.returncode == -signal.SIGKILL
    assert not runs.summarise(str(run_dir)).can_resume
    resumed = run_cli("train", "--output_dir", str(run_dir), "--resume", "--events", "jsonl")
    error = events_of(resumed.stdout)[-1]
    assert resumed.returncode == 1 and "the only ones were incomplete" in error["message"]
    assert (run_dir / runs.INCOMPLETE_CHECKPOINTS / "checkpoint-2").is_dir()


@pytest.mark.parametrize("kind, when", MOMENTS, ids=[f"{k}-{w}" for k, w in MOMENTS])
def test_a_killed_run_resumes_to_the_same_losses(
    tmp_path, tiny_model, memorise_dataset, reference, kind, when
):
    run_dir = tmp_path / "run"
    env = {**os.environ}
    if kind == "fault":
        env["LORA_STUDIO_FAULT"] = when
    proc = _start(tiny_model, memorise_dataset, run_dir, env)
    code = _kill_when(proc, lambda e: kind != "fault" and e["type"] == kind and e["step"] == when)
    assert code == -signal.SIGKILL
    if kind == "fault":  # detected: the checkpoint really is half-written
        step = int(when.split(":")[1])
        folder = run_dir / "checkpoints" / f"checkpoint-{step}"
        assert folder.is_dir() and runs.checkpoint_problem(str(folder))
        assert not (folder / runs.CHECKPOINT_MARKER).exists()
    # what the Runs section offers: Resume only when a complete checkpoint exists
    summary = runs.summarise(str(run_dir))
    assert summary.can_resume == (runs.last_checkpoint(str(run_dir)) is not None)

    result = run_cli("train", "--output_dir", str(run_dir), "--resume", "--events", "jsonl")
    assert result.returncode == 0, result.stderr[-2000:]
    events = events_of(result.stdout)
    finished = events[-1]
    assert finished["type"] == "finished" and finished["step"] == STEPS
    warnings = [
        e for e in events if e["type"] == "warning" and e["code"] == "incomplete_checkpoint"
    ]
    if kind == "fault":  # it said which checkpoint it skipped and why, and kept it
        assert f"checkpoint-{step}" in warnings[0]["message"]
        assert (run_dir / runs.INCOMPLETE_CHECKPOINTS / f"checkpoint-{step}").is_dir()
    losses = _losses(run_dir)
    assert sorted(losses) == sorted(reference) == list(range(1, STEPS + 1))
    for step_number, loss in reference.items():
        assert abs(losses[step_number] - loss) <= 1e-3, (step_number, loss, losses[step_number])
    assert (run_dir / "adapter" / "lora_config.json").is_file()
    assert not list(run_dir.glob(".adapter.*"))  # no temporary or retired copy left behind


def test_sigterm_stops_with_a_checkpoint_and_a_final_event(tmp_path, tiny_model, memorise_dataset):
    run_dir = tmp_path / "sigterm"
    proc = _start(tiny_model, memorise_dataset, run_dir)
    seen = []
    for line in proc.stdout:
        seen.append(json.loads(line))
        if seen[-1]["type"] == "step" and seen[-1]["step"] == 3:
            proc.send_signal(signal.SIGTERM)
            proc.send_signal(signal.SIGTERM)  # an impatient supervisor: still one clean stop
    assert proc.wait(timeout=120) == 0
    assert seen[-1]["type"] == "finished" and seen[-1]["status"] == "stopped"
    stopped_at = seen[-1]["step"]
    assert stopped_at < STEPS
    assert runs.last_checkpoint(str(run_dir)).endswith(f"checkpoint-{stopped_at}")
    assert (run_dir / "adapter" / "lora_config.json").is_file()
    assert events_of(run_dir / "events.jsonl")[-1]["status"] == "stopped"


def test_checkpoints_from_before_sealing_still_resume(tmp_path, tiny_model, memorise_dataset):
    """A run folder written before checkpoints had a marker: complete ones count by their files,
    so an old run is not locked out of Resume."""
    run_dir = tmp_path / "old"
    result = run_cli(*_args(tiny_model, memorise_dataset, run_dir, "--max_steps", "4"))
    assert result.returncode == 0
    (run_dir / runs.SEALED_FORMAT_FILE).unlink()
    for _step, folder in runs.checkpoint_dirs(str(run_dir)):
        os.remove(os.path.join(folder, runs.CHECKPOINT_MARKER))
    assert runs.last_checkpoint(str(run_dir)).endswith("checkpoint-4")
    os.remove(run_dir / "checkpoints" / "checkpoint-4" / "scheduler.pdparams")  # half-written
    assert runs.last_checkpoint(str(run_dir)).endswith("checkpoint-2")


NEEDS_TMPFS = pytest.mark.skipif(
    not can_mount_private_tmpfs(),
    reason="needs user and mount namespaces (unshare -rm) to make a small disk",
)

# Runs inside a private mount namespace on a 96 MB tmpfs: train, fill the disk once training
# runs so that the next checkpoint cannot be written, then free the space and resume.
DISK_FULL_SCRIPT = r"""
import json, os, subprocess, sys

disk, main, args = sys.argv[1], sys.argv[2], sys.argv[3:]
run_dir = args[args.index("--output_dir") + 1]
ballast = os.path.join(disk, "ballast")


def events(text):
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def resume():
    command = [sys.executable, main, "train", "--output_dir", run_dir, "--resume"]
    return subprocess.run([*command, "--events", "jsonl"], capture_output=True, text=True)


release = os.path.join(os.path.dirname(disk), "release")
env = dict(os.environ, LORA_STUDIO_FAULT="wait:3:logged", LORA_STUDIO_FAULT_RELEASE=release)
proc = subprocess.Popen(
    [sys.executable, main, *args],
    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
)
first = []
for line in proc.stdout:
    first.append(json.loads(line))
    if first[-1]["type"] == "step" and first[-1]["step"] == 3:  # fill the disk now
        with open(ballast, "wb") as handle:
            try:
                while True:
                    handle.write(b"0" * 65536)
                    handle.flush()
            except OSError:
                pass
        os.truncate(ballast, os.path.getsize(ballast) - 512 * 1024)
        open(release, "w").close()  # the engine was held after step 3 until now
code = proc.wait()
still_full = resume()
os.remove(ballast)
resumed = resume()
print(json.dumps({
    "code": code,
    "first": first,
    "still_full": events(still_full.stdout),
    "resumed_code": resumed.returncode,
    "resumed": events(resumed.stdout),
}))
"""


@NEEDS_TMPFS
def test_disk_full_during_a_checkpoint_then_resume(tmp_path, tiny_model, memorise_dataset):
    disk = tmp_path / "disk"
    disk.mkdir()
    script = tmp_path / "disk_full.py"
    script.write_text(DISK_FULL_SCRIPT)
    args = _args(tiny_model, memorise_dataset, disk / "run", "--save_total_limit", "1")
    command = " ".join(f"'{a}'" for a in [sys.executable, str(script), str(disk), MAIN, *args])
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size=96m tmpfs '{disk}' && {command}"],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.splitlines()[-1])
    assert outcome["code"] == 1
    error = outcome["first"][-1]
    assert error["type"] == "error" and error["kind"] == "disk_full", error
    assert "Free some disk space" in error["hint"] and "Traceback" not in error["message"]
    # resumed while the disk is still full: refused before training, with the same hint
    assert outcome["still_full"][-1]["kind"] == "disk_full"
    assert outcome["resumed_code"] == 0, outcome["resumed"][-3:]
    assert outcome["resumed"][-1]["type"] == "finished"
    assert outcome["resumed"][-1]["step"] == STEPS
