"""Help → Save diagnostics report… and the crash dialog (gui/diagnostics.py), offscreen.

The file dialog's answer is a stand-in (a path returned by a patched getSaveFileName): no
person can pick a file in this test run. The report itself is real."""

from __future__ import annotations

import logging
import sys
import zipfile

from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from lora_studio.core import paths
from lora_studio.gui import diagnostics as gui_diagnostics


def _boxes():
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def test_a_crash_shows_what_happened_and_saves_a_report(qtbot, app_settings, tmp_path, monkeypatch):
    monkeypatch.setenv("LORA_STUDIO_DATA_DIR", str(tmp_path / "data"))
    saved_hooks = sys.excepthook
    root_handlers = list(logging.getLogger().handlers)
    try:
        log_path = gui_diagnostics.install_crash_handling(app_settings)
        assert log_path == paths.gui_log_path()
        try:
            raise RuntimeError("the planted failure")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())  # what Qt's event loop does with an escaped error
        qtbot.waitUntil(lambda: bool(_boxes()), timeout=5000)
        [box] = _boxes()
        assert "RuntimeError: the planted failure" in box.text()
        assert "Traceback" in box.detailedText() and "saved as you go" in box.informativeText()
        sys.excepthook(RuntimeError, RuntimeError("a second one"), None)  # no second dialog
        assert len(_boxes()) == 1
        target = tmp_path / "report"
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Zip archives (*.zip)")
        )
        [report] = [b for b in box.buttons() if "diagnostics" in b.text()]
        report.click()
        qtbot.waitUntil(lambda: (tmp_path / "report.zip").is_file(), timeout=60_000)
        qtbot.waitUntil(lambda: any("saved as" in b.text() for b in _boxes()), timeout=10_000)
        with zipfile.ZipFile(tmp_path / "report.zip") as archive:
            log_text = archive.read("gui.log").decode()
        assert "the planted failure" in log_text and "unhandled exception" in log_text
        for b in _boxes():
            b.close()
    finally:
        sys.excepthook = saved_hooks
        for handler in logging.getLogger().handlers:
            if handler not in root_handlers:
                logging.getLogger().removeHandler(handler)
                handler.close()
        gui_diagnostics._showing = False


def test_the_help_menu_saves_a_report(window, qtbot, tmp_path, monkeypatch):
    target = tmp_path / "from-menu.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    help_menu = next(m for m in window.menuBar().actions() if "Help" in m.text()).menu()
    [action] = [a for a in help_menu.actions() if "diagnostics" in a.text()]
    action.trigger()
    qtbot.waitUntil(target.is_file, timeout=60_000)
    qtbot.waitUntil(lambda: window.property("last_report") == str(target), timeout=10_000)
    with zipfile.ZipFile(target) as archive:
        assert "report.txt" in archive.namelist()
    for b in _boxes():
        b.close()
    # an unwritable place: a message, not a traceback
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target / "inside.zip"), "")
    )
    action.trigger()
    qtbot.waitUntil(
        lambda: any("could not be written" in b.text() for b in _boxes()), timeout=10_000
    )
    for b in _boxes():
        b.close()
