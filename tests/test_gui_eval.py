"""The Evaluation tab of Runs: a finished evaluation shown from its files, filtered to the records
that got worse, exported; and a real evaluation run from the tab (the engine on the memorised
run, the tiny test model)."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from lora_studio.core.commands import EvalOptions
from lora_studio.gui.training.eval_tab import EvaluationTab

pytestmark = pytest.mark.usefixtures("no_leaks")


def _row(question, base_answer, tuned_answer, base_rouge, tuned_rouge, judge=None):
    row = {
        "index": 0,
        "question": question,
        "reference": "防火墙过滤流量",
        "base": {"answer": base_answer, "exact_match": 0.0, "rouge_l": base_rouge, "bleu": 0.1},
        "tuned": {"answer": tuned_answer, "exact_match": 0.0, "rouge_l": tuned_rouge, "bleu": 0.2},
    }
    if judge:
        score = {"correct": 1.0, "wrong": 0.0}
        row["base"]["judge"] = {"verdict": judge[0], "reason": "r", "score": score[judge[0]]}
        row["tuned"]["judge"] = {"verdict": judge[1], "reason": "tuned", "score": score[judge[1]]}
    return row


def write_evaluation(run, name, rows, tuned_rouge=0.6):
    folder = run / "eval" / name
    folder.mkdir(parents=True)
    summary = {
        "base": {"exact_match": 0.0, "rouge_l": 0.4, "bleu": 0.1, "eval_loss": 3.0,
                 "perplexity": 20.1, "general": 0.5},
        "tuned": {"exact_match": 0.25, "rouge_l": tuned_rouge, "bleu": 0.3, "eval_loss": 1.0,
                  "perplexity": 2.7, "general": 0.375},
        "general": {"questions": 24, "lost": 4, "gained": 1, "lost_share": 0.33},
        "records": len(rows),
    }  # fmt: skip
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    (folder / "records.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return folder


def test_a_finished_evaluation_from_its_files_filtered_to_what_got_worse(qtbot, tmp_path):
    run = tmp_path / "run"
    rows = [
        _row("q1 better", "防火", "防火墙过滤流量", 0.4, 1.0, judge=("wrong", "correct")),
        _row("q2 worse", "防火墙过滤流量", "防火墙阻断", 1.0, 0.5, judge=("correct", "wrong")),
        _row("q3 same", "x", "y", 0.0, 0.0, judge=("wrong", "wrong")),
    ]
    write_evaluation(run, "20261203-100000", rows)
    other = tmp_path / "other"
    write_evaluation(other, "20261203-090000", rows[:1], tuned_rouge=0.5)
    from lora_studio.core.runs import RunSummary

    other_run = RunSummary(str(other), "other", "m", "d", 0, "completed", 1.0, 1, 1, 1,
                           True, False, False)  # fmt: skip
    tab = EvaluationTab()
    qtbot.addWidget(tab)
    tab.set_run(str(run), [other_run])
    assert tab.choice.count() == 1 and tab.evaluation is not None
    summary = {
        tab.summary.item(r, 0).text(): [tab.summary.item(r, c).text() for c in range(1, 4)]
        for r in range(tab.summary.rowCount())
    }
    assert summary["ROUGE-L"] == ["40.0%", "60.0%", "+20.0 points"]
    assert summary["Eval loss"] == ["3.000", "1.000", "-2.000"]
    assert summary["General ability"][:2] == ["50.0%", "37.5%"]
    assert "Judge score" not in summary  # this evaluation had no judge summary
    assert "24" in tab.general.text() and "4" in tab.general.text()
    assert tab.proxy.rowCount() == 3 and not tab.table.isColumnHidden(7)

    tab.only_worse.setChecked(True)
    shown = [tab.proxy.index(i, 0).data() for i in range(tab.proxy.rowCount())]
    assert shown == ["q2 worse"] and tab.shown.text() == "1 of 3 records"
    tab.table.selectRow(0)
    assert tab.reference_view.toPlainText() == "防火墙过滤流量"
    assert tab.tuned_view.toPlainText() == "防火墙阻断"
    assert 'background-color:#ffd7d5;">阻断</span>' in tab.tuned_view.toHtml()
    assert tab.proxy.index(0, 8).data() == "wrong"
    assert tab.proxy.index(0, 8).data(3) == "tuned"  # ToolTipRole: the judge's reason

    tab.only_worse.setChecked(False)
    tab.table.sortByColumn(6, tab.table.horizontalHeader().sortIndicatorOrder().AscendingOrder)
    assert [tab.proxy.index(i, 0).data() for i in range(3)] == ["q2 worse", "q3 same", "q1 better"]

    path = tab.export("csv", str(tmp_path / "out.csv"))
    exported = list(csv.DictReader(open(path, encoding="utf-8")))
    assert [r["question"] for r in exported] == ["q2 worse", "q3 same", "q1 better"]
    markdown = open(tab.export("md", str(tmp_path / "out.md")), encoding="utf-8").read()
    assert "| rouge_l | 0.400 | 0.600 |" in markdown

    tab.compare.setCurrentIndex(1)  # the other run's evaluation beside this one
    assert tab.summary.columnCount() == 6
    rouge = [r for r in range(tab.summary.rowCount()) if tab.summary.item(r, 0).text() == "ROUGE-L"]
    assert tab.summary.item(rouge[0], 4).text() == "50.0%"
    assert tab.summary.item(rouge[0], 5).text() == "+10.0 points"


def test_unreadable_or_missing_evaluations_say_so(qtbot, tmp_path):
    tab = EvaluationTab()
    qtbot.addWidget(tab)
    tab.set_run(str(tmp_path), [])
    assert "not been evaluated" in tab.message.text() and not tab.csv_button.isEnabled()
    folder = tmp_path / "eval" / "20261203-1"
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text("[1, 2", encoding="utf-8")
    tab.set_run(str(tmp_path), [])
    assert "cannot be read" in tab.message.text() and tab.records.rowCount() == 0


def test_evaluate_from_the_tab(qtbot, tmp_path, memorised_run, memorise_dataset):
    run = tmp_path / "run"
    shutil.copytree(memorised_run, run, ignore=shutil.ignore_patterns("merged", "checkpoints"))
    tab = EvaluationTab()
    qtbot.addWidget(tab)
    tab.set_run(str(run), [])
    dialog = tab.ask_and_evaluate()
    assert dialog is not None and "choose" in dialog.dataset.placeholderText()
    assert dialog.problems()  # no split and no file: it says what to choose
    dialog.reject()
    options = EvalOptions(str(memorise_dataset), limit=3, max_new_tokens=60, general=False)
    assert tab.evaluate(options)
    assert tab.stop_button.isVisibleTo(tab) and not tab.evaluate_button.isEnabled()
    with qtbot.waitSignal(tab.evaluated, timeout=300_000):
        pass
    assert tab.choice.count() == 1 and tab.records.rowCount() == 3
    assert tab.summary.item(0, 0).text() == "Exact match"
    assert tab.summary.item(0, 2).text() == "100.0%"
    assert tab.evaluate_button.isEnabled()


def test_a_run_with_an_eval_split_is_evaluated_when_training_ends(
    window, qtbot, tiny_model, memorise_dataset
):
    from test_gui_training import fill_form

    panel = window.training
    assert panel.eval_box.isChecked()  # on by default
    fill_form(panel.form, tiny_model, memorise_dataset, epochs=1, save_steps=100)
    panel.form.eval_ratio.setValue(0.25)  # 2 of the 8 records held out
    with qtbot.waitSignal(panel.run_finished, timeout=180_000):
        assert panel.start()
    assert "Runs → Evaluation" in panel.status.text()
    tab = window.runs.evaluation
    assert tab.job.running
    with qtbot.waitSignal(tab.evaluated, timeout=300_000) as blocker:
        pass
    assert tab.evaluation is not None and tab.evaluation.folder == blocker.args[0]
    assert tab.records.rowCount() == 2 and tab.evaluation.summary["general"]["questions"] >= 20
    assert tab.summary.item(0, 3).text().endswith("points")
