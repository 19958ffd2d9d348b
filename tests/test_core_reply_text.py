"""Stop strings and tool calls cut out of a streamed reply (core/reply_text.py), without a model."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from lora_studio.core.reply_text import ReplyShaper, StopText, parse_tool_calls


def _split(text: str, cuts: list[int]) -> list[str]:
    points = sorted({0, len(text), *(c % (len(text) + 1) for c in cuts)})
    return [text[a:b] for a, b in zip(points, points[1:], strict=False)]


def _expected(text: str, stops: list[str]) -> str:
    hits = [text.find(s) for s in stops if s and text.find(s) >= 0]
    return text[: min(hits)] if hits else text


ALPHABET = st.sampled_from(list("ab\nU:。你<>"))


@given(
    st.text(ALPHABET, max_size=40),
    st.lists(st.text(ALPHABET, min_size=1, max_size=4), min_size=1, max_size=4),
    st.lists(st.integers(0, 60), max_size=12),
)
def test_streamed_text_is_cut_at_the_first_stop_however_it_is_split(text, stops, cuts):
    cutter = StopText(stops)
    out = "".join(cutter.feed(piece) for piece in _split(text, cuts)) + cutter.flush()
    assert out == _expected(text, stops)
    assert bool(cutter.found) == (out != text or any(s in text for s in stops))


def test_text_that_may_start_a_stop_is_held_back_until_decided():
    cutter = StopText(["\nUser:"])
    assert cutter.feed("Hello\nUs") == "Hello"
    assert cutter.feed("ually") == "\nUsually"
    assert cutter.feed(" fine\nUser: more") == " fine" and cutter.found == "\nUser:"
    assert cutter.feed("ignored") == "" and cutter.flush() == ""


def test_hermes_tool_calls_are_parsed_with_their_arguments_as_json_text():
    text = (
        '<tool_call>\n{"name": "get_weather", "arguments": {"city": "巴黎"}}\n</tool_call>\n'
        '<tool_call>\n{"name": "now", "arguments": {}}\n</tool_call>'
    )
    calls = parse_tool_calls(text)
    assert [c["function"]["name"] for c in calls] == ["get_weather", "now"]
    assert json.loads(calls[0]["function"]["arguments"]) == {"city": "巴黎"}
    assert calls[0]["id"].startswith("call_") and calls[0]["id"] != calls[1]["id"]
    assert calls[0]["type"] == "function"


def test_a_malformed_tool_call_stays_text():
    for text in (
        "<tool_call>\n{not json}\n</tool_call>",
        '<tool_call>\n["name"]\n</tool_call>',
        '<tool_call>\n{"name": 3}\n</tool_call>',
        '<tool_call>\n{"name": "f", "arguments": 7}\n</tool_call>',
        "<tool_call>",
    ):
        assert parse_tool_calls(text) is None, text
        shaper = ReplyShaper([], tools=True)
        sent = shaper.feed(text)
        end = shaper.finish(reached_length=False)
        assert sent + end.content == text and not end.tool_calls and end.finish_reason == "stop"


def test_the_shaper_streams_the_text_before_a_tool_call_and_returns_the_call():
    shaper = ReplyShaper(["STOP"], tools=True)
    pieces = [
        "Let me check. <tool",
        '_call>\n{"name": "f", ',
        '"arguments": {"x": 1}}\n</tool_call>',
    ]
    sent = "".join(shaper.feed(p) for p in pieces)
    end = shaper.finish(reached_length=False)
    assert sent == "Let me check. " and end.finish_reason == "tool_calls"
    assert json.loads(end.tool_calls[0]["function"]["arguments"]) == {"x": 1}


def test_finish_reasons():
    shaper = ReplyShaper(["\n\n"], tools=False)
    assert shaper.feed("one\n") == "one"
    assert shaper.feed("\ntwo") == "" and shaper.stopped
    assert shaper.finish(reached_length=True).finish_reason == "stop"
    shaper = ReplyShaper(["zz"], tools=False)
    assert shaper.feed("abz") == "ab"
    end = shaper.finish(reached_length=True)
    assert end.content == "z" and end.finish_reason == "length"


@given(st.text(max_size=60), st.lists(st.integers(0, 80), max_size=10))
def test_without_stops_or_a_tool_call_nothing_is_lost(text, cuts):
    shaper = ReplyShaper([], tools="<tool_call>" not in text)
    sent = "".join(shaper.feed(p) for p in _split(text, cuts))
    end = shaper.finish(reached_length=False)
    assert sent + end.content == text
