"""The core layer must stay importable without Qt and without Paddle."""

import subprocess
import sys

from conftest import ROOT


def test_core_imports_neither_qt_nor_paddle():
    code = (
        "import sys, pkgutil, importlib, lora_studio.core as core\n"
        "for m in pkgutil.iter_modules(core.__path__):\n"
        "    importlib.import_module('lora_studio.core.' + m.name)\n"
        "heavy = ('PySide6', 'paddle', 'paddleformers')\n"
        "bad = [n for n in sys.modules if n.split('.')[0] in heavy]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT), check=True
    )
    assert result.stdout.strip() == ""


def test_cli_help_does_not_import_paddle():
    """Argument errors must come back fast: the parser never loads the engine's framework."""
    code = (
        "import sys\nfrom lora_studio.cli import build_parser\nbuild_parser()\n"
        "print(any(n.startswith('paddle') for n in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT), check=True
    )
    assert result.stdout.strip() == "False"
