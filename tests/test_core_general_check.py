"""The general-ability check's bundled set and its scoring."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from lora_studio.core import general_check
from lora_studio.core.general_check import Question, answered


def q(*accept: str, case_sensitive: bool = False) -> Question:
    return Question("x", "en", "fact", "?", accept, case_sensitive)


def test_the_bundled_set_has_both_languages_and_every_kind():
    questions = general_check.load_questions()
    assert len(questions) >= 20
    assert len({x.id for x in questions}) == len(questions)
    for lang in ("en", "zh"):
        mine = [x for x in questions if x.lang == lang]
        assert {x.kind for x in mine} == {"fact", "arithmetic", "instruction"}, lang
    for x in questions:
        assert x.accept and all(a.strip() for a in x.accept)
        # An answer that only repeats the question must not count.
        assert not answered(x.question, x), x.id
        # Each accepted answer, alone or in a sentence, counts.
        for a in x.accept:
            assert answered(a, x) and answered(f"The answer is {a}.", x), (x.id, a)


def test_latin_and_digits_match_whole_words_only():
    assert answered("It is 12.", q("12"))
    assert not answered("It is 120.", q("12"))
    assert not answered("312", q("12"))
    assert answered("paris, of course", q("Paris"))
    assert not answered("Parisian", q("Paris"))
    assert answered("H2O", q("H2O"))
    assert not answered("river", q("RIVER", case_sensitive=True))
    assert answered("RIVER", q("RIVER", case_sensitive=True))


def test_cjk_answers_match_inside_text():
    assert answered("中国的首都是北京。", q("北京"))
    assert answered("答案：7", q("7", "七"))
    assert answered("等于七", q("7", "七"))
    assert not answered("上海", q("北京"))


@given(st.text(max_size=200), st.lists(st.text(min_size=1, max_size=10), min_size=1, max_size=3))
def test_any_text_and_answers_are_scored_without_error(answer, accept):
    result = answered(answer, q(*accept))
    assert isinstance(result, bool)
    text = " ".join(answer.split())
    found = [a for a in (" ".join(x.split()) for x in accept) if a and a in text]
    if found and not any(re.search(r"[A-Za-z0-9]", a) for a in accept):
        assert result


def test_what_was_lost_and_gained():
    rows = [
        {"base": {"correct": True}, "tuned": {"correct": True}},
        {"base": {"correct": True}, "tuned": {"correct": False}},
        {"base": {"correct": False}, "tuned": {"correct": True}},
        {"base": {"correct": False}, "tuned": {"correct": False}},
    ]
    summary = general_check.summarise(rows)
    assert summary == {
        "questions": 4,
        "base": 0.5,
        "tuned": 0.5,
        "lost": 1,
        "gained": 1,
        "lost_share": 0.5,
    }
    assert general_check.summarise([])["base"] == 0.0
