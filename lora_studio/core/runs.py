"""The runs folder: one sub-folder per training run, summarised from its config and event log."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import dataclass

from lora_studio.core import events as ev
from lora_studio.core.atomic import current_dir, fsync_tree, write_text_atomic
from lora_studio.core.config import CONFIG_FILE_NAME, ConfigError, RunConfig

MERGED_DIR = "merged"  # a run's merged model, written by ``main.py merge`` from the GUI
EXPORT_DIR = "export"  # a run's exports, one folder per format (``main.py export``)
EVAL_DIR = "eval"  # a run's evaluations, one folder each (``main.py eval``)
EVAL_RECORDS = "records.jsonl"  # in an evaluation folder: every record, both answers, scores
EVAL_GENERAL = "general.jsonl"  # in an evaluation folder: the general-ability questions
EVAL_SUMMARY = "summary.json"  # in an evaluation folder: the scores of base and tuned
EVENTS_FILE = "events.jsonl"
LOGS = "logs"  # a run of several processes: each rank's log and the launcher's (engine/launch)
CHECKPOINTS = "checkpoints"
ADAPTER = "adapter"
ADAPTER_CONFIG = "lora_config.json"
# Checkpoints found incomplete on resume are moved here, never deleted.
INCOMPLETE_CHECKPOINTS = "incomplete-checkpoints"
# Written last into a checkpoint folder, after every other file is on disk: the checkpoint counts
# only with it. It lists each file's size, so that a file damaged afterwards is noticed too.
CHECKPOINT_MARKER = "lora_studio_complete.json"
# Written into the run folder when a run starts: this run seals its checkpoints, so a checkpoint
# without the marker is incomplete. Runs from before sealing have no such file (see below).
SEALED_FORMAT_FILE = ".checkpoints-sealed"
_CHECKPOINT_NAME = re.compile(r"checkpoint-(\d+)$")
# What PaddleFormers writes into every checkpoint of a LoRA run, the scheduler last; used only
# for runs from before sealing.
_LEGACY_FILES = ("trainer_state.json", "scheduler.pdparams")


# ---- checkpoints -----------------------------------------------------------------------------
def checkpoint_dirs(run_dir: str) -> list[tuple[int, str]]:
    """(step, folder) of every ``checkpoints/checkpoint-N``, oldest first."""
    folder = os.path.join(run_dir, CHECKPOINTS)
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = []
    for name in names:
        match = _CHECKPOINT_NAME.match(name)
        path = os.path.join(folder, name)
        if match and os.path.isdir(path):
            found.append((int(match.group(1)), path))
    return sorted(found)


def checkpoint_problem(path: str) -> str:
    """Why a checkpoint folder cannot be resumed from; empty when it is complete."""
    run_dir = os.path.dirname(os.path.dirname(os.path.abspath(path)))
    sealed = os.path.isfile(os.path.join(run_dir, SEALED_FORMAT_FILE))
    marker = os.path.join(path, CHECKPOINT_MARKER)
    if not os.path.isfile(marker):
        if sealed:
            return "it was not finished (the run stopped while saving it)"
        missing = [n for n in _LEGACY_FILES if not os.path.isfile(os.path.join(path, n))]
        return f"it lacks {', '.join(missing)}" if missing else ""
    try:
        with open(marker, encoding="utf-8") as handle:
            sizes = json.load(handle)["files"]
        for name, size in sizes.items():
            actual = os.path.getsize(os.path.join(path, name))
            if actual != size:
                return f"{name} is {actual} bytes instead of {size}"
    except FileNotFoundError as exc:
        return f"{os.path.basename(exc.filename or '?')} is missing"
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return f"its {CHECKPOINT_MARKER} is damaged"
    return ""


def complete_checkpoints(run_dir: str) -> list[tuple[int, str]]:
    return [(step, path) for step, path in checkpoint_dirs(run_dir) if not checkpoint_problem(path)]


def last_checkpoint(run_dir: str) -> str | None:
    """The newest checkpoint that a run can resume from, or None."""
    complete = complete_checkpoints(run_dir)
    return complete[-1][1] if complete else None


def mark_sealed(run_dir: str) -> None:
    """Say that this run seals its checkpoints (called when training starts)."""
    os.makedirs(os.path.join(run_dir, CHECKPOINTS), exist_ok=True)
    write_text_atomic(os.path.join(run_dir, SEALED_FORMAT_FILE), "1\n")


def seal_checkpoint(path: str, step: int) -> None:
    """Mark a checkpoint complete: every file fsynced, then the marker written atomically."""
    fsync_tree(path)
    sizes = {}
    for root, _dirs, files in os.walk(path):
        for name in files:
            full = os.path.join(root, name)
            rel = os.path.relpath(full, path).replace(os.sep, "/")
            if rel != CHECKPOINT_MARKER and not name.endswith(".saving"):
                sizes[rel] = os.path.getsize(full)
    body = {"step": step, "time": time.time(), "files": sizes}
    write_text_atomic(os.path.join(path, CHECKPOINT_MARKER), json.dumps(body, indent=1) + "\n")


def set_aside_incomplete(run_dir: str) -> list[tuple[str, str, str]]:
    """Move every incomplete checkpoint to ``incomplete-checkpoints/``; returns (name, why,
    new place) for each. Nothing is deleted: the user may still want to look at them."""
    moved = []
    for _step, path in checkpoint_dirs(run_dir):
        why = checkpoint_problem(path)
        if not why:
            continue
        aside = os.path.join(run_dir, INCOMPLETE_CHECKPOINTS)
        os.makedirs(aside, exist_ok=True)
        name = os.path.basename(path)
        target, n = os.path.join(aside, name), 2
        while os.path.exists(target):
            target, n = os.path.join(aside, f"{name}-{n}"), n + 1
        os.replace(path, target)
        moved.append((name, why, target))
    return moved


def rotate_checkpoints(run_dir: str, keep: int) -> list[str]:
    """Delete the oldest complete checkpoints beyond ``keep``; incomplete ones are not counted
    and not touched, so the newest complete ones always survive."""
    complete = complete_checkpoints(run_dir)
    doomed = [path for _step, path in complete[: max(0, len(complete) - keep)]]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    return doomed


@dataclass
class RunSummary:
    path: str
    name: str
    model: str
    dataset: str
    started: float  # Unix time
    status: str  # completed / stopped / failed / incomplete
    final_loss: float | None
    duration_seconds: float
    steps: int
    total_steps: int
    has_adapter: bool
    has_checkpoint: bool
    has_merged: bool
    error: str = ""

    @property
    def can_resume(self) -> bool:
        return self.has_checkpoint and self.status != "completed"


def summarise(path: str) -> RunSummary | None:
    """Summary of one run folder, or None when the folder holds no run."""
    events_path = os.path.join(path, EVENTS_FILE)
    config_path = os.path.join(path, CONFIG_FILE_NAME)
    if not os.path.isfile(events_path) and not os.path.isfile(config_path):
        return None
    try:
        config = RunConfig.load(config_path) if os.path.isfile(config_path) else RunConfig()
    except ConfigError:
        config = RunConfig()
    events = ev.read_event_log(events_path) if os.path.isfile(events_path) else []
    status, error, final_loss, steps, total, duration = "incomplete", "", None, 0, 0, 0.0
    for event in events:
        if isinstance(event, ev.Step):
            steps, total, final_loss = event.step, event.total_steps, event.loss
        elif isinstance(event, ev.Finished):
            status = event.status
            duration += event.duration_seconds
            steps = event.step or steps
            total = event.total_steps or total
            if event.final_loss is not None:
                final_loss = event.final_loss
        elif isinstance(event, ev.Error):
            status, error = "failed", event.message
        elif isinstance(event, ev.Started):
            status = "incomplete"  # a resumed run starts over until it finishes again
    started = events[0].time if events else os.path.getmtime(path)
    merged = current_dir(os.path.join(path, MERGED_DIR))
    adapter = current_dir(os.path.join(path, ADAPTER))
    return RunSummary(
        path=path,
        name=os.path.basename(path.rstrip(os.sep)),
        model=config.model_name_or_path,
        dataset=config.dataset_path,
        started=started,
        status=status,
        final_loss=final_loss,
        duration_seconds=duration,
        steps=steps,
        total_steps=total,
        has_adapter=os.path.isfile(os.path.join(adapter, ADAPTER_CONFIG)),
        has_checkpoint=last_checkpoint(path) is not None,
        has_merged=os.path.isfile(os.path.join(merged, "config.json")),
        error=error,
    )


def has_runs(runs_dir: str) -> bool:
    """Whether ``runs_dir`` holds at least one run (cheap: for the window's first section)."""
    try:
        with os.scandir(runs_dir) as entries:
            return any(
                e.is_dir() and os.path.isfile(os.path.join(e.path, CONFIG_FILE_NAME))
                for e in entries
            )
    except OSError:
        return False


def list_runs(runs_dir: str) -> list[RunSummary]:
    """Every run in ``runs_dir``, newest first."""
    if not os.path.isdir(runs_dir):
        return []
    runs = []
    for name in os.listdir(runs_dir):
        path = os.path.join(runs_dir, name)
        if os.path.isdir(path):
            summary = summarise(path)
            if summary is not None:
                runs.append(summary)
    return sorted(runs, key=lambda r: r.started, reverse=True)


def delete_run(path: str) -> None:
    """Remove a run folder, refusing anything that does not look like one."""
    if summarise(path) is None:
        raise ValueError(f"{path} is not a run folder")
    shutil.rmtree(path)


def new_run_name(runs_dir: str, base: str) -> str:
    """A folder name under ``runs_dir`` that is not taken yet: base, base-2, base-3, ..."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in base).strip("-") or "run"
    name, i = safe, 2
    while os.path.exists(os.path.join(runs_dir, name)):
        name, i = f"{safe}-{i}", i + 1
    return name


@dataclass
class ChatSource:
    """Something the chat window can load: a merged model, a run's base + adapter, or a model."""

    kind: str  # merged / adapter / model (a folder chosen) / library (the Models section's)
    name: str  # the run's (or the model folder's) name
    model: str = ""  # a model folder; empty for "adapter" (the run names its base model)
    adapter: str = ""  # a run folder

    @property
    def can_compare(self) -> bool:
        """Base and fine-tuned answers need the adapter, switched off and on."""
        return self.kind == "adapter"

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.model}:{self.adapter}"


def chat_sources(runs_dir: str) -> list[ChatSource]:
    """For each run, newest first: its merged model, then its base model + adapter."""
    out = []
    for run in list_runs(runs_dir):
        if run.has_merged:
            merged = current_dir(os.path.join(run.path, MERGED_DIR))
            out.append(ChatSource("merged", run.name, model=merged))
        if run.has_adapter:
            out.append(ChatSource("adapter", run.name, adapter=run.path))
    return out
