"""Starts the desktop app: display check, settings, language, theme, the main window."""

from __future__ import annotations

import os
import sys

from lora_studio.core.paths import resource_path
from lora_studio.core.settings import AppSettings, config_dir


def display_available() -> bool:
    """False on a Linux machine with no X11 or Wayland display and no platform forced."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def language_code(settings: AppSettings) -> str:
    if settings.language != "system":
        return settings.language
    from PySide6.QtCore import QLocale

    return "zh_CN" if QLocale.system().name().startswith("zh") else "en"


def install_translation(app, code: str) -> bool:
    from PySide6.QtCore import QLibraryInfo, QTranslator

    if code == "en":
        return True
    ours = QTranslator(app)
    loaded = ours.load(resource_path("i18n", f"lora_studio_{code}.qm"))
    if loaded:
        app.installTranslator(ours)
    # Qt's own texts (dialog buttons, the file dialog): qtbase_LANG. PySide6's qt_LANG is only a
    # catalogue of other files and does not load on its own (checked on PySide6 6.11).
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{code}", folder) or qt.load(f"qt_{code}", folder):
        app.installTranslator(qt)
    return loaded


def apply_theme(app, theme: str) -> None:
    """Fusion, following the system's light or dark scheme unless the user chose one. The plots
    take their colours from the resulting palette when they are built."""
    from PySide6.QtCore import Qt

    if app.style().name().lower() != "fusion":  # re-creating the same style costs 20 ms
        app.setStyle("Fusion")
    hints = app.styleHints()
    if theme == "dark":
        hints.setColorScheme(Qt.ColorScheme.Dark)
    elif theme == "light":
        hints.setColorScheme(Qt.ColorScheme.Light)


def create_app(argv: list[str]):
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("LoRA Studio")
    app.setOrganizationName("LoRA Studio")
    from lora_studio.gui.icons import app_icon

    app.setWindowIcon(app_icon())
    app.aboutToQuit.connect(release_clipboard)
    app.aboutToQuit.connect(_end_engine_jobs)
    return app


def _end_engine_jobs() -> None:
    """Engine jobs still running at quit (a merge, an export, an evaluation) are stopped and
    their threads waited for: a QThread destroyed while it runs aborts the process."""
    from lora_studio.gui.jobs.worker import stop_all

    stop_all()


def release_clipboard() -> None:
    """Rows copied in the dataset editor are QMimeData the clipboard owns. With PySide6 6.11,
    a clipboard still holding them when the application is destroyed crashes the interpreter
    on exit (a double free): it is cleared when the app quits."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is not None:
        QGuiApplication.clipboard().clear()


def geometry_store():
    from PySide6.QtCore import QSettings

    return QSettings(os.path.join(config_dir(), "window.ini"), QSettings.Format.IniFormat)


QT_DEBIAN_PACKAGES = (
    "libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 "
    "libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 "
    "libxkbcommon0 libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0"
)


def not_found_in_ldd(output: str) -> list[str]:
    """The libraries ``ldd`` reports as "not found", in order, once each."""
    names = []
    for line in output.splitlines():
        if "=> not found" in line:
            name = line.split("=>", 1)[0].strip()
            if name and name not in names:
                names.append(name)
    return names


def missing_qt_libraries() -> list[str]:
    """On Linux, the system libraries that Qt's xcb platform plugin needs and cannot find.
    Without them Qt aborts with its own "Reinstalling the application may fix this problem"."""
    if not sys.platform.startswith("linux"):
        return []
    if os.environ.get("QT_QPA_PLATFORM", "xcb") not in ("xcb", "") or not os.environ.get("DISPLAY"):
        return []  # another platform plugin (Wayland, offscreen) is Qt's own business
    import importlib.util
    import subprocess

    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return []
    qt = os.path.join(list(spec.submodule_search_locations)[0], "Qt")
    files = [
        os.path.join(qt, "plugins", "platforms", "libqxcb.so"),
        os.path.join(qt, "lib", "libQt6Gui.so.6"),
        os.path.join(qt, "lib", "libQt6Widgets.so.6"),
    ]
    output = ""
    for path in files:
        if os.path.isfile(path):
            try:
                output += subprocess.run(
                    ["ldd", path], capture_output=True, text=True, timeout=20
                ).stdout
            except (OSError, subprocess.SubprocessError):
                return []
    return not_found_in_ldd(output)


def missing_libraries_message(missing: list[str]) -> str:
    return (
        "LoRA Studio's window needs system libraries that are missing: "
        + ", ".join(missing)
        + ".\nOn Debian or Ubuntu install them with:\n  sudo apt-get install "
        + QT_DEBIAN_PACKAGES
        + "\n(scripts/run does this for you). The command line works without them: "
        "python main.py --help\n"
    )


def run(argv: list[str]) -> int:
    if display_available() and (missing := missing_qt_libraries()):
        sys.stderr.write(missing_libraries_message(missing))
        return 1
    if not display_available():
        sys.stderr.write(
            "LoRA Studio needs a graphical display, and none was found (DISPLAY and "
            "WAYLAND_DISPLAY are unset). Run it on a desktop, or use the command "
            "line: python main.py --help\n"
        )
        return 1
    settings = AppSettings.load()
    app = create_app(["LoRA Studio", *argv])
    install_translation(app, language_code(settings))
    apply_theme(app, settings.theme)
    from lora_studio.gui.diagnostics import install_crash_handling
    from lora_studio.gui.main_window import MainWindow

    install_crash_handling(settings)  # the GUI log; a crash shows a dialog instead of vanishing
    window = MainWindow(settings, geometry_store())
    window.show()
    files = [path for path in argv if os.path.isfile(path)]
    if files:  # LoRAStudio DATASET (the .jsonl association): open it in the editor
        window.open_dataset_file(files[0])
    return app.exec()


def startup_probe() -> float:
    """Start as ``run`` does and return the wall-clock time of the main window's first paint
    (for bench/startup.py; the frozen app exposes it as ``--startup-probe``)."""
    settings = AppSettings.load()
    app = create_app(["LoRA Studio"])
    install_translation(app, language_code(settings))
    apply_theme(app, settings.theme)
    from lora_studio.gui.main_window import MainWindow

    window = MainWindow(settings, geometry_store())
    return first_paint_time(app, window)


def first_paint_time(app, window) -> float:
    """Show ``window``, run the event loop until it has painted (and a second longer, so that
    deferred work is not cut short), and return the time of the first paint."""
    import time

    from PySide6.QtCore import QEvent, QObject, QTimer

    painted: list[float] = []

    class Watcher(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.time())
                QTimer.singleShot(1000, app.quit)
            return False

    watcher = Watcher()
    window.installEventFilter(watcher)
    window.show()
    QTimer.singleShot(20_000, app.quit)
    app.exec()
    return painted[0] if painted else float("nan")
