"""The API server under load: tokens per second and p50/p99 latency with 1, 4 and 16 concurrent
clients, against bare ``generate`` on the same model and prompt in the same run.

  python bench/serve_load.py [--tokens N] [--requests R]

Same 19M-parameter demo-shaped model as chat_stream.py. Bare: ``generate`` in a child process
with no streamer. Served: ``main.py serve --queue 64``, each client a thread with its own
connection sending greedy non-streamed requests (``max_tokens`` N) until R requests are done in
all. One model answers one request at a time, so aggregate tokens/s should stay near bare
(target >= 0.9x) whatever the concurrency, and latency grows with the queue: p50 about
clients x one reply. No request may fail (a 429 counts as a failure here: the queue is 64).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from bench.chat_stream import MESSAGES  # noqa: E402 - needs ROOT on the path
from bench.train_throughput import build_model_in_child  # noqa: E402


def _start_server(model_dir: str) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen(
        [
            sys.executable,
            os.path.join(ROOT, "main.py"),
            "serve",
            "--model",
            model_dir,
            "--port",
            "0",
            "--queue",
            "64",
            "--events",
            "jsonl",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    for line in proc.stdout:
        event = json.loads(line)
        if event["type"] == "ready":
            port = int(event["url"].rsplit(":", 1)[1].split("/")[0])
            threading.Thread(target=proc.stdout.read, daemon=True).start()
            return proc, port
    raise SystemExit("the server did not start")


def load(port: int, clients: int, requests: int, tokens: int) -> dict:
    body = json.dumps(
        {"messages": MESSAGES, "temperature": 0, "repetition_penalty": 1.0, "max_tokens": tokens}
    )
    latencies: list[float] = []
    generated = [0]
    failures: list[str] = []
    left = [requests]
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        while True:
            with lock:
                if left[0] <= 0:
                    break
                left[0] -= 1
            start = time.perf_counter()
            conn.request("POST", "/v1/chat/completions", body=body)
            response = conn.getresponse()
            payload = json.loads(response.read())
            elapsed = time.perf_counter() - start
            with lock:
                if response.status != 200:
                    failures.append(f"{response.status} {payload}")
                else:
                    latencies.append(elapsed)
                    generated[0] += payload["usage"]["completion_tokens"]
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "rate": generated[0] / wall,
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(round(0.99 * (len(latencies) - 1))))],
        "failures": failures,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--requests", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = os.path.join(tmp, "model")
        build_model_in_child(model_dir)
        out = subprocess.run(
            [
                sys.executable,
                os.path.join(ROOT, "bench", "chat_stream.py"),
                "--bare-child",
                model_dir,
                "--tokens",
                str(args.tokens),
                "--repeats",
                "5",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        bare_rate, _first, bare_n = (float(x) for x in out.split()[-3:])
        proc, port = _start_server(model_dir)
        try:
            load(port, 1, 2, args.tokens)  # warm-up
            results = {n: load(port, n, args.requests, args.tokens) for n in (1, 4, 16)}
        finally:
            proc.send_signal(2)
            proc.wait(timeout=60)
    print(
        f"serve_load: greedy, {args.tokens} new tokens at most ({int(bare_n)} made), "
        f"{args.requests} requests per row, 19M-parameter demo-shaped model, CPU"
    )
    print(
        f"  bare generate                {bare_rate:7.1f} tokens/s   one reply "
        f"{bare_n / bare_rate * 1000:7.0f} ms"
    )
    ok = True
    for clients, r in results.items():
        ratio = r["rate"] / bare_rate
        ok = ok and ratio >= 0.9 and not r["failures"]
        print(
            f"  served, {clients:2d} client{'s' if clients > 1 else ' '}        "
            f"{r['rate']:7.1f} tokens/s   p50 {r['p50'] * 1000:7.0f} ms   "
            f"p99 {r['p99'] * 1000:7.0f} ms   ratio {ratio:.2f}   failures {len(r['failures'])}"
        )
    print(
        f"  target: tokens/s >= 0.9x bare at every concurrency, no failures   "
        f"{'ok' if ok else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
