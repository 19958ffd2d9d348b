"""``main.py diagnostics OUT.zip``: the diagnostics report (core/diagnostics.py), as Help → Save
diagnostics report… writes it, for a machine where the window does not open."""

from __future__ import annotations

import argparse
import os
import sys

from lora_studio.cli_models import AddCommand
from lora_studio.core import commands, diagnostics, hardware
from lora_studio.core.paths import gui_log_path
from lora_studio.core.settings import AppSettings


def cmd_diagnostics(args: argparse.Namespace) -> int:
    out = args.out
    if not out.lower().endswith(".zip"):
        out += ".zip"
    if os.path.isdir(out):
        sys.stderr.write(f"{args.prog}: error: {out} is a folder: give a file name\n")
        return 2
    say = lambda line: sys.stdout.write(f"  {line}\n")  # noqa: E731
    say("asking Paddle what it can do (main.py probe)")
    probe = hardware.probe_paddle(commands.probe(), timeout=args.probe_timeout)
    try:
        parts = diagnostics.build(
            out, AppSettings.load(), probe, gui_log=gui_log_path(), progress=say
        )
    except OSError as exc:
        sys.stderr.write(
            f"{args.prog}: error: cannot write {out}: {exc.strerror or exc}. "
            "Choose a folder you can write to.\n"
        )
        return 1
    sys.stdout.write(f"diagnostics report written to {os.path.abspath(out)}: {', '.join(parts)}\n")
    sys.stdout.write("API keys, tokens and your home folder's path were taken out.\n")
    return 0


def add_diagnostics_command(add: AddCommand) -> None:
    p = add("diagnostics", cmd_diagnostics, "write a redacted report to attach to a bug report")
    p.add_argument("out", metavar="OUT.zip", help="the zip file to write")
    p.add_argument(
        "--probe-timeout", dest="probe_timeout", type=float, default=120.0, help=argparse.SUPPRESS
    )
