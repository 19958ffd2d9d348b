"""The memory planner's CPU estimates against measured training runs.

For three demo-shaped model sizes and two sequence lengths, runs ``main.py train`` for a few
steps in a child process on records at least as long as the sequence length (so that every
batch is full), and records the child's peak resident memory. The idle baseline is the peak of
a child that imports the same libraries (Paddle, PaddleFormers, the engine) and stops. The table
compares (peak - baseline) with the planner's CPU estimate for the same settings; the target is
within +-20% for every row. Linux and macOS (it reads ``resource.getrusage``).

With ``--gpu`` (on a machine with an NVIDIA GPU and paddlepaddle-gpu) the same runs train in
bf16 on the GPU, and the measured figure is the peak of ``paddle.device.cuda.
max_memory_allocated`` that the engine reports in its step events; it is compared with the
planner's GPU estimate less its fixed CUDA-context overhead (which the allocator does not see).

Usage: python bench/planner_calibration.py [--steps N] [--batch N] [--quick] [--gpu]
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

from lora_studio.core.planner import (  # noqa: E402
    GPU_OVERHEAD_BYTES,
    MB,
    ModelShape,
    RunShape,
    estimate,
)

SHAPES = {
    "S (0.9M)": {
        "hidden_size": 128,
        "num_hidden_layers": 4,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "intermediate_size": 256,
    },
    "M (6M)": {
        "hidden_size": 256,
        "num_hidden_layers": 8,
        "num_attention_heads": 8,
        "num_key_value_heads": 4,
        "intermediate_size": 704,
    },
    "L (27M)": {
        "hidden_size": 512,
        "num_hidden_layers": 8,
        "num_attention_heads": 8,
        "num_key_value_heads": 4,
        "intermediate_size": 1408,
    },
}
SEQ_LENS = (256, 1024)
VOCAB = 2048

# The child: run a module's main with arguments, then write its own peak RSS (KiB) to a file.
PEAK = """
import resource, runpy, sys
out, args = sys.argv[1], sys.argv[2:]
sys.argv = args
try:
    if args[0] == "--idle":
        sys.path.insert(0, {root!r})
        from lora_studio.engine.runtime import prepare_environment
        prepare_environment()
        import paddle, paddleformers.transformers, paddleformers.peft, paddleformers.trainer
    else:
        runpy.run_path(args[0], run_name="__main__")
except SystemExit as exc:
    if exc.code not in (0, None):
        raise
finally:
    with open(out, "w") as handle:
        handle.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


def peak_kib(args: list[str], work: str) -> int:
    out = os.path.join(work, "peak.txt")
    code = PEAK.format(root=ROOT)
    result = subprocess.run(
        [sys.executable, "-c", code, out, *args], capture_output=True, text=True, cwd=ROOT
    )
    if result.returncode != 0:
        raise SystemExit(f"child failed: {' '.join(args)}\n{result.stderr[-2000:]}")
    with open(out) as handle:
        kib = int(handle.read())
    return kib // 1024 if sys.platform == "darwin" else kib  # macOS reports bytes


def gpu_peak_mib(events_path: str) -> float:
    """The largest allocator peak the engine reported during the run (MiB)."""
    peak = 0.0
    with open(events_path, encoding="utf-8") as handle:
        for line in handle:
            event = json.loads(line)
            if event.get("type") == "step" and event.get("peak_memory_mb"):
                peak = max(peak, float(event["peak_memory_mb"]))
    return peak


def build_model(folder: str, shape: dict) -> None:
    code = (
        "import sys, json; sys.path.insert(0, sys.argv[1]); "
        "from lora_studio.engine.demo_model import build_test_model; "
        "build_test_model(sys.argv[2], **json.loads(sys.argv[3]))"
    )
    subprocess.run(
        [sys.executable, "-c", code, ROOT, folder, json.dumps(shape)],
        check=True,
        stderr=subprocess.DEVNULL,
    )


def long_dataset(path: str, records: int = 16) -> None:
    """Records far longer than any sequence length measured: every sequence is full."""
    text = (
        "A firewall filters network traffic by rules; 防火墙按规则过滤网络流量。 "
        "Phishing tricks people into giving away passwords; 钓鱼邮件骗取密码。 "
    ) * 60
    data = [{"instruction": f"Question {i}", "input": "", "output": text} for i in range(records)]
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="only the smallest model")
    parser.add_argument("--gpu", action="store_true", help="measure on the GPU, in bf16")
    args = parser.parse_args()
    shapes = dict(list(SHAPES.items())[:1]) if args.quick else SHAPES
    rows = []
    with tempfile.TemporaryDirectory(prefix="planner-cal-") as work:
        dataset = os.path.join(work, "long.json")
        long_dataset(dataset, records=args.batch * args.steps)
        idle = peak_kib(["--idle"], work)
        print(f"idle baseline: {idle / 1024:.0f} MiB (Paddle, PaddleFormers and the engine)")
        for label, dims in shapes.items():
            model = os.path.join(work, label.split()[0])
            build_model(model, dims)
            with open(os.path.join(model, "config.json"), encoding="utf-8") as handle:
                shape = ModelShape.from_config(json.load(handle), label)
            for seq in SEQ_LENS:
                run_dir = os.path.join(work, f"run-{label.split()[0]}-{seq}")
                peak = peak_kib(
                    [
                        os.path.join(ROOT, "main.py"),
                        "train",
                        "--model_name_or_path",
                        model,
                        "--dataset_path",
                        dataset,
                        "--output_dir",
                        run_dir,
                        "--max_steps",
                        str(args.steps),
                        "--per_device_train_batch_size",
                        str(args.batch),
                        "--gradient_accumulation_steps",
                        "1",
                        "--max_seq_length",
                        str(seq),
                        "--save_steps",
                        "1000",
                        "--events",
                        "jsonl",
                        *(["--bf16"] if args.gpu else []),
                    ],
                    work,
                )
                if args.gpu:
                    measured = gpu_peak_mib(os.path.join(run_dir, "events.jsonl"))
                    run = RunShape(micro_batch=args.batch, seq_len=seq)
                    planned = (estimate(shape, run).total - GPU_OVERHEAD_BYTES) / MB
                else:
                    measured = (peak - idle) / 1024  # MiB
                    run = RunShape(
                        micro_batch=args.batch,
                        seq_len=seq,
                        precision="fp32",
                        weights="fp32",
                        device="cpu",
                    )
                    planned = estimate(shape, run).total / MB
                rows.append((label, seq, measured, planned))
                print(
                    f"  {label:10} seq {seq:5}: measured {measured:7.0f} MiB, "
                    f"planned {planned:7.0f} MiB, planned/measured {planned / measured:5.2f}",
                    flush=True,
                )
    print()
    print("| model | seq len | batch | measured MiB | planned MiB | planned / measured |")
    print("|---|---|---|---|---|---|")
    worst = 0.0
    for label, seq, measured, planned in rows:
        ratio = planned / measured
        worst = max(worst, abs(ratio - 1))
        print(f"| {label} | {seq} | {args.batch} | {measured:.0f} | {planned:.0f} | {ratio:.2f} |")
    print(f"\nlargest deviation: {worst:.0%} (target: within 20% for every row)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
