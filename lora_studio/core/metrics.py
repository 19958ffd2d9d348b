"""Metric series for the training plots: growable arrays fed by step and eval events.

The live view and a reopened run share this code: a run's ``events.jsonl`` replayed through
``MetricHistory.add`` gives exactly the curves that were drawn while it trained.

Series are ``array('d')``: contiguous doubles with amortised O(1) append, copied into numpy at
most four times a second for drawing. Not importing numpy here keeps 90 ms off the window's
start-up.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from lora_studio.core import events as ev


class Series:
    """x/y pairs in growable arrays of doubles."""

    def __init__(self) -> None:
        self.x = array("d")
        self.y = array("d")

    def append(self, x: float, y: float | None) -> None:
        if y is None:
            return
        self.x.append(x)
        self.y.append(y)

    def truncate_after(self, x: float) -> None:
        """Forget points beyond ``x`` (a resumed run replays the steps after its checkpoint)."""
        keep = len(self.x)
        while keep and self.x[keep - 1] > x:
            keep -= 1
        del self.x[keep:]
        del self.y[keep:]

    def __len__(self) -> int:
        return len(self.x)


def smooth(values: Sequence[float], weight: float = 0.9) -> list[float]:
    """TensorBoard-style exponential moving average with bias correction."""
    out = []
    last = 0.0
    for i, value in enumerate(values):
        last = weight * last + (1 - weight) * value
        out.append(last / (1 - weight ** (i + 1)))
    return out


class MetricHistory:
    NAMES = (
        "loss",
        "eval_loss",
        "learning_rate",
        "tokens_per_second",
        "memory_mb",
        "peak_memory_mb",
        "gpu_memory_mb",
        "gpu_utilisation",
    )

    def __init__(self) -> None:
        self.series = {name: Series() for name in self.NAMES}
        self.total_steps = 0
        self.last_step: ev.Step | None = None
        self.overfitting_step: int | None = None  # where the engine saw eval loss turn up

    def __getitem__(self, name: str) -> Series:
        return self.series[name]

    def add(self, event: ev.Event) -> bool:
        """Take one event; True when it changed a curve."""
        if isinstance(event, ev.Started) and event.resume_from:
            # steps after the checkpoint are trained again: drop them so the curve joins cleanly
            step = _checkpoint_step(event.resume_from)
            if step is not None:
                for series in self.series.values():
                    series.truncate_after(step)
            return True
        if isinstance(event, ev.Step):
            self.last_step = event
            self.total_steps = event.total_steps
            s = event.step
            self["loss"].append(s, event.loss)
            self["learning_rate"].append(s, event.learning_rate)
            self["tokens_per_second"].append(s, event.tokens_per_second)
            self["memory_mb"].append(s, event.memory_mb)
            self["peak_memory_mb"].append(s, event.peak_memory_mb)
            return True
        if isinstance(event, ev.Eval):
            self["eval_loss"].append(event.step, event.eval_loss)
            return True
        if isinstance(event, ev.Warning) and event.code == OVERFITTING:
            self.overfitting_step = int(self.last_step.step) if self.last_step else 0
            return True
        return False

    @classmethod
    def from_events(cls, events: list[ev.Event]) -> MetricHistory:
        history = cls()
        for event in events:
            history.add(event)
        return history


OVERFITTING = "overfitting"
RISE = 1.05  # eval loss 5% above its best
FALL = 0.98  # training loss 2% below where it was at that best


def overfitting_since(
    train: Sequence[tuple[float, float]], evals: Sequence[tuple[float, float]]
) -> int | None:
    """The step of the best eval loss when eval loss has since risen while training loss kept
    falling (the model learns its training records by heart and gets worse at new ones); None
    otherwise. ``train`` and ``evals`` are (step, loss) pairs in step order."""
    if len(evals) < 2:
        return None
    best_step, best = min(evals, key=lambda pair: pair[1])
    last_step, last = evals[-1]
    if last_step <= best_step or last < best * RISE:
        return None
    before = [loss for step, loss in train if step <= best_step][-5:]
    after = [loss for step, loss in train if best_step < step <= last_step][-5:]
    if not before or not after:
        return None
    if sum(after) / len(after) > FALL * sum(before) / len(before):
        return None
    return int(best_step)


EVAL_FLAT = "eval_not_improving"
FLAT_WITHIN = 0.98  # eval loss never 2% below its first value
TRAIN_FELL = 0.75  # while training loss fell by a quarter or more


def eval_not_improving(
    train: Sequence[tuple[float, float]], evals: Sequence[tuple[float, float]]
) -> tuple[float, float, float] | None:
    """(first eval loss, training loss then, training loss now) when at least three evaluations
    never improved on the first while the training loss fell by a quarter or more: what the
    model learns does not carry over to records it has not seen (an eval loss flat at 7.7 while
    training loss fell to 2.4, in one GUI trial). None otherwise."""
    if len(evals) < 3:
        return None
    first_step, first = evals[0]
    if min(loss for _step, loss in evals) < first * FLAT_WITHIN:
        return None
    before = [loss for step, loss in train if step <= first_step][-5:]
    recent = [loss for step, loss in train if step > first_step][-5:]
    if not before or not recent:
        return None
    then, now = sum(before) / len(before), sum(recent) / len(recent)
    return (first, then, now) if now <= TRAIN_FELL * then else None


def _checkpoint_step(path: str) -> int | None:
    name = path.rstrip("/\\").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if name.startswith("checkpoint-") and name[11:].isdigit():
        return int(name[11:])
    return None
