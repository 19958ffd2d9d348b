"""Evaluating a run (``main.py eval``): one at a time, its progress and its ending."""

from __future__ import annotations

from lora_studio.core import commands
from lora_studio.core.commands import EvalOptions
from lora_studio.gui.jobs.output_job import OutputJob


class EvalJob(OutputJob):
    def start(self, run_dir: str, options: EvalOptions) -> bool:
        """Evaluate ``run_dir``; the judge's key reaches the engine in its environment (a
        command line is visible to every user of the computer)."""
        env = {commands.JUDGE_KEY_ENV: options.judge_key} if options.judge_key else None
        command = commands.evaluate(run_dir, options)
        return self.launch_for(command, run_dir, stop_grace=5.0, env=env)
