"""Training records (instruction / input / output, optional system and history) and their checks.

The engine and the dataset editor both validate through ``record_problems`` so that they never
disagree about what a valid record is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

REQUIRED_FIELDS = ("instruction", "output")
OPTIONAL_STRING_FIELDS = ("input", "system")
# Kinds of the turns of a record that uses tools (``Record.kinds``): a user-side turn is a user
# message or a tool's result; an assistant-side turn is an answer or a call of a tool, whose text
# is the call as JSON: {"name": ..., "arguments": {...}}, or a list of such calls.
USER, TOOL_RESULT, ASSISTANT, TOOL_CALL = "user", "tool", "assistant", "tool_call"


@dataclass
class Record:
    instruction: str
    output: str
    input: str = ""
    system: str = ""
    history: list[tuple[str, str]] = field(default_factory=list)
    # The tools the assistant may call, in OpenAI's form ({"type": "function", "function": ...}).
    tools: list[dict[str, Any]] = field(default_factory=list)
    # Empty for a plain record; else one kind per turn, in order: history's (user, assistant)
    # pairs, then (instruction, output). See USER, TOOL_RESULT, ASSISTANT, TOOL_CALL.
    kinds: list[str] = field(default_factory=list)

    @property
    def uses_tools(self) -> bool:
        return bool(self.tools) or any(k in (TOOL_RESULT, TOOL_CALL) for k in self.kinds)

    @property
    def prompt(self) -> str:
        """The user's turn: the instruction, then the input on its own paragraph when present."""
        if self.input:
            return f"{self.instruction}\n\n{self.input}"
        return self.instruction

    def to_dict(self) -> dict[str, Any]:
        if self.uses_tools:  # OpenAI's layout, which every tool-aware trainer reads
            return {"messages": self.messages(openai=True), "tools": self.tools}
        data: dict[str, Any] = {
            "instruction": self.instruction,
            "input": self.input,
            "output": self.output,
        }
        if self.system:
            data["system"] = self.system
        if self.history:
            data["history"] = [list(pair) for pair in self.history]
        return data

    def turns(self) -> list[tuple[str, str]]:
        """(kind, text) of every turn after the system prompt, the answer last."""
        texts = [text for pair in self.history for text in pair] + [self.prompt, self.output]
        kinds = self.kinds if len(self.kinds) == len(texts) else []
        default = [USER, ASSISTANT] * (len(texts) // 2)
        return list(zip(kinds or default, texts, strict=True))

    def messages(self, with_answer: bool = True, openai: bool = False) -> list[dict[str, Any]]:
        """The record as chat messages, for the model's chat template (tool-call arguments as
        objects) or, with ``openai``, for a file in OpenAI's layout (arguments as JSON text)."""
        messages: list[dict[str, Any]] = []
        if self.system:
            messages.append({"role": "system", "content": self.system})
        turns = self.turns()
        for kind, text in turns if with_answer else turns[:-1]:
            if kind == TOOL_CALL:
                messages.append(
                    {"role": "assistant", "content": "", "tool_calls": tool_calls(text, openai)}
                )
            elif kind == TOOL_RESULT:
                messages.append({"role": "tool", "content": text})
            else:
                messages.append({"role": "user" if kind == USER else "assistant", "content": text})
        return messages


def parse_tool_calls(text: str) -> list[dict[str, Any]]:
    """The calls in a tool-call turn's text, each {"name", "arguments": object}; raises
    ValueError when the text is not a call."""
    data = json.loads(text)
    calls = data if isinstance(data, list) else [data]
    out = []
    for call in calls:
        if not isinstance(call, dict) or not isinstance(call.get("name"), str):
            raise ValueError('a tool call must be {"name": ..., "arguments": {...}}')
        arguments = call.get("arguments", {})
        if isinstance(arguments, str):
            arguments = json.loads(arguments) if arguments.strip() else {}
        out.append({"name": call["name"], "arguments": arguments})
    return out


def tool_calls(text: str, openai: bool = False) -> list[dict[str, Any]]:
    """A tool-call turn as the ``tool_calls`` of an assistant message."""
    try:
        calls = parse_tool_calls(text)
    except (ValueError, RecursionError):  # the checks flag it; render the text as it is
        calls = [{"name": "", "arguments": text}]
    return [
        {
            "type": "function",
            "function": {
                "name": c["name"],
                "arguments": json.dumps(c["arguments"], ensure_ascii=False)
                if openai
                else c["arguments"],
            },
        }
        for c in calls
    ]


def _type_name(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def record_problems(obj: Any) -> list[str]:
    """Every reason why ``obj`` (decoded JSON) is not a valid training record; empty when valid."""
    if not isinstance(obj, dict):
        return [
            f'a record must be a JSON object with "instruction" and "output", not {_type_name(obj)}'
        ]
    problems = []
    for name in REQUIRED_FIELDS:
        if name not in obj:
            problems.append(f'missing field "{name}"')
        elif not isinstance(obj[name], str):
            problems.append(f'"{name}" must be a string, not {_type_name(obj[name])}')
        elif not obj[name].strip():
            problems.append(f'"{name}" is empty')
    for name in OPTIONAL_STRING_FIELDS:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            problems.append(f'"{name}" must be a string, not {_type_name(value)}')
    history = obj.get("history")
    if history is not None:
        if not isinstance(history, list):
            problems.append(
                f'"history" must be a list of [user, assistant] pairs, not {_type_name(history)}'
            )
        else:
            for i, pair in enumerate(history, start=1):
                if (
                    not isinstance(pair, (list, tuple))
                    or len(pair) != 2
                    or not all(isinstance(text, str) for text in pair)
                ):
                    problems.append(
                        f'"history" turn {i} must be a [user, assistant] pair of strings'
                    )
                    break
    return problems


def record_from_dict(obj: dict[str, Any]) -> Record:
    """Build a Record from a dict that ``record_problems`` accepted."""
    return Record(
        instruction=obj["instruction"],
        output=obj["output"],
        input=obj.get("input") or "",
        system=obj.get("system") or "",
        history=[(user, assistant) for user, assistant in obj.get("history") or []],
    )
