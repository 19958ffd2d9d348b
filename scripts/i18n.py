"""Maintain the Simplified Chinese translation.

  python scripts/i18n.py update   # lupdate: add new strings from lora_studio/gui to the .ts
  python scripts/i18n.py compile  # lrelease: .ts -> .qm (shipped in resources/i18n)

Translate new entries (marked type="unfinished") in Qt Linguist (pyside6-linguist) or a text
editor, then compile. tests/test_i18n.py fails while a string is untranslated or the .qm is stale.
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TS = os.path.join(ROOT, "resources", "i18n", "lora_studio_zh_CN.ts")
QM = os.path.join(ROOT, "resources", "i18n", "lora_studio_zh_CN.qm")
BIN = os.path.dirname(sys.executable)


def sources() -> list[str]:
    return sorted(glob.glob(os.path.join(ROOT, "lora_studio", "gui", "*.py")))


def update(ts: str = TS) -> None:
    subprocess.run(
        [
            os.path.join(BIN, "pyside6-lupdate"),
            *sources(),
            "-ts",
            ts,
            "-target-language",
            "zh_CN",
            "-no-obsolete",
        ],
        check=True,
        capture_output=True,
    )


def compile_qm(ts: str = TS, qm: str = QM) -> None:
    subprocess.run(
        [os.path.join(BIN, "pyside6-lrelease"), ts, "-qm", qm], check=True, capture_output=True
    )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "update":
        update()
    elif command == "compile":
        compile_qm()
    else:
        sys.exit(__doc__)
