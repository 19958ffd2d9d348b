"""Answer scores (core/eval_metrics.py) against values worked out by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lora_studio.core import eval_metrics as m


def test_exact_match_ignores_only_whitespace():
    assert m.exact_match(" 沙箱是一个\n隔离环境 ", "沙箱是一个 隔离环境") == 1.0
    assert m.exact_match("Phishing.", "phishing.") == 0.0


def test_chinese_is_tokenised_by_character_and_english_by_word():
    assert m.tokens("DDoS攻击, using bots.") == ["DDoS", "攻", "击", ",", "using", "bots", "."]


def test_rouge_l_of_two_short_chinese_strings():
    # reference 我爱北京天安门 (7 characters), answer 我爱天安门 (5): the longest common
    # subsequence is 我爱天安门, 5 characters; precision 5/5, recall 5/7, F1 = 2PR / (P + R)
    precision, recall = 5 / 5, 5 / 7
    assert m.rouge_l("我爱天安门", "我爱北京天安门") == pytest.approx(
        2 * precision * recall / (precision + recall)
    )


def test_rouge_l_of_english_words():
    # "the cat sat on the mat" against "the cat is on the mat": LCS "the cat on the mat" = 5 of
    # 6 words each way; case is ignored
    assert m.rouge_l("The cat sat on the mat", "the cat is on the mat") == pytest.approx(5 / 6)


def test_rouge_l_of_a_mixed_answer():
    # answer tokens: DDoS 是 攻 击 (4); reference: DDoS 攻 击 (3); LCS DDoS 攻 击 = 3
    precision, recall = 3 / 4, 3 / 3
    assert m.rouge_l("DDoS是攻击", "DDoS攻击") == pytest.approx(
        2 * precision * recall / (precision + recall)
    )


def test_bleu_of_a_known_pair():
    # "the cat sat on the mat" against "the cat is on the mat", same length (brevity penalty 1):
    # 1-grams 5/6, 2-grams 3/5, 3-grams 1/4, 4-grams 0/3, smoothed (exp) to 1/(2*3)
    expected = math.exp((math.log(5 / 6) + math.log(3 / 5) + math.log(1 / 4) + math.log(1 / 6)) / 4)
    assert m.bleu("the cat sat on the mat", "the cat is on the mat") == pytest.approx(expected)
    assert m.bleu("我爱北京天安门", "我爱北京天安门") == pytest.approx(1.0)


def test_summary_is_the_mean_of_records_and_corpus_bleu():
    answers = ["我爱天安门", "the cat sat on the mat"]
    references = ["我爱北京天安门", "the cat sat on the mat"]
    summary = m.summarise(answers, references)
    assert summary["exact_match"] == 0.5 and summary["records"] == 2
    assert summary["rouge_l"] == pytest.approx((10 / 12 + 1.0) / 2)
    assert 0 < summary["bleu"] < 1
    assert m.summarise([], [])["records"] == 0


@given(st.text(max_size=40), st.text(max_size=40))
def test_scores_are_fractions_and_an_answer_matches_itself(answer, reference):
    for value in m.score(answer, reference).values():
        assert 0.0 <= value <= 1.0 + 1e-9
    same = m.score(reference, reference)
    assert same["exact_match"] == 1.0 and same["rouge_l"] == pytest.approx(1.0)
