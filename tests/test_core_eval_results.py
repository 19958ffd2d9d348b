"""Reading evaluation folders, "got worse", diffs and exports, without Qt."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lora_studio.core import eval_results
from lora_studio.core.eval_results import diff_spans, got_worse


def row(question, base_rouge, tuned_rouge, base_em=0.0, tuned_em=0.0, judges=None):
    out = {
        "index": 0,
        "question": question,
        "reference": "ref",
        "base": {"answer": "b|" + question, "rouge_l": base_rouge, "exact_match": base_em},
        "tuned": {"answer": "t\n" + question, "rouge_l": tuned_rouge, "exact_match": tuned_em},
    }
    if judges:
        out["base"]["judge"] = {"verdict": "x", "score": judges[0]}
        out["tuned"]["judge"] = {"verdict": "y", "score": judges[1]}
    return out


def write_eval(folder, summary, rows, general=()):
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    (folder / "records.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    if general:
        (folder / "general.jsonl").write_text(
            "".join(json.dumps(g) + "\n" for g in general), encoding="utf-8"
        )


def test_got_worse():
    assert got_worse(row("a", 0.9, 0.5))
    assert not got_worse(row("a", 0.5, 0.9))
    assert not got_worse(row("a", 0.5, 0.5))
    assert got_worse(row("a", 0.5, 0.5, base_em=1.0, tuned_em=0.0))
    assert got_worse(row("a", 0.5, 0.5, judges=(1.0, 0.5)))
    assert not got_worse(row("a", 0.5, 0.5, judges=(None, 0.0)))
    assert not got_worse({"question": "no sides"})
    assert not got_worse({"base": "x", "tuned": [1]})


def test_list_and_load_newest_first_skipping_bad_lines(tmp_path):
    run = tmp_path / "run"
    write_eval(run / "eval" / "20261203-100000", {"base": {"rouge_l": 0.1}}, [row("q", 0.1, 0.2)])
    write_eval(run / "eval" / "20261203-110000", {"tuned": {"rouge_l": 0.9}}, [row("q", 0.1, 0.9)])
    (run / "eval" / "not-an-eval").mkdir()
    folders = eval_results.list_evaluations(str(run))
    assert [f.rsplit("/", 1)[1] for f in folders] == ["20261203-110000", "20261203-100000"]
    with open(f"{folders[0]}/records.jsonl", "a", encoding="utf-8") as f:
        f.write('{"cut short\n[1, 2]\n\n')
    evaluation = eval_results.load_evaluation(folders[0])
    assert len(evaluation.rows) == 1 and evaluation.skipped_lines == 2
    assert evaluation.metric("tuned", "rouge_l") == 0.9
    assert evaluation.metric("base", "rouge_l") is None and evaluation.metric("x", "y") is None
    assert eval_results.list_evaluations(str(tmp_path / "nowhere")) == []


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(summary=st.binary(max_size=300), records=st.binary(max_size=600))
def test_hostile_files_give_a_clear_error_or_what_they_hold(tmp_path_factory, summary, records):
    folder = tmp_path_factory.mktemp("eval")
    (folder / "summary.json").write_bytes(summary)
    (folder / "records.jsonl").write_bytes(records)
    try:
        evaluation = eval_results.load_evaluation(str(folder))
    except (OSError, ValueError):
        return
    for r in evaluation.rows:
        got_worse(r)
        eval_results.flat_row(r)
    eval_results.to_csv(evaluation.rows)
    eval_results.to_markdown(evaluation, evaluation.rows)
    for key, _ in eval_results.SUMMARY_METRICS:
        evaluation.metric("base", key)


@given(st.text(max_size=80), st.text(max_size=80))
def test_diff_spans_rebuild_both_texts(left, right):
    a, b = diff_spans(left, right)
    assert "".join(p for p, _ in a) == left and "".join(p for p, _ in b) == right
    if left == right:
        assert not any(d for _, d in a + b)


def test_english_diff_is_by_word():
    a, b = diff_spans("a fake message", "a fake mess")
    assert a == [("a fake ", False), ("message", True)]
    assert b == [("a fake ", False), ("mess", True)]
    a, b = diff_spans("DDoS攻击是", "DDoS攻击不是")
    assert b == [("DDoS攻击", False), ("不", True), ("是", False)]


def test_chinese_diff_is_by_character():
    a, b = diff_spans("防火墙过滤流量", "防火墙阻断流量")
    assert a == [("防火墙", False), ("过滤", True), ("流量", False)]
    assert b == [("防火墙", False), ("阻断", True), ("流量", False)]


@pytest.mark.parametrize("question", ["plain", "管道 | 和\n换行", 'quote "x", comma'])
def test_exports_keep_every_cell(tmp_path, question):
    rows = [row(question, 0.25, 0.75, judges=(0.0, 1.0))]
    parsed = list(csv.DictReader(io.StringIO(eval_results.to_csv(rows))))
    assert parsed[0]["question"] == question and parsed[0]["tuned_answer"] == "t\n" + question
    assert parsed[0]["tuned_rouge_l"] == "0.75" and parsed[0]["tuned_judge"] == "y"
    evaluation = eval_results.Evaluation(str(tmp_path / "e1"), {"base": {"bleu": 0.5}}, rows)
    markdown = eval_results.to_markdown(evaluation, rows)
    table = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert "| bleu | 0.500 |  |" in table
    cells = table[-1].replace("\\|", "").split("|")
    assert len(cells) == len(eval_results.COLUMNS) + 2  # one row per record, its pipes escaped
