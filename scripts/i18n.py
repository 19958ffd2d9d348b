"""Maintain the Simplified Chinese translation.

  python scripts/i18n.py update   # lupdate: add new strings from lora_studio/gui, then compile
  python scripts/i18n.py compile  # lrelease: .ts -> .qm (shipped in resources/i18n)
  python scripts/i18n.py fill FILE.json  # unfinished entries from {"source": "译文"}, then compile

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
    """The GUI's files, and core's and the engine's: their ``say("...")`` texts (core.messages)
    are shown by the GUI in its language."""
    found = []
    for package in ("gui", "core", "engine"):
        found += glob.glob(os.path.join(ROOT, "lora_studio", package, "**", "*.py"), recursive=True)
    return sorted(found)


def translations(ts: str = TS) -> dict[str, str]:
    """Source text -> its finished translation, whatever its context."""
    import xml.etree.ElementTree as ET

    table = {}
    for message in ET.parse(ts).iter("message"):
        translation = message.find("translation")
        if translation is not None and translation.get("type") is None and translation.text:
            table[message.findtext("source") or ""] = translation.text
    return table


def update(ts: str = TS) -> None:
    """lupdate; a text that moved to another class keeps its translation (same source)."""
    import json
    import tempfile

    known = translations(ts)
    subprocess.run(
        [
            os.path.join(BIN, "pyside6-lupdate"),
            *sources(),
            "-tr-function-alias",
            "QT_TR_NOOP+=say",
            "-ts",
            ts,
            "-target-language",
            "zh_CN",
            "-no-obsolete",
        ],
        check=True,
        capture_output=True,
    )
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as out:
        json.dump(known, out, ensure_ascii=False)
    fill(out.name, ts)
    os.remove(out.name)


def compile_qm(ts: str = TS, qm: str = QM) -> None:
    subprocess.run(
        [os.path.join(BIN, "pyside6-lrelease"), ts, "-qm", qm], check=True, capture_output=True
    )


def fill(path: str, ts: str = TS) -> list[str]:
    """Translate unfinished entries from a JSON object {English source: Chinese}; returns the
    sources still unfinished afterwards."""
    import json
    import xml.etree.ElementTree as ET

    with open(path, encoding="utf-8") as handle:
        table = json.load(handle)
    tree = ET.parse(ts)
    left = []
    for message in tree.iter("message"):
        translation = message.find("translation")
        source = message.findtext("source") or ""
        if translation is None or translation.get("type") != "unfinished":
            continue
        if source in table:
            translation.text = table[source]
            del translation.attrib["type"]
        else:
            left.append(source)
    body = ET.tostring(tree.getroot(), encoding="unicode")
    with open(ts, "w", encoding="utf-8") as handle:
        handle.write('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n")
    return left


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "update":
        update()
        compile_qm()
    elif command == "compile":
        compile_qm()
    elif command == "fill" and len(sys.argv) > 2:
        for source in fill(sys.argv[2]):
            print(f"still untranslated: {source}")
        compile_qm()
    else:
        sys.exit(__doc__)
