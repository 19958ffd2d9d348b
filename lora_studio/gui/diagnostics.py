"""Help → Save diagnostics report…, the GUI's log, and the dialog a crash shows instead of the
window vanishing. The report itself is core/diagnostics.py (``main.py diagnostics`` too).

``install_crash_handling`` is called once by ``gui.app.run``: Python's logging goes to the GUI
log (rotated at 1 MB), Qt's own messages too, and an exception that reaches the event loop
(or a thread) is logged and shown with what happened and the report button.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
import time
import traceback
from typing import Any

from PySide6.QtCore import QObject, Qt, QtMsgType, QUrl, Signal, qInstallMessageHandler
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QWidget

from lora_studio.core import diagnostics
from lora_studio.core.paths import gui_log_path
from lora_studio.core.settings import AppSettings
from lora_studio.gui.text import translate

log = logging.getLogger("lora_studio.gui")


def tr(text: str) -> str:
    # lupdate files a module-level tr("...") under no context: it is looked up there
    return translate("", text)


class ReportWriter(QObject):
    """Writes one report in a thread; ``done`` carries (path, problem) on the GUI thread."""

    done = Signal(str, str)

    def __init__(self, path: str, settings: AppSettings, probe: Any) -> None:
        super().__init__()  # no parent: a dialog that closes meanwhile does not take it along
        self.path, self.settings, self.probe = path, settings, probe

    def start(self) -> None:
        threading.Thread(target=self._run, name="diagnostics", daemon=True).start()

    def _run(self) -> None:
        try:
            diagnostics.build(self.path, self.settings, self.probe, gui_log=gui_log_path())
        except OSError as exc:
            self.done.emit(self.path, str(exc.strerror or exc))
        else:
            self.done.emit(self.path, "")


def default_report_path() -> str:
    name = time.strftime("lora-studio-diagnostics-%Y%m%d-%H%M.zip")
    return os.path.join(os.path.expanduser("~"), name)


_writers: set[ReportWriter] = set()  # those running: kept alive until they are done


def save_report(
    parent: QWidget | None, settings: AppSettings, probe: Any = None, path: str = ""
) -> ReportWriter | None:
    """Ask where (unless ``path``), then write the report with a busy dialog; a message says
    where it went, or what failed."""
    if not path:
        path, _filter = QFileDialog.getSaveFileName(
            parent,
            tr("Save diagnostics report"),
            default_report_path(),
            tr("Zip archives (*.zip)"),
        )
        if not path:
            return None
    if not path.lower().endswith(".zip"):
        path += ".zip"
    busy = QProgressDialog(
        tr("Writing the diagnostics report (API keys and tokens are taken out)…"),
        "",
        0,
        0,
        parent,
    )
    busy.setCancelButton(None)
    busy.setWindowModality(Qt.WindowModality.WindowModal)
    busy.setMinimumDuration(300)
    writer = ReportWriter(path, settings, probe)
    _writers.add(writer)

    def finished(where: str, problem: str) -> None:
        busy.close()
        busy.deleteLater()
        _writers.discard(writer)
        writer.deleteLater()
        if problem:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                tr("Diagnostics report"),
                tr("The report could not be written to %s: %s. Choose a folder you can write to.")
                % (where, problem),
                parent=parent,
            )
        else:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                tr("Diagnostics report"),
                tr(
                    "The report is saved as %s. Attach it to your bug report; API keys, tokens "
                    "and your home folder's path were taken out."
                )
                % where,
                parent=parent,
            )
            show = box.addButton(tr("Show in folder"), QMessageBox.ButtonRole.ActionRole)
            show.clicked.connect(
                lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(os.path.dirname(where)))
            )
            box.addButton(QMessageBox.StandardButton.Close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if parent is None:  # parentless: Python's reference is what keeps it alive
            _open_boxes.add(box)
            box.finished.connect(lambda _r: _open_boxes.discard(box))
        box.open()
        if parent is not None:
            parent.setProperty("last_report", where if not problem else "")

    writer.done.connect(finished, Qt.ConnectionType.QueuedConnection)
    writer.start()
    return writer


# ---- the GUI log and crashes ----
_showing = False
_open_boxes: set[QMessageBox] = set()


def setup_logging() -> str:
    path = gui_log_path()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=1, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == path for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def _qt_message(kind: QtMsgType, _context: Any, message: str) -> None:
    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
    }.get(kind, logging.ERROR)
    logging.getLogger("qt").log(level, message)


def crash_dialog(exc_type: type, exc: BaseException, tb: Any, settings: AppSettings) -> QMessageBox:
    """What happened, that work is kept, and the report button; the traceback in the details."""
    box = QMessageBox(QMessageBox.Icon.Critical, tr("LoRA Studio hit an error"), "")
    box.setText(tr("Something went wrong inside LoRA Studio: %s") % f"{exc_type.__name__}: {exc}")
    box.setInformativeText(
        tr(
            "Your datasets and runs are saved as you go; a training run goes on in its own "
            "process. You can keep working, or restart LoRA Studio. To report it, save a "
            "diagnostics report and attach it."
        )
    )
    box.setDetailedText("".join(traceback.format_exception(exc_type, exc, tb)))
    report = box.addButton(tr("Save diagnostics report…"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    report.clicked.connect(lambda: save_report(_main_window(), settings))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box


def _main_window() -> QWidget | None:
    """The window a report's dialogs belong to (the crash dialog closes when clicked)."""
    windows = [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and not isinstance(w, (QMessageBox, QProgressDialog))
    ]
    return windows[0] if windows else None


def handle_exception(exc_type: type, exc: BaseException, tb: Any, settings: AppSettings) -> None:
    log.error("unhandled exception", exc_info=(exc_type, exc, tb))
    global _showing
    if _showing or QApplication.instance() is None or issubclass(exc_type, KeyboardInterrupt):
        return
    _showing = True
    try:
        box = crash_dialog(exc_type, exc, tb, settings)
        _open_boxes.add(box)  # parentless: Python's reference is what keeps it alive

        def closed(_result: int) -> None:
            global _showing
            _showing = False
            _open_boxes.discard(box)

        box.finished.connect(closed)
        box.open()
    except Exception:  # noqa: BLE001 - a crash while reporting one: the log has both
        log.exception("the crash dialog failed")
        _showing = False


def install_crash_handling(settings: AppSettings) -> str:
    path = setup_logging()
    qInstallMessageHandler(_qt_message)
    sys.excepthook = lambda t, e, tb: handle_exception(t, e, tb, settings)

    def in_thread(args: threading.ExceptHookArgs) -> None:
        log.error(
            "unhandled exception in thread %s",
            args.thread.name if args.thread else "?",
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )

    threading.excepthook = in_thread
    log.info("LoRA Studio started (pid %d)", os.getpid())
    return path
