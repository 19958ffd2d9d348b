"""``main.py eval RUN``: its arguments and the job (engine/evaluate.py)."""

from __future__ import annotations

import argparse
import os

from lora_studio.cli_models import AddCommand, read_key_file, usage_error
from lora_studio.core.commands import JUDGE_KEY_ENV, EvalOptions
from lora_studio.engine.jobs import run_job


def _judge_key(args: argparse.Namespace) -> str:
    """The judge's API key: --judge-key-file, else LORA_STUDIO_JUDGE_KEY, else none."""
    if args.judge_key_file:
        return read_key_file(args.prog, "--judge-key-file", args.judge_key_file)
    return os.environ.get(JUDGE_KEY_ENV, "").strip()


def cmd_eval(args: argparse.Namespace) -> int:
    if args.limit < 0 or args.max_new_tokens < 1:
        usage_error(args.prog, "--limit must be 0 or more and --max_new_tokens at least 1")
    if bool(args.judge_url) != bool(args.judge_model):
        usage_error(args.prog, "give --judge-url and --judge-model together")
    if args.judge_url and not args.judge_url.startswith(("http://", "https://")):
        usage_error(args.prog, "--judge-url must start with http:// or https://")
    from lora_studio.engine.evaluate import run_eval
    from lora_studio.engine.reporter import Reporter

    options = EvalOptions(
        dataset=args.dataset or "",
        limit=args.limit,
        max_new_tokens=args.max_new_tokens,
        general=not args.no_general,
        judge_url=args.judge_url or "",
        judge_model=args.judge_model or "",
        judge_key=_judge_key(args),
    )
    reporter = Reporter(jsonl=args.events == "jsonl")
    return run_job(reporter, lambda: run_eval(args.run, options, reporter))


def add_eval_command(add: AddCommand) -> None:
    p = add("eval", cmd_eval, "score a run's answers to held-out records against its base model's")
    p.add_argument("run", metavar="RUN", help="the run folder")
    p.add_argument("--dataset", help="records to evaluate (default: the run's eval split)")
    p.add_argument("--limit", type=int, default=0, help="evaluate the first N records only")
    p.add_argument("--max_new_tokens", type=int, default=256, help="longest answer (256)")
    p.add_argument(
        "--no-general",
        dest="no_general",
        action="store_true",
        help="skip the general-ability check (bundled general questions, English and Chinese)",
    )
    p.add_argument(
        "--judge-url",
        dest="judge_url",
        help="an OpenAI-compatible API (its .../v1 address) whose model judges each answer",
    )
    p.add_argument("--judge-model", dest="judge_model", help="the judge's model name")
    p.add_argument(
        "--judge-key-file",
        dest="judge_key_file",
        help=f"the judge's API key, read from this file (or set {JUDGE_KEY_ENV})",
    )
    p.add_argument("--events", choices=("jsonl", "text"), default="text")
