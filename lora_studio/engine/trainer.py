"""PaddleFormers' Trainer as this project uses it: length-grouped batches, checkpoints that
count only when complete, and the callback that turns the Trainer's progress into events.

Checkpoints: PaddleFormers writes ``checkpoint-N`` file by file. ``StudioTrainer`` seals each one
when the Trainer is done with it (every file fsynced, then a marker written atomically, see
``core/runs.py``) and only then deletes the oldest complete ones beyond ``save_total_limit``:
the Trainer's own rotation is off, because it runs before the new checkpoint is known complete.

``LORA_STUDIO_FAULT=kill:STEP:STAGE`` (tests only) kills the process with SIGKILL in the middle
of writing checkpoint STEP, at STAGE: ``model`` (weights written, optimizer not yet),
``optimizer`` (the optimizer file cut to half its size, as a full disk or power cut leaves it),
or ``seal`` (every file written, the marker not yet). ``LORA_STUDIO_FAULT=wait:STEP:logged``
holds the run once step STEP's progress event is out, until the file named by
``LORA_STUDIO_FAULT_RELEASE`` exists (at most two minutes): a test can then change the world
(fill the disk) at a known step, however fast the machine.
"""

from __future__ import annotations

import math
import os
import signal
import time
from typing import Any

from lora_studio.core import events as ev
from lora_studio.core.config import RunConfig, eval_every
from lora_studio.core.metrics import (
    EVAL_FLAT,
    OVERFITTING,
    eval_not_improving,
    overfitting_since,
)
from lora_studio.core.runs import CHECKPOINTS, rotate_checkpoints, seal_checkpoint
from lora_studio.engine import data as datamod
from lora_studio.engine.distributed import World, alone, any_rank, barrier, sum_ints
from lora_studio.engine.errors import gradients_diverged
from lora_studio.engine.jobs import StopRequest
from lora_studio.engine.reporter import Reporter
from lora_studio.engine.runtime import strided_views

FAULT_VARIABLE = "LORA_STUDIO_FAULT"
RELEASE_VARIABLE = "LORA_STUDIO_FAULT_RELEASE"


def _largest_file(folder: str, prefix: str) -> str:
    """The biggest file under ``folder``'s sub-folders named ``prefix*`` (the optimizer)."""
    found = []
    for root, _dirs, files in os.walk(folder):
        if os.path.basename(root).startswith(prefix):
            found += [os.path.join(root, n) for n in files]
    return max(found, key=os.path.getsize, default="")


def _fault(step: int, stage: str, path: str = "") -> None:
    """Fault injection for the kill tests: see the module docstring."""
    spec = os.environ.get(FAULT_VARIABLE, "")
    if spec == f"wait:{step}:{stage}":
        release = os.environ.get(RELEASE_VARIABLE, "")
        deadline = time.monotonic() + 120
        while release and not os.path.exists(release) and time.monotonic() < deadline:
            time.sleep(0.05)
        return
    if spec != f"kill:{step}:{stage}":
        return
    if path and os.path.isfile(path):
        with open(path, "r+b") as handle:
            handle.truncate(os.path.getsize(path) // 2)
    os.kill(os.getpid(), signal.SIGKILL)


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
    here: World | None = None,
) -> Any:
    """PaddleFormers' Trainer with length-grouped batches; shared with the throughput benchmark.
    Under several processes (``here``) each rank trains on its share of every global batch, and
    rank 0 alone seals and rotates the checkpoints once every rank has written its part."""
    from paddleformers.trainer import Trainer, TrainingArguments

    from lora_studio.engine.sampler import LengthGroupedBatchSampler

    here = here or World()
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
        save_total_limit=None,  # rotated by StudioTrainer once the new checkpoint is sealed
        evaluation_strategy="steps" if has_eval else "no",
        eval_steps=eval_every(config, len(train_set)),
        seed=config.seed,
        bf16=bf16,
        fp16=fp16,
        disable_tqdm=True,
        report_to=[],
        dataloader_num_workers=0,
        remove_unused_columns=False,
        skip_memory_metrics=True,
        lr_scheduler_type="linear",
        # several processes: plain data parallelism (the default, sharding stage 1, asserts
        # amp_master_grad; LoRA's few trainable parameters gain nothing from sharding)
        sharding="",
    )

    class StudioTrainer(Trainer):
        def _get_train_sampler(self) -> Any:
            return LengthGroupedBatchSampler(
                self.train_dataset,
                config.per_device_train_batch_size,
                config.seed,
                rank=here.rank,
                world_size=here.size,
            )

        def _save_flex_model_state(self, output_dir: str, *args: Any, **kwargs: Any) -> Any:
            result = super()._save_flex_model_state(output_dir, *args, **kwargs)
            _fault(self.state.global_step, "model")
            return result

        def _save_flex_optimizer_state(self, output_dir: str, *args: Any, **kwargs: Any) -> Any:
            result = super()._save_flex_optimizer_state(output_dir, *args, **kwargs)
            _fault(self.state.global_step, "optimizer", _largest_file(output_dir, "optimizer"))
            return result

        def _load_flex_checkpoint(self, *args: Any, **kwargs: Any) -> Any:
            # every rank reads the whole checkpoint itself: under data parallelism they hold the
            # same state, and Paddle's resharding exchange goes through .cuda() (fails on CPU)
            with alone(here):
                return super()._load_flex_checkpoint(*args, **kwargs)

        def _save_checkpoint(self, model: Any, metrics: Any = None) -> None:
            step = self.state.global_step
            super()._save_checkpoint(model, metrics=metrics)
            barrier(here)  # every rank's files (its random state) are written
            if not here.main:
                return
            _fault(step, "seal")
            seal_checkpoint(os.path.join(self.args.output_dir, f"checkpoint-{step}"), step)
            rotate_checkpoints(config.output_dir, config.save_total_limit)

    trainer = StudioTrainer(
        model=model,
        args=args,
        train_dataset=train_set,
        eval_dataset=eval_set if has_eval else None,
        data_collator=collator,
        tokenizer=tokenizer,
    )
    return trainer


def restore_rng_callback(trainer: Any, checkpoint: str) -> Any:
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
            here: World | None = None,
        ) -> None:
            self.here = here or World()
            self.reporter = reporter
            self.collator = collator
            self.stop = stop
            self.total_steps = total_steps
            self.on_gpu = on_gpu
            self.checkpoint_dir = checkpoint_dir
            self.last_loss: float | None = None
            self.grad_norm: float | None = None
            self._real = self._padded = 0  # since the last log
            self._losses: list[tuple[int, float]] = []  # (step, training loss) as logged
            self._evals: list[tuple[int, float]] = []
            self._warned_overfitting = False
            self._warned_flat = False
            self._all_real = self._all_padded = 0
            self._t_log = self._t0 = time.time()
            self._step0 = 0
            self._t_end: float | None = None

        def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            strided_views(False)  # the model and any checkpoint are loaded by now
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
                raise gradients_diverged(state.global_step + 1)
            self.grad_norm = norm

        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            if any_rank(self.here, self.stop.is_set()):
                self.stop.event.set()  # a stop that reached another rank is this rank's too
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
            self._real, self._padded = sum_ints(self.here, [self._real, self._padded])
            self._all_real += self._real
            self._all_padded += self._padded
            elapsed = now - self._t0
            done = state.global_step - self._step0
            eta = elapsed / done * (self.total_steps - state.global_step) if done else None
            current, peak = memory_mb(self.on_gpu)
            self.last_loss = float(logs["loss"])
            self._losses.append((state.global_step, self.last_loss))
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
                    world_size=self.here.size,
                )
            )
            self._real = self._padded = 0
            _fault(state.global_step, "logged")
            self._t_log = time.time()

        def on_evaluate(
            self, args: Any, state: Any, control: Any, metrics: Any = None, **kwargs: Any
        ) -> None:
            if metrics and "eval_loss" in metrics:
                eval_loss = float(metrics["eval_loss"])
                self.reporter.emit(ev.Eval(step=state.global_step, eval_loss=eval_loss))
                self._evals.append((state.global_step, eval_loss))
                best = overfitting_since(self._losses, self._evals)
                if best is not None and not self._warned_overfitting:
                    self._warned_overfitting = True
                    self.reporter.emit(
                        ev.Warning(
                            code=OVERFITTING,
                            message=f"Eval loss has risen since step {best} while training "
                            "loss kept falling: the model is learning the training records by "
                            "heart (overfitting).",
                            hint=f"Use the checkpoint nearest step {best}, train fewer epochs "
                            "or with a lower learning rate, or add more varied records.",
                        )
                    )
                flat = eval_not_improving(self._losses, self._evals)
                if flat is not None and not self._warned_flat:
                    self._warned_flat = True
                    first, then, now = flat
                    self.reporter.emit(
                        ev.Warning(
                            code=EVAL_FLAT,
                            message=f"Eval loss has not improved (about {first:.2f}) while "
                            f"training loss fell from {then:.2f} to {now:.2f}: what the model "
                            "learns does not carry over to the held-out records.",
                            hint="The held-out records may be unlike the training ones, or "
                            "there are too few records to generalise from: add more varied "
                            "records, or lower the learning rate or the LoRA rank.",
                        )
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
            strided_views(True)

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
