"""Evaluation speed: records per second of ``main.py eval`` against bare ``generate`` on the same
prompts, model and adapter, in the same run.

  python bench/eval_speed.py [--records K] [--tokens N]

The 19M-parameter demo-shaped model of chat_stream.py, trained for 2 steps on the sample
dataset with an eval share of 0.25 (a real run folder with an adapter). Bare: a child process
loads the model with the adapter and calls plain greedy ``generate`` (no streamer) for each of
the K held-out prompts, adapter on and off, N new tokens at most. Eval: ``main.py eval RUN
--limit K --max_new_tokens N --no-general``, timed from its first "Answering record" event to
"Scoring" (model loading excluded on both sides). Eval also runs one forward pass per record
and side for the eval loss and scores the answers; target >= 0.8x bare.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from bench.train_throughput import build_model_in_child  # noqa: E402 - needs ROOT on the path

MAIN = os.path.join(ROOT, "main.py")

BARE = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from lora_studio.engine.runtime import prepare_environment
prepare_environment()
from lora_studio.core.config import RunConfig
from lora_studio.engine.evaluate import held_out
from lora_studio.engine.generation import ChatModel
run, k, n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
records, config = held_out(run, "")
records = records[:k]
chat = ChatModel(config.model_name_or_path, run)
start = time.perf_counter()
made = 0
for record in records:
    for on in (False, True):
        chat.set_adapter_enabled(on)
        made += len(chat.generate_ids(record.messages(with_answer=False), n))
print(len(records), time.perf_counter() - start, made)
"""


def _train(model: str, run: str) -> None:
    from lora_studio.core.paths import sample_dataset_path

    subprocess.run(
        [sys.executable, MAIN, "train", "--model_name_or_path", model, "--output_dir", run,
         "--dataset_path", sample_dataset_path(), "--max_steps", "2", "--eval_ratio", "0.25",
         "--save_steps", "100", "--events", "jsonl"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _eval(run: str, k: int, n: int) -> tuple[int, float, int]:
    out = subprocess.run(
        [sys.executable, MAIN, "eval", run, "--limit", str(k), "--max_new_tokens", str(n),
         "--no-general", "--events", "jsonl"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    events = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    answering = [e for e in events if e["type"] == "loading" and e["stage"] == "eval"]
    first, last = answering[0]["time"], answering[-1]["time"]
    summary_dir = events[-1]["output"]
    with open(os.path.join(summary_dir, "records.jsonl"), encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    made = sum(row[side]["tokens"] for row in rows for side in ("base", "tuned"))
    return len(rows), last - first, made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=8)
    parser.add_argument("--tokens", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        model, run = os.path.join(tmp, "model"), os.path.join(tmp, "run")
        build_model_in_child(model)
        _train(model, run)
        bare = subprocess.run(
            [sys.executable, "-c", BARE, ROOT, run, str(args.records), str(args.tokens)],
            check=True, capture_output=True, text=True,
        ).stdout.split()  # fmt: skip
        bare_records, bare_seconds, made = int(bare[-3]), float(bare[-2]), int(bare[-1])
        eval_records, eval_seconds, eval_made = _eval(run, args.records, args.tokens)
    bare_rate, eval_rate = bare_records / bare_seconds, eval_records / eval_seconds
    bare_tps, eval_tps = made / bare_seconds, eval_made / eval_seconds
    print(
        f"eval_speed: {bare_records} held-out records, base and tuned, greedy, "
        f"{args.tokens} new tokens at most"
    )
    print(
        f"  bare generate   {bare_rate:6.2f} records/s   {bare_tps:7.1f} tokens/s   ({made} made)"
    )
    print(
        f"  main.py eval    {eval_rate:6.2f} records/s   {eval_tps:7.1f} tokens/s   "
        f"({eval_made} made)   {eval_rate / bare_rate:.2f}x bare records/s, "
        f"{eval_tps / bare_tps:.2f}x bare tokens/s"
    )
    print(
        "  target: eval >= 0.8x bare tokens/s (it adds one forward pass per record and side, "
        "and scoring); records/s differ when the streamed replies end at a stop token earlier"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
