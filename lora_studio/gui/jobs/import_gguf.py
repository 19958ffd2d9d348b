"""Importing a GGUF file as a model folder the engine trains: one import at a time."""

from __future__ import annotations

from lora_studio.core import commands
from lora_studio.gui.jobs.output_job import OutputJob


class ImportJob(OutputJob):
    def start(self, gguf: str, output: str) -> bool:
        return self.launch_for(commands.import_gguf(gguf, output), output)
