"""The headless commands that make model folders: the demo model from its GGUF, the tiny test
model, any GGUF a user brings, and downloads from a hub
(``main.py demo-model | test-model | import-gguf | download``)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from typing import Any, NoReturn

from lora_studio.engine.jobs import run_job


def usage_error(prog: str, message: str) -> NoReturn:
    sys.stderr.write(f"{prog}: error: {message} (see {prog} --help)\n")
    raise SystemExit(2)


def read_key_file(prog: str, flag: str, path: str) -> str:
    """An API key from the file given with ``flag`` (a key on a command line is visible to
    every user of the computer); a file that cannot be read is a usage error."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    except (OSError, UnicodeDecodeError) as exc:
        usage_error(prog, f"cannot read {flag}: {exc}")


AddCommand = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def _loading_reporter(reporter: Any, what: str) -> Callable[[str, float], None]:
    from lora_studio.core import events as ev

    def progress(stage: str, fraction: float) -> None:
        reporter.emit(ev.Loading(stage=stage, progress=fraction, message=f"{what}: {stage}"))

    return progress


def _make_folder(args: argparse.Namespace, what: str, make: Callable[[Any], object]) -> int:
    """Run ``make(progress)``, which writes the model folder ``args.out_dir``, as an engine job:
    loading events as it goes, then one finished event with the folder and the time taken."""
    from lora_studio.core import events as ev
    from lora_studio.engine.reporter import Reporter

    reporter = Reporter(jsonl=args.events == "jsonl")

    def job() -> Any:
        started = time.time()
        make(_loading_reporter(reporter, what))
        return ev.Finished(
            status="completed", output=os.path.abspath(args.out_dir),
            duration_seconds=time.time() - started,
        )  # fmt: skip

    return run_job(reporter, job)


def cmd_import_gguf(args: argparse.Namespace) -> int:
    def make(progress: Any) -> None:
        from lora_studio.engine.gguf_import import import_gguf

        import_gguf(args.gguf, args.out_dir, dtype=args.dtype, progress=progress)

    return _make_folder(args, "Importing the GGUF", make)


def cmd_demo_model(args: argparse.Namespace) -> int:
    def make(progress: Any) -> None:
        from lora_studio.engine.demo_model import make_demo_model

        make_demo_model(args.out_dir, progress=progress)

    return _make_folder(args, "Making the demo model", make)


def cmd_test_model(args: argparse.Namespace) -> int:
    def make(progress: Any) -> None:
        from lora_studio.engine.demo_model import build_test_model

        build_test_model(args.out_dir, dataset_paths=args.dataset or None, progress=progress)

    return _make_folder(args, "Building the test model", make)


def cmd_download(args: argparse.Namespace) -> int:
    from lora_studio.core.hubs import library_folder
    from lora_studio.core.settings import AppSettings
    from lora_studio.engine.download import run_download
    from lora_studio.engine.jobs import StopRequest
    from lora_studio.engine.reporter import Reporter

    reporter = Reporter(jsonl=args.events == "jsonl")
    output = args.output or library_folder(AppSettings.load().models_dir, args.model_id)
    stop = StopRequest()
    stop.install()

    def job() -> Any:
        return run_download(
            args.model_id, output, reporter.emit, source=args.source, endpoint=args.endpoint,
            revision=args.revision, stop=stop, language=args.language,
        )  # fmt: skip

    return run_job(reporter, job)


def add_model_commands(add: AddCommand) -> None:
    events = {"choices": ("jsonl", "text"), "default": "text"}
    p = add(
        "demo-model",
        cmd_demo_model,
        "make the offline demo model (SmolLM2-135M-Instruct) from the GGUF shipped with the app",
    )
    p.add_argument("out_dir", metavar="OUT_DIR")
    p.add_argument("--events", **events)

    p = add(
        "test-model",
        cmd_test_model,
        "build the tiny random test model (seconds; learns nothing general)",
    )
    p.add_argument("out_dir", metavar="OUT_DIR")
    p.add_argument(
        "--dataset",
        action="append",
        help="train its tokenizer on this dataset (default: the bundled sample); may be repeated",
    )
    p.add_argument("--events", **events)

    p = add(
        "import-gguf",
        cmd_import_gguf,
        "turn a GGUF file (llama, qwen2, qwen3) into a model folder that can be trained",
    )
    p.add_argument("gguf", metavar="FILE.gguf")
    p.add_argument("out_dir", metavar="OUT_DIR")
    p.add_argument("--dtype", choices=("fp32", "bf16"), default="fp32", help="weights (fp32)")
    p.add_argument("--events", **events)

    p = add(
        "download",
        cmd_download,
        "fetch a model from a hub (only the files training needs; resumes an interrupted "
        "download; 'stop' on stdin or Ctrl-C keeps what arrived)",
    )
    p.add_argument("model_id", metavar="MODEL_ID", help="Organisation/Model, as on the hub")
    p.add_argument(
        "--source",
        choices=("", "huggingface", "modelscope", "aistudio"),
        default="",
        help="the hub (default: the first that answers, ModelScope first for Chinese)",
    )
    p.add_argument("--endpoint", default="", metavar="URL", help="a mirror's address")
    p.add_argument(
        "--language", default="", help="order the hubs for this language (default: $LANG)"
    )
    p.add_argument(
        "--revision", default="", help="branch, tag or commit (the hub's default: main, master)"
    )
    p.add_argument(
        "--output", default="", metavar="DIR", help="the folder (default: in the models folder)"
    )
    p.add_argument("--events", **events)
