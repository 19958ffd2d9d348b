"""Data-parallel training (issue 18): ``main.py train --nproc_per_node 2`` on CPU (gloo), real
ranks started by PaddlePaddle's launcher, compared with one process training the same batches.

The records all have the same length, so that a global batch's mean loss is the mean of its two
halves' means: one process at batch 2B and two at batch B then compute the same gradients.
LoRA dropout is 0 for the comparisons: each rank draws its own dropout masks, so with dropout
the two runs differ by design (the note on issue 18 gives the measured difference).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from conftest import MAIN, ROOT, events_of, run_cli
from hypothesis import given
from hypothesis import strategies as st

from lora_studio.core import commands, runs
from lora_studio.core.config import RunConfig
from lora_studio.engine import data, distributed
from lora_studio.engine.errors import EngineError
from lora_studio.engine.launch import check_platform

RECORDS = [
    {"instruction": f"What is item {i:03d}?", "output": f"Item {i:03d} is number {i:03d}."}
    for i in range(32)
]


@pytest.fixture(scope="module")
def even_dataset(tmp_path_factory):
    path = tmp_path_factory.mktemp("even") / "items.json"
    path.write_text(json.dumps(RECORDS), encoding="utf-8")
    return path


def _args(model, dataset, run_dir, batch, *extra):
    return [
        "train",
        "--model_name_or_path", str(model),
        "--dataset_path", str(dataset),
        "--output_dir", str(run_dir),
        "--per_device_train_batch_size", str(batch),
        "--gradient_accumulation_steps", "1",
        "--learning_rate", "5e-3",
        "--lora_dropout", "0",
        "--save_steps", "2",
        "--events", "jsonl",
        *extra,
    ]  # fmt: skip


def _steps(run_dir):
    out = {}
    for event in events_of(run_dir / runs.EVENTS_FILE):
        if event["type"] == "step":
            out[event["step"]] = event
    return out


def _adapter(run_dir):
    from safetensors.numpy import load_file

    files = sorted((run_dir / runs.ADAPTER).glob("*.safetensors"))
    assert files, list((run_dir / runs.ADAPTER).iterdir())
    weights = {}
    for path in files:
        weights.update(load_file(str(path)))
    return weights


@pytest.fixture(scope="module")
def one_process(tmp_path_factory, tiny_model, even_dataset):
    run_dir = tmp_path_factory.mktemp("one") / "run"
    result = run_cli(*_args(tiny_model, even_dataset, run_dir, 4, "--max_steps", "8"))
    assert result.returncode == 0, result.stderr[-2000:]
    return run_dir


@pytest.fixture(scope="module")
def two_processes(tmp_path_factory, tiny_model, even_dataset):
    run_dir = tmp_path_factory.mktemp("two") / "run"
    args = _args(tiny_model, even_dataset, run_dir, 2, "--max_steps", "8", "--nproc_per_node", "2")
    result = run_cli(*args)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    return run_dir, events_of(result.stdout)


@pytest.mark.slow
def test_two_processes_at_batch_b_train_as_one_at_batch_2b(one_process, two_processes):
    two_dir, printed = two_processes
    one, two = _steps(one_process), _steps(two_dir)
    assert sorted(one) == sorted(two) == list(range(1, 9))
    for step in one:
        assert abs(one[step]["loss"] - two[step]["loss"]) < 1e-4, (step, one[step], two[step])
        assert two[step]["world_size"] == 2 and one[step]["world_size"] == 1
    a, b = _adapter(one_process), _adapter(two_dir)
    assert sorted(a) == sorted(b)
    assert max(float(np.abs(a[k] - b[k]).max()) for k in a) < 1e-4
    # the user saw rank 0's events, and only once each
    assert [e["type"] for e in printed].count("finished") == 1
    assert printed[-1]["type"] == "finished" and printed[-1]["status"] == "completed"
    assert next(e for e in printed if e["type"] == "started")["world_size"] == 2


@pytest.mark.slow
def test_the_run_folder_is_written_once_with_every_ranks_log(two_processes):
    run_dir, _ = two_processes
    config = RunConfig.load(run_dir / "run_config.json")
    assert config.world_size == 2 and config.nproc_per_node == 2
    logs = run_dir / runs.LOGS
    assert (logs / "workerlog.0").is_file() and (logs / "workerlog.1").is_file()
    assert (logs / "launcher.log").is_file()
    # the launcher's copies of the environment (tokens and all) are not kept
    assert not [p.name for p in logs.iterdir() if "env" in p.name]
    # one events log, written by rank 0: each step once
    steps = [e["step"] for e in events_of(run_dir / runs.EVENTS_FILE) if e["type"] == "step"]
    assert steps == sorted(set(steps))
    # rank 1 trained too: its own log holds its steps, with the same losses
    rank1 = [e for e in events_of(logs / "workerlog.1") if e["type"] == "step"]
    assert [e["step"] for e in rank1] == steps
    assert all(not runs.checkpoint_problem(str(p)) for p in (run_dir / runs.CHECKPOINTS).iterdir())


def _start(args, **kwargs):
    return subprocess.Popen(
        [sys.executable, MAIN, *args],
        cwd=str(ROOT),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        **kwargs,
    )


def _read_until(proc, wanted, seen):
    for line in proc.stdout:
        if line.startswith("{"):
            seen.append(json.loads(line))
            if wanted(seen[-1]):
                return seen[-1]
    return None


@pytest.mark.slow
def test_a_stopped_two_process_run_resumes_to_the_same_losses(
    tmp_path, tiny_model, even_dataset, two_processes
):
    reference = _steps(two_processes[0])
    run_dir = tmp_path / "run"
    args = _args(tiny_model, even_dataset, run_dir, 2, "--max_steps", "8", "--nproc_per_node", "2")
    # both ranks are held after step 3 until the stop is in (engine/trainer.py's fault hook),
    # so the stop lands at step 4 however fast the machine
    release = tmp_path / "release"
    env = {
        **os.environ,
        "LORA_STUDIO_FAULT": "wait:3:logged",
        "LORA_STUDIO_FAULT_RELEASE": str(release),
    }
    proc = _start(args, env=env)
    seen: list = []
    assert _read_until(proc, lambda e: e["type"] == "step" and e["step"] == 3, seen)
    proc.stdin.write("stop\n")  # what the app's Stop button sends
    proc.stdin.flush()
    time.sleep(1)  # for a rank's stdin reader to take it
    release.touch()
    _read_until(proc, lambda e: False, seen)
    assert proc.wait(timeout=120) == 0
    assert seen[-1]["type"] == "finished" and seen[-1]["status"] == "stopped", seen[-3:]
    assert seen[-1]["step"] == 4
    assert runs.last_checkpoint(str(run_dir)).endswith("checkpoint-4")
    resumed = run_cli("train", "--output_dir", str(run_dir), "--resume", "--events", "jsonl")
    assert resumed.returncode == 0, resumed.stdout[-3000:]
    assert events_of(resumed.stdout)[-1]["step"] == 8
    again = _steps(run_dir)
    for step in range(1, 9):
        assert abs(again[step]["loss"] - reference[step]["loss"]) < 1e-4, step


@pytest.mark.slow
def test_killing_one_rank_ends_the_job_with_an_error_naming_it(tmp_path, tiny_model, even_dataset):
    run_dir = tmp_path / "run"
    args = _args(
        tiny_model, even_dataset, run_dir, 2, "--max_steps", "400", "--nproc_per_node", "2"
    )
    proc = _start(args)
    seen: list = []
    # a step after the first checkpoint: that checkpoint is sealed (the launcher echoes rank 0's
    # events in bursts, so "step 2" alone can arrive before the save at step 2 is complete)
    assert _read_until(proc, _step_after_a_checkpoint(seen), seen)
    rank1 = next(
        e for e in events_of(run_dir / runs.LOGS / "workerlog.1") if e["type"] == "started"
    )
    os.kill(rank1["pid"], signal.SIGKILL)
    killed = time.monotonic()
    _read_until(proc, lambda e: False, seen)
    code = proc.wait(timeout=60)
    assert time.monotonic() - killed < 30
    assert code == 1
    error = seen[-1]
    assert error["type"] == "error", seen[-3:]
    assert "Process 1 of 2" in error["message"] and "SIGKILL" in error["message"]
    assert "--resume" in error["hint"]
    assert events_of(run_dir / runs.EVENTS_FILE)[-1]["message"] == error["message"]
    # no rank left behind
    assert not _alive(rank1["pid"]) and not _alive(seen[0].get("pid") or _started(seen)["pid"])
    # the last complete checkpoint resumes (in two processes again: the saved config says so)
    assert runs.summarise(str(run_dir)).can_resume


def _step_after_a_checkpoint(seen):
    def wanted(event):
        saved = [e["step"] for e in seen if e["type"] == "checkpoint"]
        return event["type"] == "step" and bool(saved) and event["step"] > saved[0]

    return wanted


def _started(events):
    return next(e for e in events if e["type"] == "started")


def _alive(pid):
    """Running, not a zombie; a process reaped while we look is gone too."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


@pytest.mark.slow
def test_a_two_process_run_is_not_resumed_by_one(tmp_path, two_processes):
    import shutil

    run_dir = tmp_path / "run"
    shutil.copytree(two_processes[0], run_dir)
    result = run_cli(
        "train", "--output_dir", str(run_dir), "--resume", "--nproc_per_node", "1",
        "--max_steps", "10", "--events", "jsonl",
    )  # fmt: skip
    error = events_of(result.stdout)[-1]
    assert result.returncode == 1 and error["kind"] == "bad_config"
    assert "trained by 2 process(es) and cannot be resumed by 1" in error["message"]
    assert "--nproc_per_node 2" in error["hint"]


# ---- without Paddle ------------------------------------------------------------------------


@given(
    size=st.integers(1, 40),
    world=st.integers(1, 8),
)
def test_each_rank_gets_an_equal_nonempty_share_and_full_batches_are_covered(size, world):
    batch = list(range(100, 100 + size))
    shares = [data.rank_share(batch, r, world) for r in range(world)]
    assert all(shares)  # no rank without records: it would hang the others
    if size % world == 0:  # a full global batch: each record once, equal slices, in order
        assert [i for share in shares for i in share] == batch
        assert len({len(s) for s in shares}) == 1
    assert set().union(*map(set, shares)) <= set(batch)


def test_the_world_comes_from_the_launchers_environment(monkeypatch):
    assert distributed.world() == distributed.World(0, 1, 0)
    monkeypatch.setenv("PADDLE_TRAINERS_NUM", "4")
    monkeypatch.setenv("PADDLE_TRAINER_ID", "3")
    monkeypatch.setenv("PADDLE_LOCAL_RANK", "1")
    here = distributed.world()
    assert (here.rank, here.size, here.local_rank, here.main) == (3, 4, 1, False)
    monkeypatch.setenv("PADDLE_TRAINERS_NUM", "garbage")
    assert distributed.world().size == 1 and distributed.world().rank == 0


def test_the_launch_command_runs_the_launcher_on_main_py():
    command = commands.launch(2, "/run/logs", ["train", "--config", "c.json"])
    assert command[:3] == [sys.executable, "-m", "paddle.distributed.launch"]
    assert command[3:7] == ["--nproc_per_node", "2", "--log_dir", "/run/logs"]
    assert command[7] == MAIN and command[8:] == ["train", "--config", "c.json"]
    nodes = commands.launch(4, "logs", ["train"], nnodes=2, master="10.0.0.1:8090")
    assert nodes[7:11] == ["--nnodes", "2", "--master", "10.0.0.1:8090"]


def test_several_processes_are_refused_on_windows(monkeypatch):
    # a stand-in for Windows: the check reads sys.platform
    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(EngineError) as caught:
        check_platform(2)
    assert caught.value.kind == "unsupported" and "Linux" in caught.value.hint
    check_platform(1)


def _free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_the_exported_job_trains_the_same_run_on_two_nodes_of_this_machine(tmp_path, two_processes):
    """``main.py job export`` for 2 nodes x 1 process, its two node scripts run at once on
    127.0.0.1: the same 2-process run as ``--nproc_per_node 2`` on one machine."""
    source, _ = two_processes
    job = tmp_path / "job with spaces"
    exported = run_cli(
        "job", "export", str(source), str(job), "--nnodes", "2", "--nproc_per_node", "1",
        "--master", f"127.0.0.1:{_free_port()}",
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    env = {**os.environ, "PYTHON": sys.executable, "LORA_STUDIO_MAIN": MAIN}
    nodes = [
        subprocess.Popen(
            ["sh", str(job / f"launch-node-{n}.sh")],
            cwd=str(tmp_path),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 0)
    ]
    outputs = [node.communicate(timeout=300) for node in nodes]
    assert [node.returncode for node in nodes] == [0, 0], [o[1][-2000:] for o in outputs]
    run_dir = job / "run"
    reference, trained = _steps(source), _steps(run_dir)
    assert sorted(trained) == sorted(reference)
    for step in reference:
        assert abs(trained[step]["loss"] - reference[step]["loss"]) < 1e-4, step
        assert trained[step]["world_size"] == 2
    assert (run_dir / runs.ADAPTER).is_dir()
    assert (run_dir / runs.LOGS / "node-1" / "workerlog.0").is_file()
    assert not list((run_dir / runs.LOGS).rglob("*env*"))


@pytest.mark.slow
def test_killing_the_supervisor_stops_the_ranks_with_a_checkpoint(
    tmp_path, tiny_model, even_dataset
):
    """The app killed (SIGKILL to the process it started): no rank trains on unwatched."""
    run_dir = tmp_path / "run"
    args = _args(
        tiny_model, even_dataset, run_dir, 2, "--max_steps", "400", "--nproc_per_node", "2"
    )
    proc = _start(args)
    seen: list = []
    assert _read_until(proc, lambda e: e["type"] == "step" and e["step"] == 2, seen)
    pids = [
        next(
            e for e in events_of(run_dir / runs.LOGS / f"workerlog.{r}") if e["type"] == "started"
        )["pid"]
        for r in (0, 1)
    ]
    proc.kill()
    proc.wait(timeout=10)
    deadline = time.monotonic() + 60
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in pids)
    # no checkpoint was due before step 1000: this one is the stop's, as on the Stop button
    assert runs.last_checkpoint(str(run_dir))
