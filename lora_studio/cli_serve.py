"""``main.py serve``: its arguments and the job that starts the API server (engine/serve.py)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from lora_studio.cli_models import AddCommand, read_key_file, usage_error
from lora_studio.core import events as ev
from lora_studio.core.commands import API_KEY_ENV
from lora_studio.core.messages import say
from lora_studio.engine.jobs import run_job


def _api_key(args: argparse.Namespace) -> str:
    """The key clients must send: --api-key-file, else LORA_STUDIO_API_KEY, else --api-key."""
    if args.api_key_file:
        key = read_key_file(args.prog, "--api-key-file", args.api_key_file)
        if not key:
            usage_error(args.prog, f"--api-key-file {args.api_key_file} is empty")
        return key
    return os.environ.get(API_KEY_ENV, "").strip() or args.api_key or ""


def cmd_serve(args: argparse.Namespace) -> int:
    if not args.model and not args.adapter:
        usage_error(args.prog, "give --model, --adapter, or both")
    if not 0 <= args.port <= 65535:
        usage_error(args.prog, "--port must be from 0 to 65535")
    if args.queue < 0:
        usage_error(args.prog, "--queue must be 0 or more")
    if not args.request_timeout > 0:
        usage_error(args.prog, "--request-timeout must be above 0")
    key = _api_key(args)
    from lora_studio.engine.reporter import Reporter

    reporter = Reporter(jsonl=args.events == "jsonl")
    if args.api_key:
        reporter.emit(
            ev.Warning(
                code="api_key_visible",
                message=say(
                    "--api-key is visible to every user of this computer (in the process list)"
                ),
                hint=say(
                    "Use --api-key-file FILE or the LORA_STUDIO_API_KEY environment variable."
                ),
            )
        )

    def job() -> Any:
        from lora_studio.engine.generation import ChatModel
        from lora_studio.engine.serve import run_serve

        chat = ChatModel(args.model or "", args.adapter or "", emit=reporter.emit)
        model_id = (
            args.model_id
            or os.path.basename((args.adapter or args.model).rstrip("/\\"))
            or "lora-studio"
        )
        return run_serve(
            chat,
            reporter,
            args.host,
            args.port,
            key,
            model_id,
            queue_length=args.queue,
            cors=tuple(args.cors or ()),
            request_timeout=args.request_timeout,
        )

    return run_job(reporter, job)


def add_serve_command(add: AddCommand) -> None:
    p = add("serve", cmd_serve, "serve a model through an OpenAI-compatible API on this machine")
    p.add_argument("--model", help="model folder (a merged model, or the base for --adapter)")
    p.add_argument("--adapter", help="a run folder or adapter/ folder to apply to --model")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    p.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    p.add_argument(
        "--api-key-file",
        dest="api_key_file",
        help="require 'Authorization: Bearer KEY', KEY read from this file "
        "(or set LORA_STUDIO_API_KEY)",
    )
    p.add_argument(
        "--api-key",
        dest="api_key",
        help="the same, KEY on the command line (visible to other users: prefer the file)",
    )
    p.add_argument("--model-id", dest="model_id", help="the model name clients see")
    p.add_argument(
        "--queue",
        type=int,
        default=8,
        help="requests that may wait while one is answered; more get 429 (default 8)",
    )
    p.add_argument(
        "--cors",
        action="append",
        metavar="ORIGIN",
        help="let browser pages from ORIGIN call the API (repeat for more; * for any)",
    )
    p.add_argument(
        "--request-timeout",
        dest="request_timeout",
        type=float,
        default=30.0,
        help="seconds a client may take to send its request (default 30)",
    )
    p.add_argument("--events", choices=("jsonl", "text"), default="text")
