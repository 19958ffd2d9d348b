"""``main.py serve``: an OpenAI-compatible API for a local model, so other programs can use it.

``GET /v1/models`` and ``POST /v1/chat/completions`` (streaming by server-sent events, or not).
Binds to 127.0.0.1 unless told otherwise; with ``--api-key``, requests must carry
``Authorization: Bearer KEY``. A malformed request gets a 400 with an OpenAI-style error body.
One model answers one request at a time; others wait their turn.

Beyond OpenAI's fields, ``top_k`` and ``repetition_penalty`` are accepted; ``temperature: 0``
means greedy decoding. ``max_tokens`` and ``max_completion_tokens`` both set the reply length.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from lora_studio.core import events as ev
from lora_studio.core.chat import ChatRequest, RequestError, validate_messages
from lora_studio.core.generation_settings import GenerationSettings
from lora_studio.engine.chat_server import ChatSession

MAX_BODY = 8 * 2**20


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        code: str = "",
        param: str = "",
        kind: str = "invalid_request_error",
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.param, self.kind = (
            status,
            message,
            code,
            param,
            kind,
        )

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "message": self.message,
                "type": self.kind,
                "param": self.param or None,
                "code": self.code or None,
            }
        }


def _number(body: dict, name: str, default: Any, kind: type) -> Any:
    value = body.get(name, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ApiError(400, f"'{name}' must be a number", "invalid_type", name)
    if kind is int and not float(value).is_integer():
        raise ApiError(400, f"'{name}' must be a whole number", "invalid_type", name)
    return kind(value)


def request_from_body(body: Any, default: GenerationSettings) -> tuple[ChatRequest, bool]:
    """Turn a /v1/chat/completions body into a chat request; returns it and ``stream``."""
    if not isinstance(body, dict):
        raise ApiError(400, "the request body must be a JSON object")
    try:
        messages = validate_messages(body.get("messages"))
    except RequestError as exc:
        raise ApiError(400, str(exc), "invalid_messages", "messages") from None
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise ApiError(400, "'stream' must be true or false", "invalid_type", "stream")
    if body.get("n", 1) != 1:
        raise ApiError(400, "only n=1 is supported", "unsupported", "n")
    max_tokens = body.get("max_completion_tokens", body.get("max_tokens"))
    temperature = _number(body, "temperature", default.temperature, float)
    settings = GenerationSettings(
        greedy=temperature == 0,
        temperature=temperature if temperature > 0 else default.temperature,
        top_p=_number(body, "top_p", default.top_p, float),
        top_k=_number(body, "top_k", default.top_k, int),
        repetition_penalty=_number(body, "repetition_penalty", default.repetition_penalty, float),
        max_new_tokens=(
            _number({"max_tokens": max_tokens}, "max_tokens", 0, int)
            if max_tokens is not None
            else default.max_new_tokens
        ),
        seed=_number(body, "seed", None, int) if body.get("seed") is not None else None,
    )
    problems = settings.problems()
    if problems:
        name, problem = next(iter(problems.items()))
        raise ApiError(400, f"'{name}' {problem}", "invalid_value", name)
    return ChatRequest(
        op="generate", id=f"chatcmpl-{uuid.uuid4().hex[:24]}", messages=messages, settings=settings
    ), stream


class ApiServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        session: ChatSession,
        model_id: str,
        api_key: str = "",
        default: GenerationSettings | None = None,
    ) -> None:
        super().__init__(address, ApiHandler)
        self.session = session
        self.model_id = model_id
        self.api_key = api_key
        self.default = default or GenerationSettings()
        self.generate_lock = threading.Lock()  # one model, one reply at a time


class ApiHandler(BaseHTTPRequestHandler):
    server: ApiServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # requests are not logged: prompts may be private

    # ---- plumbing ----
    def _send_json(self, status: int, payload: dict) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, error: ApiError) -> None:
        self._send_json(error.status, error.body())

    def _authorised(self) -> bool:
        if not self.server.api_key:
            return True
        header = self.headers.get("Authorization", "")
        if header == f"Bearer {self.server.api_key}":
            return True
        self._error(ApiError(401, "Incorrect API key provided.", "invalid_api_key"))
        return False

    def _body(self) -> Any:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            raise ApiError(400, "invalid Content-Length") from None
        if length <= 0:
            raise ApiError(400, "the request has no body")
        if length > MAX_BODY:
            raise ApiError(413, "the request body is too large")
        raw = self.rfile.read(length)
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ApiError(400, "the request body is not valid JSON") from None

    # ---- routes ----
    def do_GET(self) -> None:  # noqa: N802 - stdlib API
        if not self._authorised():
            return
        if self.path.rstrip("/") == "/v1/models":
            self._send_json(
                200,
                {
                    "object": "list",
                    "data": [
                        {
                            "id": self.server.model_id,
                            "object": "model",
                            "created": 0,
                            "owned_by": "lora-studio",
                        }
                    ],
                },
            )
        else:
            self._error(ApiError(404, f"Unknown path {self.path}", "not_found"))

    def do_POST(self) -> None:  # noqa: N802 - stdlib API
        if not self._authorised():
            return
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._error(ApiError(404, f"Unknown path {self.path}", "not_found"))
            return
        try:
            request, stream = request_from_body(self._body(), self.server.default)
        except ApiError as error:
            self._error(error)
            return
        try:
            with self.server.generate_lock:
                if stream:
                    self._stream(request)
                else:
                    self._complete(request)
        except RequestError as exc:  # the prompt does not fit in the context
            self._error(ApiError(400, str(exc), "context_length_exceeded", "messages"))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away

    def _complete(self, request: ChatRequest) -> None:
        reply = self.server.session.reply(request)
        self._send_json(
            200,
            {
                "id": request.id,
                "object": "chat.completion",
                "created": int(time.time()),
                "model": self.server.model_id,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": reply.text},
                        "finish_reason": _finish(reply),
                    }
                ],
                "usage": {
                    "prompt_tokens": reply.prompt_tokens,
                    "completion_tokens": reply.new_tokens,
                    "total_tokens": reply.prompt_tokens + reply.new_tokens,
                },
            },
        )

    def _stream(self, request: ChatRequest) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        created = int(time.time())
        gone = threading.Event()

        def chunk(delta: dict, finish: str | None = None) -> None:
            payload = {
                "id": request.id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": self.server.model_id,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            self._event(json.dumps(payload, ensure_ascii=False))

        def on_text(text: str) -> None:
            try:
                chunk({"content": text})
            except (BrokenPipeError, ConnectionResetError):
                gone.set()  # stop generating for a client that left

        chunk({"role": "assistant", "content": ""})
        reply = self.server.session.reply(request, on_text=on_text, should_stop=gone.is_set)
        if not gone.is_set():
            chunk({}, _finish(reply))
            self._event("[DONE]")

    def _event(self, data: str) -> None:
        self.wfile.write(f"data: {data}\n\n".encode())
        self.wfile.flush()


def _finish(reply: ev.Reply) -> str:
    return "length" if reply.finish_reason == "length" else "stop"


def run_serve(
    chat: Any, reporter: Any, host: str, port: int, api_key: str, model_id: str
) -> ev.Finished:
    server = ApiServer((host, port), ChatSession(chat), model_id, api_key)
    if reporter.jsonl:  # a program (the chat window) supervises: "stop" on stdin ends serving
        threading.Thread(target=_stop_on_stdin, args=(server,), daemon=True).start()
    bound_host, bound_port = server.server_address[:2]
    url = f"http://{bound_host}:{bound_port}/v1"
    reporter.emit(
        ev.ChatReady(
            model=chat.model_name,
            adapter=chat.adapter_dir,
            context_length=chat.context_length,
            device="gpu" if chat.on_gpu else "cpu",
            url=url,
        )
    )
    reporter.emit(ev.Log(message=f"Serving {model_id} at {url} (Ctrl-C stops)"))
    started = time.time()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return ev.Finished(status="stopped", duration_seconds=time.time() - started, output=url)


def _stop_on_stdin(server: Any) -> None:
    """A ``stop`` line ends serving; so does the end of a pipe (the supervising program is gone),
    but not the end of /dev/null or a terminal."""
    import stat

    for line in sys.stdin:
        if line.strip() in ("stop", '{"op": "quit"}'):
            break
    else:
        try:
            if not stat.S_ISFIFO(os.fstat(sys.stdin.fileno()).st_mode):
                return
        except (OSError, ValueError):
            return
    server.shutdown()  # from this thread: serve_forever returns
