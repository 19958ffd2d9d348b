"""``main.py serve`` with the official ``openai`` client (and ``http.client`` where a connection
must be held): stop strings, usage in the stream, the developer role, model retrieval, the
refusals, keep-alive after an error, CORS, the API key from the environment. The model is the
tiny test model that memorised MEMORISE_RECORDS, so every greedy reply is known in advance."""

from __future__ import annotations

import http.client
import json

import openai
import pytest
from conftest import MEMORISE_RECORDS, prompt_of
from serve_process import serving

KEY = "env-key"
ORIGIN = "http://localhost:3000"
RECORD = MEMORISE_RECORDS[1]  # "Phishing is a fake message that tricks you into giving away…"
MESSAGES = [{"role": "user", "content": prompt_of(RECORD)}]


@pytest.fixture(scope="module")
def served(merged_model, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    # the key from the environment, not the command line (which every local user can read)
    with serving(
        merged_model, tmp, "--model-id", "tuned", "--cors", ORIGIN, env={"LORA_STUDIO_API_KEY": KEY}
    ) as server:
        yield server
    assert "Traceback" not in server.stderr_text()


@pytest.fixture
def client(served):
    return openai.OpenAI(base_url=served.url, api_key=KEY, max_retries=0)


def _ask(client, **kwargs):
    return client.chat.completions.create(model="tuned", messages=MESSAGES, temperature=0, **kwargs)


def test_stop_strings_cut_the_reply_plain_and_streamed(client):
    full = RECORD["output"]
    assert _ask(client).choices[0].message.content == full
    for stop in (" tricks", [" tricks", "zzz"], ["message", " fake"]):
        stops = [stop] if isinstance(stop, str) else stop
        cut = full[: min(full.find(s) for s in stops if s in full)]
        reply = _ask(client, stop=stop).choices[0]
        assert (reply.message.content, reply.finish_reason) == (cut, "stop")
        chunks = list(_ask(client, stop=stop, stream=True))
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        assert text == cut and chunks[-1].choices[0].finish_reason == "stop"
    reply = _ask(client, stop="never in it", max_tokens=4).choices[0]
    assert reply.finish_reason == "length"


def test_usage_comes_last_in_a_stream_when_asked(client):
    chunks = list(_ask(client, stream=True, stream_options={"include_usage": True}))
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens > 0
    assert chunks[-1].usage.total_tokens == (
        chunks[-1].usage.prompt_tokens + chunks[-1].usage.completion_tokens
    )
    assert all(c.usage is None for c in chunks[:-1])
    assert all(c.usage is None for c in _ask(client, stream=True))


def test_developer_role_text_parts_and_a_huge_max_tokens(client):
    reply = client.chat.completions.create(
        model="tuned",
        messages=[
            {"role": "developer", "content": "You are a helpful assistant."},
            {"role": "user", "content": [{"type": "text", "text": prompt_of(RECORD)}]},
        ],
        temperature=0,
        max_completion_tokens=10**9,  # capped by the context, not refused
    )
    assert reply.choices[0].message.content == RECORD["output"]


def test_models_are_listed_and_retrieved(client):
    assert [m.id for m in client.models.list().data] == ["tuned"]
    assert client.models.retrieve("tuned").id == "tuned"
    with pytest.raises(openai.NotFoundError) as caught:
        client.models.retrieve("gpt-4o")
    assert caught.value.body["code"] == "model_not_found"


@pytest.mark.parametrize(
    "kwargs, param",
    [
        ({"n": 2}, "n"),
        ({"logprobs": True}, "logprobs"),
        ({"presence_penalty": 0.5}, "presence_penalty"),
        ({"response_format": {"type": "json_object"}}, "response_format"),
        ({"stop": ["a", "b", "c", "d", "e"]}, "stop"),
        ({"extra_body": {"stop": 123}}, "stop"),
        ({"extra_body": {"mirostat": 2}}, "mirostat"),
        (
            {"tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}]},
            "tools",  # this model's template has no tool support
        ),
    ],
)
def test_refusals_name_the_parameter(client, kwargs, param):
    with pytest.raises(openai.BadRequestError) as caught:
        _ask(client, **kwargs)
    assert caught.value.body["param"] == param and caught.value.body["message"]


def test_non_text_content_is_refused(client):
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="tuned",
            messages=[
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "what is this?"},
                        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
                    ],
                }
            ],
        )
    assert "text only" in caught.value.body["message"]


def _post(conn, path, body, key=KEY, headers=None):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    conn.request(
        "POST",
        path,
        body=data,
        headers={
            "Authorization": f"Bearer {key}",
            "Content-Type": "application/json",
            **(headers or {}),
        },
    )
    response = conn.getresponse()
    return response.status, json.loads(response.read()), response


def test_an_error_leaves_the_keep_alive_connection_usable(served):
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
    body = {"messages": MESSAGES, "temperature": 0, "max_tokens": 5}
    assert _post(conn, "/v1/chat/completions", body, key="wrong")[0] == 401
    assert _post(conn, "/v1/nowhere", body)[0] == 404
    assert _post(conn, "/v1/chat/completions", {**body, "n": 3})[0] == 400
    conn.request("DELETE", "/v1/models", body=b"{}")
    response = conn.getresponse()
    assert response.status == 405 and json.loads(response.read())["error"]["message"]
    status, reply, response = _post(conn, "/v1/chat/completions", body)
    assert status == 200 and reply["choices"][0]["message"]["content"]
    assert response.getheader("Connection") != "close"
    conn.close()
    # the same with the openai client: a 401, then a good call through the same connections
    import httpx

    with httpx.Client() as shared:
        bad = openai.OpenAI(base_url=served.url, api_key="wrong", http_client=shared, max_retries=0)
        with pytest.raises(openai.AuthenticationError):
            bad.chat.completions.create(model="tuned", messages=MESSAGES)
        good = openai.OpenAI(base_url=served.url, api_key=KEY, http_client=shared, max_retries=0)
        assert _ask(good).choices[0].message.content == RECORD["output"]


def test_browsers_may_call_it_from_the_allowed_origin(served):
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
    conn.request(
        "OPTIONS",
        "/v1/chat/completions",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    response = conn.getresponse()
    response.read()
    assert response.status == 204
    assert response.getheader("Access-Control-Allow-Origin") == ORIGIN
    assert "POST" in response.getheader("Access-Control-Allow-Methods")
    assert "authorization" in response.getheader("Access-Control-Allow-Headers")
    conn.request("GET", "/v1/models", headers={"Origin": ORIGIN, "Authorization": f"Bearer {KEY}"})
    response = conn.getresponse()
    response.read()
    assert response.getheader("Access-Control-Allow-Origin") == ORIGIN
    conn.request(
        "GET",
        "/v1/models",
        headers={"Origin": "http://evil.example", "Authorization": f"Bearer {KEY}"},
    )
    response = conn.getresponse()
    response.read()
    assert response.getheader("Access-Control-Allow-Origin") is None


def test_the_api_key_comes_from_a_file_or_the_environment(tmp_path, monkeypatch):
    from lora_studio.cli import build_parser
    from lora_studio.cli_serve import _api_key

    key_file = tmp_path / "key"
    key_file.write_text("from-file\n")
    parse = build_parser().parse_args
    monkeypatch.setenv("LORA_STUDIO_API_KEY", "from-env")
    assert _api_key(parse(["serve", "--model", "m", "--api-key-file", str(key_file)])) == (
        "from-file"
    )
    assert _api_key(parse(["serve", "--model", "m", "--api-key", "x"])) == "from-env"
    monkeypatch.delenv("LORA_STUDIO_API_KEY")
    assert _api_key(parse(["serve", "--model", "m", "--api-key", "x"])) == "x"
    assert _api_key(parse(["serve", "--model", "m"])) == ""
