"""The main window's menus: File, View, Settings (language, theme, notifications), Help."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMessageBox

translate = QCoreApplication.translate  # lupdate reads translate("MainWindow", "...") calls


def build_menus(window: Any, labels: dict[str, str]) -> None:
    """File, View, Settings and Help, for the main window."""
    file_menu = window.menuBar().addMenu(translate("MainWindow", "&File"))
    for text, shortcut, slot in (
        (translate("MainWindow", "Open dataset…"), "Ctrl+O", window._open_dataset),
        (translate("MainWindow", "Save dataset"), "Ctrl+S", lambda: window.dataset.save()),
        (
            translate("MainWindow", "Load run config…"),
            "Ctrl+Shift+O",
            lambda: window.training.load_config(),
        ),
        (translate("MainWindow", "Save run config…"), "", lambda: window.training.save_config()),
        (translate("MainWindow", "Import GGUF model…"), "Ctrl+I", lambda: window.import_gguf()),
    ):
        action = file_menu.addAction(text)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
    file_menu.addSeparator()
    quit_action = file_menu.addAction(translate("MainWindow", "Quit"))
    quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    quit_action.triggered.connect(window.close)

    view = window.menuBar().addMenu(translate("MainWindow", "&View"))
    for i, key in enumerate(window.SECTIONS):
        action = view.addAction(labels[key])
        action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
        action.triggered.connect(lambda _checked=False, k=key: window.show_section(k))

    settings_menu = window.menuBar().addMenu(translate("MainWindow", "&Settings"))
    language = settings_menu.addMenu(translate("MainWindow", "Language"))
    _choice_group(
        window,
        language,
        "language",
        (
            ("system", translate("MainWindow", "System default")),
            ("en", "English"),
            ("zh_CN", "简体中文"),
        ),
    )
    theme = settings_menu.addMenu(translate("MainWindow", "Theme"))
    _choice_group(
        window,
        theme,
        "theme",
        (
            ("system", translate("MainWindow", "Follow the system")),
            ("light", translate("MainWindow", "Light")),
            ("dark", translate("MainWindow", "Dark")),
        ),
    )
    notify = settings_menu.addAction(translate("MainWindow", "Notify when a run ends"))
    notify.setCheckable(True)
    notify.setChecked(window.settings.notify_when_done)
    notify.toggled.connect(lambda checked: _set_notify(window, checked))

    help_menu = window.menuBar().addMenu(translate("MainWindow", "&Help"))
    report = help_menu.addAction(translate("MainWindow", "Save diagnostics report…"))
    report.setToolTip(
        translate("MainWindow", "A zip to attach to a bug report, with API keys and tokens removed")
    )
    report.triggered.connect(lambda: _save_report(window))
    help_menu.addSeparator()
    about = help_menu.addAction(translate("MainWindow", "About LoRA Studio"))
    about.triggered.connect(window.show_about)


def _save_report(window: Any) -> None:
    from lora_studio.gui.diagnostics import save_report

    probe = None
    if window.hardware_page.widget is not None:  # the Paddle probe, when it has run
        probe = window.hardware.detection.probe
    save_report(window, window.settings, probe)


def _choice_group(window: Any, menu: Any, setting: str, choices: Any) -> None:
    group = QActionGroup(window)
    for value, label in choices:
        action = QAction(label, window, checkable=True)
        action.setChecked(getattr(window.settings, setting) == value)
        action.triggered.connect(lambda _c=False, v=value: _set_choice(window, setting, v))
        group.addAction(action)
        menu.addAction(action)


def _set_choice(window: Any, setting: str, value: str) -> None:
    setattr(window.settings, setting, value)
    window.settings.save()
    text = translate("MainWindow", "Restart LoRA Studio to apply this change.")
    window.statusBar().showMessage(text, 8000)
    if setting == "language":  # the whole window changes: say so where it is seen
        box = QMessageBox(QMessageBox.Icon.Information, "LoRA Studio", text, parent=window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()


def _set_notify(window: Any, checked: bool) -> None:
    window.settings.notify_when_done = checked
    window.settings.save()
