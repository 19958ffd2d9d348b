"""Answering one chat completion: in one JSON body, or streamed as server-sent events.

The request waits its turn at the server's gate (one reply at a time, a bounded queue behind it),
is fitted to the context before any byte of the answer is sent (so a prompt that cannot fit is a
400, not a broken stream), and is generated through a ``ReplyShaper`` that applies the stop
strings and takes the tool calls out of the text. A client that disconnects stops its reply.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from lora_studio.core.chat import RequestError
from lora_studio.core.openai_request import ApiCall, ApiError
from lora_studio.core.reply_text import ReplyShaper, ShapedEnd

if TYPE_CHECKING:
    from lora_studio.engine.serve_http import ApiHandler


def _prepare(handler: ApiHandler, call: ApiCall) -> Any:
    try:
        return handler.server.session.prepare(call.request)
    except RequestError as exc:  # the prompt does not fit in the context
        raise ApiError(400, str(exc), "context_length_exceeded", "messages") from None


def _usage(reply: Any) -> dict[str, int]:
    return {
        "prompt_tokens": reply.prompt_tokens,
        "completion_tokens": reply.new_tokens,
        "total_tokens": reply.prompt_tokens + reply.new_tokens,
    }


def _finish(reply: Any, shaper: ReplyShaper) -> ShapedEnd:
    return shaper.finish(reached_length=reply.finish_reason == "length" and not shaper.stopped)


def complete(handler: ApiHandler, call: ApiCall) -> None:
    server = handler.server
    shaper = ReplyShaper(call.stops, bool(call.tools))
    pieces: list[str] = []
    with server.gate.turn(handler.client_gone):
        prepared = _prepare(handler, call)
        reply = server.session.generate(
            prepared,
            on_text=lambda text: pieces.append(shaper.feed(text)),
            should_stop=lambda: shaper.stopped or handler.client_gone(),
        )
    if reply.cancelled and not shaper.stopped:
        handler.close_connection = True
        server.log_left(reply)
        return  # the client left: nobody to answer
    end = _finish(reply, shaper)
    content = "".join(pieces) + end.content
    message: dict[str, Any] = {"role": "assistant", "content": content or None}
    if end.tool_calls:
        message["tool_calls"] = end.tool_calls
    else:
        message["content"] = content
    server.log_reply(reply, "complete")
    handler._send_json(
        200,
        {
            "id": call.request.id,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": server.model_id,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": end.finish_reason,
                }
            ],
            "usage": _usage(reply),
        },
    )


def stream(handler: ApiHandler, call: ApiCall) -> None:
    server = handler.server
    shaper = ReplyShaper(call.stops, bool(call.tools))
    created = int(time.time())
    gone = [False]

    def send(data: str) -> None:
        if gone[0]:
            return
        try:
            handler.wfile.write(f"data: {data}\n\n".encode())
            handler.wfile.flush()
        except OSError:
            gone[0] = True  # the client left: the reply stops at the next token

    def chunk(delta: dict, finish: str | None = None) -> None:
        payload: dict[str, Any] = {
            "id": call.request.id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": server.model_id,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        if call.include_usage:
            payload["usage"] = None
        send(json.dumps(payload, ensure_ascii=False))

    def on_text(text: str) -> None:
        out = shaper.feed(text)
        if out:
            chunk({"content": out})

    with server.gate.turn(handler.client_gone):
        prepared = _prepare(handler, call)  # a 400 here still goes out as JSON
        handler.close_connection = True  # the stream's end is the connection's end
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream; charset=utf-8")
        handler.send_header("Cache-Control", "no-cache")
        handler.send_header("Connection", "close")
        handler.end_headers()
        chunk({"role": "assistant", "content": ""})
        reply = server.session.generate(
            prepared,
            on_text=on_text,
            should_stop=lambda: shaper.stopped or gone[0] or handler.client_gone(),
        )
    if gone[0] or (reply.cancelled and not shaper.stopped):
        server.log_left(reply)
        return
    end = _finish(reply, shaper)
    if end.content:
        chunk({"content": end.content})
    for index, tool_call in enumerate(end.tool_calls):
        function = tool_call["function"]
        chunk(
            {
                "tool_calls": [
                    {
                        "index": index,
                        "id": tool_call["id"],
                        "type": "function",
                        "function": {"name": function["name"], "arguments": ""},
                    }
                ]
            }
        )
        chunk({"tool_calls": [{"index": index, "function": {"arguments": function["arguments"]}}]})
    chunk({}, end.finish_reason)
    if call.include_usage:
        send(
            json.dumps(
                {
                    "id": call.request.id,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": server.model_id,
                    "choices": [],
                    "usage": _usage(reply),
                }
            )
        )
    send("[DONE]")
    server.log_reply(reply, "stream")
