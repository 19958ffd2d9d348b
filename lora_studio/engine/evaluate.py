"""``main.py eval RUN``: did the run help? Greedy answers of the base and the tuned model to the
held-out records, each scored against its reference (``core/eval_metrics.py``).

The records are the run's own eval split (the same seeded split training made) or a dataset
file given with ``--dataset`` (any format the editor reads). One model is loaded with the run's
adapter, which is switched off for the base's answers. Results go to a new folder
``RUN/eval/<time>/``: ``records.jsonl`` (every record with both answers and their scores) and
``summary.json`` (``{"base": {...}, "tuned": {...}, "records": N, ...}``, fractions in 0..1); a
later evaluation gets a folder of its own beside it.

Not yet here (issue 17): eval loss and perplexity, the LLM judge, the general-ability set.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from lora_studio.core import eval_metrics
from lora_studio.core import events as ev
from lora_studio.core.atomic import write_text_atomic
from lora_studio.core.config import CONFIG_FILE_NAME, RunConfig
from lora_studio.core.generation_settings import GenerationSettings
from lora_studio.core.messages import say
from lora_studio.core.records import Record
from lora_studio.core.runs import EVAL_DIR, EVAL_RECORDS, EVAL_SUMMARY
from lora_studio.core.training_data import load_records
from lora_studio.engine.data import split_eval
from lora_studio.engine.errors import EngineError

SIDES = ("base", "tuned")


def held_out(run_dir: str, dataset: str) -> tuple[list[Record], RunConfig]:
    config_path = os.path.join(run_dir, CONFIG_FILE_NAME)
    if not os.path.isfile(config_path):
        raise EngineError(
            ev.ErrorKind.BAD_CONFIG,
            say(
                "{path} is not a run folder (it has no {name}).",
                path=run_dir,
                name=CONFIG_FILE_NAME,
            ),
            say("Give the folder of a training run."),
        )
    config = RunConfig.load(config_path)
    if dataset:
        return load_records(dataset), config
    records = load_records(config.dataset_path)
    _train, eval_idx = split_eval(len(records), config.eval_ratio, config.seed)
    if not eval_idx:
        raise EngineError(
            ev.ErrorKind.BAD_DATASET,
            say("This run held out no records for evaluation (its eval share was 0)."),
            say("Give the records to evaluate with --dataset FILE."),
        )
    return [records[i] for i in eval_idx], config


def run_eval(
    run_dir: str, dataset: str, limit: int, max_new_tokens: int, reporter: Any
) -> ev.Finished:
    from lora_studio.engine.generation import ChatModel

    started = time.time()
    records, config = held_out(run_dir, dataset)
    if limit:
        records = records[:limit]
    chat = ChatModel(config.model_name_or_path, run_dir, emit=reporter.emit)
    settings = GenerationSettings(
        greedy=True, repetition_penalty=1.0, max_new_tokens=max_new_tokens
    )
    rows = []
    for i, record in enumerate(records):
        reporter.emit(
            ev.Loading(
                stage="eval",
                progress=i / len(records),
                message=f"Answering record {i + 1} of {len(records)}",
            )
        )
        messages = record.messages(with_answer=False)
        row: dict[str, Any] = {"index": i, "question": record.prompt, "reference": record.output}
        for side in SIDES:
            chat.set_adapter_enabled(side == "tuned")
            answer, _stats = chat.generate(messages, settings)
            row[side] = {"answer": answer, **eval_metrics.score(answer, record.output)}
        rows.append(row)
    reporter.emit(ev.Loading(stage="eval", progress=1.0, message="Scoring"))
    references = [row["reference"] for row in rows]
    summary = {
        side: eval_metrics.summarise([row[side]["answer"] for row in rows], references)
        for side in SIDES
    }
    summary.update(
        records=len(rows),
        dataset=os.path.abspath(dataset) if dataset else "eval split",
        max_new_tokens=max_new_tokens,
        created=time.strftime("%Y-%m-%dT%H:%M:%S"),
    )
    out = _new_folder(run_dir)
    write_text_atomic(
        os.path.join(out, EVAL_RECORDS),
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows),
    )
    write_text_atomic(
        os.path.join(out, EVAL_SUMMARY), json.dumps(summary, ensure_ascii=False, indent=2)
    )
    return ev.Finished(status="completed", duration_seconds=time.time() - started, output=out)


def _new_folder(run_dir: str) -> str:
    root = os.path.join(run_dir, EVAL_DIR)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        path = os.path.join(root, stamp if n == 0 else f"{stamp}-{n}")
        try:
            os.makedirs(path)
            return path
        except FileExistsError:
            continue
    raise EngineError(ev.ErrorKind.INTERNAL, "no free name for the evaluation folder")
