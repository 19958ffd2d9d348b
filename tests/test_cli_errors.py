"""Wrong arguments and bad inputs: one clear message, a non-zero exit, never a traceback."""

import json

import pytest
from conftest import assert_no_traceback, events_of, run_cli


@pytest.mark.parametrize(
    "args, words",
    [
        (["train"], "--model_name_or_path: required"),
        (
            [
                "train",
                "--model_name_or_path",
                "m",
                "--output_dir",
                "o",
                "--dataset_path",
                "d",
                "--lora_rank",
                "x",
            ],
            "lora_rank: expected a whole number",
        ),
        (
            [
                "train",
                "--model_name_or_path",
                "m",
                "--output_dir",
                "o",
                "--dataset_path",
                "d",
                "--bf16",
                "--fp16",
            ],
            "--fp16: choose bf16 or fp16",
        ),
        (["train", "--no_such_flag"], "unrecognized arguments"),
        (["train", "--config", "/nonexistent.json"], "does not exist"),
        (["merge"], "required"),
        (["chat", "--prompt", "hi"], "give --model, --adapter"),
        (["chat", "--model", "m", "--prompt", " "], "--prompt is empty"),
        (["chat", "--model", "m", "--top_p", "2"], "--top_p"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_wrong_arguments_give_one_line_and_exit_2(args, words):
    result = run_cli(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "error" in lines[0]
    assert_no_traceback(result)


def test_help_exists_for_every_command():
    for command in (
        "train",
        "merge",
        "chat",
        "demo-model",
        "test-model",
        "import-gguf",
        "quickstart",
    ):
        result = run_cli(command, "--help")
        assert result.returncode == 0 and "usage:" in result.stdout
    train_help = run_cli("train", "--help").stdout
    for flag in (
        "--model_name_or_path",
        "--per_device_train_batch_size",
        "--warmup_ratio",
        "--do_train",
        "--bf16",
        "--overwrite_output_dir",
        "--lora_rank",
        "--target_modules",
        "--eval_ratio",
        "--resume",
        "--events",
        "--config",
    ):
        assert flag in train_help


BAD_DATASETS = {
    "not_json": (b"instruction,output\nq,a\n", "line 1", "not a JSON dataset"),
    "undecodable": (
        b'[{"instruction": "q", "output": "a"},\n{"instruction": "q", '
        b'"output": "' + "答".encode("gbk") + b'"}]',
        "line 2",
        "not UTF-8",
    ),
    "empty": (b"", "", "the file is empty"),
    "missing_field": (
        json.dumps([{"instruction": "q", "output": "a"}, {"instruction": "q2"}]).encode(),
        "record 2",
        'missing field "output"',
    ),
    "non_string": (
        b'{"instruction": "q", "output": "a"}\n{"instruction": "q", "output": 42}\n',
        "line 2",
        '"output" must be a string',
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_DATASETS))
def test_bad_dataset_stops_before_the_model_loads(tmp_path, case):
    content, where, words = BAD_DATASETS[case]
    dataset = tmp_path / "data.json"
    dataset.write_bytes(content)
    run_dir = tmp_path / "run"
    # The model folder does not exist: the dataset error must come first, before any loading.
    result = run_cli(
        "train",
        "--model_name_or_path",
        str(tmp_path / "no-model"),
        "--dataset_path",
        str(dataset),
        "--output_dir",
        str(run_dir),
        "--events",
        "jsonl",
    )
    assert result.returncode == 1
    assert_no_traceback(result)
    (error,) = events_of(result.stdout)
    assert error["type"] == "error" and error["kind"] == "bad_dataset"
    assert str(dataset) in error["message"] and where in error["message"]
    assert words in error["message"] and error["hint"]
    # nothing but the error event is written to the run folder
    assert sorted(p.name for p in run_dir.iterdir()) == ["events.jsonl"]
    assert events_of(run_dir / "events.jsonl") == [error]


def test_bad_dataset_in_text_mode_is_one_readable_message(tmp_path):
    dataset = tmp_path / "data.json"
    dataset.write_text('[{"instruction": "q"}]')
    result = run_cli(
        "train",
        "--model_name_or_path",
        "m",
        "--dataset_path",
        str(dataset),
        "--output_dir",
        str(tmp_path / "run"),
    )
    assert result.returncode == 1
    assert (
        result.stderr.startswith("error: ") and 'record 1: missing field "output"' in result.stderr
    )
    assert "what to do:" in result.stderr
    assert_no_traceback(result)


def test_missing_and_incomplete_model_folders(tmp_path, memorise_dataset, tiny_model):
    result = run_cli(
        "train",
        "--model_name_or_path",
        str(tmp_path / "nowhere"),
        "--dataset_path",
        str(memorise_dataset),
        "--output_dir",
        str(tmp_path / "r1"),
        "--events",
        "jsonl",
    )
    (error,) = events_of(result.stdout)
    assert result.returncode == 1 and error["kind"] == "model_not_found"
    assert "not found" in error["message"]

    broken = tmp_path / "broken"
    broken.mkdir()
    for name in (
        "config.json",
        "tokenizer.json",
        "tokenizer_config.json",
        "model.safetensors.index.json",
    ):
        (broken / name).write_bytes((tiny_model / name).read_bytes())
    result = run_cli(
        "train",
        "--model_name_or_path",
        str(broken),
        "--dataset_path",
        str(memorise_dataset),
        "--output_dir",
        str(tmp_path / "r2"),
        "--events",
        "jsonl",
    )
    (error,) = events_of(result.stdout)
    assert result.returncode == 1 and error["kind"] == "model_not_found"
    assert "incomplete" in error["message"] and "model weights" in error["message"]
    assert_no_traceback(result)


def test_an_existing_run_is_not_overwritten_by_accident(tmp_path, memorise_dataset, tiny_model):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "events.jsonl").write_text("precious\n")
    result = run_cli(
        "train",
        "--model_name_or_path",
        str(tiny_model),
        "--dataset_path",
        str(memorise_dataset),
        "--output_dir",
        str(run_dir),
        "--events",
        "jsonl",
    )
    (error,) = events_of(result.stdout)
    assert result.returncode == 1 and error["kind"] == "bad_config" and "--resume" in error["hint"]
    assert (run_dir / "events.jsonl").read_text() == "precious\n"


def test_4bit_weights_on_the_cpu_are_refused_plainly(tmp_path, memorise_dataset, tiny_model):
    result = run_cli(
        "train",
        "--model_name_or_path",
        str(tiny_model),
        "--dataset_path",
        str(memorise_dataset),
        "--output_dir",
        str(tmp_path / "run"),
        "--weight_quantization",
        "int4",
        "--events",
        "jsonl",
    )
    error = events_of(result.stdout)[-1]
    assert result.returncode == 1 and error["kind"] == "unsupported"
    assert "NVIDIA GPU" in error["message"] and "16-bit" in error["hint"]
    assert_no_traceback(result)


def test_tools_with_a_template_without_tool_support_are_refused(tmp_path, tiny_model):
    """The demo model's ChatML template renders no tools: the tool list would be lost."""
    dataset = tmp_path / "tools.json"
    row = {
        "messages": [
            {"role": "user", "content": "Weather in Rome?"},
            {
                "role": "assistant",
                "tool_calls": [
                    {"type": "function", "function": {"name": "w", "arguments": '{"c": "Rome"}'}}
                ],
            },
            {"role": "tool", "content": "21 C"},
            {"role": "assistant", "content": "21 °C."},
        ],
        "tools": [{"type": "function", "function": {"name": "w", "parameters": {}}}],
    }
    dataset.write_text(json.dumps([row]), encoding="utf-8")
    result = run_cli(
        "train",
        "--model_name_or_path",
        str(tiny_model),
        "--dataset_path",
        str(dataset),
        "--output_dir",
        str(tmp_path / "run"),
        "--events",
        "jsonl",
    )
    error = events_of(result.stdout)[-1]
    assert result.returncode == 1 and error["kind"] == "bad_dataset", error
    assert "no tool support" in error["message"] and "Qwen2.5" in error["hint"]


def test_paddles_thread_warning_is_not_passed_on(tmp_path):
    """Paddle prints "WARNING: OMP_NUM_THREADS set to 2 ... It will fail if this PaddlePaddle
    binary is compiled with OpenBlas" whenever the engine uses more than one core (it does, on
    purpose): users read it in the training log as a fault. Other stderr output stays."""
    from conftest import run_cli

    result = run_cli("test-model", str(tmp_path / "m"), env={"OMP_NUM_THREADS": "2"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "OMP_NUM_THREADS" not in result.stderr and "WISELY" not in result.stderr
    code = "import lora_studio.engine, sys; print('kept', file=sys.stderr)"
    import subprocess
    import sys

    kept = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert kept.stderr == "kept\n"


def test_engine_stops_openmp_spinning_unless_the_user_chose():
    """Intel OpenMP's threads spin 200 ms after each parallel region; after the first optimiser
    step that made every matrix product 3.5x slower on two cores (engine-notes 29). Importing the
    engine sets KMP_BLOCKTIME=0 for Paddle, and keeps a value the user set."""
    import os
    import subprocess
    import sys

    code = "import os, lora_studio.engine; print(os.environ['KMP_BLOCKTIME'])"
    env = {k: v for k, v in os.environ.items() if k != "KMP_BLOCKTIME"}
    ours = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    users = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**env, "KMP_BLOCKTIME": "200"},
    )
    assert ours.stdout.strip() == "0" and users.stdout.strip() == "200", (ours, users)
