"""Start-up time: process start to main window shown, against a bare PySide6 window.

  python bench/startup.py [--runs N] [--executable PATH]

Each measurement is a fresh process; the parent notes the wall-clock time before starting it and
the child prints the time of its main window's first paint (the same event filter for both).
Medians of
N runs, offscreen. Target: LoRA Studio <= 1.5x the bare window. ``--executable`` measures a frozen
build (its ``--startup-probe`` flag) instead of ``main.py``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BARE = """
import sys
sys.path.insert(0, {root!r})
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
from lora_studio.gui.app import first_paint_time  # the same clock as the app's probe
app = QApplication([])
w = QMainWindow(); w.setCentralWidget(QLabel("hello")); w.resize(1280, 820)
print(first_paint_time(app, w), flush=True)
"""

APP = """
import sys, time
sys.path.insert(0, {root!r})
from lora_studio.gui.app import startup_probe
print(startup_probe(), flush=True)
"""


def measure(command: list[str], env: dict) -> float:
    start = time.time()
    out = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    return float(out.strip().splitlines()[-1]) - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--executable", help="a frozen LoRA Studio executable")
    args = parser.parse_args()
    profile = tempfile.mkdtemp()
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "LORA_STUDIO_CONFIG_DIR": profile,
        "LORA_STUDIO_DATA_DIR": profile,
    }
    app_cmd = (
        [args.executable, "--startup-probe"]
        if args.executable
        else [sys.executable, "-c", APP.format(root=ROOT)]
    )
    bare_cmd = [sys.executable, "-c", BARE.format(root=ROOT)]
    measure(bare_cmd, env), measure(app_cmd, env)  # warm the file cache
    bare, app = [], []
    for _ in range(args.runs):  # interleaved, so that machine noise hits both alike
        bare.append(measure(bare_cmd, env))
        app.append(measure(app_cmd, env))
    b, a = statistics.median(bare), statistics.median(app)
    what = args.executable or "main.py"
    print(f"startup: process start to window shown, offscreen, median of {args.runs}")
    print(f"  bare PySide6 window   {b * 1000:7.0f} ms")
    print(f"  LoRA Studio ({what}) {a * 1000:7.0f} ms")
    print(f"  ratio {a / b:.2f}   target <= 1.5   {'ok' if a / b <= 1.5 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
