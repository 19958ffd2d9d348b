"""The runs folder: one sub-folder per training run, summarised from its config and event log."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

from lora_studio.core import events as ev
from lora_studio.core.config import CONFIG_FILE_NAME, ConfigError, RunConfig

MERGED_DIR = "merged"  # a run's merged model, written by ``main.py merge`` from the GUI

EVENTS_FILE = "events.jsonl"


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
    checkpoints = os.path.join(path, "checkpoints")
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
        has_adapter=os.path.isfile(os.path.join(path, "adapter", "lora_config.json")),
        has_checkpoint=os.path.isdir(checkpoints)
        and any(n.startswith("checkpoint-") for n in os.listdir(checkpoints)),
        has_merged=os.path.isfile(os.path.join(path, MERGED_DIR, "config.json")),
        error=error,
    )


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

    kind: str  # merged / adapter / model
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
            out.append(ChatSource("merged", run.name, model=os.path.join(run.path, MERGED_DIR)))
        if run.has_adapter:
            out.append(ChatSource("adapter", run.name, adapter=run.path))
    return out
