"""Starts the desktop app; kept apart so that the command line never imports Qt."""

from __future__ import annotations


def launch_gui(argv: list[str]) -> int:
    from lora_studio.gui.app import run

    return run(argv)
