"""A batch sampler of length-grouped batches that the PaddleFormers Trainer can resume exactly.

It subclasses ``paddle.io.DistributedBatchSampler`` only so that the Trainer calls ``set_epoch``
on it each epoch (it does so for that class alone): the batch order is then a pure function of
(seed, epoch), and a resumed run sees the same batches as an uninterrupted one.

Under data parallelism each global batch holds ``batch_size * world_size`` records, cut into one
share per rank (``data.rank_share``): two processes at batch B see exactly the records that one
process sees at batch 2B, in the same order.
"""

from __future__ import annotations

from typing import Any

import paddle

from lora_studio.engine.data import length_grouped_batches, rank_share


class LengthGroupedBatchSampler(paddle.io.DistributedBatchSampler):
    def __init__(
        self, dataset: Any, batch_size: int, seed: int, rank: int = 0, world_size: int = 1
    ) -> None:
        super().__init__(dataset, batch_size=batch_size, num_replicas=1, rank=0, shuffle=False)
        self.lengths = dataset.lengths()
        self.seed = seed
        self.epoch = 0
        self.share_rank = rank
        self.world_size = world_size

    def set_epoch(self, epoch: int = 0, consumed_samples: int = 0) -> None:
        self.epoch = epoch

    def __iter__(self):  # type: ignore[override]
        global_batch = self.batch_size * self.world_size
        for batch in length_grouped_batches(self.lengths, global_batch, self.seed, self.epoch):
            yield rank_share(batch, self.share_rank, self.world_size)

    def __len__(self) -> int:
        return -(-len(self.lengths) // (self.batch_size * self.world_size))
