"""Starts the desktop app; kept apart so that the command line never imports Qt."""

from __future__ import annotations

import sys


def launch_gui(argv: list[str]) -> int:
    sys.stderr.write(
        "The desktop app is not part of this build yet; run "
        "'python main.py quickstart' or 'python main.py --help'.\n"
    )
    return 2
