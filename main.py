"""LoRA Studio entry point: the desktop app, or an engine command (``python main.py --help``)."""

import os
import sys

if sys.stdout is None or sys.stderr is None:  # the windowed executable on Windows: no console
    sys.stdout = sys.stdout or open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    sys.stderr = sys.stderr or open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115

from lora_studio.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
