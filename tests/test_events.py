import json
import math

from lora_studio.core import events as ev


def test_every_event_round_trips_through_json():
    samples = [
        ev.Started(command="train", run_dir="/r", model="m", dataset="d", pid=3),
        ev.Loading(stage="model", progress=0.5, message="Loading"),
        ev.Warning(code="precision_fallback", message="m", hint="h"),
        ev.DatasetPrepared(records=3, train_records=2, eval_records=1, total_steps=9),
        ev.Step(
            step=1,
            total_steps=9,
            epoch=0.1,
            loss=2.5,
            learning_rate=1e-4,
            grad_norm=0.3,
            tokens_per_second=100.0,
            eta_seconds=8.0,
            memory_mb=10.0,
            peak_memory_mb=12.0,
        ),
        ev.Download(
            file="model.safetensors",
            file_bytes=5,
            file_total=9,
            done_bytes=7,
            total_bytes=11,
            eta_seconds=None,
        ),  # fmt: skip
        ev.Eval(step=1, eval_loss=2.0),
        ev.CheckpointSaved(step=1, path="/r/checkpoints/checkpoint-1"),
        ev.Finished(status="completed", step=9, final_loss=1.0),
        ev.Error(kind=ev.ErrorKind.OUT_OF_MEMORY, message="m", hint="h"),
        ev.Log(message="hello"),
        ev.ChatReady(model="m", adapter="a", context_length=4096, url="http://127.0.0.1:1/v1"),
        ev.Token(id="r", text="你好"),
        ev.Reply(id="r", text="你好", new_tokens=2, finish_reason="length"),
    ]
    assert {type(s) for s in samples} == set(ev.EVENT_CLASSES.values())
    for sample in samples:
        line = sample.to_json()
        data = json.loads(line)
        assert data["v"] == ev.SCHEMA_VERSION and data["type"] == sample.type
        parsed = ev.parse_line(line)
        assert parsed == sample


def test_non_events_are_log_text():
    for line in [
        "",
        "plain text",
        "{not json",
        "[1, 2]",
        '{"type": "nonsense"}',
        '{"type": "step"}',
        b"\xff\xfe{",
        '{"no_type": 1}',
    ]:
        assert ev.parse_line(line) is None


def test_unknown_fields_are_ignored_for_forward_compatibility():
    event = ev.parse_line('{"v": 2, "type": "eval", "step": 3, "eval_loss": 1.5, "new": true}')
    assert event == ev.Eval(step=3, eval_loss=1.5, time=event.time)


def test_nan_travels_as_null():
    data = json.loads(
        ev.Step(step=1, total_steps=1, epoch=0, loss=math.nan, learning_rate=0.0).to_json()
    )
    assert data["loss"] is None


def test_read_event_log_skips_garbage(tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_text(
        ev.Eval(step=1, eval_loss=1.0).to_json()
        + "\ngarbage\n\n"
        + ev.Log(message="x").to_json()
        + "\n",
        encoding="utf-8",
    )
    assert [e.type for e in ev.read_event_log(str(path))] == ["eval", "log"]
