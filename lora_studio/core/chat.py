"""Chat requests and conversations, shared by the chat process, the API server and the chat window.

A chat process (``main.py chat --events jsonl`` without ``--prompt``) reads one JSON request per
line on stdin:

    {"op": "generate", "id": "r1", "messages": [...], "settings": {...}, "adapter": true}
    {"op": "cancel"}        stop the reply being generated and drop the requests waiting
                            behind it (each still ends with a ``reply`` event)
    {"op": "quit"}          end the process once the requests sent before it are answered

and answers with ``token`` events while it streams and one ``reply`` event per request
(``docs/events.md``). A bad request gets an ``error`` event with kind ``bad_request``; the
process keeps serving.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from lora_studio.core.generation_settings import GenerationSettings

ROLES = ("system", "developer", "user", "assistant", "tool")
MAX_MESSAGES = 2048  # OpenAI's own limit; more is refused before anything is tokenised


class RequestError(ValueError):
    """A request that cannot be served; the message says why (it goes back to the client)."""


class ContextError(RequestError):
    """The prompt does not fit in the model's context even after dropping old turns."""


@dataclass
class ChatRequest:
    op: str
    id: str = ""
    messages: list[dict[str, Any]] = field(default_factory=list)
    settings: GenerationSettings = field(default_factory=GenerationSettings)
    adapter: bool = True
    tools: list[dict[str, Any]] = field(default_factory=list)  # OpenAI function tools


def plain_text(value: Any, where: str) -> str:
    """``value`` as text that can be encoded: a lone surrogate (JSON allows ``\\ud800``) is
    refused here rather than failing later in the tokenizer or the reply."""
    if not isinstance(value, str):
        raise RequestError(f"{where} must be a string")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise RequestError(f"{where} holds text that is not valid Unicode") from None
    return value


def _content(content: Any, where: str) -> str:
    """A message's content: a string, or OpenAI content parts of type text (joined)."""
    if isinstance(content, list):
        pieces = []
        for j, part in enumerate(content, start=1):
            if not isinstance(part, dict):
                raise RequestError(f"{where}, part {j} must be an object")
            kind = part.get("type", "text")
            if kind != "text":
                raise RequestError(
                    f"{where}, part {j} is of type {str(kind)[:40]!r}: this model reads text "
                    "only; send text parts"
                )
            pieces.append(plain_text(part.get("text"), f"{where}, part {j}: 'text'"))
        return "".join(pieces)
    return plain_text(content, f"{where}: 'content'")


def _tool_calls(calls: Any, where: str) -> list[dict[str, Any]]:
    """An assistant turn's ``tool_calls``, with each call's JSON ``arguments`` parsed into an
    object (chat templates render the object; a string would be rendered twice quoted)."""
    if not isinstance(calls, list) or not calls:
        raise RequestError(f"{where}: 'tool_calls' must be a non-empty list")
    out = []
    for j, call in enumerate(calls, start=1):
        at = f"{where}, tool call {j}"
        function = call.get("function") if isinstance(call, dict) else None
        if not isinstance(function, dict):
            raise RequestError(f"{at} must have a 'function' object")
        name = plain_text(function.get("name"), f"{at}: 'name'")
        arguments = function.get("arguments", "{}")
        if isinstance(arguments, str):
            try:
                arguments = json.loads(plain_text(arguments, f"{at}: 'arguments'") or "{}")
            except (ValueError, RecursionError):
                raise RequestError(f"{at}: 'arguments' is not valid JSON") from None
        if not isinstance(arguments, dict):
            raise RequestError(f"{at}: 'arguments' must be a JSON object")
        call_id = call.get("id", "")
        out.append(
            {
                "id": plain_text(call_id, f"{at}: 'id'") if call_id else "",
                "type": "function",
                "function": {"name": name, "arguments": arguments},
            }
        )
    return out


def validate_messages(messages: Any) -> list[dict[str, Any]]:
    """OpenAI-style messages: roles system (or developer, the same), user, assistant and tool;
    string contents or text parts; an assistant turn may carry ``tool_calls`` instead of text.
    The conversation ends with the user's message or a tool's result."""
    if not isinstance(messages, list) or not messages:
        raise RequestError("'messages' must be a non-empty list")
    if len(messages) > MAX_MESSAGES:
        raise RequestError(f"'messages' holds {len(messages)} messages; at most {MAX_MESSAGES}")
    out: list[dict[str, Any]] = []
    for i, message in enumerate(messages, start=1):
        where = f"message {i}"
        if not isinstance(message, dict):
            raise RequestError(f"{where} must be an object with 'role' and 'content'")
        role = message.get("role")
        if not isinstance(role, str) or role not in ROLES:
            raise RequestError(f"{where}: 'role' must be one of {', '.join(ROLES)}")
        content = message.get("content")
        calls = message.get("tool_calls")
        if role == "assistant" and calls is not None:
            turn: dict[str, Any] = {
                "role": role,
                "content": "" if content is None else _content(content, where),
            }
            turn["tool_calls"] = _tool_calls(calls, where)
        else:
            turn = {
                "role": "system" if role == "developer" else role,
                "content": _content(content, where),
            }
        if role == "tool":
            call_id = message.get("tool_call_id", "")
            turn["tool_call_id"] = (
                plain_text(call_id, f"{where}: 'tool_call_id'") if call_id else ""
            )
        out.append(turn)
    if out[-1]["role"] not in ("user", "tool"):
        raise RequestError("the last message must be the user's (or a tool's result)")
    if out[-1]["role"] == "user" and not out[-1]["content"].strip():
        raise RequestError("the last message is empty")
    return out


def settings_from_dict(data: Any) -> GenerationSettings:
    if data is None:
        return GenerationSettings()
    if not isinstance(data, dict):
        raise RequestError("'settings' must be an object")
    known = {f.name: f for f in fields(GenerationSettings)}
    settings = GenerationSettings()
    for name, value in data.items():
        if name not in known:
            raise RequestError(f"unknown setting '{name}'")
        expected = {"greedy": bool, "max_new_tokens": int, "top_k": int}.get(name, float)
        if name == "seed" and value is None:
            continue
        if expected is bool and not isinstance(value, bool):
            raise RequestError(f"'{name}' must be true or false")
        if expected is int and (not isinstance(value, int) or isinstance(value, bool)):
            raise RequestError(f"'{name}' must be a whole number")
        if expected is float and (not isinstance(value, (int, float)) or isinstance(value, bool)):
            if name == "seed":
                raise RequestError("'seed' must be a whole number")
            raise RequestError(f"'{name}' must be a number")
        setattr(settings, name, int(value) if name == "seed" else value)
    problems = settings.problems()
    if problems:
        name, problem = next(iter(problems.items()))
        raise RequestError(f"'{name}' {problem}")
    return settings


def parse_request(line: str) -> ChatRequest:
    try:
        data = json.loads(line)
    except ValueError:
        raise RequestError("a request must be one JSON object per line") from None
    if not isinstance(data, dict):
        raise RequestError("a request must be a JSON object")
    op = data.get("op")
    if op in ("cancel", "quit"):
        return ChatRequest(op=op, id=str(data.get("id", "")))
    if op != "generate":
        raise RequestError("'op' must be generate, cancel or quit")
    adapter = data.get("adapter", True)
    if not isinstance(adapter, bool):
        raise RequestError("'adapter' must be true or false")
    return ChatRequest(
        op="generate",
        id=str(data.get("id", "")),
        messages=validate_messages(data.get("messages")),
        settings=settings_from_dict(data.get("settings")),
        adapter=adapter,
    )


def fit_context(
    messages: list[dict[str, Any]], count_tokens: Callable[[list], int], limit: int
) -> tuple[list[dict[str, Any]], int]:
    """Drop the oldest turns (never the system prompt or the last message) until the prompt
    takes at most ``limit`` tokens. Returns the messages kept and how many were dropped.

    Turns are kept whole (a kept part starts with a user message) and the cut is found by
    bisection: a conversation of thousands of messages costs a few counts, not one per turn."""
    if limit <= 0 or count_tokens(messages) <= limit:
        return messages, 0
    system = [m for m in messages[:1] if m["role"] == "system"]
    rest = messages[len(system) :]
    cuts = [i for i, m in enumerate(rest) if i > 0 and m["role"] == "user"]
    if not cuts or cuts[-1] != len(rest) - 1:
        cuts.append(len(rest) - 1)  # at the least, the last message alone
    low, high, best = 0, len(cuts) - 1, -1
    while low <= high:  # fewer tokens the later the cut: find the earliest cut that fits
        middle = (low + high) // 2
        if count_tokens(system + rest[cuts[middle] :]) <= limit:
            best, high = middle, middle - 1
        else:
            low = middle + 1
    if best < 0:
        raise ContextError(
            f"the message is longer than the model's context ({limit} tokens for the "
            "prompt); shorten it"
        )
    return system + rest[cuts[best] :], cuts[best]
