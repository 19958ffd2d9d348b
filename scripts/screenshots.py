"""Screenshots of every section of the app, for looking at and for the README.

  python scripts/screenshots.py OUT_DIR [--lang en|zh_CN]

Runs the real app (under Xvfb on a machine without a screen: xvfb-run -a python ...), trains the
demo model for a few steps through the Training panel so that the plots and Runs have data, and
saves one PNG per section. Uses a temporary profile: your settings and runs are not touched.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out_dir")
    parser.add_argument("--lang", default="en", choices=("en", "zh_CN"))
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="lora-studio-shots-")
    os.environ["LORA_STUDIO_CONFIG_DIR"] = os.path.join(profile, "config")
    os.environ.setdefault("LORA_STUDIO_DATA_DIR", os.path.join(profile, "data"))

    from PySide6.QtCore import QTimer

    from lora_studio.core.paths import demo_dataset_path, sample_dataset_path
    from lora_studio.core.settings import AppSettings
    from lora_studio.gui.app import apply_theme, create_app, install_translation
    from lora_studio.gui.main_window import MainWindow

    settings = AppSettings(language=args.lang, hardware_wizard_offered=True)
    settings.save()
    app = create_app([])
    install_translation(app, args.lang)
    apply_theme(app, "system")
    window = MainWindow(settings)
    window.resize(1400, 900)
    window.show()
    panel = window.training
    # the demo's recipe on its eight English records, two held out: a few minutes on two cores
    panel.form.dataset.setText(demo_dataset_path())
    panel.form.eval_ratio.setValue(0.25)
    panel.eval_box.setChecked(False)  # the evaluation after training would add minutes

    def shoot(name: str) -> None:
        app.processEvents()
        path = os.path.join(args.out_dir, f"{name}-{args.lang}.png")
        window.grab().save(path)
        print(path, flush=True)

    def after_training(_outcome, run_dir: str) -> None:
        shoot("training")
        window.show_section("runs")
        window.runs.select_run(run_dir)
        QTimer.singleShot(600, lambda: (shoot("runs"), chat(run_dir)))

    def chat(run_dir: str) -> None:
        """A conversation with the run just trained, then Compare with its base model."""
        import json

        with open(sample_dataset_path(), encoding="utf-8") as handle:
            records = json.load(handle)
        questions = [r for r in records if _is_chinese(r["instruction"]) == (args.lang != "en")]
        window.show_section("chat")
        chat = window.chat
        chat.select_run(run_dir)
        chat.sampling.preset_box.setCurrentIndex(chat.sampling.preset_box.findData("precise"))
        chat.sampling.max_tokens.setValue(160)
        steps = iter(
            [
                lambda: ask(questions[0]),
                lambda: ask(questions[1]),
                lambda: shoot("chat"),
                lambda: (chat.new_conversation(), chat.sampling.compare_box.setChecked(True)),
                lambda: ask(questions[2]),
                lambda: shoot("chat-compare"),
                lambda: chat.unload(),
            ]
        )

        def ask(record) -> None:
            prompt = record["instruction"] + (f"\n\n{record['input']}" if record["input"] else "")
            chat.composer.input.setPlainText(prompt)
            chat.send()

        def next_step() -> None:
            if chat.is_generating:
                QTimer.singleShot(200, next_step)
                return
            step = next(steps, None)
            if step is None:
                return
            step()
            QTimer.singleShot(300, next_step)

        chat.load()
        chat.idle.connect(finish)
        poll_ready = QTimer(window)
        poll_ready.timeout.connect(
            lambda: (poll_ready.stop(), next_step()) if chat.is_loaded else None
        )
        poll_ready.start(200)

    def finish() -> None:
        window.show_section("dataset")
        data = window.dataset
        data.open_path(sample_dataset_path())
        data.document.set_field(4, "output", " ")  # two problems to show
        data.select_record(2)
        data.duplicate_records()
        data.run_checks()
        data.select_record(1)
        shoot("dataset")
        data.side_tabs.setCurrentIndex(1)
        shoot("dataset-problems")
        data.side_tabs.setCurrentIndex(2)
        app.processEvents()
        shoot("dataset-stats")
        dialog = data.generate_dialog()
        dialog.topic.setText(
            "网络安全入门问答" if args.lang == "zh_CN" else "network security basics"
        )
        app.processEvents()
        path = os.path.join(args.out_dir, f"generator-{args.lang}.png")
        dialog.grab().save(path)
        print(path, flush=True)
        dialog.reject()
        data.document.mark_saved()  # nothing to ask about when the script quits
        window.show_section("hardware")
        window.hardware.detection.wait()
        app.processEvents()
        shoot("hardware")
        wizard = window.open_hardware_wizard()
        wizard.detection.wait()
        for page in range(4):
            app.processEvents()
            path = os.path.join(args.out_dir, f"wizard-{page + 1}-{args.lang}.png")
            wizard.grab().save(path)
            print(path, flush=True)
            wizard.next()
        wizard.reject()
        window.show_section("training")
        app.quit()

    panel.run_finished.connect(after_training)
    window.show_section("training")  # a fresh profile opens on Home
    QTimer.singleShot(300, lambda: (shoot("training-empty"), panel.start()))
    QTimer.singleShot(900_000, app.quit)  # never hang
    return app.exec()


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


if __name__ == "__main__":
    sys.exit(main())
