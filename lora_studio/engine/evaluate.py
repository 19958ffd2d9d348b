"""``main.py eval RUN``: did the run help, and what did it cost?

- The held-out records (the run's own eval split, the same seeded split training made, or a
  dataset file given with ``--dataset``, any format the editor reads) are answered greedily by
  the base and the tuned model, and each answer is scored against its reference
  (``core/eval_metrics.py``: exact match, ROUGE-L, BLEU).
- Eval loss and perplexity of both models on the same records, over the tokens training
  learns (the answer, as ``train_on`` says), one forward pass per record.
- The general-ability check (``core/general_check.py``): bundled general questions answered by
  both, and what the base knew that the tuned model lost.
- Optionally an LLM judge through an OpenAI-compatible API (``core/judge.py``); a reply it
  cannot read or a judge that cannot be reached marks records "not judged" and never fails the
  evaluation.

One model is loaded with the run's adapter, which is switched off for the base's answers.
Results go to a new folder ``RUN/eval/<time>/``: ``records.jsonl`` (every record with both
answers and their scores), ``general.jsonl`` (the general questions) and ``summary.json``
(``{"base": {...}, "tuned": {...}, "general": {...}, "records": N, ...}``, scores in 0..1); a
later evaluation gets a folder of its own beside it.
"""

from __future__ import annotations

import json
import math
import os
import time
from typing import Any

from lora_studio.core import eval_metrics, general_check, generator, judge
from lora_studio.core import events as ev
from lora_studio.core.atomic import write_text_atomic
from lora_studio.core.commands import EvalOptions
from lora_studio.core.config import CONFIG_FILE_NAME, RunConfig
from lora_studio.core.generation_settings import GenerationSettings
from lora_studio.core.messages import say
from lora_studio.core.records import Record
from lora_studio.core.runs import EVAL_DIR, EVAL_GENERAL, EVAL_RECORDS, EVAL_SUMMARY
from lora_studio.core.training_data import load_records
from lora_studio.engine import data as datamod
from lora_studio.engine.errors import EngineError
from lora_studio.engine.runtime import without_strided_views

SIDES = ("base", "tuned")
GENERAL_MAX_NEW_TOKENS = 48  # the general questions have one-word answers
MAX_LOSS = 700.0  # exp(700) is still a float: perplexity stays finite JSON


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
    _train, eval_idx = datamod.split_eval(len(records), config.eval_ratio, config.seed)
    if not eval_idx:
        raise EngineError(
            ev.ErrorKind.BAD_DATASET,
            say("This run held out no records for evaluation (its eval share was 0)."),
            say("Give the records to evaluate with --dataset FILE."),
        )
    return [records[i] for i in eval_idx], config


class _Progress:
    def __init__(self, reporter: Any, total: int) -> None:
        self.reporter, self.total, self.done = reporter, max(1, total), 0

    def step(self, message: Any) -> None:
        self.reporter.emit(
            ev.Loading(stage="eval", progress=min(1.0, self.done / self.total), message=message)
        )
        self.done += 1


def answer_loss(chat: Any, record: Record, config: RunConfig) -> tuple[float, int]:
    """Summed cross-entropy of the tokens training learns from ``record``, and their count."""
    encoded, _outcome = datamod.encode_record(
        chat.tokenizer, record, config.max_seq_length, "truncate", config.train_on
    )
    if encoded is None:
        return 0.0, 0
    labels = encoded.labels
    counted = sum(1 for label in labels if label != datamod.IGNORE_INDEX)
    if not counted:
        return 0.0, 0
    paddle = chat.paddle
    with paddle.no_grad(), without_strided_views():
        out = chat.generator(input_ids=paddle.to_tensor([encoded.input_ids], dtype="int64"))
        logits = out.logits if hasattr(out, "logits") else out[0]
        loss = paddle.nn.functional.cross_entropy(
            logits[0].astype("float32"),
            paddle.to_tensor(labels, dtype="int64"),
            ignore_index=datamod.IGNORE_INDEX,
            reduction="sum",
        )
    return float(loss), counted


class _Judge:
    def __init__(self, options: EvalOptions, reporter: Any) -> None:
        self.api = generator.ApiSettings(
            options.judge_url, options.judge_model, options.judge_key, temperature=0.0
        )
        self.reporter = reporter
        self.failed = ""

    def verdict(self, question: str, reference: str, answer: str) -> judge.Verdict:
        if self.failed:
            return judge.Verdict("", self.failed)
        try:
            text = generator.chat_completion(
                self.api, judge.judge_messages(question, reference, answer)
            )
        except generator.GenerationError as exc:
            self.failed = f"the judge failed: {exc}"
            self.reporter.emit(
                ev.Warning(
                    code="judge_failed",
                    message=say(
                        "The judge failed ({reason}); the remaining answers are not judged.",
                        reason=str(exc),
                    ),
                    hint=say("Check the judge's address, model name and API key."),
                )
            )
            return judge.Verdict("", self.failed)
        return judge.parse_verdict(text)


def run_eval(run_dir: str, options: EvalOptions, reporter: Any) -> ev.Finished:
    from lora_studio.engine.generation import ChatModel

    started = time.time()
    records, config = held_out(run_dir, options.dataset)
    if options.limit:
        records = records[: options.limit]
    questions = general_check.load_questions() if options.general else []
    chat = ChatModel(config.model_name_or_path, run_dir, emit=reporter.emit)
    eval_metrics.warm()
    the_judge = _Judge(options, reporter) if options.judge_url else None
    progress = _Progress(reporter, len(records) * (2 if the_judge else 1) + len(questions))
    settings = GenerationSettings(
        greedy=True, repetition_penalty=1.0, max_new_tokens=options.max_new_tokens
    )
    rows, losses = [], {side: [0.0, 0] for side in SIDES}
    for i, record in enumerate(records):
        progress.step(say("Answering record {n} of {total}", n=i + 1, total=len(records)))
        row: dict[str, Any] = {"index": i, "question": record.prompt, "reference": record.output}
        for side in SIDES:
            chat.set_adapter_enabled(side == "tuned")
            answer, stats = chat.generate(record.messages(with_answer=False), settings)
            loss, counted = answer_loss(chat, record, config)
            losses[side][0] += loss
            losses[side][1] += counted
            row[side] = {
                "answer": answer,
                **eval_metrics.score(answer, record.output),
                "loss": loss / counted if counted else None,
                "tokens": stats.new_tokens,
                "ended": stats.ended,  # False: cut at max_new_tokens
            }
        rows.append(row)
    general_rows = _general(chat, questions, progress, options.max_new_tokens)
    if the_judge is not None:
        for i, row in enumerate(rows):
            progress.step(say("Judging record {n} of {total}", n=i + 1, total=len(rows)))
            for side in SIDES:
                verdict = the_judge.verdict(row["question"], row["reference"], row[side]["answer"])
                row[side]["judge"] = verdict.to_dict()
    reporter.emit(ev.Loading(stage="eval", progress=1.0, message=say("Scoring")))
    summary = _summary(rows, losses, general_rows, the_judge is not None)
    summary.update(
        records=len(rows),
        dataset=os.path.abspath(options.dataset) if options.dataset else "eval split",
        max_new_tokens=options.max_new_tokens,
        created=time.strftime("%Y-%m-%dT%H:%M:%S"),
    )
    if the_judge is not None:
        summary["judge"] = {"url": options.judge_url, "model": options.judge_model}
    out = _new_folder(run_dir)
    _write_jsonl(os.path.join(out, EVAL_RECORDS), rows)
    if general_rows:
        _write_jsonl(os.path.join(out, EVAL_GENERAL), general_rows)
    write_text_atomic(
        os.path.join(out, EVAL_SUMMARY), json.dumps(summary, ensure_ascii=False, indent=2)
    )
    return ev.Finished(status="completed", duration_seconds=time.time() - started, output=out)


def _general(
    chat: Any, questions: list[general_check.Question], progress: _Progress, max_new: int
) -> list[dict[str, Any]]:
    settings = GenerationSettings(
        greedy=True, repetition_penalty=1.0, max_new_tokens=min(max_new, GENERAL_MAX_NEW_TOKENS)
    )
    rows = []
    for i, question in enumerate(questions):
        progress.step(say("General question {n} of {total}", n=i + 1, total=len(questions)))
        row: dict[str, Any] = {
            "id": question.id,
            "lang": question.lang,
            "kind": question.kind,
            "question": question.question,
            "accept": list(question.accept),
        }
        for side in SIDES:
            chat.set_adapter_enabled(side == "tuned")
            messages = [{"role": "user", "content": question.question}]
            answer, _stats = chat.generate(messages, settings)
            row[side] = {"answer": answer, "correct": general_check.answered(answer, question)}
        rows.append(row)
    return rows


def _summary(
    rows: list[dict[str, Any]],
    losses: dict[str, list[float]],
    general_rows: list[dict[str, Any]],
    judged: bool,
) -> dict[str, Any]:
    references = [row["reference"] for row in rows]
    general = general_check.summarise(general_rows) if general_rows else None
    summary: dict[str, Any] = {}
    for side in SIDES:
        side_summary: dict[str, Any] = eval_metrics.summarise(
            [row[side]["answer"] for row in rows], references, [row[side] for row in rows]
        )
        total, counted = losses[side]
        loss = total / counted if counted else None
        side_summary["eval_loss"] = loss
        side_summary["perplexity"] = math.exp(min(loss, MAX_LOSS)) if loss is not None else None
        if general is not None:
            side_summary["general"] = general[side]
        if judged:
            verdicts = [judge.Verdict.from_dict(row[side]["judge"]) for row in rows]
            side_summary.update(judge.summarise(verdicts))
        summary[side] = side_summary
    if general is not None:
        summary["general"] = {k: v for k, v in general.items() if k not in SIDES}
    return summary


def _write_jsonl(path: str, rows: list[dict[str, Any]]) -> None:
    write_text_atomic(path, "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))


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
