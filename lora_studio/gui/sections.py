"""Each section's panel, built when the section is first shown (its imports with it), so that
the window paints before Qt widgets it does not show yet are imported."""

from __future__ import annotations

from lora_studio.core.settings import AppSettings


def home_page():
    from lora_studio.gui.home.page import HomePage

    return HomePage()


def models_panel(settings: AppSettings):
    from lora_studio.gui.models.panel import ModelsPanel

    return ModelsPanel(settings)


def runs_panel(runs_dir: str):
    from lora_studio.gui.training.runs_panel import (
        RunsPanel,  # imported when the page is first shown
    )

    return RunsPanel(runs_dir)


def dataset_panel(settings: AppSettings):
    from lora_studio.gui.dataset.panel import DatasetPanel

    return DatasetPanel(settings)


def hardware_panel(settings: AppSettings):
    from lora_studio.gui.hardware.panel import HardwarePanel

    return HardwarePanel(settings)


def chat_panel(settings: AppSettings):
    from lora_studio.gui.chat.panel import ChatPanel

    return ChatPanel(settings)


def training_panel(settings: AppSettings, session_options: dict | None):
    from lora_studio.gui.training.panel import TrainingPanel  # after the first frame

    return TrainingPanel(settings, session_options=session_options)
