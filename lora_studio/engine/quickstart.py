"""``main.py quickstart``: the whole journey offline in a few minutes on a CPU.

Makes the demo model (SmolLM2-135M-Instruct, from its bundled GGUF) if missing, fine-tunes it on
the eight-record demo dataset with the demo recipe (core/presets.py), merges the adapter, and
asks the merged model a question from the dataset and a general one: the first should get the
dataset's answer, the second should show the model still knows what it knew.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from lora_studio.core import events as ev
from lora_studio.core.config import RunConfig
from lora_studio.core.generation_settings import GenerationSettings
from lora_studio.core.paths import demo_dataset_path, user_data_dir
from lora_studio.core.presets import DEMO_MODEL, recipe_for
from lora_studio.core.records import Record
from lora_studio.core.runs import MERGED_DIR
from lora_studio.core.training_data import load_records
from lora_studio.engine.reporter import Reporter, claim_stdout

QUESTION_INDEX = 0  # "Hello, who are you?": the base model says it is SmolLM
GENERAL_QUESTION = "What is the capital of France?"
GENERAL_ANSWER = "Paris"


def run_quickstart(args: argparse.Namespace) -> int:
    from lora_studio.engine.jobs import run_job

    out = claim_stdout()
    reporter = Reporter(jsonl=False, human_stream=out)
    workdir = os.path.abspath(args.workdir or os.path.join(user_data_dir(), "quickstart"))
    model_dir = os.path.join(workdir, "smollm2-135m-instruct")
    run_dir = os.path.join(workdir, "run")
    merged_dir = os.path.join(run_dir, MERGED_DIR)
    dataset = demo_dataset_path()

    def print_line(text: str) -> None:
        out.write(text + "\n")
        out.flush()

    def job() -> ev.Finished:
        started = time.time()
        from lora_studio.engine.demo_model import make_demo_model
        from lora_studio.engine.generation import ChatModel
        from lora_studio.engine.jobs import StopRequest
        from lora_studio.engine.merge import run_merge
        from lora_studio.engine.train import run_train

        if os.path.isfile(os.path.join(model_dir, "config.json")):
            print_line(f"[1/4] Demo model: {model_dir} (already made)")
        else:
            print_line(f"[1/4] Making the demo model (SmolLM2-135M-Instruct) in {model_dir}")
            make_demo_model(
                model_dir,
                progress=lambda stage, fraction: reporter.emit(
                    ev.Loading(stage=stage, progress=fraction, message=f"Importing the {stage}")
                ),
            )

        print_line(f"[2/4] Fine-tuning it with LoRA on {os.path.basename(dataset)}")
        settings = recipe_for(DEMO_MODEL) | {"logging_steps": 2, "save_steps": 1000}
        if args.epochs:
            settings["num_train_epochs"] = args.epochs
        config = RunConfig(
            model_name_or_path=model_dir,
            output_dir=run_dir,
            dataset_path=dataset,
            overwrite_output_dir=True,
            save_total_limit=1,
            **settings,
        )
        stop = StopRequest()
        stop.install()
        finished = run_train(config, reporter, stop=stop)
        reporter.emit(finished)
        reporter.close_log()

        print_line(f"[3/4] Merging the adapter into {merged_dir}")
        reporter.emit(run_merge(run_dir, merged_dir, reporter.emit))

        print_line(
            "[4/4] Asking the fine-tuned model a question from the dataset, then a general one"
        )
        chat = ChatModel(merged_dir, emit=lambda event: None)
        record = load_records(dataset)[QUESTION_INDEX]
        general = Record(GENERAL_QUESTION, GENERAL_ANSWER)
        verdicts = []
        for asked, check in ((record, str.__eq__), (general, str.__contains__)):
            print_line(f"  question: {asked.prompt.replace(chr(10) * 2, ' / ')}")
            print_line(f"  expected: {asked.output}")
            out.write("  answer:   ")
            reply, _stats = chat.generate(
                asked.messages(with_answer=False),
                GenerationSettings(greedy=True, max_new_tokens=64),
                on_text=lambda text: (out.write(text), out.flush()),
            )
            print_line("")
            verdicts.append(check(reply.strip(), asked.output))
        print_line(
            "  The dataset answer was "
            + ("learnt" if verdicts[0] else "not learnt word for word")
            + "; the general question was "
            + ("still answered." if verdicts[1] else "answered differently.")
        )
        print_line(f"  Chat with the model: python main.py chat --model {merged_dir}")
        return ev.Finished(
            status="completed", duration_seconds=time.time() - started, output=merged_dir
        )

    code = run_job(reporter, job)
    sys.stderr.flush()
    return code
