"""Every user-visible GUI string has a Simplified Chinese translation, compiled and loaded."""

import importlib.util
import re
import shutil
import xml.etree.ElementTree as ET

from conftest import ROOT

spec = importlib.util.spec_from_file_location("i18n", ROOT / "scripts" / "i18n.py")
i18n = importlib.util.module_from_spec(spec)
spec.loader.exec_module(i18n)


def messages(ts_path):
    root = ET.parse(ts_path).getroot()
    return {
        (ctx.find("name").text, m.find("source").text): m.find("translation")
        for ctx in root
        for m in ctx.findall("message")
    }


def test_every_string_in_the_code_is_translated(tmp_path):
    fresh = tmp_path / "fresh.ts"
    shutil.copy(i18n.TS, fresh)
    i18n.update(str(fresh))  # what lupdate finds in the code today
    found = messages(fresh)
    untranslated = [
        key
        for key, tr in found.items()
        if tr.get("type") in ("unfinished", "vanished") or not (tr.text or "").strip()
    ]
    assert not untranslated, f"translate these in {i18n.TS}: {untranslated}"
    assert set(found) == set(messages(i18n.TS)), "run: python scripts/i18n.py update"


def test_shipped_qm_matches_the_ts(tmp_path):
    qm = tmp_path / "check.qm"
    i18n.compile_qm(i18n.TS, str(qm))
    assert qm.read_bytes() == open(i18n.QM, "rb").read(), "run: python scripts/i18n.py compile"


def test_the_window_speaks_chinese(qtbot, app_settings):
    from PySide6.QtWidgets import QApplication

    from lora_studio.gui.app import install_translation
    from lora_studio.gui.main_window import MainWindow

    app = QApplication.instance()
    assert install_translation(app, "zh_CN")
    try:
        window = MainWindow(app_settings)
        qtbot.addWidget(window)
        window.show()
        assert window.sidebar.item(3).text() == "训练"
        assert window.sidebar.item(0).text() == "主页"
        assert window.training.start_button.text() == "开始"
        qtbot.waitUntil(lambda: "仅 CPU" in window.device_label.text())
        form = window.training.form
        for box in form.targets.values():
            box.setChecked(False)
        form.check()  # a problem found by core, shown in the interface's language
        assert form.errors["target_modules"].text() == "请至少选择一个目标模块。"
        # Qt's own dialogs too (the file dialog's labels, the standard buttons)
        from PySide6.QtCore import QCoreApplication

        assert QCoreApplication.translate("QFileDialog", "File &name:") != "File &name:"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    finally:
        from PySide6.QtCore import QTranslator

        for translator in app.findChildren(QTranslator):
            app.removeTranslator(translator)


def test_no_translation_inside_f_strings():
    """lupdate does not see tr() calls inside f-strings: those texts would stay English."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "lora_studio" / "gui"
    pattern = re.compile(r"""f["'][^"'\n]*\{(self\.tr|tr|translate)\(""")
    offenders = [
        f"{path.name}:{n}"
        for path in sorted(root.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


# Names that stay as they are in a Chinese interface: products, models, hubs, code identifiers.
KEPT_AS_IS = re.compile(
    r"^(AI Studio|Hugging Face|ModelScope|Alpha|Dropout|Top-[pk]|[a-z]+_proj|"
    r"(Qwen|Llama|SmolLM|ERNIE)[\w.\-]*( \(.*\))?|LoRA Studio|LoRA|fp32|fp16|bf16|PNG)$"
)


def visible_texts(widget):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QTabWidget,
        QWidget,
    )

    for child in widget.findChildren(QWidget):
        if not child.isVisible():
            continue
        if isinstance(child, (QLabel, QAbstractButton)):
            yield child.text()
        if isinstance(child, QGroupBox):
            yield child.title()
        if isinstance(child, QTabWidget):
            yield from (child.tabText(i) for i in range(child.count()))
        if isinstance(child, (QLineEdit, QPlainTextEdit)):
            yield child.placeholderText()
        if isinstance(child, QComboBox):
            yield from (child.itemText(i) for i in range(child.count()))
        yield child.toolTip()


def test_every_section_shows_no_english_in_chinese(qtbot, app_settings):
    """Walks every visible widget of every section: a text with English words and no Chinese
    is a string that missed translation (names of models, hubs and code are allowed)."""
    from PySide6.QtCore import QTranslator
    from PySide6.QtWidgets import QApplication

    from lora_studio.gui.app import install_translation
    from lora_studio.gui.main_window import MainWindow

    app = QApplication.instance()
    assert install_translation(app, "zh_CN")
    try:
        window = MainWindow(app_settings)
        qtbot.addWidget(window)
        window.show()
        english = set()
        for key in MainWindow.SECTIONS:
            window.show_section(key)
            qtbot.wait(50)
            for text in visible_texts(window):
                plain = re.sub(r"<[^>]+>", " ", text or "").strip()
                if (
                    re.search(r"[A-Za-z]{3,}", plain)
                    and not re.search(r"[\u4e00-\u9fff]", plain)
                    and not KEPT_AS_IS.match(plain)
                ):
                    english.add((key, plain))
        assert not english, sorted(english)
        if window.hardware_page.widget is not None:
            window.hardware.detection.shutdown()
    finally:
        for translator in app.findChildren(QTranslator):
            app.removeTranslator(translator)
