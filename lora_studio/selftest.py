"""``LoRAStudio --self-test`` (or ``main.py --self-test``): the whole journey, checked, offline.

Builds the demo model in a temporary folder, trains a few steps, merges, answers one greedy
prompt, and opens the main window offscreen and closes it. Each step runs as the GUI would run
it: a child process of this same program (the frozen executable in an installed app). Prints one
line per check and exits non-zero on any failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

from lora_studio.core import commands
from lora_studio.core.paths import engine_command, no_window_flags, sample_dataset_path
from lora_studio.core.runs import MERGED_DIR

STEP_TIMEOUT = 600


def _run(command: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=STEP_TIMEOUT,
        creationflags=no_window_flags(),
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )


def _tail(result: subprocess.CompletedProcess) -> str:
    lines = [line for line in (result.stderr or result.stdout).splitlines() if line.strip()]
    return " | ".join(lines[-3:]) or f"exit code {result.returncode}"


def run_self_test(out=None) -> int:
    out = out or sys.stdout
    failures = 0
    # in a bundle: the console program beside the windowed app runs every command below
    out.write(f"engine: {' '.join(engine_command())}\n")
    with tempfile.TemporaryDirectory(prefix="lora-studio-self-test-") as work:
        model = os.path.join(work, "test model 测试")
        demo_dir = os.path.join(work, "demo model 演示")
        run_dir = os.path.join(work, "run")
        merged = os.path.join(run_dir, MERGED_DIR)
        env = {
            "LORA_STUDIO_DATA_DIR": os.path.join(work, "data"),
            "LORA_STUDIO_CONFIG_DIR": os.path.join(work, "config"),
            "QT_QPA_PLATFORM": "offscreen",
        }

        def demo() -> str:
            result = _run(commands.demo_model(demo_dir), env=env)
            ok = result.returncode == 0 and os.path.isfile(os.path.join(demo_dir, "config.json"))
            return "" if ok else _tail(result)

        def tiny() -> str:
            result = _run(commands.tiny_test_model(model), env=env)
            ok = result.returncode == 0 and os.path.isfile(os.path.join(model, "config.json"))
            return "" if ok else _tail(result)

        def train() -> str:
            flags = (
                "--max_steps",
                "3",
                "--per_device_train_batch_size",
                "4",
                "--gradient_accumulation_steps",
                "1",
                "--max_seq_length",
                "128",
            )
            result = _run(commands.train_flags(model, sample_dataset_path(), run_dir, *flags), env)
            events = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
            steps = [e for e in events if e.get("type") == "step"]
            ok = result.returncode == 0 and len(steps) == 3
            return "" if ok else _tail(result)

        def merge() -> str:
            result = _run(commands.merge(run_dir, merged), env=env)
            ok = result.returncode == 0 and os.path.isfile(os.path.join(merged, "config.json"))
            return "" if ok else _tail(result)

        def chat() -> str:
            result = _run(commands.ask(merged, "什么是防火墙？", max_new_tokens=8), env=env)
            return "" if result.returncode == 0 else _tail(result)

        def window() -> str:
            result = _run(commands.window_check(), env=env)
            ok = result.returncode == 0 and "window ok" in result.stdout
            return "" if ok else _tail(result)

        checks: list[tuple[str, Callable[[], str]]] = [
            ("make the demo model from its GGUF", demo),
            ("build the test model", tiny),
            ("train 3 steps", train),
            ("merge the adapter", merge),
            ("answer a prompt", chat),
            ("open and close the main window", window),
        ]
        for name, check in checks:
            started = time.monotonic()
            try:
                problem = check()
            except subprocess.TimeoutExpired:
                problem = f"no answer within {STEP_TIMEOUT} s"
            except OSError as exc:
                problem = f"could not start: {exc}"
            seconds = time.monotonic() - started
            if problem:
                failures += 1
                out.write(f"FAIL {name} ({seconds:.1f} s): {problem}\n")
            else:
                out.write(f"ok   {name} ({seconds:.1f} s)\n")
            out.flush()
    out.write("self-test passed\n" if not failures else f"self-test: {failures} check(s) failed\n")
    return 1 if failures else 0


def window_check() -> int:
    """The GUI part, in its own process: build the whole window offscreen, paint it, close."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from lora_studio.core.settings import AppSettings
    from lora_studio.gui.app import create_app
    from lora_studio.gui.main_window import MainWindow

    app = create_app([])
    settings = AppSettings(hardware_wizard_offered=True)
    window = MainWindow(settings)
    window.show()
    for key in MainWindow.SECTIONS:
        window.show_section(key)
        app.processEvents()
    ok = not window.grab().isNull()
    window.close()
    app.processEvents()
    print("window ok" if ok else "window failed", flush=True)
    return 0 if ok else 1
