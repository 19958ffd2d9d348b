"""The general-ability check: did fine-tuning cost the model what it knew before?

A small bundled set of general questions (``resources/eval/general_ability.json``, written for
this project in English and Chinese: facts, arithmetic, a short instruction), each with its
short accepted answers. Base and tuned model answer every question; an answer counts when it
contains an accepted answer (Latin letters and digits as a whole word, so "12" is not found in
"120"; case ignored unless the question says otherwise; CJK text as it stands). What the base
knew and the tuned model lost is its own number. No network, no judge: the same on every
machine.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from lora_studio.core.paths import resource_path

GENERAL_SET = ("eval", "general_ability.json")


@dataclass(frozen=True)
class Question:
    id: str
    lang: str
    kind: str
    question: str
    accept: tuple[str, ...]
    case_sensitive: bool = False


def load_questions(path: str = "") -> list[Question]:
    with open(path or resource_path(*GENERAL_SET), encoding="utf-8") as f:
        data = json.load(f)
    return [
        Question(
            id=str(item["id"]),
            lang=str(item.get("lang", "")),
            kind=str(item.get("kind", "")),
            question=str(item["question"]),
            accept=tuple(str(a) for a in item["accept"]),
            case_sensitive=bool(item.get("case_sensitive", False)),
        )
        for item in data["questions"]
    ]


def _pattern(accepted: str, case_sensitive: bool) -> re.Pattern[str]:
    body = re.escape(accepted)
    if re.match(r"[A-Za-z0-9]", accepted):
        body = r"(?<![A-Za-z0-9])" + body
    if re.search(r"[A-Za-z0-9]$", accepted):
        body += r"(?![A-Za-z0-9])"
    return re.compile(body, 0 if case_sensitive else re.IGNORECASE)


def answered(answer: str, question: Question) -> bool:
    """Whitespace is normalised in the answer and the accepted answers alike."""
    text = " ".join(answer.split())
    accepted = [" ".join(a.split()) for a in question.accept]
    return any(_pattern(a, question.case_sensitive).search(text) for a in accepted if a)


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """``rows``: one per question, ``{"base": {"correct": bool}, "tuned": {...}}``.

    ``lost``: questions the base answered and the tuned model no longer does; ``gained`` the
    other way round. Fractions in 0..1.
    """
    n = len(rows)
    base = [bool(row["base"]["correct"]) for row in rows]
    tuned = [bool(row["tuned"]["correct"]) for row in rows]
    lost = sum(1 for b, t in zip(base, tuned, strict=True) if b and not t)
    gained = sum(1 for b, t in zip(base, tuned, strict=True) if t and not b)
    return {
        "questions": n,
        "base": sum(base) / n if n else 0.0,
        "tuned": sum(tuned) / n if n else 0.0,
        "lost": lost,
        "gained": gained,
        "lost_share": lost / sum(base) if sum(base) else 0.0,
    }
