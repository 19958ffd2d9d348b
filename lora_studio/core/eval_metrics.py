"""Scores of an answer against its reference, for evaluating a run (issue 17's ``main.py eval``).

- exact match, after whitespace is normalised (runs of spaces, tabs and newlines are one space);
- ROUGE-L F1 from ``rouge-score``, and BLEU-4 from ``sacrebleu``: no n-gram code of our own.

Both see text through sacrebleu's Chinese tokenizer (``tokenize="zh"``, the one of the WMT
Chinese tasks): each CJK character is a token, other text is split into words and punctuation
(13a). So Chinese is scored on characters and English on words, and a mixed answer
("DDoS攻击是…") the way the standard Chinese tools score it. ROUGE-L ignores case, as the ROUGE
tools do; BLEU keeps it, as sacrebleu does. Sentence BLEU uses sacrebleu's defaults for one
sentence (exponential smoothing, effective order), so a short answer with no 4-gram in common
is not simply 0. Every score is a fraction in 0..1.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


def normalise(text: str) -> str:
    return " ".join(text.split())


def exact_match(answer: str, reference: str) -> float:
    return 1.0 if normalise(answer) == normalise(reference) else 0.0


@lru_cache(maxsize=1)
def _zh_tokenizer() -> Any:
    from sacrebleu.tokenizers.tokenizer_zh import TokenizerZh

    return TokenizerZh()


def tokens(text: str) -> list[str]:
    """CJK characters one by one, other text as words and punctuation."""
    return _zh_tokenizer()(normalise(text)).split()


class _RougeTokens:
    """rouge-score asks its tokenizer for ``tokenize(text)``."""

    def tokenize(self, text: str) -> list[str]:
        return [token.lower() for token in tokens(text)]


@lru_cache(maxsize=1)
def _rouge() -> Any:
    from rouge_score import rouge_scorer

    return rouge_scorer.RougeScorer(["rougeL"], tokenizer=_RougeTokens())


def rouge_l(answer: str, reference: str) -> float:
    """ROUGE-L F1 (longest common subsequence of tokens)."""
    if not tokens(answer) or not tokens(reference):
        return 1.0 if not tokens(answer) and not tokens(reference) else 0.0
    return float(_rouge().score(reference, answer)["rougeL"].fmeasure)


@lru_cache(maxsize=2)
def _bleu(sentence: bool) -> Any:
    from sacrebleu.metrics import BLEU

    return BLEU(tokenize="zh", effective_order=sentence)


def bleu(answer: str, reference: str) -> float:
    """Sentence BLEU-4 of one answer."""
    if not tokens(answer) or not tokens(reference):
        return 1.0 if not tokens(answer) and not tokens(reference) else 0.0
    result = _bleu(True).sentence_score(normalise(answer), [normalise(reference)])
    return _fraction(result.score)


def corpus_bleu(answers: list[str], references: list[str]) -> float:
    """BLEU-4 over all answers at once (n-gram counts summed, not sentence scores averaged)."""
    if not answers:
        return 0.0
    answers = [normalise(a) for a in answers]
    references = [normalise(r) for r in references]
    return _fraction(_bleu(False).corpus_score(answers, [references]).score)


def _fraction(percent: float) -> float:
    """sacrebleu's 0..100 as 0..1 (its float sums can give 100.00000000000004)."""
    return min(1.0, max(0.0, float(percent) / 100))


def warm() -> None:
    """Import and build the scorers now (about a second: rouge-score brings nltk), before the
    answers are timed, rather than inside the first record."""
    _zh_tokenizer()
    _rouge()
    _bleu(True)
    _bleu(False)


def score(answer: str, reference: str) -> dict[str, float]:
    return {
        "exact_match": exact_match(answer, reference),
        "rouge_l": rouge_l(answer, reference),
        "bleu": bleu(answer, reference),
    }


def summarise(
    answers: list[str], references: list[str], scores: list[dict[str, Any]] | None = None
) -> dict[str, float]:
    """Means of the per-record scores (``scores`` when they were computed already, as
    ``score`` gives them), with corpus BLEU for ``bleu``."""
    if not answers:
        return {"exact_match": 0.0, "rouge_l": 0.0, "bleu": 0.0, "records": 0}
    if scores is None:
        scores = [score(a, r) for a, r in zip(answers, references, strict=True)]
    return {
        "exact_match": sum(s["exact_match"] for s in scores) / len(scores),
        "rouge_l": sum(s["rouge_l"] for s in scores) / len(scores),
        "bleu": corpus_bleu(answers, references),
        "records": len(scores),
    }
