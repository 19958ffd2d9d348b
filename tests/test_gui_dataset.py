"""The dataset editor, offscreen with the real widgets: edit, undo, paste, find and replace,
filter, save, recover after a kill, reload a file changed on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from conftest import ROOT
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QMessageBox

from lora_studio.core import formats
from lora_studio.core.records import Record
from lora_studio.gui.dataset.table_model import COLUMNS, DatasetTableModel
from lora_studio.gui.main_window import MainWindow


@pytest.fixture
def window(window):
    """The shared main window (conftest), opened on the Dataset section."""
    window.show_section("dataset")
    return window


def sample_file(tmp_path, bad_lines=True):
    lines = [
        json.dumps({"instruction": f"question {i}", "output": f"answer {i}"}) for i in range(10)
    ]
    if bad_lines:
        lines[3] = "{broken"
        lines[6] = json.dumps({"instruction": "no answer"})
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    return str(path)


def test_open_edit_undo_paste_find_filter_save(window, qtbot, tmp_path):
    panel = window.dataset
    asked = []
    assert panel.open_path(sample_file(tmp_path), ask=lambda result: asked.append(result) or True)
    doc = panel.document
    assert len(doc.records) == 8 and len(asked[0].problems) == 2
    # the checks run just after the table shows: the two lines that were not imported
    qtbot.waitUntil(lambda: panel.problem_list.count() == 2, timeout=3000)
    assert "line 4: not imported" in panel.problem_list.item(0).text()

    # edit a cell, undo and redo with the actions (Ctrl+Z / Ctrl+Shift+Z)
    model = panel.model
    index = model.index(0, COLUMNS.index("output"))
    assert model.setData(index, "a new answer")
    assert doc.records[0].output == "a new answer" and doc.dirty
    panel.actions_["undo"].trigger()
    assert doc.records[0].output == "answer 0" and not doc.dirty
    panel.actions_["redo"].trigger()
    assert doc.records[0].output == "a new answer"

    # the detail pane edits the current record
    panel.select_record(1)
    panel.editor.edits["input"].setPlainText("some context")
    panel.commit_detail()
    assert doc.records[1].input == "some context"

    # paste rows copied from a spreadsheet (TSV) after the current row: one undo step
    QGuiApplication.clipboard().setText("pasted q1\tctx\tpasted a1\npasted q2\t\tpasted a2\n")
    assert panel.paste_records() == 2
    assert doc.records[2] == Record("pasted q1", "pasted a1", input="ctx")
    assert len(doc.records) == 10
    panel.undo()
    assert len(doc.records) == 8
    panel.redo()

    # copy rows and paste them back as JSON records (system and history survive)
    doc.records[0].system = "Be brief."
    panel.select_record(0)
    panel.copy_records()
    assert "question 0" in QGuiApplication.clipboard().text()
    panel.paste_records()
    assert doc.records[1].system == "Be brief."

    # problems: an exact duplicate is marked, and "only problems" filters to it
    qtbot.waitUntil(lambda: any(p.kind == "duplicate" for p in panel.problems), timeout=3000)
    panel.find_bar.problems_only.setChecked(True)
    assert model.rowCount() == 1 and model.record_at(0) == 1
    assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is not None
    panel.find_bar.problems_only.setChecked(False)
    assert model.rowCount() == len(doc.records)

    # find and replace with a regular expression, one undo step
    panel.find_bar.find_edit.setText(r"answer (\d)")
    panel.find_bar.regex_box.setChecked(True)
    panel.find_bar.replace_edit.setText(r"reply \1")
    assert panel.find_next()
    panel.find_bar.matches_only.setChecked(True)
    assert model.rowCount() == 6
    assert panel.replace_all() == 6
    assert doc.records[-1].output == "reply 9"
    panel.undo()
    assert doc.records[-1].output == "answer 9"
    panel.find_bar.matches_only.setChecked(False)
    panel.find_bar.find_edit.setText("[unclosed")
    assert not panel.find_next() and "valid expression" in panel.find_bar.find_status.text()

    # delete, move, duplicate
    count = len(doc.records)
    panel.select_record(0)
    panel.delete_records()
    assert len(doc.records) == count - 1
    panel.select_record(0)
    first = doc.records[0]
    panel.move_records(1)
    assert doc.records[1] is first
    panel.duplicate_records()
    assert len(doc.records) == count

    # save (atomic) in the format train reads
    out = tmp_path / "saved.json"
    assert panel.save_to(str(out))
    assert not doc.dirty and doc.path == str(out)
    assert formats.read_dataset(out).records == doc.records
    assert window.settings.recent_datasets[0] == str(out)


def test_table_model_passes_the_model_tester(qtmodeltester):
    from lora_studio.core.document import DatasetDocument

    doc = DatasetDocument([Record(f"q{i}", f"a{i}", history=[("u", "a")]) for i in range(20)])
    model = DatasetTableModel(doc)
    qtmodeltester.check(model)
    model.set_filter([1, 5, 7])
    qtmodeltester.check(model)
    assert model.headerData(0, Qt.Orientation.Vertical) == "2"


def test_column_mapping_and_encoding_shown(window, tmp_path, monkeypatch):
    panel = window.dataset
    path = tmp_path / "wps.csv"
    path.write_bytes("问,答\n你好,您好\n".encode("gb18030"))
    from lora_studio.gui.dataset import files as dataset_files

    class Chooser:
        def __init__(self, columns, parent=None):
            self.columns = columns

        def exec(self):
            return dataset_files.QDialog.DialogCode.Accepted

        def mapping(self):
            return {"instruction": "问", "output": "答"}

    monkeypatch.setattr(dataset_files, "ColumnMappingDialog", Chooser)
    assert panel.open_path(str(path))
    assert panel.document.records == [Record("你好", "您好")]
    assert "gb18030" in panel.file_label.text()


def test_closing_with_unsaved_changes_asks(window, qtbot, monkeypatch):
    panel = window.dataset
    panel.add_record()
    assert panel.document.dirty
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    assert not window.close() and window.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert window.close()


def test_drop_a_file_and_reload_when_changed_on_disk(window, qtbot, tmp_path, monkeypatch):
    path = sample_file(tmp_path, bad_lines=False)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(path)])
    window.show_section("training")
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    panel = window.dataset
    assert window.current_section() == "dataset"
    assert len(panel.document.records) == 10

    asked = []
    monkeypatch.setattr(panel.files, "ask_reload", lambda text: asked.append(text) or True)
    time.sleep(2.1)  # past the window in which a change is taken for our own save
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\n" + json.dumps({"instruction": "added elsewhere", "output": "x"}))
    qtbot.waitUntil(lambda: len(panel.document.records) == 11, timeout=10_000)
    assert "changed by another program" in asked[0]


def test_a_killed_app_offers_its_unsaved_edits_back(qtbot, app_settings, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    dataset = sample_file(tmp_path, bad_lines=False)
    script = f"""
import os, signal, sys
sys.path.insert(0, {str(ROOT)!r})
from PySide6.QtCore import QTimer
from lora_studio.core.settings import AppSettings
from lora_studio.gui.app import create_app
from lora_studio.gui.main_window import MainWindow
app = create_app([])
window = MainWindow(AppSettings.load())
window.show()
panel = window.dataset
panel.open_path({dataset!r})
panel.document.set_field(0, "output", "an edit that was never saved")
QTimer.singleShot(4500, lambda: os.kill(os.getpid(), signal.SIGKILL))  # after an autosave
app.exec()
"""
    env = {
        **os.environ,
        "LORA_STUDIO_DATA_DIR": str(data_dir),
        "QT_QPA_PLATFORM": "offscreen",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, timeout=120, capture_output=True
    )
    assert result.returncode == -9, result.stderr.decode()[-2000:]
    assert (data_dir / "recovery" / "dataset.json").is_file()

    monkeypatch.setenv("LORA_STUDIO_DATA_DIR", str(data_dir))
    window = MainWindow(app_settings)
    qtbot.addWidget(window)
    messages = []
    assert window.offer_recovery(ask=lambda text: messages.append(text) or True)
    doc = window.dataset.document
    assert doc.records[0].output == "an edit that was never saved"
    assert doc.path == dataset and doc.dirty
    assert "10 records" in messages[0]
    assert window.dataset.save()
    assert not (data_dir / "recovery" / "dataset.json").exists()
    assert formats.read_dataset(dataset).records[0].output == "an edit that was never saved"


def test_fill_placeholders_is_one_undo_step(window, qtbot, tmp_path, monkeypatch):
    from lora_studio.gui.dataset.dialogs import PlaceholderDialog

    panel = window.dataset
    path = tmp_path / "identity.json"
    path.write_text(
        json.dumps(
            [
                {"instruction": "hi", "output": "I am {{name}}, made by {{author}}."},
                {"instruction": "你是谁？", "output": "我是 {{name}}。"},
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    assert panel.open_path(str(path))
    panel.run_checks()
    assert [p.kind for p in panel.problems] == ["placeholder", "placeholder"]

    def fill_in(dialog):  # what the user types into the real dialog
        dialog.edits["name"].setText("SecBot")
        dialog.edits["author"].setText("LoRA Studio")
        return QDialog.DialogCode.Accepted

    from PySide6.QtWidgets import QDialog

    monkeypatch.setattr(PlaceholderDialog, "exec", fill_in)
    panel.actions_["fill"].trigger()
    records = panel.document.records
    assert [r.output for r in records] == ["I am SecBot, made by LoRA Studio.", "我是 SecBot。"]
    panel.run_checks()
    assert not panel.problems
    panel.actions_["undo"].trigger()
    assert (
        records[0].output == "I am {{name}}, made by {{author}}."
        and "{{name}}" in records[1].output
    )


def test_reopen_with_another_encoding(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    panel = window.dataset
    path = tmp_path / "big5.csv"
    path.write_bytes("instruction,output\n什麼是防火牆？,過濾網路流量。\n".encode("big5"))
    assert panel.open_path(str(path))
    assert panel.document.encoding == "big5"
    assert panel.document.records[0].instruction == "什麼是防火牆？"
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("gb18030", True))
    assert panel.reopen_with_encoding_dialog()
    assert panel.document.encoding == "gb18030"
    assert (
        panel.document.records[0].instruction != "什麼是防火牆？"
    )  # what a wrong guess looks like


def test_token_counts_follow_the_training_forms_choice(window, qtbot, tmp_path, tiny_model):
    panel = window.dataset
    path = tmp_path / "multi.json"
    record = {
        "instruction": "third",
        "output": "answer three",
        "history": [["first", "answer one " * 5], ["second", "answer two " * 5]],
    }
    path.write_text(json.dumps([record]), encoding="utf-8")
    assert panel.open_path(str(path))
    panel.set_token_model(str(tiny_model))
    panel.run_checks()
    every = panel._stats.answer_lengths[0]
    form = window.training.form
    form.every_answer.setChecked(False)  # the form tells the editor through the main window
    panel.run_checks()
    last = panel._stats.answer_lengths[0]
    assert last < every
    assert panel._stats.prompt_lengths[0] > last


def test_undoing_every_edit_leaves_nothing_to_restore(window, qtbot, tmp_path):
    """The restore prompt used to come back after a crash even when every edit was undone."""
    from lora_studio.core import recovery

    panel = window.dataset
    path = sample_file(tmp_path, bad_lines=False)
    assert panel.open_path(str(path))
    panel.document.set_field(0, "output", "changed")
    panel.files.autosave()  # what the autosave timer runs
    assert recovery.pending_recovery() is not None
    panel.document.undo()
    assert not panel.document.dirty
    panel.files.autosave()
    assert recovery.pending_recovery() is None
    assert not window.offer_recovery(ask=lambda text: True)


def test_the_empty_editor_says_what_to_do_and_opens_a_sample(window, qtbot):
    from lora_studio.core.paths import demo_dataset_path

    panel = window.dataset
    assert panel.empty_hint.isVisible() and not panel.document.records
    from PySide6.QtWidgets import QPushButton

    button = next(b for b in panel.empty_hint.findChildren(QPushButton) if "8" in b.text())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert panel.document.path == demo_dataset_path() and len(panel.document.records) == 8
    assert not panel.empty_hint.isVisible()
    # the Training form follows the file open in the editor
    assert window.training.form.dataset.text() == demo_dataset_path()


def test_the_maximum_length_line_stays_on_the_histogram(qtbot):
    """It used to sit on the chart's right edge, or past it, when every record was shorter."""
    from lora_studio.core.checks import Stats
    from lora_studio.gui.dataset.checks_view import StatsView

    view = StatsView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    view.max_len.setValue(512)
    for lengths in ([10, 20, 30], [100, 900, 2000]):
        view.show_stats(Stats(3, 0.0, lengths, lengths, "tokens"), draw=True)
        (x0, x1), _y = view.histogram.getPlotItem().vb.viewRange()
        assert x0 <= 0 and x1 > max(512, *lengths) * 1.02
