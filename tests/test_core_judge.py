"""Reading an LLM judge's verdict: any reply gives a verdict or a reason it is not one."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from lora_studio.core import judge
from lora_studio.core.judge import Verdict, parse_verdict


def test_a_plain_or_fenced_verdict_is_read():
    v = parse_verdict('{"verdict": "correct", "reason": "Same content."}')
    assert (v.verdict, v.reason, v.score, v.judged) == ("correct", "Same content.", 1.0, True)
    v = parse_verdict('Here:\n```json\n{"verdict": "Partly", "reason": "misses a step"}\n```')
    assert (v.verdict, v.score) == ("partly", 0.5)
    assert parse_verdict('{"verdict": "wrong"}').score == 0.0


def test_a_reply_that_is_no_verdict_says_why():
    for text, why in [
        ("The answer looks right to me.", "no JSON object"),
        ('{"verdict": "correct", reason: x}', "not valid JSON"),
        ('{"verdict": "great", "reason": "x"}', "no verdict"),
        ("", "no JSON object"),
    ]:
        v = parse_verdict(text)
        assert not v.judged and v.score is None and why in v.reason, (text, v)
        assert v.to_dict()["verdict"] == judge.NOT_JUDGED


@given(st.text(max_size=2000))
def test_any_reply_gives_a_verdict_without_error(text):
    v = parse_verdict(text)
    assert v.verdict in ("", *judge.VERDICTS)
    assert len(v.reason) <= judge.MAX_REASON + 200
    assert Verdict.from_dict(json.loads(json.dumps(v.to_dict()))) == v


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=20,
    )
)
def test_any_json_value_gives_a_verdict_without_error(value):
    v = parse_verdict(json.dumps({"verdict": value, "reason": value}))
    assert v.verdict in ("", *judge.VERDICTS)


def test_the_rubric_and_the_summary():
    messages = judge.judge_messages("问题", "参考", "回答")
    assert messages[0]["role"] == "system" and "verdict" in messages[0]["content"]
    assert json.loads(messages[1]["content"]) == {
        "question": "问题",
        "reference": "参考",
        "answer": "回答",
    }
    verdicts = [Verdict("correct", ""), Verdict("partly", ""), Verdict("", "bad reply")]
    assert judge.summarise(verdicts) == {"judge": 0.75, "judged": 2, "not_judged": 1}
    assert judge.summarise([])["judge"] == 0.0
