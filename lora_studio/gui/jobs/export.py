"""Exporting a run (GGUF, Ollama, PEFT): one export at a time, its progress and its ending."""

from __future__ import annotations

from lora_studio.core import commands
from lora_studio.core.export_plan import ExportPlan
from lora_studio.gui.jobs.output_job import OutputJob


class ExportJob(OutputJob):
    def start(self, plan: ExportPlan) -> bool:
        command = commands.export(plan.run_dir, plan.fmt, plan.quant, plan.output)
        return self.launch_for(command, plan.output)
