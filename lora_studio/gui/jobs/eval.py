"""Evaluating a run (``main.py eval``): one at a time, its progress and its ending."""

from __future__ import annotations

from dataclasses import dataclass

from lora_studio.core import commands
from lora_studio.gui.jobs.output_job import OutputJob


@dataclass
class EvalRequest:
    run_dir: str
    dataset: str = ""  # "" = the run's eval split
    limit: int = 0
    max_new_tokens: int = 256
    general: bool = True
    judge_url: str = ""
    judge_model: str = ""
    judge_key: str = ""


class EvalJob(OutputJob):
    def start(self, request: EvalRequest) -> bool:
        """Evaluate ``request.run_dir``; the judge's key reaches the engine in its environment
        (a command line is visible to every user of the computer)."""
        command = commands.evaluate(
            request.run_dir,
            request.dataset,
            request.limit,
            general=request.general,
            judge_url=request.judge_url,
            judge_model=request.judge_model,
            max_new_tokens=request.max_new_tokens,
        )
        env = {commands.JUDGE_KEY_ENV: request.judge_key} if request.judge_key else None
        if self.running:
            return False
        self.output = request.run_dir
        return self.launch(command, stop_grace=5.0, env=env)
