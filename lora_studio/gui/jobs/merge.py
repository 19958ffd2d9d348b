"""Merging a run's adapter into its ``merged/`` model: the one flow that Runs and Chat share."""

from __future__ import annotations

import os

from lora_studio.core import commands
from lora_studio.core.runs import MERGED_DIR
from lora_studio.gui.jobs.output_job import OutputJob


class MergeJob(OutputJob):
    """One merge at a time; says how far it got and how it ended."""

    def start(self, run_dir: str) -> bool:
        """Merge ``run_dir``'s adapter into ``run_dir/merged``; False when one already runs."""
        output = os.path.join(run_dir, MERGED_DIR)
        return self.launch_for(commands.merge(run_dir, output), output)
