"""Chat Completions bodies read as OpenAI reads them (core/openai_request.py), without a model."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lora_studio.core.chat import MAX_MESSAGES
from lora_studio.core.generation_settings import GenerationSettings
from lora_studio.core.openai_request import ApiCall, ApiError, decode_body, read_call

HI = [{"role": "user", "content": "hi"}]


def call(**body) -> ApiCall:
    return read_call({"messages": HI, **body}, GenerationSettings())


def refused(body: dict, param: str | None) -> ApiError:
    with pytest.raises(ApiError) as caught:
        read_call(body, GenerationSettings())
    error = caught.value
    assert error.status == 400 and error.message
    assert error.body()["error"]["param"] == param, error.message
    return error


def test_the_parameters_clients_send_are_honoured():
    got = call(
        model="gpt-4o-mini",
        stop=["\n\n", "User:"],
        stream=True,
        stream_options={"include_usage": True},
        max_completion_tokens=17,
        seed=-5,
        temperature=0,
        n=1,
        logprobs=False,
        presence_penalty=0,
        frequency_penalty=0.0,
        response_format={"type": "text"},
        user="someone",
        metadata={"k": "v"},
        tool_choice="auto",
        parallel_tool_calls=True,
    )
    assert got.stream and got.include_usage and got.stops == ["\n\n", "User:"]
    settings_ = got.request.settings
    assert settings_.greedy and settings_.max_new_tokens == 17 and settings_.seed == -5
    assert call(stop="END").stops == ["END"]
    assert call(max_tokens=9).request.settings.max_new_tokens == 9


def test_developer_role_text_parts_and_tool_turns():
    messages = [
        {"role": "developer", "content": "Be brief."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Weather in "},
                {"type": "text", "text": "Paris?"},
            ],
        },
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
    ]
    got = read_call({"messages": messages}, GenerationSettings()).request.messages
    assert got[0] == {"role": "system", "content": "Be brief."}
    assert got[1]["content"] == "Weather in Paris?"
    assert got[2]["tool_calls"][0]["function"]["arguments"] == {"city": "Paris"}
    assert got[3] == {"role": "tool", "content": "sunny", "tool_call_id": "call_1"}


def test_tools_are_read_and_tool_choice_none_drops_them():
    tool = {
        "type": "function",
        "function": {
            "name": "get_weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    }
    assert call(tools=[tool]).tools[0]["function"]["name"] == "get_weather"
    assert call(tools=[tool], tool_choice="none").tools == []


@pytest.mark.parametrize(
    "extra, param",
    [
        ({"n": 2}, "n"),
        ({"logprobs": True}, "logprobs"),
        ({"top_logprobs": 3}, "top_logprobs"),
        ({"presence_penalty": 0.5}, "presence_penalty"),
        ({"frequency_penalty": -1}, "frequency_penalty"),
        ({"response_format": {"type": "json_object"}}, "response_format"),
        ({"logit_bias": {"1": 5}}, "logit_bias"),
        ({"tool_choice": "required"}, "tool_choice"),
        ({"tool_choice": {"type": "function", "function": {"name": "f"}}}, "tool_choice"),
        ({"tools": [{"type": "retrieval"}]}, "tools"),
        ({"tools": [{"type": "function", "function": {"name": "a b"}}]}, "tools"),
        ({"stop": 123}, "stop"),
        ({"stop": ["a", "b", "c", "d", "e"]}, "stop"),
        ({"stop": [""]}, "stop"),
        ({"stop": ["\ud800"]}, "stop"),
        ({"stream_options": {"include_usage": True}}, "stream_options"),
        ({"stream": True, "stream_options": {"include_usage": "yes"}}, "stream_options"),
        ({"temperature": 3}, "temperature"),
        ({"temperature": "hot"}, "temperature"),
        ({"repetition_penalty": float("nan")}, "repetition_penalty"),
        ({"top_p": float("inf")}, "top_p"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"max_completion_tokens": 2.5}, "max_completion_tokens"),
        ({"seed": 2**70}, "seed"),
        ({"frobnicate": 1}, "frobnicate"),
        ({"model": 5}, "model"),
        ({"stream": "yes"}, "stream"),
    ],
)
def test_what_is_not_implemented_is_refused_by_name(extra, param):
    refused({"messages": HI, **extra}, param)


@pytest.mark.parametrize(
    "messages",
    [
        "hi",
        [],
        [{"role": "user", "content": 5}],
        [{"role": "user", "content": None}],
        [{"role": "user", "content": [{"type": "text", "text": 5}]}],
        [{"role": "user", "content": [{"type": "text", "text": None}]}],
        [{"role": "user", "content": [{"type": "text", "text": ["a"]}]}],
        [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}],
        [{"role": "user", "content": "\ud800"}],
        [{"role": "wizard", "content": "hi"}],
        [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}],
        [
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [{"function": {"name": "f", "arguments": "{x"}}],
            },
            {"role": "tool", "content": "r"},
        ],
        [{"role": "user", "content": "hi"}] * (MAX_MESSAGES + 1),
    ],
)
def test_malformed_messages_are_refused(messages):
    refused({"messages": messages}, "messages")


def test_bodies_that_are_not_plain_json_are_refused():
    for raw in (
        b"{not json",
        b'{"a": NaN}',
        b"[" * 5000 + b"]" * 5000,
        b"\xff\xfe",
        b"[" * 70 + b"]" * 70,
    ):
        with pytest.raises(ApiError) as caught:
            decode_body(raw)
        assert caught.value.status == 400
    assert decode_body(b'{"messages": []}') == {"messages": []}


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = st.sampled_from(
    [
        "messages",
        "stop",
        "tools",
        "tool_choice",
        "stream",
        "stream_options",
        "temperature",
        "top_p",
        "max_tokens",
        "seed",
        "n",
        "response_format",
        "logprobs",
        "model",
        "metadata",
    ]
)
MESSAGE = st.fixed_dictionaries(
    {"role": st.sampled_from(["user", "assistant", "tool", "system", "developer", "x"])},
    optional={"content": JSON, "tool_calls": JSON, "tool_call_id": JSON},
)


@settings(max_examples=400, deadline=None)
@given(
    st.dictionaries(FIELDS, JSON, max_size=5),
    st.lists(MESSAGE, max_size=4) | JSON,
)
def test_any_body_is_either_a_call_or_a_clear_refusal(body, messages):
    body = {**body, "messages": messages}
    try:
        got = read_call(body, GenerationSettings())
    except ApiError as error:
        assert error.status == 400 and error.message
        json.dumps(error.body())  # it can be sent
    else:
        assert got.request.messages and not got.request.settings.problems()
        json.dumps(got.request.messages, ensure_ascii=False).encode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "replace")))
def test_any_bytes_decode_or_are_refused(raw):
    try:
        decode_body(raw)
    except ApiError as error:
        assert error.status == 400
