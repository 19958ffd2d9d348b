"""Training throughput: this engine against the tutorial's recipe and a bare Trainer.

Trains the same samples (the bundled sample dataset) on a demo-shaped model of about 19M
parameters three ways, each in a fresh process, and prints non-padding tokens per second:

  (a) engine:   ``main.py train`` as shipped: per-batch padding, length-grouped batches, events
  (b) tutorial: every sample padded to max_seq_length 512, random batches, batch 2 x accum 8
  (c) bare:     PaddleFormers' Trainer over the same batches as (a), without the engine's callbacks
                and with PaddleFormers' own RMSNorm
  (a') the engine with PaddleFormers' RMSNorm (pow) instead of engine/kernels.py's square

Targets: (a)/(b) >= 3.0 and (a)/(c) >= 1.0 (issue 20).
Usage: python bench/train_throughput.py [--epochs N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SHAPE = {
    "hidden_size": 512,
    "num_hidden_layers": 6,
    "num_attention_heads": 8,
    "num_key_value_heads": 4,
    "intermediate_size": 1376,
}
BATCH, ACCUMULATION, MAX_LEN = 2, 8, 512


def build_model(folder: str) -> None:
    from lora_studio.engine.demo_model import build_test_model

    build_test_model(folder, **SHAPE)


def build_model_in_child(folder: str) -> None:
    """Build the benchmark model in its own process, so that this one never imports Paddle."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from bench.train_throughput import build_model; build_model(sys.argv[2])"
    )
    subprocess.run(
        [sys.executable, "-c", code, ROOT, folder], check=True, stderr=subprocess.DEVNULL
    )


def _setup(model_dir: str):
    from lora_studio.engine.runtime import prepare_environment

    prepare_environment()
    from lora_studio.core.paths import sample_dataset_path
    from lora_studio.core.training_data import load_records
    from lora_studio.engine.loading import import_paddle, load_tokenizer

    import_paddle(lambda e: None)
    tokenizer = load_tokenizer(model_dir, lambda e: None)
    return tokenizer, load_records(sample_dataset_path())


def _config(model_dir: str, out: str, epochs: float):
    from lora_studio.core.config import RunConfig
    from lora_studio.core.paths import sample_dataset_path

    return RunConfig(
        model_name_or_path=model_dir,
        output_dir=out,
        dataset_path=sample_dataset_path(),
        num_train_epochs=epochs,
        per_device_train_batch_size=BATCH,
        gradient_accumulation_steps=ACCUMULATION,
        max_seq_length=MAX_LEN,
        save_steps=10**6,
        logging_steps=1,
        overwrite_output_dir=True,
    )


def variant_engine(model_dir: str, out: str, epochs: float) -> dict:
    from lora_studio.core import events as ev
    from lora_studio.engine.reporter import Reporter
    from lora_studio.engine.train import run_train

    _setup(model_dir)

    class Quiet(Reporter):
        def emit(self, event: ev.Event) -> None:
            pass

    finished = run_train(_config(model_dir, out, epochs), Quiet())
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
    start = time.perf_counter()
    trainer.train()
    seconds = time.perf_counter() - start
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
    "engine_pow": variant_engine_pow,
    "tutorial": variant_tutorial,
    "bare": variant_bare,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--variant", choices=sorted(VARIANTS), help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:  # child process: one measurement, printed as JSON on the last line
        result = VARIANTS[args.variant](args.model, args.out, args.epochs)
        sys.stderr.flush()
        print(json.dumps(result))
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        model_dir = os.path.join(tmp, "model")
        build_model_in_child(model_dir)
        results = {}
        for name in ("engine", "engine_pow", "tutorial", "bare"):
            print(f"measuring {name} ...", file=sys.stderr, flush=True)
            proc = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--variant",
                    name,
                    "--model",
                    model_dir,
                    "--out",
                    os.path.join(tmp, name),
                    "--epochs",
                    str(args.epochs),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            results[name] = json.loads(proc.stdout.strip().splitlines()[-1])
    params = "about 19M parameters"
    print(
        f"train_throughput: sample dataset, demo-shaped Qwen2 ({params}), {args.epochs:g} "
        f"epoch(s), batch {BATCH} x accumulation {ACCUMULATION}, CPU"
    )
    for key, label in (
        ("engine", "(a) engine"),
        ("engine_pow", "(a') engine, pow norm"),
        ("tutorial", "(b) tutorial recipe"),
        ("bare", "(c) bare Trainer"),
    ):
        r = results[key]
        print(
            f"  {label:<22} {r['tokens_per_second']:8.1f} non-padding tokens/s   "
            f"padding {r['padding_share']:6.1%}   steps {r['steps']}"
        )
    a, b, c = (results[k]["tokens_per_second"] for k in ("engine", "tutorial", "bare"))
    print(f"  (a)/(b) = {a / b:.2f}   target >= 3.0   {'ok' if a / b >= 3.0 else 'MISSED'}")
    print(f"  (a)/(c) = {a / c:.2f}   target >= 1.0   {'ok' if a / c >= 1.0 else 'MISSED'}")
    pow_norm = results["engine_pow"]["tokens_per_second"]
    print(f"  (a)/(a') = {a / pow_norm:.2f}   the square RMSNorm's gain (engine/kernels.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
