"""The application icon, and the icons of the sidebar, toolbars and main buttons.

The icons are Phosphor's (MIT licence, phosphoricons.com), drawn from their font by qtawesome
(MIT) in the palette's text colour, so they follow light and dark schemes and stay sharp at any
scaling. qtawesome (through QtPy) costs about 0.1 s to import: nothing here imports it before the
window's first frame has been painted (``gui/deferred.after_first_paint``).
"""

from __future__ import annotations

import os

from lora_studio.core.paths import resource_path

# What each icon is for -> its Phosphor name. One table, so a look stays consistent.
ICONS = {
    # sidebar sections
    "home": "house",
    "dataset": "table",
    "models": "cube",
    "hardware": "cpu",
    "training": "chart-line",
    "chat": "chats",
    "runs": "clock-counter-clockwise",
    # dataset toolbar
    "new": "file-plus",
    "open": "folder-open",
    "save": "floppy-disk",
    "save_as": "floppy-disk-back",
    "export": "export",
    "split": "scales",
    "undo": "arrow-counter-clockwise",
    "redo": "arrow-clockwise",
    "add": "plus",
    "insert": "arrow-line-down",
    "duplicate": "copy-simple",
    "delete": "trash",
    "up": "arrow-up",
    "down": "arrow-down",
    "copy": "copy",
    "paste": "clipboard-text",
    "generate": "sparkle",
    "find": "magnifying-glass",
    "replace": "swap",
    "fill": "brackets-curly",
    "encoding": "text-aa",
    # actions elsewhere
    "start": "play",
    "stop": "stop",
    "resume": "play-circle",
    "folder": "folder-notch-open",
    "send": "paper-plane-right",
    "regenerate": "arrows-clockwise",
    "load": "upload",
    "unload": "eject",
    "merge": "git-merge",
    "serve": "broadcast",
    "download": "download-simple",
    "import": "file-arrow-down",
    "evaluate": "check-square",
    "wizard": "magic-wand",
    "detect": "arrows-clockwise",
    "demo": "rocket-launch",
    "save_image": "floppy-disk",
}


def app_icon():
    """PNG sizes rendered from resources/icons/lora_studio.svg: loading the SVG icon engine
    costs 80 ms at start-up, PNGs almost nothing."""
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        icon.addFile(resource_path("icons", f"lora_studio_{size}.png"))
    return icon


def icon(name: str):
    """The icon for ``name`` (a key of ``ICONS``): text colour normally, the highlighted-text
    colour where the item is selected (the sidebar's current section), greyed when disabled."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    os.environ.setdefault("QT_API", "pyside6")
    import qtawesome

    palette = QApplication.palette()
    return qtawesome.icon(
        "ph." + ICONS[name],
        color=palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.ButtonText),
        color_selected=palette.color(
            QPalette.ColorGroup.Active, QPalette.ColorRole.HighlightedText
        ),
        color_disabled=palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText),
    )


def decorate(pairs) -> None:
    """Give each ``(widget or action, icon name)`` its icon."""
    for target, name in pairs:
        target.setIcon(icon(name))
