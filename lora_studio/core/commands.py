"""Every engine command line that the GUI, the self-test or the CLI starts: one builder each.

Each builder returns the whole argument list (``main.py`` or the frozen executable first), so
that a subcommand's arguments are spelled here and nowhere else. Progress comes back as JSON
lines (``--events jsonl``) wherever a program reads it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from lora_studio.core.paths import engine_command

EVENTS = ("--events", "jsonl")

# (config file, resume) -> the command that trains it; the GUI's training job takes one, so
# that tests can put a stand-in engine behind the real supervisor.
TrainCommand = Callable[[str, bool], list[str]]


def train(config_path: str, resume: bool) -> list[str]:
    """Train the run a config file describes; resume it from its newest complete checkpoint,
    or start it over in its folder."""
    extra = ["--resume"] if resume else ["--overwrite_output_dir"]
    return engine_command(*train_config_args(config_path), *extra)


def train_config_args(config_path: str) -> list[str]:
    """The training subcommand's own words for a config file, without the program in front
    (what a launcher or a cluster job's script puts after ``main.py``)."""
    return ["train", "--config", config_path, *EVENTS]


def train_flags(model: str, dataset: str, output: str, *flags: str) -> list[str]:
    """Train from flags alone (the self-test's short run)."""
    return engine_command(
        "train",
        "--model_name_or_path",
        model,
        "--dataset_path",
        dataset,
        "--output_dir",
        output,
        *flags,
        *EVENTS,
    )


def launch(
    nproc: int,
    log_dir: str,
    train_args: list[str],
    nnodes: int = 1,
    master: str = "",
    node_rank: int = -1,
) -> list[str]:
    """PaddlePaddle's launcher starting ``main.py TRAIN_ARGS`` once per device (and, with
    ``nnodes``, on each of several machines meeting at ``master`` HOST:PORT). The frozen app has
    no ``-m``: its ``launch`` command runs the same launcher, which then starts the executable
    itself once per rank."""
    engine = engine_command()
    options = ["--nproc_per_node", str(nproc), "--log_dir", log_dir]
    if nnodes > 1:
        options += ["--nnodes", str(nnodes), "--master", master]
        if node_rank >= 0:  # node 0 holds global rank 0, the one that writes the run folder
            options += ["--rank", str(node_rank)]
    if getattr(sys, "frozen", False):
        return [*engine, LAUNCH_COMMAND, *options, engine[0], *train_args]
    return [engine[0], "-m", "paddle.distributed.launch", *options, *engine[1:], *train_args]


LAUNCH_COMMAND = "launch"


def merge(adapter: str, output: str) -> list[str]:
    """Fold a run's adapter into its base model, saved to ``output``."""
    return engine_command("merge", "--adapter", adapter, "--output", output, *EVENTS)


def export(run: str, fmt: str, quant: str = "f16", output: str = "") -> list[str]:
    """Export a run as ``gguf``, ``ollama`` or ``peft`` (merging first when it has to)."""
    extra = ["--output", output] if output else []
    return engine_command("export", run, "--format", fmt, "--quant", quant, *extra, *EVENTS)


def _model_args(model: str, adapter: str) -> list[str]:
    args = ["--model", model] if model else []
    return args + (["--adapter", adapter] if adapter else [])


def chat(model: str = "", adapter: str = "") -> list[str]:
    """The persistent chat process: a model folder, or a run's base model plus its adapter."""
    return engine_command("chat", *EVENTS, *_model_args(model, adapter))


def ask(model: str, prompt: str, max_new_tokens: int = 8) -> list[str]:
    """One greedy answer printed to stdout (the self-test)."""
    return engine_command(
        "chat", "--model", model, "--prompt", prompt, "--greedy", "--max_new_tokens",
        str(max_new_tokens),
    )  # fmt: skip


@dataclass
class EvalOptions:
    """What an evaluation is asked for: from ``main.py eval``'s arguments, the app's dialog, or
    the evaluation after training; what ``engine/evaluate.py`` runs."""

    dataset: str = ""  # "" = the run's eval split
    limit: int = 0  # 0 = every record
    max_new_tokens: int = 256
    general: bool = True
    judge_url: str = ""
    judge_model: str = ""
    judge_key: str = ""  # never on a command line: the engine reads it from JUDGE_KEY_ENV


def evaluate(run_dir: str, options: EvalOptions | None = None) -> list[str]:
    """Answer the held-out records with the base and the tuned model, and score both; the
    judge's key goes in the environment (``JUDGE_KEY_ENV``), never on the command line."""
    o = options or EvalOptions()
    extra = (["--dataset", o.dataset] if o.dataset else []) + (
        ["--limit", str(o.limit)] if o.limit else []
    )
    extra += ["--max_new_tokens", str(o.max_new_tokens)]
    if not o.general:
        extra.append("--no-general")
    if o.judge_url:
        extra += ["--judge-url", o.judge_url, "--judge-model", o.judge_model]
    return engine_command("eval", run_dir, *extra, *EVENTS)


API_KEY_ENV = "LORA_STUDIO_API_KEY"  # the server's key, given through the environment
JUDGE_KEY_ENV = "LORA_STUDIO_JUDGE_KEY"  # the eval judge's key, the same way


def serve(port: int, model: str = "", adapter: str = "") -> list[str]:
    """The local OpenAI-compatible API server."""
    return engine_command("serve", "--port", str(port), *EVENTS, *_model_args(model, adapter))


def demo_model(output: str) -> list[str]:
    """Make the offline demo model (SmolLM2-135M-Instruct, from its bundled GGUF) in ``output``."""
    return engine_command("demo-model", output, *EVENTS)


def tiny_test_model(output: str) -> list[str]:
    """Build the tiny random test model into ``output`` (seconds; for tests and self-tests)."""
    return engine_command("test-model", output, *EVENTS)


def import_gguf(gguf: str, output: str, dtype: str = "fp32") -> list[str]:
    """Turn a GGUF file into a model folder the engine trains."""
    return engine_command("import-gguf", gguf, output, "--dtype", dtype, *EVENTS)


def download(
    model_id: str, output: str, source: str = "", endpoint: str = "", language: str = ""
) -> list[str]:
    """Fetch a model from a hub into ``output`` (resuming what an earlier try left); with no
    ``source``, the hubs are tried in the order that suits ``language`` (the app's)."""
    extra = ["--source", source] if source else []
    extra += ["--language", language] if language else []
    extra += ["--endpoint", endpoint] if endpoint else []
    return engine_command("download", model_id, "--output", output, *extra, *EVENTS)


def probe() -> list[str]:
    """What the installed Paddle build can do, as one JSON object."""
    return engine_command("probe")


def window_check() -> list[str]:
    """Open the main window offscreen and close it (the self-test)."""
    return engine_command("--self-test-window")
