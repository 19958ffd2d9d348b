"""The window's look: icons from one table, emphasis without style sheets, and every section
fitting the smallest supported window (1024x680) in both languages."""

import pathlib
import re

import pytest
from PySide6.QtGui import QPalette

from lora_studio.gui import icons
from lora_studio.gui.main_window import MainWindow
from lora_studio.gui.widgets.emphasis import set_font, set_tone

GUI = pathlib.Path(icons.__file__).parent


def test_every_icon_name_exists_in_the_bundled_font(qtbot):
    # qtawesome raises for a name its Phosphor character map does not have
    for name in icons.ICONS:
        icon = icons.icon(name)
        assert not icon.isNull(), name
        assert not icon.pixmap(20, 20).toImage().isNull()


def test_icons_are_drawn_in_the_palette_text_colour(qtbot):
    from PySide6.QtWidgets import QApplication

    image = icons.icon("home").pixmap(32, 32).toImage()
    text = QApplication.palette().color(QPalette.ColorRole.ButtonText)
    drawn = {
        image.pixelColor(x, y).rgb() & 0xFFFFFF
        for x in range(32)
        for y in range(32)
        if image.pixelColor(x, y).alpha() == 255
    }
    assert text.rgb() & 0xFFFFFF in drawn


def test_the_sidebar_gets_an_icon_per_section_after_the_first_paint(window, qtbot):
    qtbot.waitUntil(lambda: not window.sidebar.item(0).icon().isNull())
    for row in range(window.sidebar.count()):
        assert not window.sidebar.item(row).icon().isNull(), MainWindow.SECTIONS[row]


def test_dataset_toolbar_actions_have_icons_and_the_main_ones_their_text(window, qtbot):
    from PySide6.QtGui import QAction

    from lora_studio.gui.dataset.toolbar import ACTIONS, LABELLED

    window.show_section("dataset")
    actions = window.dataset.actions_
    names = [entry[0] for entry in ACTIONS if entry]
    assert set(actions) == set(names) and LABELLED <= set(names)
    for name in names:
        assert not actions[name].icon().isNull(), name
        low = actions[name].priority() == QAction.Priority.LowPriority
        assert low == (name not in LABELLED), name


@pytest.mark.parametrize("dark", [False, True])
def test_tones_read_on_light_and_dark_backgrounds(qtbot, dark):
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QLabel

    label = QLabel("x")
    qtbot.addWidget(label)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202020" if dark else "#f0f0f0"))
    label.setPalette(palette)
    set_tone(label, "error")
    colour = label.palette().color(QPalette.ColorRole.WindowText)
    assert colour.red() > 150 and colour.red() > colour.green() + 40
    background = label.palette().color(QPalette.ColorRole.Window).lightness()
    assert abs(colour.lightness() - background) > 60  # it stands out from its background


def test_set_font_scales_the_application_font(qtbot):
    from PySide6.QtWidgets import QLabel

    label = QLabel("x")
    qtbot.addWidget(label)
    size = label.font().pointSizeF()
    set_font(label, 1.5, bold=True)
    assert label.font().pointSizeF() == pytest.approx(size * 1.5)
    assert label.font().bold()


def test_no_style_sheets_in_the_gui():
    """Fusion with the palette is the one styling approach: a widget style sheet overrides the
    style's drawing of that widget and ignores the dark scheme."""
    offenders = [
        f"{path.relative_to(GUI)}:{n}"
        for path in GUI.rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.setStyleSheet\(", line)
    ]
    assert not offenders, offenders


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_section_fits_the_smallest_window(qtbot, app_settings, language):
    """At 1024x680 no section forces the window larger, and no button is cut off."""
    from PySide6.QtCore import QTranslator
    from PySide6.QtWidgets import QAbstractButton, QApplication

    from lora_studio.gui.app import install_translation

    app = QApplication.instance()
    assert install_translation(app, language)
    try:
        window = MainWindow(app_settings)
        qtbot.addWidget(window)
        window.show()
        window.resize(1024, 680)
        for key in MainWindow.SECTIONS:
            window.show_section(key)
            page = window.pages[key].get()
            qtbot.wait(20)
            assert (window.width(), window.height()) == (1024, 680), key
            hint, area = page.minimumSizeHint(), window.stack.size()
            assert hint.width() <= area.width(), (key, hint.width(), area.width())
            buttons = [b for b in page.findChildren(QAbstractButton) if b.isVisibleTo(page)]
            assert buttons, key
            for button in buttons:
                right = button.mapTo(window, button.rect().topRight()).x()
                assert right < window.width(), (key, button.text(), right)
    finally:
        for translator in app.findChildren(QTranslator):
            app.removeTranslator(translator)
