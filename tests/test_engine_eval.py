"""``main.py eval`` on the run that memorised its records: the tuned model answers every record
exactly, the base does not, and the results are files that the app and scripts read."""

from __future__ import annotations

import json

from conftest import MEMORISE_RECORDS, events_of, run_cli


def test_eval_of_a_memorised_run(memorised_run, memorise_dataset, tmp_path):
    import shutil

    run = tmp_path / "run"  # a copy: the shared run stays as other tests expect it
    shutil.copytree(memorised_run, run, ignore=shutil.ignore_patterns("merged", "checkpoints"))
    args = [
        "eval",
        str(run),
        "--dataset",
        str(memorise_dataset),
        "--limit",
        "4",
        "--max_new_tokens",
        "60",
        "--events",
        "jsonl",
    ]
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr[-3000:]
    events = events_of(result.stdout)
    assert any(e["type"] == "loading" and e["stage"] == "eval" for e in events)
    folder = events[-1]["output"]
    summary = json.loads(open(f"{folder}/summary.json", encoding="utf-8").read())
    assert summary["records"] == 4
    assert summary["tuned"]["exact_match"] == 1.0 and summary["tuned"]["rouge_l"] == 1.0
    assert summary["base"]["exact_match"] < 1.0 and summary["base"]["rouge_l"] < 1.0
    for side in ("base", "tuned"):
        assert all(0 <= summary[side][k] <= 1 for k in ("exact_match", "rouge_l", "bleu"))
    rows = [json.loads(line) for line in open(f"{folder}/records.jsonl", encoding="utf-8")]
    assert [r["reference"] for r in rows] == [r["output"] for r in MEMORISE_RECORDS[:4]]
    assert all(r["tuned"]["answer"] == r["reference"] for r in rows)
    # a second evaluation is kept beside the first
    again = run_cli(*args)
    assert again.returncode == 0
    assert len(list((run / "eval").iterdir())) == 2


def test_eval_says_what_is_wrong(memorised_run, tmp_path):
    result = run_cli("eval", str(tmp_path), "--events", "jsonl")
    assert result.returncode == 1
    error = [e for e in events_of(result.stdout) if e["type"] == "error"][-1]
    assert "not a run folder" in error["message"] and error["hint"]
    result = run_cli("eval", str(memorised_run), "--events", "jsonl")  # trained without a split
    assert result.returncode == 1
    error = [e for e in events_of(result.stdout) if e["type"] == "error"][-1]
    assert "--dataset" in error["hint"]
    assert "Traceback" not in result.stderr
