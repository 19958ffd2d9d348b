"""The engine: every job that needs PaddlePaddle, run as a child process speaking JSON lines.

Importing this package first makes Paddle's CPU kernels use every core this process may run on.
Paddle 3.3's CPU build otherwise runs its matrix products on one thread (measured here: 16
GFLOP/s on one thread, 33 with OMP_NUM_THREADS=2 on two cores; a LoRA step of the demo model 1.5x
faster). A value the user set is kept.

It also sets ``KMP_BLOCKTIME=0``: Intel's OpenMP (libiomp5, which Paddle's CPU build links) keeps
its threads spinning for 200 ms after each parallel region, and once the optimiser has run, those
spinning threads take the cores from the next matrix product. Measured on a 10M-parameter LoRA
step (batch 4 x 128): 835 tokens/s before the first optimiser step, 253 after it, 509 with the
setting (docs/performance.md). A value the user set is kept.
"""

from __future__ import annotations

import os
import sys


def _openmp_settings() -> None:
    """Every core this process may use, and no spinning threads between parallel regions."""
    os.environ.setdefault("KMP_BLOCKTIME", "0")  # no spinning threads after a parallel region
    if os.environ.get("OMP_NUM_THREADS"):
        return
    try:
        cores = len(os.sched_getaffinity(0))  # the cores this process may use (containers)
    except AttributeError:  # Windows, macOS
        cores = os.cpu_count() or 1
    os.environ["OMP_NUM_THREADS"] = str(max(1, cores))


class _WithoutThreadWarning:
    """sys.stderr without the two lines Paddle prints at import whenever OMP_NUM_THREADS is
    above 1 ("... It will fail if this PaddlePaddle binary is compiled with OpenBlas ...",
    "PLEASE USE OMP_NUM_THREADS WISELY."): the thread count is ours (above), the CPU build is
    not OpenBlas, and users read the warning in the training log as something gone wrong.
    Everything else passes through unchanged."""

    NOISE = ("WARNING: OMP_NUM_THREADS set to ", "PLEASE USE OMP_NUM_THREADS WISELY.")

    def __init__(self, stream: object) -> None:
        self._stream = stream
        self._dropped = False

    def write(self, text: str) -> int:
        if text.startswith(self.NOISE):
            self._dropped = True
            return len(text)
        if self._dropped and text == "\n":  # print() writes its end separately
            self._dropped = False
            return 1
        self._dropped = False
        return self._stream.write(text)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


_openmp_settings()
if sys.stderr is not None and not isinstance(sys.stderr, _WithoutThreadWarning):
    sys.stderr = _WithoutThreadWarning(sys.stderr)  # type: ignore[assignment]
