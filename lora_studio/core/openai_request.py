"""A Chat Completions request body, read the way OpenAI reads it, for ``main.py serve``.

Every parameter a client may send is either honoured or refused with an OpenAI-style 400 that
names it; none is silently ignored. Honoured: ``messages`` (roles system, developer, user,
assistant, tool; text content parts; assistant ``tool_calls``), ``model`` (any name: one model
is served), ``stream``, ``stream_options.include_usage``, ``temperature`` (0 = greedy),
``top_p``, ``max_tokens`` / ``max_completion_tokens``, ``seed``, ``stop`` (a string or up to 4),
``tools`` / ``tool_choice`` (``auto`` or ``none``) / ``parallel_tool_calls``, ``user`` and
``metadata`` (kept by nobody), and, beyond OpenAI, ``top_k`` and ``repetition_penalty``.
Accepted only at their neutral value: ``n`` (1), ``logprobs`` (false), ``top_logprobs`` (0),
``presence_penalty`` / ``frequency_penalty`` (0), ``logit_bias`` (empty), ``response_format``
(``text``), ``store`` (false), ``service_tier`` (``auto`` / ``default``).

No Paddle and no model here: this runs before anything is tokenised, and is tested alone.
"""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass, field
from typing import Any

from lora_studio.core.chat import ChatRequest, RequestError, plain_text, validate_messages
from lora_studio.core.generation_settings import GenerationSettings

MAX_DEPTH = 64  # deeper JSON is refused (a JSON schema of a tool is rarely 10 deep)
MAX_STOPS = 4


class ApiError(Exception):
    """An answer other than 200, with OpenAI's error body."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str = "",
        param: str = "",
        kind: str = "invalid_request_error",
        retry_after: int = 0,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.param, self.kind = (
            status,
            message,
            code,
            param,
            kind,
        )
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "message": self.message,
                "type": self.kind,
                "param": self.param or None,
                "code": self.code or None,
            }
        }


@dataclass
class ApiCall:
    """What a request asks for, beyond the chat request itself."""

    request: ChatRequest
    stream: bool = False
    include_usage: bool = False
    stops: list[str] = field(default_factory=list)

    @property
    def tools(self) -> list[dict[str, Any]]:
        return self.request.tools


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def decode_body(raw: bytes) -> Any:
    """The JSON of a request body; NaN, Infinity, deep nesting and bad UTF-8 are refused."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "the request body is not UTF-8 text") from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise ApiError(400, f"the request body is nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:
        raise ApiError(400, f"the request body is not valid JSON ({exc})") from None
    if _depth(data) > MAX_DEPTH:
        raise ApiError(400, f"the request body is nested deeper than {MAX_DEPTH} levels")
    return data


def _depth(data: Any) -> int:
    deepest, todo = 0, [(data, 1)]
    while todo:
        value, depth = todo.pop()
        if isinstance(value, (dict, list)):
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                return deepest
            items = value.values() if isinstance(value, dict) else value
            todo.extend((item, depth + 1) for item in items)
    return deepest


def _number(body: dict, name: str, kind: type) -> Any:
    value = body[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ApiError(400, f"'{name}' must be a number", "invalid_type", name)
    if isinstance(value, float) and not math.isfinite(value):
        raise ApiError(400, f"'{name}' must be a finite number", "invalid_value", name)
    if kind is int:
        if isinstance(value, float) and not value.is_integer():
            raise ApiError(400, f"'{name}' must be a whole number", "invalid_type", name)
        return int(value)
    return float(value)


def _neutral(body: dict, name: str, allowed: tuple, what: str) -> None:
    """A parameter this server does not implement: accepted only at its neutral value."""
    value = body.get(name)
    if value is None or any(value == a and type(value) is type(a) for a in allowed):
        return
    raise ApiError(400, f"'{name}' is not supported by this server: {what}", "unsupported", name)


NEUTRAL = {
    "n": ((1,), "it gives one choice per request (n=1)"),
    "logprobs": ((False,), "it returns no log probabilities"),
    "top_logprobs": ((0,), "it returns no log probabilities"),
    "presence_penalty": ((0, 0.0), "use repetition_penalty instead"),
    "frequency_penalty": ((0, 0.0), "use repetition_penalty instead"),
    "store": ((False,), "it stores no completions"),
    "service_tier": (("auto", "default"), "it has one tier"),
}
HONOURED = {
    "model",
    "messages",
    "stream",
    "stream_options",
    "temperature",
    "top_p",
    "top_k",
    "repetition_penalty",
    "max_tokens",
    "max_completion_tokens",
    "seed",
    "stop",
    "tools",
    "tool_choice",
    "parallel_tool_calls",
    "user",
    "metadata",
    "logit_bias",
    "response_format",
}


def _stops(value: Any) -> list[str]:
    if value is None:
        return []
    stops = [value] if isinstance(value, str) else value
    if not isinstance(stops, list) or not 0 < len(stops) <= MAX_STOPS:
        raise ApiError(
            400,
            f"'stop' must be a string or a list of 1 to {MAX_STOPS} strings",
            "invalid_type",
            "stop",
        )
    out = []
    for item in stops:
        try:
            text = plain_text(item, "'stop'")
        except RequestError as exc:
            raise ApiError(400, str(exc), "invalid_type", "stop") from None
        if not text:
            raise ApiError(400, "'stop' strings must not be empty", "invalid_value", "stop")
        out.append(text)
    return out


def _tools(body: dict) -> list[dict[str, Any]]:
    tools, choice = body.get("tools"), body.get("tool_choice")
    if choice not in (None, "auto", "none"):
        raise ApiError(
            400,
            "'tool_choice' must be 'auto' or 'none' here: this server cannot force a tool call",
            "unsupported",
            "tool_choice",
        )
    if not isinstance(body.get("parallel_tool_calls", True), bool):
        raise ApiError(
            400,
            "'parallel_tool_calls' must be true or false",
            "invalid_type",
            "parallel_tool_calls",
        )
    if tools is None:
        return []
    if not isinstance(tools, list):
        raise ApiError(400, "'tools' must be a list", "invalid_type", "tools")
    out = []
    for i, tool in enumerate(tools, start=1):
        function = tool.get("function") if isinstance(tool, dict) else None
        if (
            not isinstance(tool, dict)
            or tool.get("type", "function") != "function"
            or not (isinstance(function, dict))
        ):
            raise ApiError(
                400,
                f"tool {i} must be {{'type': 'function', 'function': {{...}}}}",
                "invalid_type",
                "tools",
            )
        name = function.get("name")
        if (
            not isinstance(name, str)
            or not name
            or not name.replace("_", "a").replace("-", "a").isalnum()
            or len(name) > 64
        ):
            raise ApiError(
                400,
                f"tool {i}: 'name' must be 1 to 64 letters, digits, _ or -",
                "invalid_value",
                "tools",
            )
        parameters = function.get("parameters", {"type": "object", "properties": {}})
        description = function.get("description", "")
        if not isinstance(parameters, dict) or not isinstance(description, str):
            raise ApiError(
                400,
                f"tool {i}: 'parameters' must be an object and 'description' a string",
                "invalid_type",
                "tools",
            )
        try:
            json.dumps(tool, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ApiError(
                400, f"tool {i} holds text that is not valid Unicode", "invalid_value", "tools"
            ) from None
        out.append(
            {
                "type": "function",
                "function": {"name": name, "description": description, "parameters": parameters},
            }
        )
    return [] if choice == "none" else out


def read_call(body: Any, default: GenerationSettings) -> ApiCall:
    """The request a /v1/chat/completions body makes, or an ApiError saying what is wrong."""
    if not isinstance(body, dict):
        raise ApiError(400, "the request body must be a JSON object")
    unknown = sorted(str(k) for k in body if k not in HONOURED and k not in NEUTRAL)
    if unknown:
        raise ApiError(
            400,
            f"Unrecognized request argument supplied: {unknown[0][:60]}",
            "unknown_parameter",
            unknown[0][:60],
        )
    for name, (allowed, what) in NEUTRAL.items():
        _neutral(body, name, allowed, what)
    if body.get("logit_bias") not in (None, {}):
        raise ApiError(
            400, "'logit_bias' is not supported by this server", "unsupported", "logit_bias"
        )
    response_format = body.get("response_format")
    if response_format is not None and response_format != {"type": "text"}:
        raise ApiError(
            400,
            "'response_format' is not supported by this server: only {'type': 'text'} (ask for "
            "JSON in the prompt instead)",
            "unsupported",
            "response_format",
        )
    model = body.get("model")
    if model is not None and not isinstance(model, str):
        raise ApiError(400, "'model' must be a string", "invalid_type", "model")
    for name in ("user",):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise ApiError(400, f"'{name}' must be a string", "invalid_type", name)
    if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
        raise ApiError(400, "'metadata' must be an object", "invalid_type", "metadata")
    try:
        messages = validate_messages(body.get("messages"))
    except RequestError as exc:
        raise ApiError(400, str(exc), "invalid_messages", "messages") from None
    stream = body.get("stream", False)
    if stream is None:
        stream = False
    if not isinstance(stream, bool):
        raise ApiError(400, "'stream' must be true or false", "invalid_type", "stream")
    options = body.get("stream_options")
    include_usage = False
    if options is not None:
        if not stream:
            raise ApiError(
                400,
                "'stream_options' is only allowed when 'stream' is true",
                "invalid_value",
                "stream_options",
            )
        if not isinstance(options, dict) or not isinstance(
            options.get("include_usage", False), bool
        ):
            raise ApiError(
                400,
                "'stream_options' must be {'include_usage': true or false}",
                "invalid_type",
                "stream_options",
            )
        include_usage = options.get("include_usage", False)
    return ApiCall(
        ChatRequest(
            op="generate",
            id=f"chatcmpl-{uuid.uuid4().hex[:24]}",
            messages=messages,
            settings=_settings(body, default),
            tools=_tools(body),
        ),
        stream=stream,
        include_usage=include_usage,
        stops=_stops(body.get("stop")),
    )


def _settings(body: dict, default: GenerationSettings) -> GenerationSettings:
    given = {k: v for k, v in body.items() if v is not None}
    temperature = _number(given, "temperature", float) if "temperature" in given else None
    if temperature is not None and not 0 <= temperature <= 2:
        raise ApiError(400, "'temperature' must be from 0 to 2", "invalid_value", "temperature")
    length_name = "max_completion_tokens" if "max_completion_tokens" in given else "max_tokens"
    settings = GenerationSettings(
        greedy=temperature == 0,
        temperature=temperature or default.temperature,
        top_p=_number(given, "top_p", float) if "top_p" in given else default.top_p,
        top_k=_number(given, "top_k", int) if "top_k" in given else default.top_k,
        repetition_penalty=(
            _number(given, "repetition_penalty", float)
            if "repetition_penalty" in given
            else default.repetition_penalty
        ),
        max_new_tokens=(
            _number(given, length_name, int) if length_name in given else default.max_new_tokens
        ),
        seed=_number(given, "seed", int) if "seed" in given else None,
    )
    problems = settings.problems()
    if problems:
        name, problem = next(iter(problems.items()))
        param = {"max_new_tokens": length_name}.get(name, name)
        raise ApiError(400, f"'{param}' {problem}", "invalid_value", param)
    return settings
