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
    if scenario.startswith("engine_error:"):  # the real engine's error for a real cause
        emit_engine_error(scenario.split(":", 1)[1])
        sys.exit(1)
    raise SystemExit(f"unknown scenario {scenario}")


def engine_errors():
    """One real EngineError per kind, made by the engine's own code from a real cause: the app
    must show each in the UI language (lora_studio.engine.errors needs no Paddle)."""
    import errno
    import os

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from lora_studio.core.dataset_io import DatasetError
    from lora_studio.core.training_data import read_for_training
    from lora_studio.engine import errors

    def unreadable(path):
        try:
            read_for_training(path)
        except DatasetError as exc:
            return errors.bad_dataset(exc)
        raise AssertionError("read_for_training accepted " + path)

    def refused(path):
        try:
            errors.check_model_dir(path)
        except errors.EngineError as exc:
            return exc
        raise AssertionError("check_model_dir accepted " + path)

    incomplete = os.path.join(os.path.dirname(os.path.abspath(__file__)))  # no config.json
    return {
        "out_of_memory": lambda: errors.classify(MemoryError()),
        "disk_full": lambda: errors.classify(OSError(errno.ENOSPC, "No space left on device")),
        "read_only": lambda: errors.classify(OSError(errno.EROFS, "Read-only", "/media/runs")),
        "permission_denied": lambda: errors.classify(OSError(errno.EACCES, "Denied", "/opt/r")),
        "nan_loss": lambda: errors.gradients_diverged(3),
        "model_not_found": lambda: refused("/no/such/model"),
        "incomplete_model": lambda: refused(incomplete),
        "internal": lambda: errors.classify(RuntimeError("boom")),
        "bad_dataset": lambda: unreadable(os.devnull),
    }


def emit_engine_error(name):
    error = engine_errors()[name]()
    print(error.event().to_json(), flush=True)


if __name__ == "__main__":
    main()
