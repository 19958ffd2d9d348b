"""Data-parallel training: which process this is, and the few collectives the engine needs.

``main.py train`` runs unchanged under ``python -m paddle.distributed.launch`` (one process per
GPU, or per CPU "device" with gloo): the launcher sets ``PADDLE_TRAINER_ID`` and
``PADDLE_TRAINERS_NUM``. Rank 0 alone writes the run folder (config, events, checkpoints,
adapter); every rank trains on its own share of each global batch (``engine/sampler.py``) and
the gradients are averaged by ``paddle.DataParallel`` inside the Trainer.

The collectives here are called by every rank at the same point of the step, or not at all:
a collective called by one rank only would hang the job.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from lora_studio.core.config import RunConfig
from lora_studio.core.events import ErrorKind
from lora_studio.core.messages import say
from lora_studio.engine.errors import EngineError

RANK_VARIABLE = "PADDLE_TRAINER_ID"
WORLD_VARIABLE = "PADDLE_TRAINERS_NUM"
LOCAL_RANK_VARIABLE = "PADDLE_LOCAL_RANK"


def _int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class World:
    rank: int = 0
    size: int = 1
    local_rank: int = 0

    @property
    def main(self) -> bool:
        """The process that writes the run folder and whose events the user sees."""
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.size > 1


def world() -> World:
    """This process's place in the job, from the launcher's environment (no Paddle import)."""
    size = max(1, _int(WORLD_VARIABLE, 1))
    rank = min(max(0, _int(RANK_VARIABLE, 0)), size - 1)
    return World(rank=rank, size=size, local_rank=max(0, _int(LOCAL_RANK_VARIABLE, rank)))


def init(here: World) -> None:
    """Join the job's process group, the way PaddleFormers' TrainingArguments would (fleet, so
    that its flex checkpoints use the data-parallel group), early enough for the run folder's
    barrier below. Nothing to do in a single process."""
    if not here.distributed:
        return
    from paddle.distributed import fleet

    fleet.init(is_collective=True, strategy=fleet.DistributedStrategy())


def barrier(here: World) -> None:
    if here.distributed:
        import paddle.distributed as dist

        dist.barrier()


def any_rank(here: World, flag: bool) -> bool:
    """True on every rank when it is true on any: a stop request that reached one process (its
    stdin, a signal) stops them all at the same step."""
    if not here.distributed:
        return flag
    import paddle
    import paddle.distributed as dist

    value = paddle.to_tensor([1 if flag else 0], dtype="int32")
    dist.all_reduce(value, op=dist.ReduceOp.MAX)
    return bool(int(value.item()))


def sum_ints(here: World, values: list[int]) -> list[int]:
    """Each value summed over all ranks (token counts: speed is for the whole job)."""
    if not here.distributed:
        return list(values)
    import paddle
    import paddle.distributed as dist

    tensor = paddle.to_tensor(values, dtype="int64")
    dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
    return [int(v) for v in tensor.tolist()]


@contextmanager
def alone(here: World) -> Iterator[None]:
    """This rank reading or writing by itself, as one process would.

    Under data parallelism every rank holds the same full state. Yet PaddleFormers' adapter save
    (the flex-checkpoint full-parameter saver) splits the files between the ranks' own folders
    and gathers through ``.cuda()``, and a checkpoint's load exchanges shards through ``.cuda()``
    too: both fail on CPU, and neither needs the others. Seen as one process, rank 0 writes the
    whole adapter alone (the same files as a single-process run), and each rank reads the whole
    checkpoint on resume. Paddle's flex-checkpoint code asks ``paddle.distributed`` for the world
    size and rank at each call, which is what this changes, for the duration of the block.
    """
    if not here.distributed:
        yield
        return
    import paddle.distributed as dist

    saved = dist.get_world_size, dist.get_rank
    dist.get_world_size, dist.get_rank = (lambda *a, **k: 1), (lambda *a, **k: 0)
    try:
        yield
    finally:
        dist.get_world_size, dist.get_rank = saved


def check_world(config: RunConfig, here: World, resume: bool) -> None:
    """Refuse what several processes cannot do: a resume on another number of processes (the
    optimizer's and the data order's state belong to one world size), and several GPUs on
    Windows, which has no NCCL. The world size that counts is the one the run folder's own
    config recorded (a cluster job resumes with ``--config`` of the job, which has none)."""
    then = _recorded_world_size(config.output_dir) if resume else here.size
    if then != here.size:
        raise EngineError(
            ErrorKind.BAD_CONFIG,
            say(
                "This run was trained by {then} process(es) and cannot be resumed by {now}: its "
                "checkpoints hold the data order and random state of {then}.",
                then=then,
                now=here.size,
            ),
            say("Resume it with --nproc_per_node {then}, or start a new run.", then=then),
        )
    if sys.platform == "win32" and here.size > 1 and _on_gpu():
        raise EngineError(
            ErrorKind.UNSUPPORTED,
            say("Training on several GPUs needs NCCL, which PaddlePaddle has on Linux only."),
            say("On Windows, train on one GPU; on several, use Linux (or WSL 2)."),
        )


def _recorded_world_size(run_dir: str) -> int:
    from lora_studio.core.config import CONFIG_FILE_NAME, ConfigError

    try:
        return RunConfig.load(os.path.join(run_dir, CONFIG_FILE_NAME)).world_size
    except ConfigError:
        return 1  # no readable config: resume_checkpoint says what is missing


def _on_gpu() -> bool:
    from lora_studio.engine.runtime import device

    return device() == "gpu"
