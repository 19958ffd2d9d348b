"""The persistent chat process and the OpenAI-compatible server, on the memorised demo model."""

import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from conftest import MAIN, MEMORISE_RECORDS, ROOT, events_of, prompt_of, run_cli
from serve_process import serving

from lora_studio.core.chat import ContextError, RequestError, fit_context, parse_request


# ---- core: requests and context ----
def test_requests_are_validated():
    request = parse_request(
        json.dumps(
            {
                "op": "generate",
                "id": "x",
                "adapter": False,
                "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "hi"}],
                "settings": {"greedy": True, "max_new_tokens": 8},
            }
        )
    )
    assert (request.id, request.adapter, request.settings.max_new_tokens) == ("x", False, 8)
    assert parse_request('{"op": "cancel"}').op == "cancel"
    for bad, words in [
        ("nope", "JSON"),
        ('{"op": "dance"}', "'op'"),
        ('{"op": "generate", "messages": []}', "non-empty"),
        ('{"op": "generate", "messages": [{"role": "user", "content": " "}]}', "empty"),
        ('{"op": "generate", "messages": [{"role": "bot", "content": "x"}]}', "role"),
        (
            '{"op": "generate", "messages": [{"role": "user", "content": "x"}],'
            ' "settings": {"top_p": 2}}',
            "top_p",
        ),
        (
            '{"op": "generate", "messages": [{"role": "user", "content": "x"}],'
            ' "settings": {"max_new_tokens": "9"}}',
            "whole number",
        ),
    ]:
        with pytest.raises(RequestError, match=words):
            parse_request(bad)


def test_old_turns_are_dropped_to_fit_the_context():
    messages = [{"role": "system", "content": "sys"}]
    for i in range(4):
        messages += [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": "a"}]
    messages.append({"role": "user", "content": "last"})
    count = len  # one "token" per message keeps the arithmetic visible
    kept, dropped = fit_context(messages, count, limit=4)
    assert kept[0]["role"] == "system" and kept[-1]["content"] == "last"
    assert kept[1]["role"] == "user" and len(kept) <= 4 and dropped == len(messages) - len(kept)
    assert fit_context(messages, count, limit=100) == (messages, 0)
    with pytest.raises(ContextError):
        fit_context(messages, lambda m: 1000, limit=10)


# ---- the chat process ----
def test_chat_process_serves_requests_until_quit(merged_model):
    first, second = MEMORISE_RECORDS[0], MEMORISE_RECORDS[1]
    lines = [
        {
            "op": "generate",
            "id": "a",
            "settings": {"greedy": True},
            "messages": [{"role": "user", "content": prompt_of(first)}],
        },
        "this is not json",
        {
            "op": "generate",
            "id": "b",
            "settings": {"greedy": True},
            "messages": [{"role": "user", "content": prompt_of(second)}],
        },
        {"op": "quit"},
    ]
    stdin = (
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
        + "\n"
    )
    result = run_cli("chat", "--model", str(merged_model), "--events", "jsonl", stdin=stdin)
    assert result.returncode == 0, result.stderr[-2000:]
    events = events_of(result.stdout)
    kinds = [e["type"] for e in events]
    assert "ready" in kinds and kinds.count("reply") == 2
    replies = {e["id"]: e for e in events if e["type"] == "reply"}
    assert replies["a"]["text"] == first["output"] and replies["b"]["text"] == second["output"]
    assert replies["a"]["finish_reason"] == "stop" and replies["a"]["tokens_per_second"] > 0
    streamed = "".join(e["text"] for e in events if e["type"] == "token" and e["id"] == "a")
    assert streamed == first["output"]
    assert any(e["type"] == "error" and e["kind"] == "bad_request" for e in events)


def test_cancel_stops_a_reply_and_the_process_keeps_serving(merged_model):
    proc = subprocess.Popen(
        [sys.executable, MAIN, "chat", "--model", str(merged_model), "--events", "jsonl"],
        cwd=str(ROOT),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    )

    def send(obj):
        proc.stdin.write(json.dumps(obj, ensure_ascii=False) + "\n")
        proc.stdin.flush()

    def until(kind):
        for line in proc.stdout:
            event = json.loads(line)
            if event["type"] == kind:
                return event
        raise AssertionError(f"no {kind} event")

    until("ready")
    # sampling with a high temperature and a long budget: a reply that would run on
    send(
        {
            "op": "generate",
            "id": "long",
            "settings": {"temperature": 5.0, "top_p": 1.0, "max_new_tokens": 4000, "seed": 1},
            "messages": [{"role": "user", "content": "Tell me everything."}],
        }
    )
    until("token")
    send({"op": "cancel"})
    reply = until("reply")
    assert reply["cancelled"] and reply["finish_reason"] == "cancelled"
    assert reply["new_tokens"] < 4000
    send(
        {
            "op": "generate",
            "id": "after",
            "settings": {"greedy": True},
            "messages": [{"role": "user", "content": prompt_of(MEMORISE_RECORDS[2])}],
        }
    )
    assert until("reply")["text"] == MEMORISE_RECORDS[2]["output"]
    proc.stdin.close()
    assert proc.wait(timeout=60) == 0


def test_compare_base_and_tuned_in_one_process(tiny_model, memorised_run):
    record = MEMORISE_RECORDS[3]
    message = [{"role": "user", "content": prompt_of(record)}]
    stdin = (
        "\n".join(
            json.dumps(
                {
                    "op": "generate",
                    "id": name,
                    "adapter": adapter,
                    "settings": {"greedy": True, "max_new_tokens": 30},
                    "messages": message,
                }
            )
            for name, adapter in (("tuned", True), ("base", False))
        )
        + "\n"
    )
    result = run_cli(
        "chat",
        "--model",
        str(tiny_model),
        "--adapter",
        str(memorised_run),
        "--events",
        "jsonl",
        stdin=stdin,
    )
    replies = {e["id"]: e["text"] for e in events_of(result.stdout) if e["type"] == "reply"}
    assert replies["tuned"] == record["output"] and replies["base"] != record["output"]


# ---- the API server ----
@pytest.fixture(scope="module")
def server(merged_model, tmp_path_factory):
    with serving(
        merged_model,
        tmp_path_factory.mktemp("serve"),
        "--api-key",
        "test-key",
        "--model-id",
        "tuned",
    ) as served:
        yield served.url


def test_openai_client_gets_the_same_reply_as_chat(server, merged_model):
    import openai

    client = openai.OpenAI(base_url=server, api_key="test-key")
    assert [m.id for m in client.models.list().data] == ["tuned"]
    record = MEMORISE_RECORDS[5]
    expected = run_cli(
        "chat", "--model", str(merged_model), "--greedy", "--prompt", prompt_of(record)
    ).stdout.rstrip("\n")
    assert expected == record["output"]
    messages = [{"role": "user", "content": prompt_of(record)}]
    response = client.chat.completions.create(model="tuned", messages=messages, temperature=0)
    assert response.choices[0].message.content == expected
    assert response.choices[0].finish_reason == "stop" and response.usage.completion_tokens > 0
    stream = client.chat.completions.create(
        model="tuned", messages=messages, temperature=0, stream=True
    )
    pieces = [c.choices[0].delta.content or "" for c in stream]
    assert "".join(pieces) == expected and len(pieces) > 3


def _post(url, body, key="test-key"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(
        url + "/chat/completions",
        data=data,
        method="POST",
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_api_errors_are_openai_shaped(server):
    status, body = _post(server, {"messages": [{"role": "user", "content": "hi"}]}, key="wrong")
    assert status == 401 and body["error"]["code"] == "invalid_api_key"
    for payload, param in [
        (b"{not json", None),
        ({"messages": "hi"}, "messages"),
        ({"messages": [{"role": "user", "content": "hi"}], "temperature": "hot"}, "temperature"),
        ({"messages": [{"role": "user", "content": "hi"}], "top_p": 7}, "top_p"),
        ({"messages": [{"role": "user", "content": "x" * 40000}]}, "messages"),
    ]:
        status, body = _post(server, payload)
        assert status == 400, body
        assert body["error"]["type"] == "invalid_request_error" and body["error"]["message"]
        assert body["error"]["param"] == param
    long_answer = MEMORISE_RECORDS[0]  # answered with far more than 3 tokens
    status, body = _post(
        server,
        {"messages": [{"role": "user", "content": prompt_of(long_answer)}], "max_tokens": 3},
    )
    assert status == 200 and body["choices"][0]["finish_reason"] == "length"


def test_serve_binds_to_this_machine_by_default():
    from lora_studio.cli import build_parser

    args = build_parser().parse_args(["serve", "--model", "m"])
    assert args.host == "127.0.0.1" and args.port == 8000
