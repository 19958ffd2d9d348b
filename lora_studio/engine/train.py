"""``main.py train``: a LoRA fine-tune with PaddleFormers' Trainer, reported as events.

The run folder ends up with ``run_config.json``, ``events.jsonl``, ``checkpoints/`` and the final
``adapter/``. A stop request (``stop`` on stdin, or Ctrl-C) saves a checkpoint and ends cleanly;
``--resume`` continues from the last checkpoint.
"""

from __future__ import annotations

import math
import os
import shutil
import signal
import sys
import threading
import time
from typing import Any

from lora_studio.core import events as ev
from lora_studio.core.config import CONFIG_FILE_NAME, RunConfig
from lora_studio.core.dataset_io import DatasetError, load_records
from lora_studio.core.events import ErrorKind
from lora_studio.engine import data as datamod
from lora_studio.engine.demo_model import remove_stray_files
from lora_studio.engine.errors import NAN_HINT, EngineError
from lora_studio.engine.loading import import_paddle, load_model, load_tokenizer, resolve_model
from lora_studio.engine.reporter import Reporter

EVENTS_FILE = "events.jsonl"
CHECKPOINTS = "checkpoints"
ADAPTER = "adapter"


class StopRequest:
    """Set by a ``stop`` line on stdin or by SIGINT; checked by the trainer after each step."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def install(self) -> None:
        try:
            signal.signal(signal.SIGINT, self._on_sigint)
        except ValueError:  # not the main thread (tests calling run_train in a thread)
            pass
        if sys.stdin is not None and not sys.stdin.closed:
            threading.Thread(target=self._read_stdin, name="stop-reader", daemon=True).start()

    def _on_sigint(self, signum: int, frame: Any) -> None:
        if self.event.is_set():  # a second Ctrl-C: the user wants out now
            raise KeyboardInterrupt
        self.event.set()

    def _read_stdin(self) -> None:
        try:
            for line in sys.stdin:
                if line.strip().lower() == "stop":
                    self.event.set()
                    return
        except (OSError, ValueError):
            return

    def is_set(self) -> bool:
        return self.event.is_set()


def prepare_run_dir(config: RunConfig, resume: bool) -> None:
    run_dir = config.output_dir
    if os.path.isdir(run_dir) and os.listdir(run_dir) and not resume:
        if not config.overwrite_output_dir:
            raise EngineError(
                ErrorKind.BAD_CONFIG,
                f"The run folder {run_dir} already holds a run.",
                "Resume it with --resume, replace it with --overwrite_output_dir, or "
                "choose another --output_dir.",
            )
        for name in (CHECKPOINTS, ADAPTER, EVENTS_FILE, CONFIG_FILE_NAME, "merged"):
            path = os.path.join(run_dir, name)
            if os.path.isdir(path):
                shutil.rmtree(path)
            elif os.path.exists(path):
                os.remove(path)
    os.makedirs(os.path.join(run_dir, CHECKPOINTS), exist_ok=True)


def last_checkpoint(run_dir: str) -> str | None:
    folder = os.path.join(run_dir, CHECKPOINTS)
    if not os.path.isdir(folder):
        return None
    steps = []
    for name in os.listdir(folder):
        if name.startswith("checkpoint-") and name[11:].isdigit():
            steps.append((int(name[11:]), os.path.join(folder, name)))
    return max(steps)[1] if steps else None


def load_dataset(config: RunConfig) -> list:
    try:
        return load_records(config.dataset_path)
    except DatasetError as exc:
        raise EngineError(
            ErrorKind.BAD_DATASET,
            str(exc),
            "Fix the file (the Dataset editor shows every problem) and start again.",
        ) from None


def run_train(
    config: RunConfig, reporter: Reporter, resume: bool = False, stop: StopRequest | None = None
) -> ev.Finished:
    """Train; returns the Finished event. Raises EngineError for every expected failure."""
    started_at = time.time()
    stop = stop or StopRequest()
    records = load_dataset(config)  # before anything touches the run folder
    resume_from = ""
    if resume:
        resume_from = last_checkpoint(config.output_dir) or ""
        if not resume_from:
            raise EngineError(
                ErrorKind.BAD_CONFIG,
                f"There is no checkpoint to resume from in {config.output_dir}.",
                "Start the run again without --resume.",
            )
    model_name = resolve_model(config.model_name_or_path, config.download_source)
    prepare_run_dir(config, resume)
    config.save(os.path.join(config.output_dir, CONFIG_FILE_NAME))
    reporter.attach_log(os.path.join(config.output_dir, EVENTS_FILE))

    paddle = import_paddle(reporter.emit)
    from lora_studio.engine.runtime import bf16_supported, device

    dev = device()
    reporter.emit(
        ev.Started(
            command="train",
            run_dir=os.path.abspath(config.output_dir),
            model=model_name,
            dataset=config.dataset_path,
            device=dev,
            resume_from=resume_from,
            pid=os.getpid(),
        )
    )
    bf16, fp16 = _precision(config, dev, bf16_supported, reporter)
    if config.weight_quantization != "none" and dev != "gpu":
        raise EngineError(
            ErrorKind.UNSUPPORTED,
            f"{config.weight_quantization} base weights need an NVIDIA GPU and the CUDA build of "
            "Paddle (weight-only kernels); this run would be on the CPU.",
            "Set the base weights to 16-bit (weight_quantization none), or train on a machine "
            "with an NVIDIA GPU and paddlepaddle-gpu.",
        )
    tokenizer = load_tokenizer(model_name, reporter.emit)
    model = load_model(
        model_name,
        reporter.emit,
        on_gpu=dev == "gpu",
        dtype=_model_dtype(bf16, config.weight_quantization),
        quantization=config.weight_quantization,
    )
    if config.gradient_checkpointing:
        model.config.recompute_granularity = "full"
        model.config.recompute_method = "uniform"
        model.config.recompute_num_layers = 1

    train_set, eval_set = _encode(config, tokenizer, records, reporter)
    paddle.seed(config.seed)  # LoRA's A matrices are drawn now, before the Trainer seeds
    model = _apply_lora(model, config, model_name)

    total_steps = _total_steps(config, len(train_set))
    reporter.emit(
        ev.DatasetPrepared(
            records=len(records),
            train_records=len(train_set),
            eval_records=len(eval_set),
            truncated=train_set.stats.truncated + eval_set.stats.truncated,
            dropped=train_set.stats.dropped + eval_set.stats.dropped,
            train_tokens=sum(train_set.lengths()),
            max_length=max(train_set.lengths()),
            mean_length=sum(train_set.lengths()) / len(train_set),
            total_steps=total_steps,
        )
    )

    collator = datamod.PaddingCollator(tokenizer.pad_token_id, multiple_of=8 if dev == "gpu" else 1)
    trainer = build_trainer(
        config, model, train_set, eval_set, collator, dev, bf16, fp16, tokenizer
    )
    callback = EventCallback(
        reporter,
        collator,
        stop,
        total_steps,
        dev == "gpu",
        os.path.join(config.output_dir, CHECKPOINTS),
    )
    trainer.add_callback(callback)
    if resume_from:
        trainer.add_callback(_restore_rng_callback(trainer, resume_from))
    trainer.train(resume_from_checkpoint=resume_from or None)

    adapter_dir = os.path.join(config.output_dir, ADAPTER)
    model.save_pretrained(adapter_dir)
    _write_adapter_meta(adapter_dir, model_name)
    return ev.Finished(
        status="stopped" if stop.is_set() else "completed",
        step=trainer.state.global_step,
        total_steps=total_steps,
        final_loss=callback.last_loss,
        duration_seconds=time.time() - started_at,
        output=os.path.abspath(adapter_dir),
        padding_share=callback.padding_share(),
        tokens_per_second=callback.overall_tokens_per_second(),
    )


def _model_dtype(bf16: bool, quantization: str) -> str:
    """bf16 where asked; weight-only kernels take 16-bit inputs; otherwise fp32 (with AMP)."""
    if bf16:
        return "bfloat16"
    return "float16" if quantization != "none" else "float32"


def _precision(
    config: RunConfig, dev: str, bf16_supported: Any, reporter: Reporter
) -> tuple[bool, bool]:
    bf16, fp16 = config.bf16, config.fp16
    if dev != "gpu" and (bf16 or fp16):
        reporter.emit(
            ev.Warning(
                code="precision_fallback",
                message=f"{'bf16' if bf16 else 'fp16'} is not available on the "
                "CPU; training in fp32 instead.",
                hint="Install the GPU build of PaddlePaddle to train in 16 bits.",
            )
        )
        return False, False
    if bf16 and not bf16_supported():
        reporter.emit(
            ev.Warning(
                code="precision_fallback",
                message="This GPU does not support bf16; training in fp16 instead.",
                hint="bf16 needs an Ampere (RTX 30) or newer card.",
            )
        )
        return False, True
    return bf16, fp16


class _Split(datamod.SequenceDataset):
    def __init__(self, sequences: list, stats: datamod.EncodeStats, eval_split: bool) -> None:
        super().__init__(sequences)
        self.stats = stats
        self.eval_split = eval_split


def _encode(
    config: RunConfig, tokenizer: Any, records: list, reporter: Reporter
) -> tuple[_Split, _Split]:
    train_idx, eval_idx = datamod.split_eval(len(records), config.eval_ratio, config.seed)

    def progress(fraction: float) -> None:
        reporter.emit(
            ev.Loading(stage="dataset", progress=fraction, message="Tokenising the dataset")
        )

    progress(0.0)
    train_seqs, train_stats = datamod.encode_records(
        tokenizer, [records[i] for i in train_idx], config.max_seq_length, config.overlong, progress
    )
    eval_seqs, eval_stats = datamod.encode_records(
        tokenizer, [records[i] for i in eval_idx], config.max_seq_length, config.overlong
    )
    dropped = train_stats.dropped + eval_stats.dropped
    truncated = train_stats.truncated + eval_stats.truncated
    if dropped or truncated:
        reporter.emit(
            ev.Warning(
                code="overlong_records",
                message=f"{truncated} record(s) truncated and {dropped} dropped: longer than "
                f"max_seq_length {config.max_seq_length} tokens.",
                hint="Raise max_seq_length if memory allows, or shorten those records.",
            )
        )
    if not train_seqs:
        raise EngineError(
            ErrorKind.BAD_DATASET,
            f"No record of {config.dataset_path} fits in max_seq_length "
            f"{config.max_seq_length} tokens.",
            "Raise max_seq_length or shorten the prompts.",
        )
    eval_seqs = [datamod.EvalEncoded(s.input_ids, s.labels) for s in eval_seqs]
    return _Split(train_seqs, train_stats, False), _Split(eval_seqs, eval_stats, True)


def _apply_lora(model: Any, config: RunConfig, model_name: str) -> Any:
    from paddleformers.peft import LoRAConfig, LoRAModel

    names = {name.rsplit(".", 1)[-1] for name, _ in model.named_sublayers()}
    missing = [m for m in config.target_modules if m not in names]
    if len(missing) == len(config.target_modules):
        raise EngineError(
            ErrorKind.BAD_CONFIG,
            f"None of the target modules ({', '.join(config.target_modules)}) exists "
            "in this model.",
            "Use projection names of the model, e.g. q_proj,k_proj,v_proj,o_proj.",
        )
    alpha = config.lora_alpha
    lora_config = LoRAConfig(
        target_modules=[f".*\\.{m}$" for m in config.target_modules],
        r=config.lora_rank,
        lora_alpha=int(alpha) if float(alpha).is_integer() else alpha,
        lora_dropout=config.lora_dropout,
        merge_weights=False,
        base_model_name_or_path=model_name,
    )
    return LoRAModel(model, lora_config)


def _total_steps(config: RunConfig, n_train: int) -> int:
    if config.max_steps > 0:
        return config.max_steps
    batches = math.ceil(n_train / config.per_device_train_batch_size)
    accumulation = min(config.gradient_accumulation_steps, batches)
    per_epoch = max(1, batches // accumulation)
    return max(1, math.ceil(per_epoch * config.num_train_epochs))


def _write_adapter_meta(adapter_dir: str, base: str) -> None:
    import json

    path = os.path.join(adapter_dir, "lora_config.json")
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    data["base_model_name_or_path"] = os.path.abspath(base) if os.path.exists(base) else base
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, ensure_ascii=False)
    remove_stray_files(adapter_dir)


def build_trainer(
    config: RunConfig,
    model: Any,
    train_set: Any,
    eval_set: Any,
    collator: Any,
    dev: str,
    bf16: bool,
    fp16: bool,
    tokenizer: Any = None,
) -> Any:
    """PaddleFormers' Trainer with length-grouped batches; shared with the throughput benchmark."""
    from paddleformers.trainer import Trainer, TrainingArguments

    from lora_studio.engine.sampler import LengthGroupedBatchSampler

    has_eval = len(eval_set) > 0
    args = TrainingArguments(
        output_dir=os.path.join(config.output_dir, CHECKPOINTS),
        device=dev,
        do_train=True,
        do_eval=has_eval,
        num_train_epochs=config.num_train_epochs,
        max_steps=config.max_steps,
        per_device_train_batch_size=config.per_device_train_batch_size,
        per_device_eval_batch_size=config.per_device_train_batch_size,
        gradient_accumulation_steps=config.gradient_accumulation_steps,
        learning_rate=config.learning_rate,
        warmup_ratio=config.warmup_ratio,
        weight_decay=config.weight_decay,
        max_grad_norm=config.max_grad_norm,
        logging_steps=config.logging_steps,
        save_strategy="steps",
        save_steps=config.save_steps,
        save_total_limit=config.save_total_limit,
        evaluation_strategy="steps" if has_eval else "no",
        eval_steps=config.save_steps,
        seed=config.seed,
        bf16=bf16,
        fp16=fp16,
        disable_tqdm=True,
        report_to=[],
        dataloader_num_workers=0,
        remove_unused_columns=False,
        skip_memory_metrics=True,
        lr_scheduler_type="linear",
    )

    class StudioTrainer(Trainer):
        def _get_train_sampler(self) -> Any:
            return LengthGroupedBatchSampler(
                self.train_dataset, config.per_device_train_batch_size, config.seed
            )

    return StudioTrainer(
        model=model,
        args=args,
        train_dataset=train_set,
        eval_dataset=eval_set if has_eval else None,
        data_collator=collator,
        tokenizer=tokenizer,
    )


def _restore_rng_callback(trainer: Any, checkpoint: str) -> Any:
    """Restore the checkpoint's random state (dropout) when training (re)starts.

    PaddleFormers restores it only after skipping batches inside an epoch; a run resumed exactly
    at an epoch boundary would otherwise continue with a freshly seeded generator, and its losses
    would drift from those of an uninterrupted run.
    """
    from paddleformers.trainer import TrainerCallback

    class _RestoreRng(TrainerCallback):
        def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            trainer._load_rng_state(checkpoint)

    return _RestoreRng()


def _make_event_callback_class() -> type:
    from paddleformers.trainer import TrainerCallback

    from lora_studio.engine.runtime import memory_mb

    class _EventCallback(TrainerCallback):
        def __init__(
            self,
            reporter: Reporter,
            collator: datamod.PaddingCollator,
            stop: StopRequest,
            total_steps: int,
            on_gpu: bool,
            checkpoint_dir: str,
        ) -> None:
            self.reporter = reporter
            self.collator = collator
            self.stop = stop
            self.total_steps = total_steps
            self.on_gpu = on_gpu
            self.checkpoint_dir = checkpoint_dir
            self.last_loss: float | None = None
            self.grad_norm: float | None = None
            self._real = self._padded = 0  # since the last log
            self._all_real = self._all_padded = 0
            self._t_log = self._t0 = time.time()
            self._step0 = 0
            self._t_end: float | None = None

        def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            self._t_log = self._t0 = time.time()
            self._step0 = state.global_step
            self.total_steps = state.max_steps or self.total_steps

        def on_load_data_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            counts = self.collator.pop_counts()
            if counts is not None:
                self._real += counts.real_tokens
                self._padded += counts.padded_tokens

        def on_optimizer_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            # Every step: the norm covers LoRA's few parameters only, and it is the one reliable
            # sign of divergence (Paddle's CPU cross-entropy turns NaN logits into log(vocab)).
            norm = _grad_norm(kwargs.get("model"))
            if norm is not None and not math.isfinite(norm) and not args.fp16:
                raise EngineError(
                    ErrorKind.NAN_LOSS,
                    f"The gradients became NaN or infinite at step {state.global_step + 1}: "
                    "the training diverged.",
                    NAN_HINT + " If it happens at the first step, the model's weights may be "
                    "damaged.",
                )
            self.grad_norm = norm

        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            if self.stop.is_set():
                control.should_save = True
                control.should_training_stop = True

        def on_log(
            self, args: Any, state: Any, control: Any, logs: Any = None, **kwargs: Any
        ) -> None:
            logs = logs or {}
            if "loss" not in logs:
                return
            now = time.time()
            interval = max(now - self._t_log, 1e-9)
            self._all_real += self._real
            self._all_padded += self._padded
            elapsed = now - self._t0
            done = state.global_step - self._step0
            eta = elapsed / done * (self.total_steps - state.global_step) if done else None
            current, peak = memory_mb(self.on_gpu)
            self.last_loss = float(logs["loss"])
            self.reporter.emit(
                ev.Step(
                    step=state.global_step,
                    total_steps=self.total_steps,
                    epoch=float(state.epoch or 0),
                    loss=self.last_loss,
                    learning_rate=float(logs.get("learning_rate", 0.0)),
                    grad_norm=self.grad_norm,
                    tokens_per_second=self._real / interval,
                    padding_share=1 - self._real / self._padded if self._padded else 0.0,
                    elapsed_seconds=elapsed,
                    eta_seconds=eta,
                    memory_mb=current,
                    peak_memory_mb=peak,
                )
            )
            self._real = self._padded = 0
            self._t_log = now

        def on_evaluate(
            self, args: Any, state: Any, control: Any, metrics: Any = None, **kwargs: Any
        ) -> None:
            if metrics and "eval_loss" in metrics:
                self.reporter.emit(
                    ev.Eval(step=state.global_step, eval_loss=float(metrics["eval_loss"]))
                )
            self._t_log = time.time()  # evaluation time is not training speed

        def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            path = os.path.join(self.checkpoint_dir, f"checkpoint-{state.global_step}")
            self.reporter.emit(
                ev.CheckpointSaved(step=state.global_step, path=os.path.abspath(path))
            )

        def padding_share(self) -> float | None:
            total_padded = self._all_padded + self._padded
            if not total_padded:
                return None
            return 1 - (self._all_real + self._real) / total_padded

        def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            self._t_end = time.time()

        def overall_tokens_per_second(self) -> float | None:
            """Non-padding tokens per second over this session's training window."""
            elapsed = (self._t_end or time.time()) - self._t0
            return (self._all_real + self._real) / elapsed if elapsed > 0 else None

    return _EventCallback


def EventCallback(*args: Any, **kwargs: Any) -> Any:  # noqa: N802 - a class factory
    return _make_event_callback_class()(*args, **kwargs)


def _grad_norm(model: Any) -> float | None:
    """Global L2 norm of the trainable parameters' gradients (before clipping)."""
    if model is None:
        return None
    import paddle

    total = None
    for param in model.parameters():
        if param.stop_gradient or param.grad is None:
            continue
        square = paddle.sum(paddle.square(param.grad.astype("float32")))
        total = square if total is None else total + square
    return float(paddle.sqrt(total)) if total is not None else None
