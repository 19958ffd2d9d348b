"""Failures of engine jobs as a kind, a plain message and what to do: never a traceback."""

from __future__ import annotations

import errno
import glob
import json
import os

from lora_studio.core.events import Error, ErrorKind

WEIGHT_PATTERNS = ("*.safetensors", "*.pdparams", "*.bin")
TOKENIZER_FILES = ("tokenizer.json", "vocab.json", "tokenizer.model", "spm.model")


NAN_HINT = (
    "Lower the learning rate (for example by 10x), keep gradient clipping on "
    "(max_grad_norm 1.0), or switch from fp16 to bf16 or fp32, then start again."
)


class EngineError(Exception):
    """An expected failure with a message for the user; the CLI turns it into an error event."""

    def __init__(self, kind: str, message: str, hint: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.hint = hint
        self.detail = detail

    def event(self) -> Error:
        return Error(kind=self.kind, message=self.message, hint=self.hint, detail=self.detail)


def _text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def classify(exc: BaseException) -> EngineError:
    """Map an exception raised while training, merging or chatting to a user-facing error."""
    if isinstance(exc, EngineError):
        return exc
    text = _text(exc)
    lowered = text.lower()
    if (
        isinstance(exc, MemoryError)
        or "out of memory" in lowered
        or "resourceexhausted" in lowered
        or "cudaerrormemoryallocation" in lowered
        or "cannot allocate memory" in lowered
    ):
        return EngineError(
            ErrorKind.OUT_OF_MEMORY,
            "The training ran out of memory.",
            "Lower the batch size (and raise gradient accumulation to keep the effective batch), "
            "turn on gradient checkpointing, shorten the maximum sequence length, or lower the "
            "LoRA rank. The Hardware wizard recommends settings that fit your card.",
            text,
        )
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return file_access_error(exc, exc.filename or "")
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "no space left" in lowered:
        return EngineError(
            ErrorKind.DISK_FULL,
            "The disk is full: a file could not be written.",
            "Free some disk space or choose a runs folder on another drive, then resume the run; "
            "lowering 'checkpoints kept' also saves space.",
            text,
        )
    if isinstance(exc, ValueError) and ("nan" in lowered or " inf" in lowered):
        return EngineError(
            ErrorKind.NAN_LOSS,
            "The loss became NaN or infinite: the training diverged.",
            NAN_HINT,
            text,
        )
    return EngineError(
        ErrorKind.INTERNAL,
        f"Unexpected error: {text}",
        "The log shows the details. If it happens again, report it with the run's events.jsonl.",
        text,
    )


def file_access_error(exc: OSError, path: str) -> EngineError:
    """A folder or file that cannot be written: read-only, or not this user's to write."""
    where = path or str(exc.filename or "")
    if exc.errno == errno.EROFS:
        return EngineError(
            ErrorKind.READ_ONLY,
            f"{where} is on a read-only drive or folder: nothing can be saved there.",
            "Choose a runs folder on a writable drive (Settings, or --output_dir), then start "
            "again.",
            _text(exc),
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return EngineError(
            ErrorKind.PERMISSION_DENIED,
            f"No permission to write to {where}.",
            "Choose a folder of your own for the run (Settings, or --output_dir), or ask the "
            "folder's owner for write access, then start again.",
            _text(exc),
        )
    if exc.errno == errno.ENOSPC:
        return classify(exc)
    return EngineError(
        ErrorKind.BAD_CONFIG,
        f"{where} cannot be written ({exc.strerror or exc}).",
        "Choose another folder for the run, then start again.",
        _text(exc),
    )


def check_writable(folder: str) -> None:
    """Create ``folder`` and write a probe file there, before any slow work; raises the
    matching EngineError (read-only, permission, disk full) when that fails."""
    probe = os.path.join(folder, f".write-test-{os.getpid()}")
    try:
        os.makedirs(folder, exist_ok=True)
        with open(probe, "wb") as handle:
            handle.write(b"0" * 4096)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise file_access_error(exc, folder) from None
    finally:
        try:
            os.remove(probe)
        except OSError:
            pass


def check_model_dir(path: str) -> None:
    """Refuse a local model folder that cannot load, before the slow import of Paddle."""
    if not os.path.isdir(path):
        raise EngineError(
            ErrorKind.MODEL_NOT_FOUND,
            f"Model folder not found: {path}",
            "Choose a folder that holds config.json and the model weights, or a "
            "hub name such as Qwen/Qwen2.5-0.5B-Instruct.",
        )
    missing = []
    if not os.path.isfile(os.path.join(path, "config.json")):
        missing.append("config.json")
    if not any(glob.glob(os.path.join(path, pattern)) for pattern in WEIGHT_PATTERNS):
        missing.append("model weights (*.safetensors)")
    else:
        missing.extend(_missing_shards(path))
    if not any(os.path.isfile(os.path.join(path, name)) for name in TOKENIZER_FILES):
        missing.append("tokenizer files (tokenizer.json or vocab.json)")
    if missing:
        raise EngineError(
            ErrorKind.MODEL_NOT_FOUND,
            f"The model folder {path} is incomplete: missing {', '.join(missing)}.",
            "Download or copy the whole model again; an interrupted download leaves "
            "folders like this.",
        )


def _missing_shards(path: str) -> list[str]:
    index = os.path.join(path, "model.safetensors.index.json")
    if not os.path.isfile(index):
        return []
    try:
        with open(index, encoding="utf-8") as handle:
            shards = set(json.load(handle).get("weight_map", {}).values())
    except (OSError, ValueError):
        return ["a readable model.safetensors.index.json"]
    return sorted(s for s in shards if not os.path.isfile(os.path.join(path, s)))


def looks_like_hub_name(name: str) -> bool:
    """``Org/Model`` that is not an existing path: something to fetch from a model hub."""
    if os.path.exists(name) or os.path.isabs(name) or name.startswith((".", "~")):
        return False
    parts = name.split("/")
    return len(parts) == 2 and all(parts)
