"""User-facing texts that the GUI derives from core values, translated through Qt.

Core and engine speak English (their messages also go to logs and terminals); the GUI shows a
translated title for every outcome and a translated explanation for every known error kind,
followed by the engine's own specifics, which arrive as ``core.messages`` Texts (a template
and its params) and are shown in the UI language too.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from lora_studio.core import events as ev
from lora_studio.core import messages
from lora_studio.core.events import ErrorKind
from lora_studio.core.outcome import Outcome, Status

translate = QCoreApplication.translate  # lupdate reads translate("Text", "...") calls


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(seconds)
    if seconds >= 3600:
        return translate("Text", "%dh %02dm") % (seconds // 3600, seconds % 3600 // 60)
    if seconds >= 60:
        return translate("Text", "%dm %02ds") % (seconds // 60, seconds % 60)
    return translate("Text", "%ds") % seconds


def outcome_title(status: str) -> str:
    return {
        Status.COMPLETED: translate("Text", "Training finished."),
        Status.STOPPED: translate("Text", "Training stopped; a checkpoint was saved."),
        Status.FAILED: translate("Text", "Training failed."),
        Status.CRASHED: translate("Text", "The engine stopped unexpectedly."),
        Status.TERMINATED: translate("Text", "The engine did not stop when asked and was ended."),
        Status.FAILED_TO_START: translate("Text", "The engine could not be started."),
    }.get(status, status)


def error_kind_text(kind: str) -> str:
    return {
        ErrorKind.OUT_OF_MEMORY: translate(
            "Text",
            "Out of memory. Lower the batch size (raise accumulation to "
            "keep the effective batch), turn on gradient checkpointing, "
            "shorten the sequences or lower the LoRA rank.",
        ),
        ErrorKind.MODEL_NOT_FOUND: translate(
            "Text", "The model could not be found or is incomplete."
        ),
        ErrorKind.ADAPTER_MISMATCH: translate("Text", "The adapter does not fit this base model."),
        ErrorKind.DISK_FULL: translate(
            "Text", "The disk is full. Free some space, then resume the run."
        ),
        ErrorKind.READ_ONLY: translate(
            "Text", "The folder is read-only. Choose a runs folder on a writable drive."
        ),
        ErrorKind.PERMISSION_DENIED: translate(
            "Text", "No permission to write there. Choose a folder of your own for the runs."
        ),
        ErrorKind.NAN_LOSS: translate(
            "Text", "The training diverged (NaN). Lower the learning rate and start again."
        ),
        ErrorKind.BAD_DATASET: translate("Text", "The dataset cannot be used."),
        ErrorKind.BAD_CONFIG: translate("Text", "These settings cannot start a run."),
        ErrorKind.UNSUPPORTED: translate(
            "Text", "This is not supported (by this app or the installed PaddlePaddle build)."
        ),
        ErrorKind.BAD_MODEL_FILE: translate(
            "Text", "The model file is damaged, truncated or not a model file."
        ),
    }.get(kind, "")


def message_text(text: messages.Text | dict | None, fallback: str = "") -> str:
    """A core or engine message in the UI language: its template translated, then its params
    filled in. ``fallback`` (the English words) when there is no usable Text."""
    if isinstance(text, dict):
        text = messages.from_dict(text)
    if text is None:
        return fallback
    return messages.render(text, lambda template: translate("", template))


def outcome_text(outcome: Outcome) -> tuple[str, str]:
    """(title, details) for a message box or the status line."""
    title = outcome_title(outcome.status)
    parts = []
    if outcome.status == Status.FAILED:
        explained = error_kind_text(outcome.error_kind)
        if explained:
            parts.append(explained)
        parts.append(message_text(outcome.texts.get("message"), outcome.message))
        if outcome.hint:
            parts.append(message_text(outcome.texts.get("hint"), outcome.hint))
    elif outcome.status in (Status.CRASHED, Status.FAILED_TO_START):
        parts.append(outcome.message)
        parts.append(
            translate(
                "Text",
                "The log shows the engine's output. Resume continues from the last checkpoint.",
            )
        )
    elif outcome.status == Status.TERMINATED:
        parts.append(translate("Text", "The last checkpoint is kept; Resume continues from it."))
    return title, "\n\n".join(p for p in parts if p)


def error_event_text(event: ev.Error) -> str:
    """What a run's error event says (kind, message, what to do), in the UI language: for a run
    reopened from its files."""
    texts = event.texts if isinstance(event.texts, dict) else {}
    failed = Outcome(
        Status.FAILED, str(event.message), str(event.hint), None, event.kind, texts=texts
    )
    return outcome_text(failed)[1]


def loading_text(stage: str, message: str | dict, progress: float = 0.0) -> str:
    """An engine's loading step in the UI language: a message sent as a Text (an evaluation's
    "Answering record 3 of 20") translated, else by its stage (the engine's English message goes
    to the log); an unknown stage keeps the engine's words."""
    if isinstance(message, dict):
        label = message_text(message, stage)
        return f"{label} ({progress:.0%})" if 0 < progress < 1 else label
    label = {
        "framework": translate("Text", "Loading PaddlePaddle"),
        "tokenizer": translate("Text", "Loading the tokenizer"),
        "model": translate("Text", "Loading the model"),
        "adapter": translate("Text", "Loading the LoRA adapter"),
        "merge": translate("Text", "Merging the adapter"),
        "dataset": translate("Text", "Tokenising the dataset"),
        "weights": translate("Text", "Converting the weights"),
    }.get(stage, message)
    if progress >= 1.0:
        return label + " ✓"
    return f"{label} ({progress:.0%})" if progress > 0 else label + "…"


def warning_text(code: str, message: str | dict, hint: str | dict = "") -> str:
    """An engine warning in the UI language where its code is known or it came as Texts; else
    its own words."""
    hint_part = message_text(hint) if isinstance(hint, dict) else hint
    known = {
        "overfitting": translate(
            "Text",
            "Eval loss is rising while the training loss keeps falling: the model is learning "
            "its training records by heart (overfitting). Use an earlier checkpoint, fewer "
            "epochs or a lower learning rate, or add more varied records.",
        ),
        "eval_not_improving": translate(
            "Text",
            "Eval loss is not improving while the training loss falls: what the model learns "
            "does not carry over to the held-out records. They may be unlike the training "
            "records, or there are too few records to generalise from: add more varied "
            "records, or lower the learning rate or the LoRA rank.",
        ),
    }.get(code)
    if known:
        return known
    return f"{message_text(message) if isinstance(message, dict) else message} {hint_part}".strip()


def rung_text(code: str, change: str) -> str:
    label = {
        "halve_batch": translate("Text", "half the batch size and twice the accumulation"),
        "gradient_checkpointing": translate("Text", "gradient checkpointing"),
        "shorter_sequences": translate("Text", "shorter sequences"),
        "lower_rank": translate("Text", "a lower LoRA rank (starting over)"),
    }.get(code, code)
    return f"{label} ({change})"


def problem_text(text: str) -> str:
    """A field problem from ``RunConfig.problems()`` (core speaks English) in the UI language."""
    return {
        "required": translate("Text", "required"),
        "must be at least 1": translate("Text", "must be at least 1"),
        "must be at least 8": translate("Text", "must be at least 8"),
        "must be above 0 (or set max_steps)": translate(
            "Text", "must be above 0 (or set max_steps)"
        ),
        "must be between 0 and 1": translate("Text", "must be between 0 and 1"),
        "must be from 0 to below 1": translate("Text", "must be from 0 to below 1"),
        "must be from 0 to 0.5": translate("Text", "must be from 0 to 0.5"),
        "must be above 0": translate("Text", "must be above 0"),
        "name at least one projection": translate("Text", "Choose at least one target module."),
        "choose bf16 or fp16, not both": translate("Text", "choose bf16 or fp16, not both"),
    }.get(text, text)


def problem_kind_names() -> dict[str, str]:
    """The name of each kind of dataset problem (``core.checks.KINDS``)."""
    return {
        "empty": translate("Text", "empty"),
        "duplicate": translate("Text", "duplicate"),
        "near_duplicate": translate("Text", "near duplicate (spaces, letter case)"),
        "too_long": translate("Text", "longer than the maximum length"),
        "whitespace": translate("Text", "leading or trailing whitespace"),
        "encoding": translate("Text", "� characters: wrong encoding?"),
        "placeholder": translate("Text", "template placeholders such as {{name}}"),
        "tool_call": translate("Text", "a tool call that is not valid JSON"),
    }


def preset_label(key: str, fallback: str) -> str:
    """A model preset's name as the app shows it: the two models made here in the UI language
    (the demo speaks English only, which a Chinese user needs to know), others as named."""
    from lora_studio.core.presets import DEMO_MODEL, TEST_MODEL

    return {
        DEMO_MODEL: translate("Text", "SmolLM2-135M-Instruct (demo, offline, English)"),
        TEST_MODEL: translate("Text", "Test model (random weights: learns its data, nothing else)"),
    }.get(key, fallback)
