"""Training records (instruction / input / output, optional system and history) and their checks.

The engine and the dataset editor both validate through ``record_problems`` so that they never
disagree about what a valid record is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

REQUIRED_FIELDS = ("instruction", "output")
OPTIONAL_STRING_FIELDS = ("input", "system")


@dataclass
class Record:
    instruction: str
    output: str
    input: str = ""
    system: str = ""
    history: list[tuple[str, str]] = field(default_factory=list)

    @property
    def prompt(self) -> str:
        """The user's turn: the instruction, then the input on its own paragraph when present."""
        if self.input:
            return f"{self.instruction}\n\n{self.input}"
        return self.instruction

    def to_dict(self) -> dict[str, Any]:
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

    def messages(self, with_answer: bool = True) -> list[dict[str, str]]:
        """The record as chat messages, for the model's chat template."""
        messages = []
        if self.system:
            messages.append({"role": "system", "content": self.system})
        for user, assistant in self.history:
            messages.append({"role": "user", "content": user})
            messages.append({"role": "assistant", "content": assistant})
        messages.append({"role": "user", "content": self.prompt})
        if with_answer:
            messages.append({"role": "assistant", "content": self.output})
        return messages


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
