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
        assert window.sidebar.item(4).text() == "训练"
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


def english_lines(texts):
    """The lines (of labels, <br>-separated rich text too) with English words and no Chinese."""
    found = set()
    for text in texts:
        for line in re.split(r"<br\s*/?>|\n", text or ""):
            plain = re.sub(r"<[^>]+>", " ", line).strip()
            if (
                re.search(r"[A-Za-z]{3,}", plain)
                and not re.search(r"[\u4e00-\u9fff]", plain)
                and not KEPT_AS_IS.match(plain)
            ):
                found.add(plain)
    return found


def test_the_wizard_speaks_chinese_on_every_page(qtbot, app_settings):
    """Stand-in readings of two GPUs (none can exist here), so that every line of the
    recommendation shows, the multi-GPU one included; each page is walked line by line."""
    from PySide6.QtCore import QTranslator
    from PySide6.QtWidgets import QApplication

    from lora_studio.core import hardware
    from lora_studio.gui.app import install_translation
    from lora_studio.gui.hardware.wizard import HardwareWizard
    from lora_studio.gui.jobs.probe import Detection

    app = QApplication.instance()
    assert install_translation(app, "zh_CN")
    try:
        detection = Detection(app_settings)
        detection.reading = hardware.GpuReading(
            gpus=[
                hardware.GpuSnapshot(i, "NVIDIA GeForce RTX 4090", 24564, 400, 0, 24000, (8, 9))
                for i in (0, 1)
            ],
            nvml=True,
            driver_version="560.35",
            cuda_driver_version="12.6",
        )
        detection.probe = hardware.PaddleProbe(version="3.3.1", cuda="12.6", gpu_count=2)
        wizard = HardwareWizard(app_settings, detection=detection, model="qwen2.5-7b")
        qtbot.addWidget(wizard)
        wizard.show()
        english = set()
        for _page in range(4):
            qtbot.wait(20)
            english |= english_lines(visible_texts(wizard))
            wizard.next()
        assert "同时使用 2 个 GPU" in wizard.recommendation_page.summary.text()
        assert not english, sorted(english)
    finally:
        for translator in app.findChildren(QTranslator):
            app.removeTranslator(translator)


def test_module_level_tr_helpers_look_up_where_lupdate_files_them():
    """lupdate files ``tr("...")`` outside a class under no context; a helper that looks it up
    under a class's name finds nothing, and its texts stay English (it happened twice)."""
    wrong = []
    for path in sorted((ROOT / "lora_studio").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for match in re.finditer(r"^def tr\(.*?(?:\n(?=\S)|\Z)", source, re.S | re.M):
            if 'translate("", text)' not in match.group(0):
                wrong.append(str(path.relative_to(ROOT)))
    assert wrong == []


PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def test_translations_keep_every_placeholder_of_their_source():
    """A core or engine template ({path}, {count}) and its translation name the same params:
    one lost or misspelt would show the English fallback instead (core.messages.render)."""
    wrong = []
    for (_context, source), translation in messages(i18n.TS).items():
        source_names = sorted(PLACEHOLDER.findall(source.replace("{{", "").replace("}}", "")))
        text = (translation.text or "").replace("{{", "").replace("}}", "")
        if source_names and sorted(PLACEHOLDER.findall(text)) != source_names:
            wrong.append(source)
    assert wrong == []


def test_core_and_engine_texts_are_filed_under_no_context():
    """gui.text.message_text looks a say() template up with an empty context; lupdate files a
    say() inside a class under the class's name, where it would never be found."""
    root = ET.parse(i18n.TS).getroot()
    misfiled = [
        (ctx.find("name").text, m.find("source").text)
        for ctx in root
        for m in ctx.findall("message")
        for location in m.findall("location")
        if ("/core/" in location.get("filename") or "/engine/" in location.get("filename"))
        and ctx.find("name").text
    ]
    assert misfiled == []


# Words that stay as they are inside a Chinese sentence: names, units, formats, code.
ENGLISH_KEPT = {
    "LoRA",
    "NaN",
    "GPU",
    "NVIDIA",
    "CUDA",
    "Paddle",
    "PaddlePaddle",
    "Hugging",
    "Face",
    "AI",
    "Studio",
    "ModelScope",
    "Ollama",
    "LM",
    "GGUF",
    "BPE",
    "RoPE",
    "JSON",
    "UTF",
    "FIFO",
    "CSV",
    "TSV",
    "Excel",
    "Qwen",
    "Llama",
    "SmolLM",
    "Instruct",
    "events",
    "jsonl",
    "dataset",
    "check",
    "fp16",
    "bf16",
    "fp32",
    "max_grad_norm",
    "safetensors",
}


def english_words_left(text, params):
    """The English words of ``text`` once its params (paths, names, numbers) are taken out,
    leaving out code: options, file names, identifiers."""
    for value in sorted((str(v) for v in params), key=len, reverse=True):
        text = text.replace(value, " ")
    words = re.findall(r"[A-Za-z][A-Za-z0-9_.\-/*]*", text)
    return [
        w for w in words if w not in ENGLISH_KEPT and not re.search(r"[_./*\-\d]", w) and len(w) > 2
    ]


def all_params(texts):
    for text in texts.values():
        yield from _params(text)


def _params(text):
    for value in text.get("params", {}).values():
        if isinstance(value, dict):
            yield from _params(value)
        elif isinstance(value, list):
            yield from value
        else:
            yield value


def test_engine_errors_of_every_kind_show_in_chinese(qtbot, app_settings, tmp_path):
    """A stand-in engine (tests/fake_engine.py) prints the real engine's error event for a real
    cause of each kind; the Training section, in Chinese, shows title, explanation, message and
    hint with no English sentence left (the Texts of core.messages at work)."""
    import sys

    import fake_engine  # tests/ is on the path (conftest)
    from conftest import FAKE_ENGINE
    from PySide6.QtCore import QTranslator
    from PySide6.QtWidgets import QApplication

    from lora_studio.core.config import RunConfig
    from lora_studio.gui.app import install_translation
    from lora_studio.gui.training.panel import TrainingPanel

    app = QApplication.instance()
    assert install_translation(app, "zh_CN")
    try:
        english = {}
        for name in fake_engine.engine_errors():
            panel = TrainingPanel(
                app_settings,
                session_options={
                    "command_factory": lambda path, resume, name=name: [
                        sys.executable, FAKE_ENGINE, f"engine_error:{name}", "--config", path
                    ]
                },
            )  # fmt: skip
            qtbot.addWidget(panel)
            event = fake_engine.engine_errors()[name]().event()
            config = RunConfig(
                model_name_or_path="m", dataset_path="d", output_dir=str(tmp_path / name)
            )
            with qtbot.waitSignal(panel.run_finished, timeout=30_000):
                panel._launch(config, resume=False)
            box = panel.error_box
            shown = f"{box.text()}\n{box.informativeText()}"
            assert re.search(r"[\u4e00-\u9fff]", box.informativeText()), shown
            left = english_words_left(shown, all_params(event.texts))
            if left:
                english[name] = (left, shown)
            box.close()
        assert not english, english
    finally:
        for translator in app.findChildren(QTranslator):
            app.removeTranslator(translator)
