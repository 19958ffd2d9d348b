"""Figures as the terminal shows them (the GUI has its own, translated: ``gui/text.py``)."""

from __future__ import annotations


def duration(seconds: float | None) -> str:
    """``1h02m``, ``3m05s``, ``10s``; ``?`` when unknown."""
    if seconds is None:
        return "?"
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"
