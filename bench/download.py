"""Download overhead: ``main.py download`` of a 512 MB model from the test hub on 127.0.0.1,
against the bare ``huggingface_hub.hf_hub_download`` of the same files (the baseline, in a child
process as well), measured in this run. What the ratio buys: the reachability check, the file
listing with hashes, progress polling, and the SHA-256 of every file.

Prints seconds, the ratio to the baseline, and peak memory (MB) of each.
Usage: python bench/download.py [--mb 512]
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

SERVER = """
import os, sys, time
sys.path.insert(0, sys.argv[2])
from hub_server import HubServer, Repo
files = {
    "config.json": b'{"architectures": ["Qwen2ForCausalLM"]}',
    "tokenizer.json": b"{}" * 1000,
    "model.safetensors": os.urandom(int(sys.argv[1]) * 1024**2),
}
with HubServer(Repo("bench/model", files)) as hub:
    print(hub.url, flush=True)
    sys.stdin.read()
"""
BARE = """
import sys
from huggingface_hub import HfApi, hf_hub_download
url, out = sys.argv[1], sys.argv[2]
for s in HfApi(endpoint=url).model_info("bench/model").siblings:
    hf_hub_download("bench/model", s.rfilename, local_dir=out, endpoint=url)
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=512)
    args = parser.parse_args()
    # the hub in its own process: a child forked from a parent holding the file would report
    # the parent's memory as its own peak
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(args.mb), os.path.join(ROOT, "tests")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    url = server.stdout.readline().strip()
    work = tempfile.mkdtemp(prefix="bench-download-")
    try:
        bare = timed([sys.executable, "-c", BARE, url, os.path.join(work, "bare")])
        ours = timed([
            sys.executable, MAIN, "download", "bench/model", "--source", "huggingface",
            "--endpoint", url, "--output", os.path.join(work, "ours"),
        ])  # fmt: skip
        print(f"{args.mb} MB from 127.0.0.1")
        print(f"  hf_hub_download (baseline) {bare[0]:6.1f} s  1.00x  peak {bare[1]:5.0f} MB")
        print(
            f"  main.py download           {ours[0]:6.1f} s  {ours[0] / bare[0]:.2f}x  "
            f"peak {ours[1]:5.0f} MB"
        )
    finally:
        server.communicate("")
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
