"""Downloading a model from a hub (``main.py download``): one download at a time, its progress
as ``progressed(ev.Download)``, its ending as ``done(ok, problem, output)``. Stopping keeps the
partial file; starting the same download again continues it."""

from __future__ import annotations

from PySide6.QtCore import Signal

from lora_studio.core import commands, hubs, secrets
from lora_studio.core import events as ev
from lora_studio.core.outcome import Outcome
from lora_studio.gui.jobs.output_job import OutputJob


def hub_token_env() -> dict[str, str]:
    """The access tokens saved in Models → Access tokens…, as the hubs' clients read them (the
    environment: a command line is visible to every user of the computer)."""
    env = {}
    for hub, variable in hubs.TOKEN_ENV.items():
        token = secrets.load_key(hubs.token_account(hub))
        if token:
            env[variable] = token
    return env


class DownloadJob(OutputJob):
    progressed = Signal(object)  # an ev.Download
    paused = Signal(str)  # the folder holding what arrived so far

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.model_id = ""

    def start(
        self, model_id: str, output: str, source: str = "", endpoint: str = "", language: str = ""
    ) -> bool:
        if self.running:
            return False
        self.model_id = model_id
        command = commands.download(model_id, output, source, endpoint, language)
        return self.launch_for(command, output, env=hub_token_env())

    def _on_event(self, event: ev.Event) -> None:
        if isinstance(event, ev.Download):
            self.progressed.emit(event)
        else:
            super()._on_event(event)

    def _on_finished(self, outcome: Outcome) -> None:
        if outcome.ok and outcome.finished is not None and outcome.finished.status == "stopped":
            self.paused.emit(self.output)
            return
        super()._on_finished(outcome)
