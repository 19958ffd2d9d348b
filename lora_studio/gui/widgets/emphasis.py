"""Emphasis without style sheets: a larger or bolder font, and the colour of an error or a
warning, set through QFont and QPalette so that Fusion draws them in the light and the dark
scheme alike (a style sheet on a widget replaces the style's own drawing of it)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

# (on a light background, on a dark one): red and amber that read on either
TONES = {
    "error": ("#c62828", "#ff8a80"),
    "warning": ("#a15c00", "#ffb74d"),
}


def set_tone(widget: QWidget, tone: str) -> None:
    """Draw ``widget``'s text in the colour of ``tone`` ("error" or "warning")."""
    palette = widget.palette()
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    colour = QColor(TONES[tone][1 if dark else 0])
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
        palette.setColor(role, colour)
    widget.setPalette(palette)


def set_font(widget: QWidget, scale: float = 1.0, bold: bool = False) -> None:
    """``widget``'s font ``scale`` times the application's size, bold if asked."""
    font = widget.font()
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * scale)
    else:
        font.setPixelSize(round(font.pixelSize() * scale))
    font.setBold(bold)
    widget.setFont(font)
