"""``main.py probe``: what the installed Paddle build can do, as one JSON object on stdout.

Run in a child process by the hardware wizard, so that the GUI never imports Paddle. Each
ability is tried, not assumed (STACK.md #8): the weight-only int8/int4 kernels that 8- and 4-bit
training needs exist only in the CUDA build and run only on a GPU.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def probe() -> dict[str, Any]:
    out: dict[str, Any] = {
        "version": "",
        "cuda": "",
        "gpu_count": 0,
        "bf16": False,
        "low_bit": [],
        "problem": "",
    }
    problems = []
    try:
        import paddle
    except Exception as exc:  # noqa: BLE001 - a broken install is what the probe is for
        out["problem"] = f"Paddle cannot be imported: {exc}"
        return out
    out["version"] = paddle.__version__
    try:
        if paddle.is_compiled_with_cuda():
            out["cuda"] = str(paddle.version.cuda())
            out["gpu_count"] = int(paddle.device.cuda.device_count())
    except Exception as exc:  # noqa: BLE001
        problems.append(f"the CUDA build cannot reach the GPU: {exc}")
    if out["gpu_count"]:
        try:
            out["bf16"] = tuple(paddle.device.cuda.get_device_capability(0)) >= (8, 0)
        except Exception as exc:  # noqa: BLE001
            problems.append(f"the GPU's compute capability cannot be read: {exc}")
        for bits in ("int8", "int4"):
            try:
                _try_weight_only(paddle, bits)
                out["low_bit"].append(bits)
            except Exception as exc:  # noqa: BLE001
                problems.append(f"{bits} weight-only kernels: {type(exc).__name__}: {exc}")
    out["problem"] = "; ".join(problems)
    return out


def _try_weight_only(paddle: Any, bits: str) -> None:
    """Quantize a small weight and run the weight-only linear layer on the GPU."""
    paddle.set_device("gpu:0")
    x = paddle.randn([8, 64]).astype("float16")
    w = paddle.randn([64, 64]).astype("float16")
    quantized, scale = paddle.nn.quant.weight_quantize(w, algo=f"weight_only_{bits}")
    y = paddle.nn.quant.weight_only_linear(x, quantized, weight_scale=scale, weight_dtype=bits)
    float(y.astype("float32").sum())


def run_probe() -> int:
    import warnings

    warnings.filterwarnings("ignore")
    result = probe()
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0
