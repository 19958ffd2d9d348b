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

ROLES = ("system", "user", "assistant")


class RequestError(ValueError):
    """A request that cannot be served; the message says why (it goes back to the client)."""


class ContextError(RequestError):
    """The prompt does not fit in the model's context even after dropping old turns."""


@dataclass
class ChatRequest:
    op: str
    id: str = ""
    messages: list[dict[str, str]] = field(default_factory=list)
    settings: GenerationSettings = field(default_factory=GenerationSettings)
    adapter: bool = True


def validate_messages(messages: Any) -> list[dict[str, str]]:
    """OpenAI-style messages: roles system/user/assistant, string contents, ending with user."""
    if not isinstance(messages, list) or not messages:
        raise RequestError("'messages' must be a non-empty list")
    out = []
    for i, message in enumerate(messages, start=1):
        if not isinstance(message, dict):
            raise RequestError(f"message {i} must be an object with 'role' and 'content'")
        role, content = message.get("role"), message.get("content")
        if role not in ROLES:
            raise RequestError(f"message {i}: 'role' must be one of {', '.join(ROLES)}")
        if isinstance(content, list):  # OpenAI content parts: keep the text ones
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        if not isinstance(content, str):
            raise RequestError(f"message {i}: 'content' must be a string")
        out.append({"role": role, "content": content})
    if out[-1]["role"] != "user":
        raise RequestError("the last message must be the user's")
    if not out[-1]["content"].strip():
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
    messages: list[dict[str, str]], count_tokens: Callable[[list], int], limit: int
) -> tuple[list[dict[str, str]], int]:
    """Drop the oldest turns (never the system prompt or the last user message) until the prompt
    takes at most ``limit`` tokens. Returns the messages kept and how many were dropped."""
    if limit <= 0 or count_tokens(messages) <= limit:
        return messages, 0
    system = [m for m in messages[:1] if m["role"] == "system"]
    rest = messages[len(system) :]
    dropped = 0
    while len(rest) > 1:
        rest = rest[1:]
        dropped += 1
        while len(rest) > 1 and rest[0]["role"] != "user":  # keep turns whole
            rest = rest[1:]
            dropped += 1
        if count_tokens(system + rest) <= limit:
            return system + rest, dropped
    raise ContextError(
        f"the message is longer than the model's context ({limit} tokens for the "
        "prompt); shorten it"
    )
