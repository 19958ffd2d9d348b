"""The command line: ``main.py <command>``. Engine commands import Paddle only once they run.

Exit codes: 0 success (a stopped training is a success), 1 the job failed (an error event says
why), 2 wrong arguments (one line on stderr), 130 interrupted twice.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from lora_studio.cli_diagnostics import add_diagnostics_command
from lora_studio.cli_eval import add_eval_command
from lora_studio.cli_job import add_job_command
from lora_studio.cli_models import add_model_commands, usage_error
from lora_studio.cli_serve import add_serve_command
from lora_studio.core import export_plan
from lora_studio.core.commands import LAUNCH_COMMAND
from lora_studio.core.config import CONFIG_FILE_NAME, ConfigError, RunConfig, coerce, config_fields
from lora_studio.core.dataset_io import ENCODING_CHOICES
from lora_studio.engine.jobs import run_job

PROG = "LoRAStudio" if getattr(sys, "frozen", False) else "main.py"


class Parser(argparse.ArgumentParser):
    """argparse that reports a wrong argument in one line."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


# ---- train ----
def _add_train_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="JSON run config (same field names); flags given on the command line override it",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue the run in --output_dir from its last checkpoint",
    )
    parser.add_argument(
        "--events",
        choices=("jsonl", "text"),
        default="text",
        help="progress on stdout as JSON lines (for programs) or text",
    )
    for f in config_fields():
        flag = f"--{f.name}"
        kwargs: dict[str, Any] = {"default": argparse.SUPPRESS, "help": f.metadata.get("help")}
        if f.type in ("bool", bool):
            kwargs.update(nargs="?", const=True, metavar="BOOL")
        else:
            kwargs["metavar"] = f.name.upper() if f.type != "list[str]" else "NAMES"
        if "choices" in f.metadata:
            kwargs["choices"] = f.metadata["choices"]
        parser.add_argument(flag, **kwargs)


def train_config(args: argparse.Namespace, prog: str) -> RunConfig:
    """defaults < the --config file (or the run's own config on --resume) < flags."""
    given = {f.name: getattr(args, f.name) for f in config_fields() if hasattr(args, f.name)}
    try:
        if args.config:
            config = RunConfig.load(args.config)
        elif args.resume and given.get("output_dir"):
            saved = os.path.join(given["output_dir"], CONFIG_FILE_NAME)
            config = RunConfig.load(saved) if os.path.isfile(saved) else RunConfig()
        else:
            config = RunConfig()
        for f in config_fields():
            if f.name in given:
                setattr(config, f.name, coerce(f, given[f.name]))
    except ConfigError as exc:
        usage_error(prog, str(exc))
    problems = config.problems()
    if problems:
        name, problem = next(iter(problems.items()))
        usage_error(prog, f"--{name}: {problem}")
    return config


def cmd_train(args: argparse.Namespace) -> int:
    config = train_config(args, args.prog)
    from lora_studio.engine.distributed import world
    from lora_studio.engine.jobs import StopRequest
    from lora_studio.engine.reporter import Reporter
    from lora_studio.engine.train import run_train

    reporter = Reporter(jsonl=args.events == "jsonl")
    if config.nproc_per_node > 1 and not world().distributed:
        from lora_studio.engine.launch import run_launched

        outcome: list[int] = []
        code = run_job(
            reporter,
            lambda: outcome.append(
                run_launched(args.argv, config.output_dir, config.nproc_per_node, reporter)
            ),
            run_dir=config.output_dir,
        )
        return outcome[0] if outcome and code == 0 else code
    stop = StopRequest()
    stop.install()
    return run_job(
        reporter,
        lambda: run_train(config, reporter, resume=args.resume, stop=stop),
        run_dir=config.output_dir,
    )


# ---- merge ----
def cmd_merge(args: argparse.Namespace) -> int:
    from lora_studio.engine.merge import run_merge
    from lora_studio.engine.reporter import Reporter

    reporter = Reporter(jsonl=args.events == "jsonl")
    return run_job(
        reporter,
        lambda: run_merge(
            args.adapter, args.output, reporter.emit, base=args.model or "", dtype=args.dtype
        ),
    )


# ---- export ----
def cmd_export(args: argparse.Namespace) -> int:
    from lora_studio.engine.export import run_export
    from lora_studio.engine.reporter import Reporter

    reporter = Reporter(jsonl=args.events == "jsonl")
    return run_job(
        reporter,
        lambda: run_export(
            args.run,
            args.format,
            reporter.emit,
            quant=args.quant,
            output=args.output or "",
            name=args.name or "",
            install=args.install,
        ),
    )


# ---- chat ----
def _add_sampling_args(parser: argparse.ArgumentParser) -> None:
    from lora_studio.core.generation_settings import GenerationSettings

    d = GenerationSettings()
    parser.add_argument("--greedy", action="store_true", help="always pick the likeliest token")
    parser.add_argument("--max_new_tokens", type=int, default=d.max_new_tokens, metavar="N")
    parser.add_argument("--temperature", type=float, default=d.temperature, metavar="T")
    parser.add_argument("--top_p", type=float, default=d.top_p, metavar="P")
    parser.add_argument("--top_k", type=int, default=d.top_k, metavar="K", help="0: off")
    parser.add_argument(
        "--repetition_penalty", type=float, default=d.repetition_penalty, metavar="R"
    )
    parser.add_argument("--seed", type=int, default=None, help="seed for sampling")


def sampling_settings(args: argparse.Namespace) -> Any:
    from lora_studio.core.generation_settings import GenerationSettings

    settings = GenerationSettings(
        greedy=args.greedy,
        temperature=args.temperature,
        top_p=args.top_p,
        top_k=args.top_k,
        repetition_penalty=args.repetition_penalty,
        max_new_tokens=args.max_new_tokens,
        seed=args.seed,
    )
    problems = settings.problems()
    if problems:
        name, problem = next(iter(problems.items()))
        usage_error(args.prog, f"--{name}: {problem}")
    return settings


def cmd_chat(args: argparse.Namespace) -> int:
    if not args.model and not args.adapter:
        usage_error(args.prog, "give --model, --adapter, or both")
    if args.prompt is not None and not args.prompt.strip():
        usage_error(args.prog, "--prompt is empty")
    settings = sampling_settings(args)
    from lora_studio.engine.chat_cli import run_chat
    from lora_studio.engine.reporter import Reporter

    reporter = Reporter(jsonl=args.events == "jsonl")
    return run_job(reporter, lambda: run_chat(args, settings, reporter), quiet_success=True)


# ---- quickstart (demo-model, test-model, import-gguf: cli_models.py) ----
def cmd_quickstart(args: argparse.Namespace) -> int:
    from lora_studio.engine.quickstart import run_quickstart

    return run_quickstart(args)


# ---- plan / probe ----
def cmd_plan(args: argparse.Namespace) -> int:
    import json

    from lora_studio.core import commands, hardware, model_shape, planner
    from lora_studio.core.settings import AppSettings

    try:
        shape = model_shape.resolve_shape(args.model)
    except model_shape.PlanError as exc:
        sys.stderr.write(f"{args.prog}: {exc}\n")
        return 1
    for name in ("seq_len", "batch", "rank", "gpus"):
        value = getattr(args, name)
        if value is not None and value < 1:
            usage_error(args.prog, f"--{name.replace('_', '-')} must be at least 1")
    if args.vram_gb is not None:
        if args.vram_gb <= 0:
            usage_error(args.prog, "--vram-gb must be above 0")
        machine = planner.Machine(
            device="gpu",
            memory_bytes=args.vram_gb * planner.GB,
            name=f"a {args.vram_gb:g} GB GPU",
            compute_capability=(8, 0) if not args.no_bf16 else (7, 5),
            low_bit=tuple(args.low_bit or ()),
        )
    else:
        reading = hardware.read_gpus()
        probe = hardware.probe_paddle(commands.probe()) if reading.gpus else None
        system = hardware.system_info(AppSettings.load().runs_dir)
        machine = planner.detected_machine(reading, probe, system)
        if reading.problem:
            sys.stderr.write(f"{reading.problem}\n")
    plan = planner.recommend(
        shape,
        machine,
        seq_len=args.seq_len or 512,
        rank=args.rank or 8,
        micro_batch=args.batch,
        dataset_tokens=args.dataset_tokens or 0,
        gpus=args.gpus,
    )
    if args.json:
        sys.stdout.write(json.dumps(plan.to_dict(), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(planner.describe(plan, shape.name or args.model, machine) + "\n")
    return 0


def cmd_probe(args: argparse.Namespace) -> int:
    from lora_studio.engine.probe import run_probe

    return run_probe()


# ---- dataset ----
def cmd_dataset(args: argparse.Namespace) -> int:
    """Exit codes: 0 train would accept the file (warnings may be printed), 1 problems that
    train refuses (or any warning, with --strict), 2 unreadable, 3 internal error."""
    try:
        return _dataset(args)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug of ours; still a message, not a traceback
        sys.stderr.write(
            f"{args.file}: internal error while reading ({type(exc).__name__}: {exc}); "
            "please report it with the file\n"
        )
        return 3


def _dataset(args: argparse.Namespace) -> int:
    from lora_studio.core import checks, formats
    from lora_studio.core.dataset_io import DatasetError

    fmt = ""
    if args.action == "convert":
        fmt = args.to or formats.format_for_path(args.out)
    try:
        result = formats.read_dataset(args.file, encoding=args.encoding or "")
    except DatasetError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    for note in result.notes:
        sys.stderr.write(f"note: {note}\n")
    if args.action == "convert":
        try:
            formats.write_dataset(result.records, args.out, fmt)
        except OSError as exc:
            sys.stderr.write(f"{args.out}: cannot write ({exc.strerror or exc})\n")
            return 2
        for problem in result.problems:
            sys.stderr.write(f"skipped {problem}\n")
        sys.stdout.write(
            f"{len(result.records)} records written to {args.out} ({fmt})"
            + (f"; {len(result.problems)} skipped" if result.problems else "")
            + "\n"
        )
        return 0
    counts = None
    if args.model:
        from lora_studio.core.tokens import TokenCounter

        try:
            prompts, answers = TokenCounter(args.model).counts(result.records)
        except ValueError as exc:
            usage_error(args.prog, str(exc))
        counts = [p + a for p, a in zip(prompts, answers, strict=True)]
    problems = checks.check_records(result.records, args.max_tokens or 0, counts, result.where)
    for problem in result.problems:
        sys.stdout.write(f"{problem} (not imported)\n")
    errors, warnings = len(result.problems), 0
    for problem in problems:
        where = result.where(problem.row) + (f", {problem.field}" if problem.field else "")
        if problem.kind in checks.ERROR_KINDS:
            errors += 1
            sys.stdout.write(f"{where}: {problem.message}\n")
        else:
            warnings += 1
            sys.stdout.write(f"{where}: warning: {problem.message}\n")
    summary = [f"{errors} problem(s)"] if errors else []
    if warnings:
        summary.append(f"{warnings} warning(s)")
    sys.stdout.write(
        f"{len(result.records)} records ({result.format}, {result.encoding}): "
        + (", ".join(summary) if summary else "no problems")
        + "\n"
    )
    return 1 if errors or (args.strict and warnings) else 0


# ---- shared ----
def build_parser() -> Parser:
    parser = Parser(
        prog=PROG,
        description="LoRA Studio: fine-tune a small language model with "
        "LoRA on PaddlePaddle. Without a command, opens the desktop app; "
        "--self-test checks the whole journey offline.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    def add(name: str, func: Callable[[argparse.Namespace], int], help_text: str) -> Parser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func, prog=f"{PROG} {name}")
        return p

    p = add("train", cmd_train, "fine-tune a model with LoRA")
    _add_train_args(p)

    p = add("merge", cmd_merge, "merge a run's LoRA adapter into its base model")
    p.add_argument("--adapter", required=True, help="a run folder or its adapter/ folder")
    p.add_argument("--output", required=True, help="folder for the merged model")
    p.add_argument("--model", help="base model (default: the one the adapter was trained on)")
    p.add_argument(
        "--dtype",
        choices=("bf16", "fp16", "fp32"),
        default="",
        help="weights' type (default: the base model's own)",
    )
    p.add_argument("--events", choices=("jsonl", "text"), default="text")

    p = add("export", cmd_export, "export a run as GGUF, for Ollama, or as a PEFT adapter")
    p.add_argument("run", help="a run folder")
    p.add_argument("--format", choices=export_plan.FORMATS, default="gguf")
    p.add_argument(
        "--quant", default="f16", choices=export_plan.QUANTS + export_plan.K_QUANTS,
        help="type of the GGUF's weights (K-quants need llama.cpp's llama-quantize)",
    )  # fmt: skip
    p.add_argument("--output", help="folder (default: the run's export/FORMAT)")
    p.add_argument("--name", help="the model's name (file names, Ollama); default: the run's")
    p.add_argument(
        "--install", action="store_true", help="ollama: run 'ollama create' when ollama is on PATH"
    )
    p.add_argument("--events", choices=("jsonl", "text"), default="text")

    p = add("chat", cmd_chat, "chat with a model in the terminal, or answer one --prompt")
    p.add_argument("--model", help="model folder (a merged model, or the base for --adapter)")
    p.add_argument("--adapter", help="a run folder or adapter/ folder to apply to --model")
    p.add_argument("--prompt", help="answer this and exit (the reply alone goes to stdout)")
    p.add_argument("--system", default="", help="system prompt")
    p.add_argument("--events", choices=("jsonl", "text"), default="text")
    _add_sampling_args(p)

    add_serve_command(add)

    add_eval_command(add)
    add_model_commands(add)
    add_job_command(add, Parser)
    add_diagnostics_command(add)

    p = add("plan", cmd_plan, "estimate the memory a LoRA run needs and the settings that fit")
    p.add_argument("--model", required=True, help="a preset (qwen2.5-0.5b ...), hub name or folder")
    p.add_argument("--vram-gb", dest="vram_gb", type=float, help="plan for a GPU of this size")
    p.add_argument("--seq-len", dest="seq_len", type=int, help="maximum sequence length (512)")
    p.add_argument("--batch", type=int, help="fix the micro-batch instead of searching")
    p.add_argument("--rank", type=int, help="LoRA rank (8)")
    p.add_argument(
        "--dataset-tokens", dest="dataset_tokens", type=int, help="for the time estimate"
    )
    p.add_argument("--no-bf16", dest="no_bf16", action="store_true", help="a pre-Ampere GPU")
    p.add_argument(
        "--gpus", type=int, default=1, help="data-parallel GPUs (memory figures are per GPU)"
    )
    p.add_argument(
        "--low-bit",
        dest="low_bit",
        action="append",
        choices=("int8", "int4"),
        help="with --vram-gb: the build can train on int8/int4 weights (may be repeated)",
    )
    p.add_argument("--json", action="store_true", help="one JSON object instead of text")

    add("probe", cmd_probe, "print what the installed Paddle build can do, as JSON")

    p = add("dataset", cmd_dataset, "check a dataset file, or convert it to another format")
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=Parser, required=True)
    q = actions.add_parser(
        "check",
        help="list every problem and warning with the file's own line or record number; exit 0 "
        "when train would accept the file, 1 when it would refuse it, 2 when it cannot be read",
    )
    q.add_argument("file", metavar="FILE")
    q.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    q.add_argument("--model", help="a model folder: count tokens with its tokenizer.json")
    q.add_argument("--max-tokens", dest="max_tokens", type=int, help="flag longer records")
    q.set_defaults(prog=f"{PROG} dataset check")
    q = actions.add_parser("convert", help="convert any readable format")
    q.add_argument("file", metavar="IN")
    q.add_argument("out", metavar="OUT")
    q.add_argument(
        "--to",
        choices=("json", "jsonl", "messages"),
        help="default: from OUT's extension (.jsonl: JSON lines, else a JSON array)",
    )
    q.set_defaults(prog=f"{PROG} dataset convert")
    for q in actions.choices.values():
        q.add_argument(
            "--encoding",
            choices=ENCODING_CHOICES,
            help="read FILE in this encoding (default: UTF-8, else detected)",
        )

    p = add(
        "quickstart",
        cmd_quickstart,
        "make the demo model (SmolLM2), fine-tune it on demo data, merge, ask it two questions",
    )
    p.add_argument(
        "--workdir", help="where to put the demo model and the run (default: the user data folder)"
    )
    p.add_argument("--epochs", type=float, default=None, help="training epochs")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--self-test"]:
        from lora_studio.selftest import run_self_test

        return run_self_test()
    if argv[:1] == ["--startup-probe"]:  # bench/startup.py --executable (the frozen app)
        from lora_studio.gui.app import startup_probe

        print(startup_probe(), flush=True)
        return 0
    if argv[:1] == [LAUNCH_COMMAND]:  # the frozen app's paddle.distributed.launch
        from paddle.distributed.launch.main import launch

        sys.argv = [PROG, *argv[1:]]
        launch()
        return 0
    if argv[:1] == ["--self-test-window"]:
        from lora_studio.selftest import window_check

        return window_check()
    if len(argv) == 1 and os.path.isfile(argv[0]):  # a dataset opened from the file manager
        from lora_studio.gui_entry import launch_gui

        return launch_gui(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = argv
    if not getattr(args, "command", None):
        from lora_studio.gui_entry import launch_gui

        return launch_gui(argv)
    from lora_studio.engine.runtime import prepare_environment

    prepare_environment()
    return args.func(args)
