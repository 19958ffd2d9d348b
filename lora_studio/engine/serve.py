"""``main.py serve``: an OpenAI-compatible API for a local model, so other programs can use it.

``GET /v1/models``, ``GET /v1/models/{id}`` and ``POST /v1/chat/completions`` (streamed as
server-sent events, or not); which request parameters are honoured and which refused is written
in ``core/openai_request.py``. Binds to 127.0.0.1 unless told otherwise; with an API key
(``--api-key-file``, ``LORA_STUDIO_API_KEY`` or ``--api-key``), requests must carry
``Authorization: Bearer KEY``. ``--cors ORIGIN`` lets browser front ends call it.

One model answers one request at a time; at most ``--queue`` requests wait behind it, and more
get a 429 with ``Retry-After``. Requests are read on their own threads (a listen backlog of 128),
so a waiting or malformed request never holds the others. The HTTP side is ``serve_http.py``,
the replies ``serve_reply.py``.
"""

from __future__ import annotations

import math
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from typing import Any

from lora_studio.core import events as ev
from lora_studio.core.generation_settings import GenerationSettings
from lora_studio.core.openai_request import ApiError
from lora_studio.engine.chat_server import ChatSession
from lora_studio.engine.serve_http import ApiHandler, ClientGone

MAX_BODY = 2 * 2**20  # far above any real chat request; a bigger body is refused unread
QUEUE_LENGTH = 8
REQUEST_TIMEOUT = 30.0


class Gate:
    """One reply at a time; at most ``queue_length`` requests wait, in arrival order."""

    def __init__(self, queue_length: int) -> None:
        self.queue_length = queue_length
        self.condition = threading.Condition()
        self.busy = False
        self.waiting: deque[object] = deque()
        self.closed = False
        self.durations: deque[float] = deque(maxlen=16)

    def retry_after(self) -> int:
        average = sum(self.durations) / len(self.durations) if self.durations else 5.0
        return max(1, math.ceil(average * (len(self.waiting) + 1)))

    @contextmanager
    def turn(self, gone: Callable[[], bool]) -> Iterator[None]:
        ticket = object()
        with self.condition:
            if self.closed:
                raise ApiError(503, "the server is shutting down", "unavailable", retry_after=5)
            if self.busy and len(self.waiting) >= self.queue_length:
                raise ApiError(
                    429,
                    f"the server is busy: {len(self.waiting)} requests are waiting; try again "
                    "later",
                    "rate_limit_exceeded",
                    retry_after=self.retry_after(),
                )
            self.waiting.append(ticket)
            try:
                while self.busy or self.waiting[0] is not ticket:
                    self.condition.wait(timeout=0.25)
                    if self.closed:
                        raise ApiError(
                            503, "the server is shutting down", "unavailable", retry_after=5
                        )
                    if gone():
                        raise ClientGone
            finally:
                self.waiting.remove(ticket)
                self.condition.notify_all()
            self.busy = True
        started = time.monotonic()
        try:
            yield
        finally:
            with self.condition:
                self.busy = False
                self.durations.append(time.monotonic() - started)
                self.condition.notify_all()

    def close(self) -> None:
        with self.condition:
            self.closed = True
            self.condition.notify_all()


class ApiServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # socketserver's 5 resets connections under a burst

    def __init__(
        self,
        address: tuple[str, int],
        session: ChatSession,
        model_id: str,
        api_key: str = "",
        default: GenerationSettings | None = None,
        queue_length: int = QUEUE_LENGTH,
        cors: tuple[str, ...] = (),
        request_timeout: float = REQUEST_TIMEOUT,
        log: Callable[[str], None] | None = None,
        max_body: int = MAX_BODY,
    ) -> None:
        super().__init__(address, ApiHandler)
        self.session = session
        self.model_id = model_id
        self.api_key = api_key
        self.default = default or GenerationSettings()
        self.gate = Gate(queue_length)
        self.cors = cors
        self.request_timeout = request_timeout
        self.max_body = max_body
        self._log = log or (lambda message: None)
        self.created = int(time.time())

    def log(self, message: str) -> None:
        self._log(message)

    def log_reply(self, reply: ev.Reply, how: str) -> None:
        self._log(
            f"answered ({how}): {reply.prompt_tokens} prompt + {reply.new_tokens} new tokens "
            f"in {reply.seconds:.1f} s; {len(self.gate.waiting)} waiting"
        )

    def log_left(self, reply: ev.Reply) -> None:
        self._log(f"the client left: its reply stopped after {reply.new_tokens} new tokens")

    def model_card(self) -> dict[str, Any]:
        return {
            "id": self.model_id,
            "object": "model",
            "created": self.created,
            "owned_by": "lora-studio",
        }

    def cors_origin(self, origin: str) -> str:
        """The value of Access-Control-Allow-Origin for a request from ``origin``, or ''."""
        if not self.cors:
            return ""
        if "*" in self.cors:
            return "*"
        return origin if origin in self.cors else ""

    def handle_error(self, request: Any, client_address: Any) -> None:
        """An exception outside a handler's own catching: one log line, no traceback."""
        self._log(f"connection from {client_address[0]} failed: {sys.exc_info()[1]!r}")


def run_serve(
    chat: Any,
    reporter: Any,
    host: str,
    port: int,
    api_key: str,
    model_id: str,
    queue_length: int = QUEUE_LENGTH,
    cors: tuple[str, ...] = (),
    request_timeout: float = REQUEST_TIMEOUT,
) -> ev.Finished:
    server = ApiServer(
        (host, port),
        ChatSession(chat),
        model_id,
        api_key,
        queue_length=queue_length,
        cors=cors,
        request_timeout=request_timeout,
        log=lambda message: reporter.emit(ev.Log(message=message)),
    )
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
        server.gate.close()
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
