"""The event schema spoken by engine processes and read by the GUI: one JSON object per line.

Every event is a flat JSON object with ``"v"`` (schema version), ``"type"`` and ``"time"`` (Unix
seconds) plus the fields of its type below. Readers must ignore unknown fields, and treat a line
that is not an event (not JSON, or an unknown ``type``) as plain log text. ``docs/events.md``
documents the same schema for people who script against the engine.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar

SCHEMA_VERSION = 1


# Kinds of error event. The GUI picks its recovery (the out-of-memory ladder, a file dialog, ...)
# from the kind, and shows ``message`` and ``hint`` to the user.
class ErrorKind:
    OUT_OF_MEMORY = "out_of_memory"
    MODEL_NOT_FOUND = "model_not_found"
    ADAPTER_MISMATCH = "adapter_mismatch"
    DISK_FULL = "disk_full"
    READ_ONLY = "read_only"  # the folder (or its drive) cannot be written at all
    PERMISSION_DENIED = "permission_denied"  # this user may not write (or read) there
    NAN_LOSS = "nan_loss"
    BAD_DATASET = "bad_dataset"
    BAD_CONFIG = "bad_config"
    BAD_MODEL_FILE = "bad_model_file"  # a model file that is truncated, damaged or foreign
    UNSUPPORTED = "unsupported"
    NETWORK = "network"  # a hub that does not answer, or a connection that broke mid-file
    INTERNAL = "internal"


@dataclass
class Event:
    type: ClassVar[str] = ""
    time: float = field(default_factory=time.time, kw_only=True)

    def to_dict(self) -> dict[str, Any]:
        data = {"v": SCHEMA_VERSION, "type": self.type}
        data.update({k: _json_safe(v) for k, v in asdict(self).items()})
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, allow_nan=False)


@dataclass
class Started(Event):
    """The engine has parsed its arguments and is about to load."""

    type: ClassVar[str] = "started"
    command: str
    run_dir: str = ""
    model: str = ""
    dataset: str = ""
    device: str = "cpu"
    resume_from: str = ""
    pid: int = 0
    world_size: int = 1


@dataclass
class Loading(Event):
    """Progress of a slow preparation stage (tokenizer, model, dataset, ...), 0.0 to 1.0."""

    type: ClassVar[str] = "loading"
    stage: str
    progress: float = 0.0
    message: str = ""


@dataclass
class Warning(Event):  # noqa: A001 - the event's name in the schema
    type: ClassVar[str] = "warning"
    code: str
    message: str
    hint: str = ""


@dataclass
class DatasetPrepared(Event):
    """What the tokenised dataset looks like before training starts."""

    type: ClassVar[str] = "dataset"
    records: int
    train_records: int
    eval_records: int
    truncated: int = 0
    dropped: int = 0
    train_tokens: int = 0
    max_length: int = 0
    mean_length: float = 0.0
    total_steps: int = 0


@dataclass
class Step(Event):
    """One logged optimiser step. Memory figures are MiB: GPU memory on GPU, process RSS on CPU."""

    type: ClassVar[str] = "step"
    step: int
    total_steps: int
    epoch: float
    loss: float
    learning_rate: float
    grad_norm: float | None = None
    tokens_per_second: float = 0.0
    padding_share: float = 0.0
    elapsed_seconds: float = 0.0
    eta_seconds: float | None = None
    memory_mb: float | None = None
    peak_memory_mb: float | None = None
    world_size: int = 1


@dataclass
class Download(Event):
    """Progress of a model download: the file being fetched and the whole job, in bytes.
    ``resumed_bytes`` were already on disk from an earlier, interrupted download."""

    type: ClassVar[str] = "download"
    file: str
    file_bytes: int
    file_total: int
    done_bytes: int
    total_bytes: int
    files_done: int = 0
    files_total: int = 0
    bytes_per_second: float = 0.0
    eta_seconds: float | None = None
    resumed_bytes: int = 0
    hub: str = ""


@dataclass
class Eval(Event):
    type: ClassVar[str] = "eval"
    step: int
    eval_loss: float


@dataclass
class CheckpointSaved(Event):
    type: ClassVar[str] = "checkpoint"
    step: int
    path: str


@dataclass
class Finished(Event):
    """The job ended normally. ``status`` is ``completed`` or ``stopped`` (by request)."""

    type: ClassVar[str] = "finished"
    status: str
    step: int = 0
    total_steps: int = 0
    final_loss: float | None = None
    duration_seconds: float = 0.0
    output: str = ""
    padding_share: float | None = None
    tokens_per_second: float | None = None


@dataclass
class Error(Event):
    """The job failed. ``message`` says what happened, ``hint`` what to do about it."""

    type: ClassVar[str] = "error"
    kind: str
    message: str
    hint: str = ""
    detail: str = ""
    # The same message and hint as core.messages Texts ({"message": {...}, "hint": {...}}), for
    # the app to show in its own language; absent from engines that only speak English.
    texts: dict = field(default_factory=dict)


@dataclass
class Log(Event):
    type: ClassVar[str] = "log"
    message: str
    level: str = "info"


@dataclass
class ChatReady(Event):
    """A chat process has loaded its model and waits for requests on stdin."""

    type: ClassVar[str] = "ready"
    model: str
    adapter: str = ""
    context_length: int = 0
    device: str = "cpu"
    url: str = ""  # for ``serve``: where the API listens


@dataclass
class Token(Event):
    """A piece of a reply being streamed (one or more tokens' worth of text)."""

    type: ClassVar[str] = "token"
    id: str
    text: str


@dataclass
class Reply(Event):
    """A whole reply: its text and how fast it came."""

    type: ClassVar[str] = "reply"
    id: str
    text: str
    new_tokens: int = 0
    seconds: float = 0.0
    first_token_seconds: float | None = None
    tokens_per_second: float = 0.0
    cancelled: bool = False
    dropped_turns: int = 0
    prompt_tokens: int = 0
    finish_reason: str = "stop"  # stop (end of turn), length (max_new_tokens), cancelled


EVENT_CLASSES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (
        Started,
        Loading,
        Warning,
        DatasetPrepared,
        Step,
        Download,
        Eval,
        CheckpointSaved,
        Finished,
        Error,
        Log,
        ChatReady,
        Token,
        Reply,
    )
}


def _json_safe(value: Any) -> Any:
    """NaN and infinity are not JSON: they travel as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def from_dict(data: dict[str, Any]) -> Event | None:
    """Build the typed event for a decoded JSON object, or None when it is not one of ours."""
    kind = data.get("type") if isinstance(data, dict) else None
    cls = EVENT_CLASSES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        return None
    known = {f.name for f in fields(cls)}
    kwargs = {k: v for k, v in data.items() if k in known}
    try:
        return cls(**kwargs)
    except TypeError:  # a required field is missing
        return None


def parse_line(line: str | bytes) -> Event | None:
    """Parse one line of engine output; None means "not an event, show it as log text"."""
    if isinstance(line, bytes):
        line = line.decode("utf-8", errors="replace")
    line = line.strip()
    if not line.startswith("{"):
        return None
    try:
        data = json.loads(line)
    except ValueError:
        return None
    return from_dict(data)


def read_event_log(path: str) -> list[Event]:
    """All events of a run's ``events.jsonl``, skipping lines that are not events."""
    events = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            event = parse_line(line)
            if event is not None:
                events.append(event)
    return events
