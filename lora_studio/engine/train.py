"""``main.py train``: a LoRA fine-tune with PaddleFormers' Trainer, reported as events.

The run folder ends up with ``run_config.json``, ``events.jsonl``, ``checkpoints/`` and the final
``adapter/``. A stop request (``stop`` on stdin, Ctrl-C, SIGTERM, CTRL_BREAK) saves a checkpoint
and the adapter and ends cleanly; ``--resume`` continues from the newest complete checkpoint.
"""

from __future__ import annotations

import math
import os
import shutil
import time
from typing import Any

from lora_studio.core import events as ev
from lora_studio.core import runs, units
from lora_studio.core.atomic import recover_dir, replace_dir, temp_dir_for, write_text_atomic
from lora_studio.core.config import CONFIG_FILE_NAME, RunConfig
from lora_studio.core.dataset_io import DatasetError
from lora_studio.core.events import ErrorKind
from lora_studio.core.messages import say
from lora_studio.core.training_data import read_for_training
from lora_studio.engine import data as datamod
from lora_studio.engine.demo_model import remove_stray_files
from lora_studio.engine.distributed import alone, barrier, check_world, world
from lora_studio.engine.errors import (
    EngineError,
    bad_dataset,
    check_writable,
    file_access_error,
)
from lora_studio.engine.jobs import StopRequest
from lora_studio.engine.loading import (
    DownloadStopped,
    import_paddle,
    load_model,
    load_tokenizer,
    resolve_model,
)
from lora_studio.engine.reporter import Reporter
from lora_studio.engine.trainer import EventCallback, build_trainer, restore_rng_callback

RUN_FILES = (
    runs.CHECKPOINTS,
    runs.ADAPTER,
    runs.EVENTS_FILE,
    CONFIG_FILE_NAME,
    runs.MERGED_DIR,
    runs.SEALED_FORMAT_FILE,
)


def prepare_run_dir(config: RunConfig, resume: bool) -> None:
    run_dir = config.output_dir
    os.makedirs(run_dir, exist_ok=True)
    if set(os.listdir(run_dir)) - {runs.LOGS} and not resume:
        if not config.overwrite_output_dir:
            raise EngineError(
                ErrorKind.BAD_CONFIG,
                say("The run folder {path} already holds a run.", path=run_dir),
                say(
                    "Resume it with --resume, replace it with --overwrite_output_dir, or "
                    "choose another --output_dir."
                ),
            )
        for name in RUN_FILES:
            path = os.path.join(run_dir, name)
            try:
                if os.path.isdir(path):
                    shutil.rmtree(path)
                elif os.path.exists(path):
                    os.remove(path)
            except OSError as exc:
                raise file_access_error(exc, path) from None
    runs.mark_sealed(run_dir)


def resume_checkpoint(config: RunConfig, reporter: Reporter) -> str:
    """The newest complete checkpoint; incomplete ones are set aside, and the user told why."""
    run_dir = config.output_dir
    moved = runs.set_aside_incomplete(run_dir) if os.path.isdir(run_dir) else []
    checkpoint = runs.last_checkpoint(run_dir) or ""
    for name, why, target in moved:
        reporter.emit(
            ev.Warning(
                code="incomplete_checkpoint",
                message=f"{name} cannot be resumed from: {why}. It was moved to {target}"
                + (
                    f"; resuming from {os.path.basename(checkpoint)} instead."
                    if checkpoint
                    else "."
                ),
                hint="Nothing was deleted; remove the incomplete copy once you no longer need it.",
            )
        )
    if not checkpoint:
        raise EngineError(
            ErrorKind.BAD_CONFIG,
            say(
                "There is no checkpoint to resume from in {path} (the only ones were incomplete).",
                path=run_dir,
            )
            if moved
            else say("There is no checkpoint to resume from in {path}.", path=run_dir),
            say("Start the run again without --resume."),
        )
    return checkpoint


def load_dataset(config: RunConfig, reporter: Reporter | None = None) -> list:
    """The records, read by the same code as the dataset editor and ``dataset check``."""
    try:
        data = read_for_training(config.dataset_path)
    except DatasetError as exc:
        raise bad_dataset(exc) from None
    if reporter is not None:
        for note in data.notes:
            reporter.emit(ev.Warning(code="dataset_note", message=note, hint=""))
    return data.records


def run_train(
    config: RunConfig, reporter: Reporter, resume: bool = False, stop: StopRequest | None = None
) -> ev.Finished:
    """Train; returns the Finished event. Raises EngineError for every expected failure."""
    started_at = time.time()
    stop = stop or StopRequest()
    here = world()
    records = load_dataset(config, reporter if here.main else None)  # before the run folder
    check_world(config, here, resume)
    if here.distributed:  # the ranks meet before anything touches the run folder
        paddle = import_paddle(reporter.emit)
        from lora_studio.engine.distributed import init

        init(here)
    if not here.main:
        barrier(here)  # rank 0 has prepared the run folder and resolved the model
        model_name = resolve_model(config.model_name_or_path, config.download_source, _quiet, stop)
        resume_from = (runs.last_checkpoint(config.output_dir) or "") if resume else ""
    else:
        check_writable(config.output_dir)  # read-only, no permission, disk full: said at once
        resume_from = resume_checkpoint(config, reporter) if resume else ""
        try:
            model_name = resolve_model(
                config.model_name_or_path, config.download_source, reporter.emit, stop
            )
        except DownloadStopped as stopped:
            return stopped.finished
        prepare_run_dir(config, resume)
        config.world_size = here.size
        config.save(os.path.join(config.output_dir, CONFIG_FILE_NAME))
        reporter.attach_log(os.path.join(config.output_dir, runs.EVENTS_FILE))
        barrier(here)

    if not here.distributed:
        paddle = import_paddle(reporter.emit)
    if stop.installed:
        stop.install_signals()
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
            world_size=here.size,
        )
    )
    bf16, fp16 = _precision(config, dev, bf16_supported, reporter)
    if config.weight_quantization != "none" and dev != "gpu":
        raise EngineError(
            ErrorKind.UNSUPPORTED,
            say(
                "{quantization} base weights need an NVIDIA GPU and the CUDA build of Paddle "
                "(weight-only kernels); this run would be on the CPU.",
                quantization=config.weight_quantization,
            ),
            say(
                "Set the base weights to 16-bit (weight_quantization none), or train on a "
                "machine with an NVIDIA GPU and paddlepaddle-gpu."
            ),
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

    total_steps = _total_steps(config, len(train_set), here.size)
    if here.main:
        check_free_space(config, model)
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
        config, model, train_set, eval_set, collator, dev, bf16, fp16, tokenizer, here
    )
    callback = EventCallback(
        reporter,
        collator,
        stop,
        total_steps,
        dev == "gpu",
        os.path.join(config.output_dir, runs.CHECKPOINTS),
        here,
    )
    trainer.add_callback(callback)
    if resume_from:
        trainer.add_callback(restore_rng_callback(trainer, resume_from))
    trainer.train(resume_from_checkpoint=resume_from or None)

    adapter_dir = os.path.join(config.output_dir, runs.ADAPTER)
    if here.main:
        with alone(here):
            save_adapter(model, adapter_dir, model_name)
    barrier(here)  # no rank leaves (and the launcher reports success) before the adapter is out
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


def _quiet(event: Any) -> None:
    """Ranks other than 0 say nothing about a model rank 0 has already fetched."""


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
    with_tools = sum(r.uses_tools for r in records)
    if with_tools and not datamod.template_supports_tools(tokenizer):
        raise EngineError(
            ErrorKind.BAD_DATASET,
            say(
                "{count} record(s) of {path} use tools (function calls), but this model's chat "
                "template has no tool support: the tool list would be lost.",
                count=with_tools,
                path=config.dataset_path,
            ),
            say(
                "Train a model whose chat template renders tools (Qwen2.5 and Qwen3 do), or "
                "remove the tool records."
            ),
        )
    train_seqs, train_stats = datamod.encode_records(
        tokenizer,
        [records[i] for i in train_idx],
        config.max_seq_length,
        config.overlong,
        progress,
        train_on=config.train_on,
    )
    eval_seqs, eval_stats = datamod.encode_records(
        tokenizer,
        [records[i] for i in eval_idx],
        config.max_seq_length,
        config.overlong,
        train_on=config.train_on,
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
    one_turn = train_stats.last_turn_only + eval_stats.last_turn_only
    if one_turn:
        reporter.emit(
            ev.Warning(
                code="last_turn_only",
                message=f"{one_turn} multi-turn record(s) are trained on their last answer only: "
                "this model's chat template renders earlier turns differently once later ones "
                "follow.",
                hint="Nothing to do; split such conversations into one record per answer to "
                "train on every answer.",
            )
        )
    if not train_seqs:
        raise EngineError(
            ErrorKind.BAD_DATASET,
            say(
                "No record of {path} fits in max_seq_length {limit} tokens.",
                path=config.dataset_path,
                limit=config.max_seq_length,
            ),
            say("Raise max_seq_length or shorten the prompts."),
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
            say(
                "None of the target modules ({modules}) exists in this model.",
                modules=list(config.target_modules),
            ),
            say("Use projection names of the model, e.g. q_proj,k_proj,v_proj,o_proj."),
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


def _total_steps(config: RunConfig, n_train: int, world_size: int = 1) -> int:
    if config.max_steps > 0:
        return config.max_steps
    batches = math.ceil(n_train / (config.per_device_train_batch_size * world_size))
    accumulation = min(config.gradient_accumulation_steps, batches)
    per_epoch = max(1, batches // accumulation)
    return max(1, math.ceil(per_epoch * config.num_train_epochs))


def save_adapter(model: Any, adapter_dir: str, base: str) -> None:
    """Write the adapter complete under a temporary name, then swap it in (core/atomic.py)."""
    import json

    recover_dir(adapter_dir, drop_unfinished=True)  # what a killed earlier save left behind
    tmp = temp_dir_for(adapter_dir)
    try:
        model.save_pretrained(tmp)
        path = os.path.join(tmp, runs.ADAPTER_CONFIG)
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        data["base_model_name_or_path"] = os.path.abspath(base) if os.path.exists(base) else base
        write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False))
        remove_stray_files(tmp)
        replace_dir(tmp, adapter_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


# A PaddleFormers checkpoint of a LoRA run holds the whole model's weights (model_state), AdamW's
# two moments and a master copy of each trainable parameter, the tokenizer files, and the
# scheduler, RNG and trainer state.
CHECKPOINT_BYTES_PER_TRAINABLE = 12
CHECKPOINT_OVERHEAD_BYTES = 16 * 1024**2


def needed_space(model_bytes: int, trainable: int, keep: int) -> int:
    """Bytes the run will write: ``keep`` checkpoints plus the one being written before the
    oldest goes, and the adapter (its weights in fp32)."""
    checkpoint = (
        model_bytes + trainable * CHECKPOINT_BYTES_PER_TRAINABLE + CHECKPOINT_OVERHEAD_BYTES
    )
    return (keep + 1) * checkpoint + trainable * 4


def check_free_space(config: RunConfig, model: Any) -> None:
    model_bytes = trainable = 0
    for p in model.parameters():
        count = int(math.prod(p.shape))
        model_bytes += count * p.element_size()
        if not p.stop_gradient:
            trainable += count
    need = needed_space(model_bytes, trainable, config.save_total_limit)
    free = shutil.disk_usage(config.output_dir).free
    if free < need:
        raise EngineError(
            ErrorKind.DISK_FULL,
            say(
                "Not enough disk space for this run: its {checkpoints} checkpoint(s) and adapter "
                "need about {need}, and {free} is free on the drive of {path}.",
                checkpoints=config.save_total_limit,
                need=units.size(need),
                free=units.size(free),
                path=config.output_dir,
            ),
            say(
                "Free some disk space or choose a runs folder on another drive; lowering "
                "'checkpoints kept' (save_total_limit) also saves space."
            ),
        )
