"""Failures of engine jobs as a kind, a plain message and what to do: never a traceback."""

from __future__ import annotations

import errno
import glob
import json
import os

from lora_studio.core.dataset_io import DatasetError
from lora_studio.core.events import Error, ErrorKind
from lora_studio.core.messages import Text, as_text, join_texts, say

WEIGHT_PATTERNS = ("*.safetensors", "*.pdparams", "*.bin")
TOKENIZER_FILES = ("tokenizer.json", "vocab.json", "tokenizer.model", "spm.model")


def nan_hint() -> Text:
    return say(
        "Lower the learning rate (for example by 10x), keep gradient clipping on "
        "(max_grad_norm 1.0), or switch from fp16 to bf16 or fp32, then start again."
    )


def gradients_diverged(step: int) -> EngineError:
    return EngineError(
        ErrorKind.NAN_LOSS,
        say(
            "The gradients became NaN or infinite at step {step}: the training diverged.", step=step
        ),
        say(
            "{advice} If it happens at the first step, the model's weights may be damaged.",
            advice=nan_hint(),
        ),
    )


class EngineError(Exception):
    """An expected failure with a message for the user; the CLI turns it into an error event.

    ``message`` and ``hint`` are Texts (``core.messages.say``) so that the app can show them in
    its own language; ``.message`` and ``.hint`` are their English words for logs and terminals.
    """

    def __init__(
        self, kind: str, message: Text | str, hint: Text | str = "", detail: str = ""
    ) -> None:
        self.text = as_text(message)
        self.hint_text = as_text(hint) if hint else None
        self.message = str(self.text)
        self.hint = str(self.hint_text) if self.hint_text else ""
        super().__init__(self.message)
        self.kind = kind
        self.detail = detail
        self.leaves_run_dir_alone = False  # failed before the run began: write nothing there

    def event(self) -> Error:
        texts = {"message": self.text.to_dict()}
        if self.hint_text is not None:
            texts["hint"] = self.hint_text.to_dict()
        return Error(
            kind=self.kind, message=self.message, hint=self.hint, detail=self.detail, texts=texts
        )


def bad_dataset(exc: DatasetError) -> EngineError:
    return EngineError(
        ErrorKind.BAD_DATASET,
        exc.text,
        say(
            "Fix the file (the Dataset editor or 'dataset check' shows every problem) and "
            "start again."
        ),
    )


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
            say("The training ran out of memory."),
            say(
                "Lower the batch size (and raise gradient accumulation to keep the effective "
                "batch), turn on gradient checkpointing, shorten the maximum sequence length, or "
                "lower the LoRA rank. The Hardware wizard recommends settings that fit your card."
            ),
            text,
        )
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return file_access_error(exc, exc.filename or "")
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "no space left" in lowered:
        return EngineError(
            ErrorKind.DISK_FULL,
            say("The disk is full: a file could not be written."),
            say(
                "Free some disk space or choose a runs folder on another drive, then resume the "
                "run; lowering 'checkpoints kept' also saves space."
            ),
            text,
        )
    if isinstance(exc, ValueError) and ("nan" in lowered or " inf" in lowered):
        return EngineError(
            ErrorKind.NAN_LOSS,
            say("The loss became NaN or infinite: the training diverged."),
            nan_hint(),
            text,
        )
    return EngineError(
        ErrorKind.INTERNAL,
        say("Unexpected error: {error}", error=text),
        say(
            "The log shows the details. If it happens again, report it with the run's events.jsonl."
        ),
        text,
    )


def file_access_error(exc: OSError, path: str) -> EngineError:
    """A folder or file that cannot be written: read-only, or not this user's to write."""
    where = path or str(exc.filename or "")
    if exc.errno == errno.EROFS:
        return EngineError(
            ErrorKind.READ_ONLY,
            say(
                "{path} is on a read-only drive or folder: nothing can be saved there.", path=where
            ),
            say(
                "Choose a runs folder on a writable drive (Settings, or --output_dir), then start "
                "again."
            ),
            _text(exc),
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return EngineError(
            ErrorKind.PERMISSION_DENIED,
            say("No permission to write to {path}.", path=where),
            say(
                "Choose a folder of your own for the run (Settings, or --output_dir), or ask the "
                "folder's owner for write access, then start again."
            ),
            _text(exc),
        )
    if exc.errno == errno.ENOSPC:
        return classify(exc)
    return EngineError(
        ErrorKind.BAD_CONFIG,
        say("{path} cannot be written ({reason}).", path=where, reason=exc.strerror or str(exc)),
        say("Choose another folder for the run, then start again."),
        _text(exc),
    )


def check_writable(folder: str) -> None:
    """Create ``folder`` and write a probe file there, before any slow work; raises the
    matching EngineError (read-only, permission, disk full) when that fails. A folder it had
    to create is removed again: a run that fails before it begins leaves no folder behind."""
    probe = os.path.join(folder, f".write-test-{os.getpid()}")
    created = not os.path.exists(folder)
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
            if created:
                os.rmdir(folder)
        except OSError:
            pass


def check_model_dir(path: str) -> None:
    """Refuse a local model folder that cannot load, before the slow import of Paddle."""
    if not os.path.isdir(path):
        raise EngineError(
            ErrorKind.MODEL_NOT_FOUND,
            say("Model folder not found: {path}", path=path),
            say(
                "Choose a folder that holds config.json and the model weights, or a "
                "hub name such as Qwen/Qwen2.5-0.5B-Instruct."
            ),
        )
    missing: list[Text | str] = []
    if not os.path.isfile(os.path.join(path, "config.json")):
        missing.append("config.json")
    if not any(glob.glob(os.path.join(path, pattern)) for pattern in WEIGHT_PATTERNS):
        missing.append(say("model weights (*.safetensors)"))
    else:
        missing.extend(_missing_shards(path))
    if not any(os.path.isfile(os.path.join(path, name)) for name in TOKENIZER_FILES):
        missing.append(say("tokenizer files (tokenizer.json or vocab.json)"))
    if missing:
        raise EngineError(
            ErrorKind.MODEL_NOT_FOUND,
            say(
                "The model folder {path} is incomplete: missing {missing}.",
                path=path,
                missing=join_texts(missing),
            ),
            say(
                "Download or copy the whole model again; an interrupted download leaves "
                "folders like this."
            ),
        )


def _missing_shards(path: str) -> list[Text | str]:
    index = os.path.join(path, "model.safetensors.index.json")
    if not os.path.isfile(index):
        return []
    try:
        with open(index, encoding="utf-8") as handle:
            shards = set(json.load(handle).get("weight_map", {}).values())
    except (OSError, ValueError):
        return [say("a readable model.safetensors.index.json")]
    return sorted(s for s in shards if not os.path.isfile(os.path.join(path, s)))


def looks_like_hub_name(name: str) -> bool:
    """``Org/Model`` that is not an existing path: something to fetch from a model hub."""
    if os.path.exists(name) or os.path.isabs(name) or name.startswith((".", "~")):
        return False
    parts = name.split("/")
    return len(parts) == 2 and all(parts)
