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
    qt = QTranslator(app)  # Qt's own dialogs' buttons
    if qt.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
    return loaded


def apply_theme(app, theme: str) -> None:
    import pyqtgraph as pg
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPalette

    app.setStyle("Fusion")
    hints = app.styleHints()
    if theme == "dark":
        hints.setColorScheme(Qt.ColorScheme.Dark)
    elif theme == "light":
        hints.setColorScheme(Qt.ColorScheme.Light)
    palette = app.palette()
    pg.setConfigOptions(
        antialias=True,
        background=palette.color(QPalette.ColorRole.Base),
        foreground=palette.color(QPalette.ColorRole.Text),
    )


def create_app(argv: list[str]):
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("LoRA Studio")
    app.setOrganizationName("LoRA Studio")
    app.setWindowIcon(QIcon(resource_path("icons", "lora_studio.svg")))
    return app


def geometry_store():
    from PySide6.QtCore import QSettings

    return QSettings(os.path.join(config_dir(), "window.ini"), QSettings.Format.IniFormat)


def run(argv: list[str]) -> int:
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
    from lora_studio.gui.main_window import MainWindow

    window = MainWindow(settings, geometry_store())
    window.show()
    return app.exec()
