"""Plain-Python logic behind the GUI: the OOM ladder, outcomes, metric series, runs, settings."""

import json
import os

import numpy as np

from lora_studio.core import events as ev
from lora_studio.core.config import RunConfig
from lora_studio.core.metrics import MetricHistory, Series, smooth
from lora_studio.core.oom_ladder import next_rung
from lora_studio.core.outcome import Status, decide
from lora_studio.core.runs import list_runs, new_run_name, summarise
from lora_studio.core.settings import AppSettings


def test_the_ladder_keeps_the_effective_batch_then_saves_memory_other_ways():
    config = RunConfig(
        per_device_train_batch_size=4,
        gradient_accumulation_steps=4,
        max_seq_length=512,
        lora_rank=8,
        lora_alpha=16,
    )
    codes = []
    while (rung := next_rung(config)) is not None:
        codes.append(rung.code)
        if rung.code == "halve_batch":
            assert (
                rung.config.per_device_train_batch_size * rung.config.gradient_accumulation_steps
            ) == 16
        config = rung.config
    assert codes == [
        "halve_batch",
        "halve_batch",
        "gradient_checkpointing",
        "shorter_sequences",
        "shorter_sequences",
        "lower_rank",
    ]
    assert (
        config.per_device_train_batch_size,
        config.max_seq_length,
        config.lora_rank,
        config.lora_alpha,
        config.gradient_checkpointing,
    ) == (1, 128, 4, 8, True)


def test_outcomes():
    finished = ev.Finished(status="stopped", step=3)
    assert decide(0, None, finished, False).status == Status.STOPPED
    assert decide(0, None, ev.Finished(status="completed"), False).status == Status.COMPLETED
    error = ev.Error(kind="nan_loss", message="m", hint="h")
    failed = decide(1, error, None, False)
    assert (failed.status, failed.error_kind, failed.hint) == (Status.FAILED, "nan_loss", "h")
    crashed = decide(-9, None, None, False, "one\nKilled\n")
    assert crashed.status == Status.CRASHED and "Killed" in crashed.message
    assert decide(0, None, None, False).status == Status.CRASHED  # exit 0 without finishing
    assert decide(-15, None, None, True).status == Status.TERMINATED


def test_series_grow_and_truncate():
    series = Series()
    for i in range(1, 11):
        series.append(i, i * 2.0)
    series.append(11, None)
    assert len(series) == 10 and series.y[-1] == 20
    series.truncate_after(4)
    assert list(series.x) == [1, 2, 3, 4]
    assert np.allclose(smooth([1.0, 1.0, 1.0]), 1.0)
    assert np.allclose(np.array(series.y), [2, 4, 6, 8])


def test_resumed_history_joins_without_duplicates():
    events = [
        ev.Step(step=s, total_steps=6, epoch=0, loss=1.0 / s, learning_rate=0.1)
        for s in (1, 2, 3, 4)
    ]
    events.append(ev.Started(command="train", resume_from="/r/checkpoints/checkpoint-2"))
    events += [
        ev.Step(step=s, total_steps=6, epoch=0, loss=1.0 / s, learning_rate=0.1)
        for s in (3, 4, 5, 6)
    ]
    events.append(ev.Eval(step=6, eval_loss=0.5))
    history = MetricHistory.from_events(events)
    assert list(history["loss"].x) == [1, 2, 3, 4, 5, 6]
    assert list(history["eval_loss"].y) == [0.5]


def test_runs_are_summarised_from_their_folders(tmp_path):
    run = tmp_path / "runs" / "alpha"
    (run / "checkpoints" / "checkpoint-2").mkdir(parents=True)
    RunConfig(model_name_or_path="/m/demo", dataset_path="/d/data.json", output_dir=str(run)).save(
        run / "run_config.json"
    )
    lines = [
        ev.Started(command="train", time=100.0),
        ev.Step(step=2, total_steps=4, epoch=1, loss=0.5, learning_rate=0.1),
        ev.Finished(status="stopped", step=2, total_steps=4, final_loss=0.5, duration_seconds=12.0),
    ]
    (run / "events.jsonl").write_text("\n".join(e.to_json() for e in lines) + "\n")
    (tmp_path / "runs" / "not-a-run").mkdir()
    (runs,) = [list_runs(str(tmp_path / "runs"))]
    assert [r.name for r in runs] == ["alpha"]
    summary = runs[0]
    assert (summary.status, summary.final_loss, summary.steps, summary.started) == (
        "stopped",
        0.5,
        2,
        100.0,
    )
    # an empty (half-written) checkpoint folder is not offered for Resume (issue 11) ...
    assert not summary.can_resume and not summary.has_adapter
    # ... a sealed one is
    from lora_studio.core.runs import mark_sealed, seal_checkpoint

    mark_sealed(str(run))
    (run / "checkpoints" / "checkpoint-2" / "trainer_state.json").write_text("{}")
    seal_checkpoint(str(run / "checkpoints" / "checkpoint-2"), 2)
    assert summarise(str(run)).can_resume
    assert summarise(str(tmp_path / "runs" / "not-a-run")) is None
    assert new_run_name(str(tmp_path / "runs"), "alpha") == "alpha-2"
    assert new_run_name(str(tmp_path / "runs"), "a/b c") == "a-b-c"


def test_settings_round_trip_with_a_version(tmp_path, monkeypatch):
    monkeypatch.setenv("LORA_STUDIO_CONFIG_DIR", str(tmp_path))
    settings = AppSettings(language="zh_CN", runs_dir="/x", last_run_config={"lora_rank": 4})
    settings.save()
    data = json.loads((tmp_path / "settings.json").read_text())
    assert data["version"] == 1
    assert AppSettings.load() == settings
    (tmp_path / "settings.json").write_text('{"language": "klingon", "runs_dir": 3}')
    loaded = AppSettings.load()
    assert loaded.language == "system" and isinstance(loaded.runs_dir, str)
    (tmp_path / "settings.json").write_text("garbage")
    assert AppSettings.load().language == "system"
    assert os.path.basename(AppSettings.path()) == "settings.json"


def test_overfitting_is_eval_loss_rising_while_training_loss_falls():
    from lora_studio.core.metrics import overfitting_since

    train = [(s, 3.0 - 0.1 * s) for s in range(1, 21)]  # falling all along
    assert overfitting_since(train, [(5, 2.0), (10, 1.8), (15, 1.7)]) is None  # eval improves
    assert overfitting_since(train, [(5, 2.0), (10, 1.8), (15, 2.1)]) == 10
    assert overfitting_since(train, [(5, 2.0), (10, 1.8), (15, 1.85)]) is None  # within 5%
    flat = [(s, 1.0) for s in range(1, 21)]  # training loss not falling: not this pattern
    assert overfitting_since(flat, [(5, 2.0), (10, 1.8), (15, 2.1)]) is None
    assert overfitting_since(train, [(5, 2.0)]) is None
    history = MetricHistory.from_events(
        [ev.Step(step=12, total_steps=20, epoch=1.0, loss=1.0, learning_rate=1e-3),
         ev.Warning(code="overfitting", message="m")]
    )  # fmt: skip
    assert history.overfitting_step == 12


def test_an_eval_loss_that_never_improves_while_training_loss_falls_is_named():
    from lora_studio.core.metrics import eval_not_improving

    falling = [(s, 8.0 - 0.3 * s) for s in range(1, 21)]  # 7.7 down to 2.0
    flat = [(5, 7.7), (10, 7.72), (15, 7.69), (20, 7.7)]
    found = eval_not_improving(falling, flat)
    assert found is not None and found[0] == 7.7 and found[2] < 0.75 * found[1]
    assert eval_not_improving(falling, flat[:2]) is None  # two evaluations say too little
    improving = [(5, 7.7), (10, 7.0), (15, 6.5)]
    assert eval_not_improving(falling, improving) is None
    level = [(s, 3.0) for s in range(1, 21)]  # training loss not falling either
    assert eval_not_improving(level, flat) is None
