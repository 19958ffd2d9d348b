"""The engine: every job that needs PaddlePaddle, run as a child process speaking JSON lines.

Importing this package first makes Paddle's CPU kernels use every core this process may run on.
Paddle 3.3's CPU build otherwise runs its matrix products on one thread (measured here: 16
GFLOP/s on one thread, 33 with OMP_NUM_THREADS=2 on two cores; a LoRA step of the demo model 1.5x
faster). A value the user set is kept.
"""

from __future__ import annotations

import os


def _use_every_core() -> None:
    if os.environ.get("OMP_NUM_THREADS"):
        return
    try:
        cores = len(os.sched_getaffinity(0))  # the cores this process may use (containers)
    except AttributeError:  # Windows, macOS
        cores = os.cpu_count() or 1
    os.environ["OMP_NUM_THREADS"] = str(max(1, cores))


_use_every_core()
