"""The application icon."""

from __future__ import annotations

from lora_studio.core.paths import resource_path


def app_icon():
    """PNG sizes rendered from resources/icons/lora_studio.svg: loading the SVG icon engine
    costs 80 ms at start-up, PNGs almost nothing."""
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        icon.addFile(resource_path("icons", f"lora_studio_{size}.png"))
    return icon
