"""LoRA Studio entry point: the desktop app, or an engine command (``python main.py --help``)."""

import sys

from lora_studio.cli import main

if __name__ == "__main__":
    sys.exit(main())
