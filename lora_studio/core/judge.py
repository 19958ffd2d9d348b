"""An LLM as judge of an answer, through any OpenAI-compatible API (``core/generator.py``'s
client, with its retries of rate limits and server errors).

The judge sees the question, the reference answer and one model's answer, and is asked a fixed
rubric for a JSON verdict: ``correct`` (says what the reference says), ``partly`` (some of it,
or with an error) or ``wrong``, and a one-sentence reason. A reply that is not such a verdict
marks the record "not judged" with the reason; it never fails the evaluation. The key is the
dataset generator's: the system keyring or this session only, handed to the engine in its
environment (``JUDGE_KEY_ENV``), never in a file or on a command line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

VERDICTS = {"correct": 1.0, "partly": 0.5, "wrong": 0.0}
MAX_REASON = 500
NOT_JUDGED = "not judged"

RUBRIC = (
    "You grade answers of a fine-tuned assistant. You are given a question, a reference answer "
    "and the assistant's answer. Judge only whether the assistant's answer says what the "
    "reference says; wording, length and language may differ.\n"
    '- "correct": it gives the reference\'s content, with nothing wrong added.\n'
    '- "partly": it gives part of the content, or adds something wrong.\n'
    '- "wrong": it misses the content, contradicts it, or is off topic or garbled.\n'
    'Reply with one JSON object only, no text around it: {"verdict": "correct" | "partly" | '
    '"wrong", "reason": "one short sentence"}'
)


@dataclass(frozen=True)
class Verdict:
    verdict: str  # one of VERDICTS, or "" when not judged
    reason: str

    @property
    def judged(self) -> bool:
        return self.verdict in VERDICTS

    @property
    def score(self) -> float | None:
        return VERDICTS.get(self.verdict)

    def to_dict(self) -> dict[str, object]:
        return {"verdict": self.verdict or NOT_JUDGED, "reason": self.reason, "score": self.score}

    @classmethod
    def from_dict(cls, data: object) -> Verdict:
        if not isinstance(data, dict):
            return cls("", "")
        verdict = str(data.get("verdict", ""))
        return cls(verdict if verdict in VERDICTS else "", str(data.get("reason", "")))


def judge_messages(question: str, reference: str, answer: str) -> list[dict[str, str]]:
    body = json.dumps(
        {"question": question, "reference": reference, "answer": answer},
        ensure_ascii=False,
        indent=1,
    )
    return [{"role": "system", "content": RUBRIC}, {"role": "user", "content": body}]


_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


def parse_verdict(text: str) -> Verdict:
    """The verdict in a judge's reply (a JSON object, bare or in a code fence), or a Verdict
    that is not judged and says why."""
    found = _OBJECT.search(text or "")
    if not found:
        return Verdict("", f"the judge's reply holds no JSON object: {_clip(text)!r}")
    try:
        data = json.loads(found.group(0))
    except ValueError:
        return Verdict("", f"the judge's reply is not valid JSON: {_clip(text)!r}")
    if not isinstance(data, dict):
        return Verdict("", "the judge's reply is not a JSON object")
    verdict = str(data.get("verdict", "")).strip().lower()
    if verdict not in VERDICTS:
        return Verdict("", f"the judge gave no verdict of {', '.join(VERDICTS)}: {verdict!r}")
    return Verdict(verdict, _clip(str(data.get("reason", "")).strip()))


def _clip(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def summarise(verdicts: list[Verdict]) -> dict[str, float | int]:
    scores = [v.score for v in verdicts if v.score is not None]
    return {
        "judge": sum(scores) / len(scores) if scores else 0.0,
        "judged": len(scores),
        "not_judged": len(verdicts) - len(scores),
    }
