"""``main.py chat``: one streamed answer to ``--prompt``, or an interactive chat in the terminal."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from lora_studio.core import events as ev
from lora_studio.core.generation_settings import GenerationSettings
from lora_studio.core.messages import say
from lora_studio.engine.generation import ChatModel
from lora_studio.engine.reporter import Reporter, claim_stdout

HELP = "Type a message and press Enter. /reset starts a new conversation, /exit (or Ctrl-D) quits."


def run_chat(args: argparse.Namespace, settings: GenerationSettings, reporter: Reporter) -> Any:
    out = claim_stdout()
    chat = ChatModel(args.model or "", args.adapter or "", emit=reporter.emit)
    system = [{"role": "system", "content": args.system}] if args.system else []
    if reporter.jsonl:  # a program drives this process: JSON requests in, events out
        from lora_studio.engine.chat_server import serve_stdio

        if args.prompt is not None:
            from lora_studio.core.chat import ChatRequest
            from lora_studio.engine.chat_server import ChatSession

            request = ChatRequest(
                op="generate",
                id="prompt",
                settings=settings,
                messages=system + [{"role": "user", "content": args.prompt}],
            )
            reporter.emit(
                ChatSession(chat).reply(
                    request, on_text=lambda text: reporter.emit(ev.Token(id="prompt", text=text))
                )
            )
        else:
            serve_stdio(chat, reporter, chat.model_name, chat.adapter_dir)
        return ev.Finished(status="completed")  # a clean end, for the supervising GUI
    if args.prompt is not None:
        messages = system + [{"role": "user", "content": args.prompt}]
        _check_context(chat, messages, settings)
        chat.generate(messages, settings, on_text=lambda text: (out.write(text), out.flush()))
        out.write("\n")
        out.flush()
        return ev.Finished(status="completed")
    return _interactive(chat, system, settings, out)


def _check_context(
    chat: ChatModel, messages: list[dict[str, str]], settings: GenerationSettings
) -> None:
    from lora_studio.core.events import ErrorKind
    from lora_studio.engine.errors import EngineError

    length = len(chat.prompt_ids(messages))
    if chat.context_length and length >= chat.context_length:
        raise EngineError(
            ErrorKind.BAD_CONFIG,
            say(
                "The prompt is {length} tokens; the model reads at most {limit}.",
                length=length,
                limit=chat.context_length,
            ),
            say("Shorten the prompt."),
        )


def _interactive(
    chat: ChatModel, system: list[dict[str, str]], settings: GenerationSettings, out: Any
) -> Any:
    history: list[dict[str, str]] = []
    sys.stderr.write(HELP + "\n")
    while True:
        try:
            sys.stderr.write("\nyou> ")
            sys.stderr.flush()
            line = sys.stdin.readline()
        except KeyboardInterrupt:
            break
        if not line:
            break
        text = line.strip()
        if not text:
            continue
        if text in ("/exit", "/quit"):
            break
        if text == "/reset":
            history.clear()
            sys.stderr.write("(new conversation)\n")
            continue
        history.append({"role": "user", "content": text})
        sys.stderr.write("assistant> ")
        sys.stderr.flush()
        try:
            reply, _stats = chat.generate(
                system + history, settings, on_text=lambda piece: (out.write(piece), out.flush())
            )
        except KeyboardInterrupt:
            out.write("\n")
            history.pop()
            continue
        out.write("\n")
        out.flush()
        history.append({"role": "assistant", "content": reply})
    return ev.Finished(status="completed")
