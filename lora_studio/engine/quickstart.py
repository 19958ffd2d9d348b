"""``main.py quickstart``: the whole journey offline in a few minutes on a CPU.

Builds the demo model if missing, fine-tunes it on the bundled sample dataset, merges the adapter,
and asks the merged model one question from the dataset.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from lora_studio.core import events as ev
from lora_studio.core.config import RunConfig
from lora_studio.core.generation_settings import GenerationSettings
from lora_studio.core.paths import sample_dataset_path, user_data_dir
from lora_studio.core.runs import MERGED_DIR
from lora_studio.core.training_data import load_records
from lora_studio.engine.reporter import Reporter, claim_stdout

# Settings that make the 0.9M-parameter demo model learn the sample set in about two minutes on
# two CPU cores (loss about 0.6). A real model wants a learning rate near 2e-4.
QUICKSTART_SETTINGS = dict(
    num_train_epochs=40,
    per_device_train_batch_size=8,
    gradient_accumulation_steps=1,
    learning_rate=1e-2,
    warmup_ratio=0.03,
    lora_rank=16,
    lora_alpha=32,
    lora_dropout=0.0,
    max_seq_length=512,
    logging_steps=20,
    save_steps=100,
    save_total_limit=1,
)
QUESTION_INDEX = 31  # "用一句话解释下面的术语: 沙箱": short enough to be learnt exactly


def run_quickstart(args: argparse.Namespace) -> int:
    from lora_studio.engine.jobs import run_job

    out = claim_stdout()
    reporter = Reporter(jsonl=False, human_stream=out)
    workdir = os.path.abspath(args.workdir or os.path.join(user_data_dir(), "quickstart"))
    model_dir = os.path.join(workdir, "demo-model")
    run_dir = os.path.join(workdir, "run")
    merged_dir = os.path.join(run_dir, MERGED_DIR)
    dataset = sample_dataset_path()

    def say(text: str) -> None:
        out.write(text + "\n")
        out.flush()

    def job() -> ev.Finished:
        started = time.time()
        from lora_studio.engine.demo_model import build_demo_model
        from lora_studio.engine.generation import ChatModel
        from lora_studio.engine.jobs import StopRequest
        from lora_studio.engine.merge import run_merge
        from lora_studio.engine.train import run_train

        if os.path.isfile(os.path.join(model_dir, "config.json")):
            say(f"[1/4] Demo model: {model_dir} (already built)")
        else:
            say(f"[1/4] Building the demo model in {model_dir}")
            build_demo_model(
                model_dir,
                progress=lambda stage, fraction: reporter.emit(
                    ev.Loading(stage=stage, progress=fraction, message=f"Building the demo {stage}")
                ),
            )

        say(f"[2/4] Fine-tuning it with LoRA on {os.path.basename(dataset)}")
        settings = dict(QUICKSTART_SETTINGS)
        if args.epochs:
            settings["num_train_epochs"] = args.epochs
        config = RunConfig(
            model_name_or_path=model_dir,
            output_dir=run_dir,
            dataset_path=dataset,
            overwrite_output_dir=True,
            **settings,
        )
        stop = StopRequest()
        stop.install()
        finished = run_train(config, reporter, stop=stop)
        reporter.emit(finished)
        reporter.close_log()

        say(f"[3/4] Merging the adapter into {merged_dir}")
        reporter.emit(run_merge(run_dir, merged_dir, reporter.emit))

        record = load_records(dataset)[QUESTION_INDEX]
        say("[4/4] Asking the fine-tuned model a question from the dataset")
        say(f"  question: {record.prompt.replace(chr(10) * 2, ' / ')}")
        say(f"  expected: {record.output}")
        out.write("  answer:   ")
        chat = ChatModel(merged_dir, emit=lambda event: None)
        reply, _stats = chat.generate(
            record.messages(with_answer=False),
            GenerationSettings(greedy=True, max_new_tokens=128),
            on_text=lambda text: (out.write(text), out.flush()),
        )
        say("")
        verdict = (
            "matches the dataset" if reply.strip() == record.output else "differs from the dataset"
        )
        say(
            f"  The answer {verdict}. Chat with the model: python main.py chat --model {merged_dir}"
        )
        return ev.Finished(
            status="completed", duration_seconds=time.time() - started, output=merged_dir
        )

    code = run_job(reporter, job)
    sys.stderr.flush()
    return code
