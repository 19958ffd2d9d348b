"""A stand-in engine for GUI edge cases that the real one cannot produce on demand.

Usage: fake_engine.py SCENARIO [--config FILE] [--record FILE] [other engine flags, ignored]
It prints recorded-style events as JSON lines, like ``main.py train --events jsonl``.
"""

import json
import sys
import time


def emit(event_type, **fields):
    print(json.dumps({"v": 1, "type": event_type, "time": time.time(), **fields}), flush=True)


def step(n, total=100):
    emit(
        "step",
        step=n,
        total_steps=total,
        epoch=n / 10,
        loss=3.0 - n * 0.01,
        learning_rate=1e-4,
        tokens_per_second=100.0,
    )


def main():
    scenario = sys.argv[1]
    args = sys.argv[2:]
    config = {}
    if "--config" in args:
        with open(args[args.index("--config") + 1], encoding="utf-8") as handle:
            config = json.load(handle)
    if "--record" in args:
        with open(args[args.index("--record") + 1], "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"config": config, "argv": args}) + "\n")
    emit("started", command="train", run_dir=config.get("output_dir", ""), device="cpu")
    if scenario == "crash":
        step(1)
        step(2)
        print("Segmentation fault in a native library", file=sys.stderr, flush=True)
        sys.exit(139)
    if scenario == "garbage":
        print("this is not json", flush=True)
        print('{"half": ', flush=True)
        sys.stdout.write('{"v": 1, "type": "step", "step": 1, "total_steps": 2, "epoch": 0.5, ')
        sys.stdout.flush()
        time.sleep(0.3)  # a line split across two writes must still arrive whole
        sys.stdout.write('"loss": 2.5, "learning_rate": 0.0001}\n')
        print("\x00\xff binary noise", flush=True)
        emit("finished", status="completed", step=2, total_steps=2, final_loss=2.4)
        return
    if scenario == "oom":
        if config.get("per_device_train_batch_size", 1) > 1:
            step(1)
            emit(
                "error",
                kind="out_of_memory",
                message="The training ran out of memory.",
                hint="Lower the batch size.",
            )
            sys.exit(1)
        step(1)
        emit("finished", status="completed", step=1, total_steps=1, final_loss=1.0)
        return
    if scenario == "ignore_stop":
        n = 0
        while True:  # never reads stdin; dies on SIGTERM
            n += 1
            step(n)
            time.sleep(0.1)
    if scenario == "stop_politely":
        n = 0
        import threading

        stopping = threading.Event()
        threading.Thread(
            target=lambda: sys.stdin.readline() and stopping.set(), daemon=True
        ).start()
        while not stopping.is_set():
            n += 1
            step(n)
            time.sleep(0.05)
        emit("checkpoint", step=n, path=f"checkpoint-{n}")
        emit("finished", status="stopped", step=n, total_steps=100, final_loss=1.0)
        return
    if scenario == "chat_crash":  # a chat process that dies in the middle of its first reply
        emit("ready", model="fake", context_length=256, device="cpu")
        request = json.loads(sys.stdin.readline())
        emit("token", id=request["id"], text="Half of")
        emit("token", id=request["id"], text=" a reply")
        time.sleep(0.2)
        print("Segmentation fault in a native library", file=sys.stderr, flush=True)
        sys.exit(139)
    if scenario == "chat_idle":  # a loaded chat process that ends when told to quit
        emit("ready", model="fake", context_length=256, device="cpu")
        for line in sys.stdin:
            if '"quit"' in line:
                break
        emit("finished", status="completed")
        return
    raise SystemExit(f"unknown scenario {scenario}")


if __name__ == "__main__":
    main()
