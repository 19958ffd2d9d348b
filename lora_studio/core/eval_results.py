"""A run's evaluations as the app shows them (the files ``main.py eval`` writes).

Read without trusting: a folder another version wrote, or one cut short, gives what it holds and
skips lines it cannot read. Which records "got worse", the character diff of two answers, and the
CSV and Markdown exports live here, tested without Qt.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

from lora_studio.core.runs import EVAL_DIR, EVAL_GENERAL, EVAL_RECORDS, EVAL_SUMMARY

SIDES = ("base", "tuned")
# What the summary table shows, in this order: (key, higher is better).
SUMMARY_METRICS = (
    ("exact_match", True),
    ("rouge_l", True),
    ("bleu", True),
    ("eval_loss", False),
    ("perplexity", False),
    ("general", True),
    ("judge", True),
)
FRACTIONS = {"exact_match", "rouge_l", "bleu", "general", "judge"}
WORSE_BY = 1e-9  # a score lower by more than rounding noise


@dataclass
class Evaluation:
    folder: str
    summary: dict[str, Any] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)
    general: list[dict[str, Any]] = field(default_factory=list)
    skipped_lines: int = 0

    @property
    def name(self) -> str:
        return os.path.basename(self.folder.rstrip("/\\"))

    def metric(self, side: str, key: str) -> float | None:
        value = self.summary.get(side, {}).get(key) if isinstance(self.summary, dict) else None
        return (
            float(value)
            if isinstance(value, (int, float)) and not isinstance(value, bool)
            else None
        )


def list_evaluations(run_dir: str) -> list[str]:
    """The run's evaluation folders, newest first (their names are their times)."""
    root = os.path.join(run_dir, EVAL_DIR)
    try:
        names = [n for n in os.listdir(root) if os.path.isfile(os.path.join(root, n, EVAL_SUMMARY))]
    except OSError:
        return []
    return [os.path.join(root, n) for n in sorted(names, reverse=True)]


def _jsonl(path: str) -> tuple[list[dict[str, Any]], int]:
    rows, skipped = [], 0
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except ValueError:
                    skipped += 1
                    continue
                if isinstance(row, dict):
                    rows.append(row)
                else:
                    skipped += 1
    except OSError:
        pass
    return rows, skipped


def load_evaluation(folder: str) -> Evaluation:
    """What an evaluation folder holds; raises OSError/ValueError when its summary is unreadable."""
    with open(os.path.join(folder, EVAL_SUMMARY), encoding="utf-8") as handle:
        summary = json.load(handle)
    if not isinstance(summary, dict):
        raise ValueError("summary.json is not a JSON object")
    rows, skipped = _jsonl(os.path.join(folder, EVAL_RECORDS))
    general, skipped_general = _jsonl(os.path.join(folder, EVAL_GENERAL))
    return Evaluation(folder, summary, rows, general, skipped + skipped_general)


def side_value(row: dict[str, Any], side: str, key: str) -> Any:
    part = row.get(side)
    return part.get(key) if isinstance(part, dict) else None


def got_worse(row: dict[str, Any]) -> bool:
    """The tuned answer scores lower than the base's on exact match or ROUGE-L, or the judge
    thinks less of it."""
    for key in ("exact_match", "rouge_l"):
        base, tuned = side_value(row, "base", key), side_value(row, "tuned", key)
        if isinstance(base, (int, float)) and isinstance(tuned, (int, float)):
            if tuned < base - WORSE_BY:
                return True
    base_judge, tuned_judge = side_value(row, "base", "judge"), side_value(row, "tuned", "judge")
    if isinstance(base_judge, dict) and isinstance(tuned_judge, dict):
        b, t = base_judge.get("score"), tuned_judge.get("score")
        if isinstance(b, (int, float)) and isinstance(t, (int, float)) and t < b:
            return True
    return False


# CJK characters one by one (Chinese has no spaces between words), other text by word, space
# and punctuation: the units a reader sees change.
_DIFF_UNITS = re.compile(
    r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
    r"|[^\W\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+"
    r"|\s+|.",
    re.DOTALL,
)


def diff_units(text: str) -> list[str]:
    return _DIFF_UNITS.findall(text)


def diff_spans(left: str, right: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both texts cut into (piece, differs) spans: Chinese by character, other text by word."""
    a_units, b_units = diff_units(left), diff_units(right)
    matcher = difflib.SequenceMatcher(None, a_units, b_units, autojunk=False)
    a: list[tuple[str, bool]] = []
    b: list[tuple[str, bool]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        same = tag == "equal"
        if i2 > i1:
            a.append(("".join(a_units[i1:i2]), not same))
        if j2 > j1:
            b.append(("".join(b_units[j1:j2]), not same))
    return a, b


COLUMNS = (
    "question",
    "reference",
    "base_answer",
    "tuned_answer",
    "base_rouge_l",
    "tuned_rouge_l",
    "base_exact_match",
    "tuned_exact_match",
    "base_judge",
    "tuned_judge",
)


def flat_row(row: dict[str, Any]) -> dict[str, Any]:
    def judge(side: str) -> str:
        verdict = side_value(row, side, "judge")
        return str(verdict.get("verdict", "")) if isinstance(verdict, dict) else ""

    return {
        "question": str(row.get("question", "")),
        "reference": str(row.get("reference", "")),
        "base_answer": str(side_value(row, "base", "answer") or ""),
        "tuned_answer": str(side_value(row, "tuned", "answer") or ""),
        "base_rouge_l": side_value(row, "base", "rouge_l"),
        "tuned_rouge_l": side_value(row, "tuned", "rouge_l"),
        "base_exact_match": side_value(row, "base", "exact_match"),
        "tuned_exact_match": side_value(row, "tuned", "exact_match"),
        "base_judge": judge("base"),
        "tuned_judge": judge("tuned"),
    }


def to_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(flat_row(row))
    return out.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    text = "" if value is None else str(value)
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def to_markdown(evaluation: Evaluation, rows: list[dict[str, Any]]) -> str:
    lines = [f"# Evaluation {evaluation.name}", "", "| metric | base | tuned |", "|---|---|---|"]
    for key, _higher in SUMMARY_METRICS:
        base, tuned = evaluation.metric("base", key), evaluation.metric("tuned", key)
        if base is not None or tuned is not None:
            lines.append(f"| {key} | {_cell(base)} | {_cell(tuned)} |")
    lines += ["", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        flat = flat_row(row)
        lines.append("| " + " | ".join(_cell(flat[c]) for c in COLUMNS) + " |")
    return "\n".join(lines) + "\n"
