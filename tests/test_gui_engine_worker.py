"""Every way an engine process can end becomes one readable outcome; nothing is left running.

The child processes here are small scripts (tests/fake_engine.py) that print recorded-style
events: a crash, garbage, an out-of-memory failure or a child deaf to stop cannot be produced
on demand by the real engine. The real engine is driven in test_gui_training.py.
"""

import json
import sys

import pytest
from conftest import FAKE_ENGINE

from lora_studio.core import events as ev
from lora_studio.core.config import RunConfig
from lora_studio.core.outcome import Status
from lora_studio.gui.jobs.training import TrainingSession
from lora_studio.gui.jobs.worker import EngineJob

pytestmark = pytest.mark.usefixtures("no_leaks")


def run_job(qtbot, command, stop_after_steps=None, **options):
    job = EngineJob(command, **options)
    seen, logs = [], []
    job.event_received.connect(seen.append)
    job.log_received.connect(logs.append)
    if stop_after_steps:

        def maybe_stop(event):
            if isinstance(event, ev.Step) and event.step == stop_after_steps:
                job.stop()

        job.event_received.connect(maybe_stop)
    with qtbot.waitSignal(job.finished, timeout=30_000) as blocker:
        job.start()
    return blocker.args[0], seen, logs


def test_crash_mid_run(qtbot):
    outcome, seen, logs = run_job(qtbot, [sys.executable, FAKE_ENGINE, "crash"])
    assert outcome.status == Status.CRASHED and outcome.exit_code == 139
    assert "Segmentation fault" in outcome.message
    assert [e.step for e in seen if isinstance(e, ev.Step)] == [1, 2]
    assert any("Segmentation fault" in line for line in logs)


def test_garbage_on_stdout_is_log_text_and_split_lines_arrive_whole(qtbot):
    outcome, seen, logs = run_job(qtbot, [sys.executable, FAKE_ENGINE, "garbage"])
    assert outcome.status == Status.COMPLETED
    steps = [e for e in seen if isinstance(e, ev.Step)]
    assert len(steps) == 1 and steps[0].loss == 2.5
    assert "this is not json" in logs and '{"half": ' in logs


def test_child_that_ignores_stop_is_terminated(qtbot):
    outcome, seen, _ = run_job(
        qtbot,
        [sys.executable, FAKE_ENGINE, "ignore_stop"],
        stop_after_steps=3,
        stop_grace=1.0,
        terminate_grace=2.0,
    )
    assert outcome.status == Status.TERMINATED
    assert "did not stop" in outcome.message


def test_polite_stop(qtbot):
    outcome, seen, _ = run_job(
        qtbot, [sys.executable, FAKE_ENGINE, "stop_politely"], stop_after_steps=3
    )
    assert outcome.status == Status.STOPPED and outcome.ok
    assert isinstance(seen[-1], ev.Finished)


def test_child_that_fails_to_start(qtbot, tmp_path):
    outcome, seen, _ = run_job(qtbot, [str(tmp_path / "no-such-engine")])
    assert outcome.status == Status.FAILED_TO_START and not seen
    assert "could not be started" in outcome.message


def test_out_of_memory_walks_the_ladder(qtbot, tmp_path):
    record = tmp_path / "attempts.jsonl"
    config = RunConfig(
        model_name_or_path="m",
        dataset_path="d",
        output_dir=str(tmp_path / "run"),
        per_device_train_batch_size=4,
        gradient_accumulation_steps=2,
    )

    def factory(config_path, resume):
        return [
            sys.executable,
            FAKE_ENGINE,
            "oom",
            "--config",
            config_path,
            "--record",
            str(record),
        ] + (["--resume"] if resume else [])

    session = TrainingSession(config, command_factory=factory)
    retries = []
    session.retrying.connect(lambda code, change: retries.append((code, change)))
    with qtbot.waitSignal(session.finished, timeout=30_000) as blocker:
        session.start()
    assert blocker.args[0].status == Status.COMPLETED
    tried = [json.loads(line)["config"] for line in record.read_text().splitlines()]
    assert [
        (c["per_device_train_batch_size"], c["gradient_accumulation_steps"]) for c in tried
    ] == [(4, 2), (2, 4), (1, 8)]  # the effective batch stays 8
    assert [code for code, _ in retries] == ["halve_batch", "halve_batch"]
    assert "batch 4 -> 2" in retries[0][1]


def test_out_of_memory_without_recovery_fails_with_the_engine_message(qtbot, tmp_path):
    config = RunConfig(
        model_name_or_path="m",
        dataset_path="d",
        output_dir=str(tmp_path / "run"),
        per_device_train_batch_size=4,
    )
    session = TrainingSession(
        config,
        oom_recovery=False,
        command_factory=lambda path, resume: [sys.executable, FAKE_ENGINE, "oom", "--config", path],
    )
    with qtbot.waitSignal(session.finished, timeout=30_000) as blocker:
        session.start()
    outcome = blocker.args[0]
    assert outcome.status == Status.FAILED and outcome.error_kind == "out_of_memory"
    assert len(session.attempts) == 1


def test_a_job_whose_owner_is_deleted_mid_run_ends_without_an_abort(qtbot):
    """The owner (a closed window's panel) goes while its job runs: before, the thread's wrapper
    was collected while running and Qt aborted the process ("QThread: Destroyed while thread is
    still running") in whatever test came next."""
    import gc

    from PySide6.QtCore import QObject

    from lora_studio.gui.jobs import worker

    def start_and_drop() -> None:
        owner = QObject()
        single = worker.SingleJob(owner)
        assert single.launch([sys.executable, FAKE_ENGINE, "stop_politely"])
        running = single.job.worker
        qtbot.waitUntil(lambda: running.process is not None, timeout=10_000)
        owner.deleteLater()

    start_and_drop()
    qtbot.wait(50)
    gc.collect()
    assert worker.running_jobs() == 1  # still running, kept alive by the keeper
    assert worker.stop_all(wait_ms=20_000)
    qtbot.waitUntil(lambda: worker.running_jobs() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: not worker._the_keeper().live, timeout=10_000)
