"""Export speed and memory: each format of ``main.py export`` (and ``merge``) on a demo-shaped
model of about 20M parameters, against copying the merged weights, measured in this run.

Prints, per job: seconds, the ratio to the copy, and the child process's peak memory (MB).
Usage: python bench/export.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
MAIN = os.path.join(ROOT, "main.py")

from bench.processes import timed  # noqa: E402 - after the path is set


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="work in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or tempfile.mkdtemp(prefix="bench-export-")
    model, run = os.path.join(work, "model"), os.path.join(work, "run")
    if not os.path.isdir(model):
        code = (
            "import sys; sys.path.insert(0, sys.argv[1]); "
            "from bench.train_throughput import build_model; build_model(sys.argv[2])"
        )
        subprocess.run([sys.executable, "-c", code, ROOT, model], check=True)
    if not os.path.isdir(os.path.join(run, "adapter")):
        from lora_studio.core.paths import sample_dataset_path

        subprocess.run(
            [sys.executable, MAIN, "train", "--model_name_or_path", model, "--dataset_path",
             sample_dataset_path(), "--output_dir", run, "--max_steps", "2",
             "--save_steps", "2", "--overwrite_output_dir"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    merged = os.path.join(run, "merged")
    shutil.rmtree(merged, ignore_errors=True)
    jobs = {"merge": [sys.executable, MAIN, "merge", "--adapter", run, "--output", merged]}
    for fmt, quant in (("peft", "f16"), ("gguf", "f16"), ("gguf", "q8_0"), ("gguf", "q4_0"),
                       ("ollama", "q8_0")):  # fmt: skip
        out = os.path.join(work, "out", f"{fmt}-{quant}")
        jobs[f"{fmt} {quant}" if fmt != "peft" else "peft"] = [
            sys.executable, MAIN, "export", run, "--format", fmt, "--quant", quant,
            "--output", out,
        ]  # fmt: skip
    results = {name: timed(command) for name, command in jobs.items()}
    copy_dir = os.path.join(work, "copy")
    shutil.rmtree(copy_dir, ignore_errors=True)
    # the baseline is a child process too: each job pays Python's start, so does the copy
    copy_seconds, copy_peak = timed(
        [
            sys.executable,
            "-c",
            "import shutil, sys; shutil.copytree(*sys.argv[1:])",
            merged,
            copy_dir,
        ]
    )
    size = sum(os.path.getsize(os.path.join(merged, n)) for n in os.listdir(merged))
    print(f"merged weights: {size / 1024**2:.0f} MB, copied in {copy_seconds:.2f} s "
          f"({copy_peak:.0f} MB peak) by a child process")  # fmt: skip
    print(f"{'job':<14}{'seconds':>9}{'x copy':>9}{'peak MB':>9}")
    for name, (seconds, peak) in results.items():
        print(f"{name:<14}{seconds:>9.2f}{seconds / copy_seconds:>9.1f}{peak:>9.0f}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
