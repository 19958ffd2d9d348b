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


def size(count: float) -> str:
    """``812 KB``, ``340.2 MB``, ``1.4 GB`` (binary units, as file managers on Windows show)."""
    if count >= 1024**3:
        return f"{count / 1024**3:.1f} GB"
    if count >= 1024**2:
        return f"{count / 1024**2:.1f} MB"
    return f"{max(0, count) / 1024:.0f} KB"
