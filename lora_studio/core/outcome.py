"""How an engine process ended, as one thing a person can read: every way maps to one Outcome."""

from __future__ import annotations

from dataclasses import dataclass, field

from lora_studio.core import events as ev


class Status:
    COMPLETED = "completed"
    STOPPED = "stopped"
    FAILED = "failed"  # the engine reported an error event
    CRASHED = "crashed"  # it died without saying why
    TERMINATED = "terminated"  # it ignored the stop request and was ended
    FAILED_TO_START = "failed_to_start"


@dataclass
class Outcome:
    status: str
    message: str
    hint: str = ""
    exit_code: int | None = None
    error_kind: str = ""
    finished: ev.Finished | None = None
    texts: dict = field(default_factory=dict)  # the error's translatable Texts (ev.Error.texts)

    @property
    def ok(self) -> bool:
        return self.status in (Status.COMPLETED, Status.STOPPED)


def decide(
    exit_code: int | None,
    last_error: ev.Error | None,
    finished: ev.Finished | None,
    forced: bool,
    stderr_tail: str = "",
) -> Outcome:
    """Combine the exit code, the last error / finished events and whether we had to force it."""
    if forced:
        return Outcome(
            Status.TERMINATED,
            "The engine did not stop when asked and was ended.",
            "The last checkpoint is kept; Resume continues from it.",
            exit_code,
        )
    if last_error is not None:
        return Outcome(
            Status.FAILED,
            last_error.message,
            last_error.hint,
            exit_code,
            last_error.kind,
            texts=last_error.texts if isinstance(last_error.texts, dict) else {},
        )
    if exit_code == 0 and finished is not None:
        status = Status.STOPPED if finished.status == "stopped" else Status.COMPLETED
        message = (
            "Training stopped; a checkpoint was saved."
            if status == Status.STOPPED
            else "Training finished."
        )
        return Outcome(status, message, "", 0, finished=finished)
    detail = stderr_tail.strip().splitlines()[-1] if stderr_tail.strip() else ""
    code = f" (exit code {exit_code})" if exit_code is not None else ""
    message = f"The engine stopped unexpectedly{code}."
    if detail:
        message += f" Last message: {detail}"
    return Outcome(
        Status.CRASHED,
        message,
        "The log pane shows its output. Resume continues from the last checkpoint.",
        exit_code,
    )
