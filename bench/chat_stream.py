"""Chat streaming: tokens per second and time to first token, through the engine process to the
GUI, against bare PaddleFormers ``generate`` on the same model.

  python bench/chat_stream.py [--tokens N] [--repeats R] [--size 62m|10m]

The models are train_throughput.py's (62M: Qwen2.5-0.5B's widths, four layers), so that
generation, not the pipe, sets the pace. Bare: PaddleFormers as its documentation shows it, in a
child process that imports nothing of this project (``AutoModelForCausalLM.from_pretrained``, the
chat template, ``generate`` with greedy search and no streamer; time to first token: a 1-token
``generate``). Streamed: the GUI's ChatProcess drives ``main.py chat --events jsonl``, and times
are taken in the GUI thread when the token and reply signals arrive. Greedy decoding of the same
prompt, so both produce the same tokens. Targets (issue 20): streamed tokens/s >= 1.0x bare; time
to first token <= bare + 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from bench.train_throughput import (  # noqa: E402 - needs ROOT on the path
    SHAPES,
    build_model_in_child,
    parameters,
)

MESSAGES = [{"role": "user", "content": "What is a DDoS attack? 请详细解释。"}]


def bare(model_dir: str, tokens: int, repeats: int) -> tuple[float, float, int]:
    """Child process: PaddleFormers' ``generate`` as a user of the library writes it."""
    import paddle
    from paddleformers.transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype="float32")
    model.eval()
    text = tokenizer.apply_chat_template(MESSAGES, tokenize=False, add_generation_prompt=True)
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    input_ids = paddle.to_tensor([ids], dtype="int64")
    stop = [tokenizer.convert_tokens_to_ids(t) for t in ("<|im_end|>", "<|endoftext|>")]

    def run(new: int) -> int:
        with paddle.no_grad():
            out, _ = model.generate(
                input_ids=input_ids,
                attention_mask=paddle.ones_like(input_ids),  # STACK.md: an integer mask
                max_new_tokens=new,
                decode_strategy="greedy_search",
                eos_token_id=stop,
                pad_token_id=tokenizer.pad_token_id,
                use_cache=True,
            )
        row = out.numpy()[0].tolist()
        return next((i for i, t in enumerate(row) if t in stop), len(row))

    run(8)  # warm-up
    rates, firsts, n = [], [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        n = run(tokens)
        rates.append(n / (time.perf_counter() - start))
        start = time.perf_counter()
        run(1)
        firsts.append(time.perf_counter() - start)
    return statistics.median(rates), statistics.median(firsts), n


def streamed(model_dir: str, tokens: int, repeats: int) -> tuple[float, float, int]:
    from PySide6.QtCore import QCoreApplication, QTimer

    from lora_studio.core.generation_settings import GenerationSettings
    from lora_studio.gui.jobs.chat import ChatProcess

    app = QCoreApplication.instance() or QCoreApplication([])
    chat = ChatProcess(model_dir)
    settings = GenerationSettings(greedy=True, repetition_penalty=1.0, max_new_tokens=tokens)
    rates, firsts, counts = [], [], []
    state: dict = {}

    def send() -> None:
        state.update(sent=time.perf_counter(), first=None)
        chat.generate(MESSAGES, settings)

    def on_token(_rid: str, _text: str) -> None:
        if state.get("first") is None:
            state["first"] = time.perf_counter()

    def on_reply(reply) -> None:
        now = time.perf_counter()
        if state.get("warm"):
            rates.append(reply.new_tokens / (now - state["sent"]))
            firsts.append(state["first"] - state["sent"])
            counts.append(reply.new_tokens)
        state["warm"] = True
        if len(rates) < repeats:
            send()
        else:
            chat.stop()

    chat.ready.connect(lambda _info: send())
    chat.token.connect(on_token)
    chat.reply.connect(on_reply)
    chat.finished.connect(lambda _outcome: app.quit())
    chat.start()
    QTimer.singleShot(600_000, app.quit)
    app.exec()
    return statistics.median(rates), statistics.median(firsts), counts[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--size", choices=sorted(SHAPES), default="62m")
    parser.add_argument("--bare-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_child:
        rate, first, n = bare(args.bare_child, args.tokens, args.repeats)
        print(f"{rate} {first} {n}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = os.path.join(tmp, "model")
        build_model_in_child(model_dir, args.size)
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--bare-child",
                model_dir,
                "--tokens",
                str(args.tokens),
                "--repeats",
                str(args.repeats),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        b_rate, b_first, b_n = (float(x) for x in out.split()[-3:])
        s_rate, s_first, s_n = streamed(model_dir, args.tokens, args.repeats)
    print(
        f"chat_stream: greedy, {args.tokens} new tokens at most, median of {args.repeats}, "
        f"{parameters(args.size):.1f}M-parameter Qwen2 ({args.size}), CPU"
    )
    print(
        f"  bare generate          {b_rate:7.1f} tokens/s   first token {b_first * 1000:6.1f} ms"
        f"   ({int(b_n)} tokens)"
    )
    print(
        f"  streamed to the GUI    {s_rate:7.1f} tokens/s   first token {s_first * 1000:6.1f} ms"
        f"   ({s_n} tokens)"
    )
    ratio, extra = s_rate / b_rate, (s_first - b_first) * 1000
    print(f"  tokens/s ratio {ratio:.2f}   target >= 1.0   {'ok' if ratio >= 1.0 else 'MISSED'}")
    print(f"  first token +{extra:.1f} ms   target <= +50 ms   {'ok' if extra <= 50 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
