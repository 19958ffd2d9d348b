"""Process-level set-up for engine processes: Paddle's environment, quiet logs, device, memory."""

from __future__ import annotations

import logging
import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager


def prepare_environment() -> None:
    """Must run before ``import paddle``: frozen-bundle library paths and quieter start-up."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # Paddle dlopens libmklml_intel.so from paddle/libs at run time (STACK.md).
        os.environ.setdefault("FLAGS_mklml_dir", os.path.join(bundle, "paddle", "libs"))
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    warnings.filterwarnings("ignore", category=UserWarning)
    # PaddleFormers' logger resets its level when it is created at import and then warns about
    # PyTorch (which LoRA Studio does not use); a filter set beforehand survives the reset.
    logging.getLogger("PaddleFormers").addFilter(lambda record: record.levelno >= logging.ERROR)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def quiet_paddle() -> None:
    """PaddleFormers logs every step at INFO; the engine reports through its own events."""
    warnings.filterwarnings("ignore")
    for name in ("paddleformers", "paddle", "root", "datasets", "transformers"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        from paddleformers.utils.log import logger

        logger.set_level("ERROR")
    except Exception:  # noqa: BLE001 - only cosmetic
        pass
    try:
        from paddle.distributed.fleet.utils.log_util import logger as fleet_logger

        fleet_logger.setLevel(logging.ERROR)
    except Exception:  # noqa: BLE001
        pass


def strided_views(on: bool) -> None:
    """Paddle's strided views, off while training steps run and while replies are generated:
    with them on, every transpose and slice is later copied by single-threaded ``StridedCopy``
    kernels. Measured on the real demo model: the same loss at every step, quickstart in 3m00s
    against 3m44s; greedy replies of the 62M benchmark model the same tokens, 38 tokens/s against
    46. On for loading and saving: loaders read safetensors through the strided ``view_dtype``
    kernel and fail without it (engine-notes 19)."""
    import paddle

    paddle.set_flags({"FLAGS_use_stride_kernel": on})


@contextmanager
def without_strided_views() -> Iterator[None]:
    """Strided views off for the block, then back as they were (for generation, which a server
    process interleaves with loading other models)."""
    import paddle

    before = bool(paddle.get_flags(["FLAGS_use_stride_kernel"])["FLAGS_use_stride_kernel"])
    strided_views(False)
    try:
        yield
    finally:
        strided_views(before)


def device() -> str:
    """``gpu`` when this Paddle build is compiled with CUDA and sees a GPU, else ``cpu``."""
    import paddle

    if paddle.device.is_compiled_with_cuda() and paddle.device.cuda.device_count() > 0:
        return "gpu"
    return "cpu"


def bf16_supported() -> bool:
    import paddle

    if device() != "gpu":
        return False
    major, _minor = paddle.device.cuda.get_device_capability()
    return major >= 8


def memory_mb(on_gpu: bool) -> tuple[float | None, float | None]:
    """(in use, peak) in MiB: GPU allocator figures on GPU, process RSS on CPU."""
    if on_gpu:
        import paddle

        return (
            paddle.device.cuda.memory_allocated() / 2**20,
            paddle.device.cuda.max_memory_allocated() / 2**20,
        )
    try:
        import psutil

        info = psutil.Process().memory_info()
        current = info.rss / 2**20
        peak = getattr(info, "peak_wset", 0) / 2**20 or None
    except ImportError:  # pragma: no cover - psutil comes with paddleformers
        current = None
        peak = None
    if peak is None:
        try:
            import resource

            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        except ImportError:  # pragma: no cover - Windows without psutil
            peak = None
    return current, peak
