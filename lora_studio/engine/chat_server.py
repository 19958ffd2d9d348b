"""The persistent chat process: the model stays loaded and answers requests read from stdin.

Started as ``main.py chat --model DIR [--adapter RUN] --events jsonl``. The request protocol is
described in ``lora_studio/core/chat.py``; replies stream as ``token`` events and end with one
``reply`` event each. A reader thread takes requests while a reply is being generated, so that
``cancel`` stops it between two tokens.
"""

from __future__ import annotations

import queue
import sys
import threading
import uuid
from dataclasses import dataclass, replace
from typing import Any

from lora_studio.core import events as ev
from lora_studio.core.chat import ChatRequest, RequestError, fit_context, parse_request
from lora_studio.engine.generation import ChatModel
from lora_studio.engine.reporter import Reporter

BAD_REQUEST = "bad_request"


# No tokenizer packs more than this many characters into a token on average over a prompt, so a
# prompt longer than the context times this is cut (or refused) before it is tokenised at all.
CHARS_PER_TOKEN = 16


@dataclass
class Prepared:
    """A request fitted to the context: the messages kept, and the reply length it leaves."""

    request: ChatRequest
    messages: list[dict[str, Any]]
    dropped: int
    prompt_tokens: int
    max_new_tokens: int


def _chars(messages: list[dict[str, Any]]) -> int:
    return sum(len(m.get("content") or "") + len(str(m.get("tool_calls") or "")) for m in messages)


class ChatSession:
    """Generates replies for one loaded model, trimming conversations to its context."""

    def __init__(self, chat: ChatModel) -> None:
        self.chat = chat

    def prompt_limit(self, max_new_tokens: int) -> int:
        """Tokens left for the prompt; a reply asked to be longer than half the context leaves
        the prompt half of it and is cut to what remains (``prepare``)."""
        context = self.chat.context_length
        if not context:
            return 0
        return max(1, context - min(max_new_tokens, context // 2))

    def prepare(self, request: ChatRequest) -> Prepared:
        """Fit the request to the context (old turns dropped); ContextError when it cannot."""
        chat = self.chat
        limit = self.prompt_limit(request.settings.max_new_tokens)
        tools = request.tools or None
        messages, dropped = request.messages, 0
        if limit:
            tool_chars = len(str(tools or ""))
            messages, dropped = fit_context(
                messages, lambda msgs: _chars(msgs) + tool_chars, limit * CHARS_PER_TOKEN
            )
        messages, more = fit_context(messages, lambda m: len(chat.prompt_ids(m, tools)), limit)
        prompt_tokens = len(chat.prompt_ids(messages, tools))
        max_new = request.settings.max_new_tokens
        if chat.context_length:
            max_new = max(1, min(max_new, chat.context_length - prompt_tokens))
        return Prepared(request, messages, dropped + more, prompt_tokens, max_new)

    def generate(self, prepared: Prepared, on_text=None, should_stop=None) -> ev.Reply:
        chat, request = self.chat, prepared.request
        chat.set_adapter_enabled(request.adapter)
        settings = replace(request.settings, max_new_tokens=prepared.max_new_tokens)
        text, stats = chat.generate(
            prepared.messages,
            settings,
            on_text=on_text,
            should_stop=should_stop,
            tools=request.tools or None,
        )
        return ev.Reply(
            id=request.id,
            text=text,
            new_tokens=stats.new_tokens,
            seconds=stats.seconds,
            first_token_seconds=stats.first_token_seconds,
            tokens_per_second=stats.tokens_per_second,
            cancelled=stats.cancelled,
            dropped_turns=prepared.dropped,
            prompt_tokens=prepared.prompt_tokens,
            finish_reason="cancelled" if stats.cancelled else "stop" if stats.ended else "length",
        )

    def reply(self, request: ChatRequest, on_text=None, should_stop=None) -> ev.Reply:
        return self.generate(self.prepare(request), on_text, should_stop)


def serve_stdio(chat: ChatModel, reporter: Reporter, model_name: str, adapter: str) -> None:
    session = ChatSession(chat)
    requests: queue.Queue[tuple[int, ChatRequest] | None] = queue.Queue()
    # ``cancel`` stops the reply in progress and every request sent before it: a request is
    # cancelled when its sequence number is at most ``cancelled[0]``.
    sent = [0]
    cancelled = [0]

    def read() -> None:
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                request = parse_request(line)
            except RequestError as exc:
                reporter.emit(
                    ev.Error(
                        kind=BAD_REQUEST,
                        message=str(exc),
                        hint="See docs/events.md for the request format.",
                    )
                )
                continue
            if request.op == "cancel":
                cancelled[0] = sent[0]
            if request.op == "quit":  # after the requests already sent have been answered
                break
            if request.op == "generate":
                sent[0] += 1
                requests.put((sent[0], request))
        requests.put(None)  # end of input: finish and exit

    threading.Thread(target=read, name="chat-requests", daemon=True).start()
    reporter.emit(
        ev.ChatReady(
            model=model_name,
            adapter=adapter,
            context_length=chat.context_length,
            device="gpu" if chat.on_gpu else "cpu",
        )
    )
    while True:
        item = requests.get()
        if item is None:
            return
        seq, request = item
        request.id = request.id or uuid.uuid4().hex[:8]
        if seq <= cancelled[0]:  # cancelled while it waited: answered without generating
            reporter.emit(
                ev.Reply(id=request.id, text="", cancelled=True, finish_reason="cancelled")
            )
            continue
        try:
            reply = session.reply(
                request,
                on_text=lambda text, rid=request.id: reporter.emit(ev.Token(id=rid, text=text)),
                should_stop=lambda seq=seq: seq <= cancelled[0],
            )
        except RequestError as exc:
            reporter.emit(ev.Error(kind=BAD_REQUEST, message=str(exc), detail=request.id))
            continue
        reporter.emit(reply)
