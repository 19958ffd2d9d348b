"""A streamed reply shaped for an API client: stop strings cut it, tool calls are taken out of it.

The model's text arrives a piece at a time. ``ReplyShaper.feed`` returns the part that can be
sent now: text that might still turn out to be the start of a stop string (``"\\nUser"`` when
``"\\nUser:"`` is a stop) or of a tool call (``<tool_call>``) is held back until the next piece
decides. When a stop string appears, the reply ends just before it (``stopped``); when a tool
call begins, the rest is kept for ``finish``, which parses the calls in the Hermes format that
Qwen2.5 and Qwen3 templates teach (``<tool_call>{"name": ..., "arguments": {...}}</tool_call>``).
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

TOOL_CALL_START = "<tool_call>"
_TOOL_CALL = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|\Z)", re.S)


def _held_back(text: str, markers: list[str]) -> int:
    """How many characters at the end of ``text`` could be the start of one of ``markers``."""
    longest = 0
    for marker in markers:
        for size in range(min(len(marker) - 1, len(text)), longest, -1):
            if text.endswith(marker[:size]):
                longest = size
                break
    return longest


class StopText:
    """Cuts streamed text at the first occurrence of any of its markers."""

    def __init__(self, markers: list[str]) -> None:
        self.markers = [m for m in markers if m]
        self.buffer = ""
        self.found = ""  # the marker that ended the text

    def feed(self, text: str) -> str:
        if self.found:
            return ""
        self.buffer += text
        hits = [(self.buffer.find(m), m) for m in self.markers]
        hits = [(at, m) for at, m in hits if at >= 0]
        if hits:
            at, self.found = min(hits, key=lambda hit: hit[0])
            out, self.buffer = self.buffer[:at], self.buffer[at:]
            return out
        keep = _held_back(self.buffer, self.markers)
        out = self.buffer[: len(self.buffer) - keep]
        self.buffer = self.buffer[len(out) :]
        return out

    def flush(self) -> str:
        """The text held back, once no more comes (nothing if a marker was found)."""
        if self.found:
            return ""
        out, self.buffer = self.buffer, ""
        return out


def tool_call_id() -> str:
    return f"call_{uuid.uuid4().hex[:24]}"


def parse_tool_calls(text: str) -> list[dict[str, Any]] | None:
    """OpenAI ``tool_calls`` from the text after ``<tool_call>``; None when it is not well formed
    (the text is then the model's answer, and goes to the client as such)."""
    calls = []
    for body in _TOOL_CALL.findall(text):
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            return None
        arguments = data.get("arguments", data.get("parameters", {}))
        if isinstance(arguments, str):  # some models write the arguments as a JSON string
            try:
                arguments = json.loads(arguments)
            except (ValueError, RecursionError):
                return None
        if not isinstance(arguments, dict):
            return None
        calls.append(
            {
                "id": tool_call_id(),
                "type": "function",
                "function": {
                    "name": data["name"],
                    "arguments": json.dumps(arguments, ensure_ascii=False),
                },
            }
        )
    return calls or None


@dataclass
class ShapedEnd:
    content: str  # text still to send
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    finish_reason: str = "stop"


class ReplyShaper:
    """One reply's stop strings and tool calls; see the module's docstring."""

    def __init__(self, stops: list[str], tools: bool) -> None:
        self.stops = StopText(stops)
        self.tools = tools
        self.calls = StopText([TOOL_CALL_START] if tools else [])
        self.tool_text = ""

    @property
    def stopped(self) -> bool:
        """A stop string was met: generating more is wasted."""
        return bool(self.stops.found)

    def feed(self, text: str) -> str:
        if self.calls.found:  # inside a tool call: everything is kept for finish
            self.tool_text += text
            return ""
        out = self.calls.feed(self.stops.feed(text))
        if self.calls.found:
            self.tool_text = self.calls.buffer + self.stops.flush()
        return out

    def finish(self, reached_length: bool) -> ShapedEnd:
        """The end of the reply: what is left to send, the tool calls, the finish reason."""
        tail = ""
        if not self.calls.found:
            tail = self.calls.feed(self.stops.flush())
            if not self.calls.found:
                tail += self.calls.flush()
                reason = "length" if reached_length and not self.stopped else "stop"
                return ShapedEnd(tail, [], reason)
            self.tool_text = self.calls.buffer
        calls = parse_tool_calls(self.tool_text)
        if calls:
            return ShapedEnd(tail, calls, "tool_calls")
        return ShapedEnd(tail + self.tool_text, [], "length" if reached_length else "stop")
