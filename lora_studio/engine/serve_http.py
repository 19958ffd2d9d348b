"""The HTTP side of ``main.py serve``: framing, errors, authentication, CORS, routes.

Every request gets an HTTP answer with a JSON body, whatever arrives: the standard library's own
error pages (bad request line, unknown method, oversized headers) are replaced by OpenAI-style
JSON errors, a request's body is always read before it is answered (or the connection is closed),
so the next request on a keep-alive connection starts where it should, and an unexpected fault
is a 500 with one log line rather than a dropped connection. The replies themselves are
``serve_reply.py``'s.
"""

from __future__ import annotations

import hmac
import json
import select
import socket
import time
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any

from lora_studio.core.openai_request import ApiError, decode_body, read_call
from lora_studio.engine.serve_reply import complete, stream

if TYPE_CHECKING:
    from lora_studio.engine.serve import ApiServer

CHAT_PATH = "/v1/chat/completions"
MODELS_PATH = "/v1/models"
ALLOWED = "GET, POST, OPTIONS"


class ClientGone(Exception):
    """The client of a request disconnected before its answer: there is nobody to answer."""


STATUS_KIND = {
    401: "authentication_error",
    404: "not_found_error",
    405: "invalid_request_error",
    408: "timeout_error",
    413: "invalid_request_error",
    429: "rate_limit_error",
    500: "server_error",
    503: "server_error",
}


class ApiHandler(BaseHTTPRequestHandler):
    server: ApiServer
    protocol_version = "HTTP/1.1"
    # a request line without a version is answered with a status line and headers, not in
    # HTTP/0.9 (a bare body that no client reads as an error)
    default_request_version = "HTTP/1.0"
    error_content_type = "application/json"

    def setup(self) -> None:
        self.timeout = self.server.request_timeout  # slow or stalled clients are let go
        super().setup()
        self._responded = False
        self._checked_at = 0.0

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # requests are not logged: prompts may be private; faults are (server.log)

    # ---- framing ----
    def handle_one_request(self) -> None:
        self.raw_requestline = b""
        self._responded = False
        # what an answer needs, set before the stdlib parses anything: an error found early
        # (or a fault) is still answered with a status line
        self.request_version, self.command, self.requestline = "HTTP/1.0", "", ""
        self.path = ""
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client went away
        except Exception as exc:  # a fault of ours: the client still gets an answer
            self.close_connection = True
            self.server.log(f"internal error on {self.command} {self.path[:80]}: {exc!r}")
            if not self._responded:
                self._safe_error(ApiError(500, "internal server error", "internal_error"))

    def parse_request(self) -> bool:
        # the stdlib closes the connection without a word on a request line of only spaces
        # (or of only an empty line, where the request may follow)
        for _ in range(8):  # empty lines before a request are skipped (RFC 9112 2.2)
            if self.raw_requestline not in (b"\r\n", b"\n"):
                break
            self.raw_requestline = self.rfile.readline(65537)
        if not self.raw_requestline:
            self.close_connection = True
            return False
        if len(self.raw_requestline) > 65536:
            self.send_error(414, "the request line is too long")
            return False
        words = str(self.raw_requestline, "iso-8859-1").split()  # as the stdlib splits it
        if not words:
            self.send_error(400, "the request line is empty")
            return False
        try:
            return super().parse_request()
        except TimeoutError:  # the headers did not come in time
            self._timed_out()
            return False

    def _timed_out(self) -> None:
        self.close_connection = True
        if not self._responded:
            self._safe_error(ApiError(408, "the request did not arrive in time", "timeout"))

    def send_response(self, code: int, message: str | None = None) -> None:
        self._responded = True
        super().send_response(code, message)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's errors (bad request line, unknown method, long headers),
        as JSON; the connection is closed, as it would be."""
        self.close_connection = True
        if code == 501:  # an unknown method
            error = ApiError(
                405, f"method {self.command!s:.20} is not allowed", "method_not_allowed"
            )
        else:
            error = ApiError(code, message or "bad request", "bad_request")
        self._safe_error(error)

    def end_headers(self) -> None:
        origin = self.headers.get("Origin", "") if getattr(self, "headers", None) else ""
        allowed = self.server.cors_origin(origin)
        if allowed:
            self.send_header("Access-Control-Allow-Origin", allowed)
            self.send_header("Vary", "Origin")
        super().end_headers()

    def _send_json(self, status: int, payload: dict, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":  # a HEAD answer has the headers of the body, not the body
            self.wfile.write(data)
        self.wfile.flush()

    def _error(self, error: ApiError) -> None:
        if error.status in STATUS_KIND and error.kind == "invalid_request_error":
            error.kind = STATUS_KIND[error.status]
        headers = {}
        if error.retry_after:
            headers["Retry-After"] = str(error.retry_after)
        if error.status == 405:
            headers["Allow"] = ALLOWED
        if error.status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        self._send_json(error.status, error.body(), headers)

    def _safe_error(self, error: ApiError) -> None:
        try:
            self._error(error)
        except OSError:
            self.close_connection = True

    def _body(self) -> bytes:
        """The request's body, read whole, so that an error answer leaves the connection at the
        next request; a body that cannot be read that way closes the connection."""
        if "Transfer-Encoding" in self.headers:
            self.close_connection = True
            raise ApiError(411, "send the body with a Content-Length (chunked is not supported)")
        values = self.headers.get_all("Content-Length") or []
        if not values:
            return b""
        try:
            length = int(values[0])
        except ValueError:
            length = -1
        if length < 0 or len(set(values)) > 1 or not values[0].strip().isdigit():
            self.close_connection = True
            raise ApiError(400, "invalid Content-Length")
        if length > self.server.max_body:
            self.close_connection = True
            raise ApiError(
                413,
                f"the request body is larger than {self.server.max_body // 2**20} MB",
                "request_too_large",
            )
        raw = self.rfile.read(length)
        if len(raw) < length:
            self.close_connection = True
            raise ApiError(400, "the request body ended early")
        return raw

    def _authorised(self) -> None:
        key = self.server.api_key
        if not key:
            return
        given = self.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode("utf-8", "replace"), f"Bearer {key}".encode()):
            raise ApiError(401, "Incorrect API key provided.", "invalid_api_key")

    def client_gone(self) -> bool:
        """The client closed its connection (checked at most five times a second)."""
        now = time.monotonic()
        if now - self._checked_at < 0.2:
            return False
        self._checked_at = now
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    # ---- routes ----
    def _route(self, handler) -> None:  # type: ignore[no-untyped-def]
        try:
            handler()
        except ApiError as error:
            self._error(error)
        except ClientGone:
            self.close_connection = True
        except TimeoutError:  # the body did not come in time (or a reader stopped reading)
            self._timed_out()

    def do_GET(self) -> None:  # noqa: N802 - stdlib API
        self._route(self._get)

    def do_POST(self) -> None:  # noqa: N802 - stdlib API
        self._route(self._post)

    def do_OPTIONS(self) -> None:  # noqa: N802 - stdlib API
        """A browser's CORS preflight (or a client asking what is allowed)."""

        def answer() -> None:
            self._body()
            self.send_response(204)
            self.send_header("Allow", ALLOWED)
            if self.server.cors_origin(self.headers.get("Origin", "")):
                self.send_header("Access-Control-Allow-Methods", ALLOWED)
                self.send_header(
                    "Access-Control-Allow-Headers",
                    self.headers.get("Access-Control-Request-Headers", "")[:500]
                    or "Authorization, Content-Type",
                )
                self.send_header("Access-Control-Max-Age", "600")
            self.send_header("Content-Length", "0")
            self.end_headers()

        self._route(answer)

    def _not_allowed(self) -> None:
        def answer() -> None:
            self._body()
            raise ApiError(405, f"method {self.command} is not allowed here", "method_not_allowed")

        self._route(answer)

    do_PUT = do_DELETE = do_PATCH = do_HEAD = _not_allowed  # noqa: N815 - stdlib API

    def _path(self) -> str:
        return self.path.split("?", 1)[0].rstrip("/")

    def _get(self) -> None:
        self._body()
        self._authorised()
        path = self._path()
        model = self.server.model_card()
        if path == MODELS_PATH:
            self._send_json(200, {"object": "list", "data": [model]})
        elif path.startswith(MODELS_PATH + "/"):
            wanted = path[len(MODELS_PATH) + 1 :]
            if wanted != model["id"]:
                raise ApiError(
                    404,
                    f"The model '{wanted[:80]}' does not exist; this server has '{model['id']}'",
                    "model_not_found",
                    "model",
                )
            self._send_json(200, model)
        elif path == CHAT_PATH:
            raise ApiError(405, f"use POST for {CHAT_PATH}", "method_not_allowed")
        else:
            raise ApiError(404, f"Unknown path {self.path[:100]}", "not_found")

    def _post(self) -> None:
        raw = self._body()  # first: whatever the answer, the body has been read
        self._authorised()
        if self._path() != CHAT_PATH:
            raise ApiError(404, f"Unknown path {self.path[:100]}", "not_found")
        if not raw:
            raise ApiError(400, "the request has no body")
        call = read_call(decode_body(raw), self.server.default)
        if call.tools and not self.server.session.chat.supports_tools:
            raise ApiError(
                400,
                "this model's chat template has no tool support: 'tools' cannot be used with it",
                "unsupported",
                "tools",
            )
        (stream if call.stream else complete)(self, call)
