"""Training throughput: this engine against a bare Trainer, the tutorial's recipe, and itself
with each setting that matters changed.

Trains the same records (the sample dataset's, at a realistic spread of lengths) on Qwen2-shaped
models, each variant in a fresh process, and prints non-padding tokens per second and the
process's peak memory (RSS):

  (a) engine:   ``main.py train``'s code as shipped, with the defaults a user gets (per-batch
                padding, length-grouped batches, LoRA dropout 0, strided views off during steps)
  (c) bare:     PaddleFormers' Trainer over the same batches as (a), without the engine's callbacks,
                with PaddleFormers' own RMSNorm and Paddle's strided views left on
  (a1) the engine with LoRA dropout 0.05 (the usual PEFT example value)
  (a2) the engine with strided views left on (Paddle's default)
  (a3) the engine with PaddleFormers' RMSNorm (pow) instead of engine/kernels.py's square
  (b) tutorial: every sample padded to max_seq_length 512, random batches (10M model only)

Two model sizes (issue 20): 10M parameters, and 62M (Qwen2.5-0.5B's widths, four layers).
Variants run interleaved in rounds; with several rounds the median of each is printed.
Targets: (a)/(c) >= 1.0 at both sizes, peak memory (a) <= (c) + 10%. (a) and (c) always run;
``--only`` adds the named variants to them.
Usage: python bench/train_throughput.py [--epochs N] [--rounds N] [--size 10m|62m] [--only V]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SHAPES = {
    "19m": {  # the demo's shape at a smaller vocabulary: the other benchmarks' model
        "hidden_size": 512,
        "num_hidden_layers": 6,
        "num_attention_heads": 8,
        "num_key_value_heads": 4,
        "intermediate_size": 1376,
    },
    "10m": {
        "hidden_size": 384,
        "num_hidden_layers": 6,
        "num_attention_heads": 6,
        "num_key_value_heads": 2,
        "intermediate_size": 1024,
    },
    "62m": {  # Qwen2.5-0.5B's widths, four layers
        "hidden_size": 896,
        "num_hidden_layers": 4,
        "num_attention_heads": 14,
        "num_key_value_heads": 2,
        "intermediate_size": 4864,
    },
}
SHAPE = SHAPES["19m"]
SIZES = ("10m", "62m")  # what this benchmark measures (issue 20)
VOCAB = 2048
BATCH, ACCUMULATION, MAX_LEN = 4, 1, 512


def parameters(size: str) -> float:
    """The model's parameter count (tied embeddings), in millions."""
    d = SHAPES[size]
    h, i, layers = d["hidden_size"], d["intermediate_size"], d["num_hidden_layers"]
    kv = h // d["num_attention_heads"] * d["num_key_value_heads"]
    per_layer = 2 * h * h + 2 * h * kv + 3 * h * i + 2 * h
    return (layers * per_layer + VOCAB * h + h) / 1e6


def build_model(folder: str, size: str = "19m") -> None:
    from lora_studio.engine.demo_model import build_test_model

    build_test_model(folder, vocab_size=VOCAB, **SHAPES[size])


def build_model_in_child(folder: str, size: str = "19m") -> None:
    """Build the benchmark model in its own process, so that this one never imports Paddle."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from bench.train_throughput import build_model; build_model(sys.argv[2], sys.argv[3])"
    )
    subprocess.run(
        [sys.executable, "-c", code, ROOT, folder, size], check=True, stderr=subprocess.DEVNULL
    )


RECORDS = 128


def dataset_path(model_dir: str) -> str:
    return os.path.join(os.path.dirname(model_dir), "records.json")


def write_dataset(model_dir: str) -> None:
    """128 records from the sample dataset with their answers repeated one to six times: a
    realistic spread of lengths (about 60 to 600 tokens) rather than 64 short records."""
    import random

    from lora_studio.core.paths import sample_dataset_path

    with open(sample_dataset_path(), encoding="utf-8") as handle:
        sample = json.load(handle)
    rng = random.Random(0)
    records = []
    for i in range(RECORDS):
        record = dict(sample[i % len(sample)])
        record["output"] = "\n".join([record["output"]] * rng.choice((1, 1, 2, 2, 3, 4, 6)))
        records.append(record)
    with open(dataset_path(model_dir), "w", encoding="utf-8") as handle:
        json.dump(records, handle, ensure_ascii=False)


def _setup(model_dir: str):
    from lora_studio.engine.runtime import prepare_environment

    prepare_environment()
    from lora_studio.core.training_data import load_records
    from lora_studio.engine.loading import import_paddle, load_tokenizer

    import_paddle(lambda e: None)
    tokenizer = load_tokenizer(model_dir, lambda e: None)
    return tokenizer, load_records(dataset_path(model_dir))


def _config(model_dir: str, out: str, epochs: float, dropout: float = 0.0):
    from lora_studio.core.config import RunConfig

    return RunConfig(
        model_name_or_path=model_dir,
        output_dir=out,
        dataset_path=dataset_path(model_dir),
        num_train_epochs=epochs,
        per_device_train_batch_size=BATCH,
        gradient_accumulation_steps=ACCUMULATION,
        max_seq_length=MAX_LEN,
        save_steps=10**6,
        logging_steps=1,
        overwrite_output_dir=True,
        lora_dropout=dropout,
    )


def variant_engine(model_dir: str, out: str, epochs: float, dropout: float = 0.0) -> dict:
    from lora_studio.core import events as ev
    from lora_studio.engine.reporter import Reporter
    from lora_studio.engine.train import run_train

    _setup(model_dir)

    class Quiet(Reporter):
        def emit(self, event: ev.Event) -> None:
            pass

    finished = run_train(_config(model_dir, out, epochs, dropout), Quiet())
    return {
        "tokens_per_second": finished.tokens_per_second,
        "padding_share": finished.padding_share,
        "steps": finished.step,
    }


class _CountingCollator:
    """Wraps a collator to count real and processed tokens (for (b) and (c))."""

    def __init__(self, inner, fixed_width: int = 0) -> None:
        self.inner, self.fixed_width = inner, fixed_width
        self.real = self.processed = 0

    def __call__(self, batch):
        import numpy as np

        out = self.inner(batch)
        self.inner.pop_counts()
        if self.fixed_width:  # the tutorial's static padding to max_seq_length
            pad = self.inner.pad_token_id
            rows = len(batch)
            ids = np.full((rows, self.fixed_width), pad, dtype=np.int64)
            labels = np.full((rows, self.fixed_width), -100, dtype=np.int64)
            width = out["input_ids"].shape[1]
            ids[:, :width], labels[:, :width] = out["input_ids"], out["labels"]
            out = {"input_ids": ids, "labels": labels}
        self.real += sum(len(s) for s in batch)
        self.processed += out["input_ids"].size
        return out


def _time_trainer(trainer, collator) -> dict:
    """Timed from the Trainer's train-begin to its train-end, as the engine times itself."""
    from paddleformers.trainer import TrainerCallback

    span: dict[str, float] = {}

    class Clock(TrainerCallback):
        def on_train_begin(self, args, state, control, **kwargs):
            span["start"] = time.time()

        def on_train_end(self, args, state, control, **kwargs):
            span["end"] = time.time()

    trainer.add_callback(Clock())
    trainer.train()
    seconds = span["end"] - span["start"]
    return {
        "tokens_per_second": collator.real / seconds,
        "padding_share": 1 - collator.real / collator.processed,
        "steps": trainer.state.global_step,
    }


def _paddleformers_norm() -> None:
    """PaddleFormers' own RMSNorm (pow(2)), not the engine's square (engine/kernels.py)."""
    from lora_studio.engine import kernels

    kernels._patched = True  # square_rms_norm() then leaves the norm as it is


def variant_engine_pow(model_dir: str, out: str, epochs: float) -> dict:
    _paddleformers_norm()
    return variant_engine(model_dir, out, epochs)


def variant_engine_dropout(model_dir: str, out: str, epochs: float) -> dict:
    return variant_engine(model_dir, out, epochs, dropout=0.05)


def variant_engine_strided(model_dir: str, out: str, epochs: float) -> dict:
    from lora_studio.engine import trainer

    trainer.strided_views = lambda on: None  # Paddle's default: strided views on throughout
    return variant_engine(model_dir, out, epochs)


def _pieces(model_dir: str, out: str, epochs: float):
    import paddle

    _paddleformers_norm()  # the bare loops run PaddleFormers as it comes

    from lora_studio.engine import data as datamod
    from lora_studio.engine.loading import load_model
    from lora_studio.engine.train import _apply_lora

    tokenizer, records = _setup(model_dir)
    config = _config(model_dir, out, epochs)
    seqs, _stats = datamod.encode_records(tokenizer, records, MAX_LEN)
    model = load_model(model_dir, lambda e: None, on_gpu=False)
    paddle.seed(config.seed)
    model = _apply_lora(model, config, model_dir)
    return config, tokenizer, model, datamod.SequenceDataset(seqs)


def variant_bare(model_dir: str, out: str, epochs: float) -> dict:
    from lora_studio.engine import data as datamod
    from lora_studio.engine.train import build_trainer

    config, tokenizer, model, dataset = _pieces(model_dir, out, epochs)
    collator = _CountingCollator(datamod.PaddingCollator(tokenizer.pad_token_id))
    trainer = build_trainer(
        config, model, dataset, datamod.SequenceDataset([]), collator, "cpu", False, False
    )
    return _time_trainer(trainer, collator)


def variant_tutorial(model_dir: str, out: str, epochs: float) -> dict:
    from paddleformers.trainer import Trainer

    from lora_studio.engine import data as datamod
    from lora_studio.engine.train import build_trainer

    config, tokenizer, model, dataset = _pieces(model_dir, out, epochs)
    collator = _CountingCollator(datamod.PaddingCollator(tokenizer.pad_token_id), MAX_LEN)
    args = build_trainer(
        config, model, dataset, datamod.SequenceDataset([]), collator, "cpu", False, False
    ).args
    trainer = Trainer(model=model, args=args, train_dataset=dataset, data_collator=collator)
    return _time_trainer(trainer, collator)


VARIANTS = {
    "engine": variant_engine,
    "engine_dropout": variant_engine_dropout,
    "engine_strided": variant_engine_strided,
    "engine_pow": variant_engine_pow,
    "tutorial": variant_tutorial,
    "bare": variant_bare,
}
LABELS = {  # variant: (its letter in the docstring, what it is)
    "engine": ("a", "engine, defaults"),
    "bare": ("c", "bare Trainer"),
    "engine_dropout": ("a1", "engine, dropout 0.05"),
    "engine_strided": ("a2", "engine, strided views"),
    "engine_pow": ("a3", "engine, pow norm"),
    "tutorial": ("b", "tutorial recipe"),
}


def _measure(name: str, model_dir: str, out: str, epochs: float) -> dict:
    proc = subprocess.run(
        [
            sys.executable,
            __file__,
            "--variant",
            name,
            "--model",
            model_dir,
            "--out",
            out,
            "--epochs",
            str(epochs),
        ],
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        sys.exit(f"variant {name} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _report(size: str, runs: dict[str, list[dict]], epochs: float, rounds: int) -> None:
    def median(name: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[name])

    print(
        f"train_throughput: {size} ({parameters(size):.1f}M parameters), {RECORDS} records, "
        f"{epochs:g} epoch(s), batch {BATCH} x accumulation {ACCUMULATION}, LoRA r=8 on all "
        f"seven projections, CPU, median of {rounds} round(s)"
    )
    for name in runs:
        print(
            f"  {'({}) {}'.format(*LABELS[name]):<28} "
            f"{median(name, 'tokens_per_second'):8.1f} non-padding tokens/s"
            f"   peak {median(name, 'peak_mb'):7.0f} MB   padding "
            f"{runs[name][0]['padding_share']:6.1%}   steps {runs[name][0]['steps']}"
        )
    a, c = median("engine", "tokens_per_second"), median("bare", "tokens_per_second")
    print(f"  (a)/(c) = {a / c:.2f}   target >= 1.0   {'ok' if a / c >= 1.0 else 'MISSED'}")
    mem = median("engine", "peak_mb") / median("bare", "peak_mb")
    print(f"  peak (a)/(c) = {mem:.2f}   target <= 1.10   {'ok' if mem <= 1.10 else 'MISSED'}")
    for name, what in (
        ("engine_dropout", "what LoRA dropout 0.05 would cost"),
        ("engine_strided", "the gain of strided views off (engine/trainer.py)"),
        ("engine_pow", "the square RMSNorm's gain (engine/kernels.py)"),
    ):
        if name in runs:
            print(
                f"  (a)/({LABELS[name][0]}) = {a / median(name, 'tokens_per_second'):.2f}   {what}"
            )
    if "tutorial" in runs:
        b = median("tutorial", "tokens_per_second")
        print(f"  (a)/(b) = {a / b:.2f}   what per-batch padding and length grouping give")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--size", choices=sorted(SHAPES), action="append")
    parser.add_argument(
        "--only", choices=sorted(VARIANTS), action="append", help="measure these variants only"
    )
    parser.add_argument("--variant", choices=sorted(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:  # child process: one measurement, printed as JSON on the last line
        result = VARIANTS[args.variant](args.model, args.out, args.epochs)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        sys.stderr.flush()
        print(json.dumps(result))
        return 0

    for size in args.size or SIZES:
        names = ["engine", "bare", "engine_dropout", "engine_strided", "engine_pow"]
        if size == "10m":
            names.append("tutorial")  # padded to 512: slow, and the point is made at 10M
        names = [n for n in names if not args.only or n in args.only or n in ("engine", "bare")]
        runs: dict[str, list[dict]] = {name: [] for name in names}
        with tempfile.TemporaryDirectory() as tmp:
            model_dir = os.path.join(tmp, "model")
            build_model_in_child(model_dir, size)
            write_dataset(model_dir)
            for round_no in range(args.rounds):
                for name in names:
                    print(f"{size} round {round_no + 1}: {name} ...", file=sys.stderr, flush=True)
                    runs[name].append(
                        _measure(name, model_dir, os.path.join(tmp, name), args.epochs)
                    )
        _report(size, runs, args.epochs, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
