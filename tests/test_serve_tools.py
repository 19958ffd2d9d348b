"""Tool calling end to end with the official ``openai`` client: the tiny test model, given Qwen2.5's
template with its tool support, is taught (here) to answer a weather question with a tool call in
that template's format and to answer the tool's result in words. The client gets ``tool_calls``
(plain and streamed), sends the result back as a ``tool`` message, and gets the final answer."""

from __future__ import annotations

import json
import shutil

import openai
import pytest
from conftest import train_quickly
from qwen_template import QWEN25_TEMPLATE
from serve_process import serving

from lora_studio.core.generation_settings import GenerationSettings
from lora_studio.core.openai_request import read_call

QUESTION = "What is the weather in Paris?"
ARGUMENTS = {"city": "Paris"}
RESULT = "sunny, 21 C"
ANSWER = "It is sunny in Paris, 21 C."
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "weather now",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    }
]
CALL_TEXT = (
    '<tool_call>\n{"name": "get_weather", "arguments": ' + json.dumps(ARGUMENTS) + "}\n</tool_call>"
)


def _system_with_tools(model_dir) -> str:
    """The system turn the server's prompt will have: the template rendered with the tools
    as the server passes them, cut out of the prompt."""
    from paddleformers.transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    tools = read_call(
        {"messages": [{"role": "user", "content": "x"}], "tools": TOOLS}, GenerationSettings()
    ).tools
    text = tokenizer.apply_chat_template(
        [{"role": "user", "content": QUESTION}],
        tools=tools,
        tokenize=False,
        add_generation_prompt=True,
    )
    start = "<|im_start|>system\n"
    assert text.startswith(start)
    return text[len(start) : text.index("<|im_end|>")]


@pytest.fixture(scope="module")
def tool_model(tiny_model, tmp_path_factory):
    """The tiny model with Qwen2.5's tool template, and a run that learnt the two answers."""
    root = tmp_path_factory.mktemp("tools")
    model = root / "model"
    shutil.copytree(tiny_model, model)
    config_path = model / "tokenizer_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["chat_template"] = QWEN25_TEMPLATE
    config_path.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    system = _system_with_tools(model)
    records = [
        {"system": system, "instruction": QUESTION, "input": "", "output": CALL_TEXT},
        {
            "system": system,
            "history": [[QUESTION, CALL_TEXT]],
            "instruction": f"<tool_response>\n{RESULT}\n</tool_response>",
            "input": "",
            "output": ANSWER,
        },
    ]
    data = root / "tools.json"
    data.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    run = root / "run"
    result = train_quickly(
        model, data, run, 80, 2, "--max_seq_length", "1024", "--save_steps", "1000"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return model, run


@pytest.fixture(scope="module")
def client(tool_model, tmp_path_factory):
    model, run = tool_model
    with serving(
        model,
        tmp_path_factory.mktemp("tools-serve"),
        "--adapter",
        str(run),
        "--api-key-file",
        str(_key_file(tmp_path_factory)),
    ) as served:
        yield openai.OpenAI(base_url=served.url, api_key="tool-key", max_retries=0)
    assert "Traceback" not in served.stderr_text()


def _key_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("key") / "key.txt"
    path.write_text("tool-key\n", encoding="utf-8")
    return path


def test_the_client_gets_a_tool_call_sends_the_result_and_gets_the_answer(client):
    messages = [{"role": "user", "content": QUESTION}]
    reply = client.chat.completions.create(
        model="any", messages=messages, tools=TOOLS, temperature=0, max_tokens=60
    )
    choice = reply.choices[0]
    assert choice.finish_reason == "tool_calls", choice.message.content
    assert choice.message.content is None
    (call,) = choice.message.tool_calls
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == ARGUMENTS and call.id.startswith("call_")
    messages += [
        choice.message.model_dump(exclude_none=True),
        {"role": "tool", "tool_call_id": call.id, "content": RESULT},
    ]
    final = client.chat.completions.create(
        model="any", messages=messages, tools=TOOLS, temperature=0, max_tokens=60
    )
    assert final.choices[0].message.content == ANSWER
    assert final.choices[0].finish_reason == "stop" and not final.choices[0].message.tool_calls


def test_tool_calls_stream_as_deltas(client):
    stream = client.chat.completions.create(
        model="any",
        messages=[{"role": "user", "content": QUESTION}],
        tools=TOOLS,
        temperature=0,
        max_tokens=60,
        stream=True,
    )
    chunks = list(stream)
    calls: dict[int, dict] = {}
    for chunk in chunks:
        for delta in chunk.choices[0].delta.tool_calls or []:
            entry = calls.setdefault(delta.index, {"name": "", "arguments": "", "id": None})
            entry["id"] = entry["id"] or delta.id
            if delta.function and delta.function.name:
                entry["name"] += delta.function.name
            if delta.function and delta.function.arguments:
                entry["arguments"] += delta.function.arguments
    assert chunks[-1].choices[0].finish_reason == "tool_calls"
    assert list(calls) == [0] and calls[0]["name"] == "get_weather"
    assert json.loads(calls[0]["arguments"]) == ARGUMENTS and calls[0]["id"]
    assert not "".join(c.choices[0].delta.content or "" for c in chunks)


def test_without_tools_the_same_model_answers_in_text(client):
    """tool_choice 'none' sends no tools: the prompt has no tool block, and nothing is parsed
    out of the reply (whatever the tiny model says, it comes back as text)."""
    reply = client.chat.completions.create(
        model="any",
        messages=[{"role": "user", "content": QUESTION}],
        tools=TOOLS,
        tool_choice="none",
        temperature=0,
        max_tokens=20,
    )
    assert reply.choices[0].message.tool_calls is None
    assert reply.choices[0].finish_reason in ("stop", "length")
