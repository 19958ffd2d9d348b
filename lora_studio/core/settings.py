"""Application settings: a typed object in a versioned JSON file under the platform's config folder.

Window geometry is the only thing kept in QSettings; everything else lives here, readable and
editable by hand. ``LORA_STUDIO_CONFIG_DIR`` points it elsewhere (the tests do).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from lora_studio.core.atomic import write_text_atomic

SETTINGS_VERSION = 1
LANGUAGES = ("system", "en", "zh_CN")
THEMES = ("system", "light", "dark")


def config_dir() -> str:
    override = os.environ.get("LORA_STUDIO_CONFIG_DIR")
    if override:
        return override
    from platformdirs import user_config_dir

    return user_config_dir("LoRA Studio", "LoRA Studio")


def default_runs_dir() -> str:
    from lora_studio.core.paths import user_data_dir

    return os.path.join(user_data_dir(), "runs")


def default_models_dir() -> str:
    from lora_studio.core.paths import user_data_dir

    return os.path.join(user_data_dir(), "models")


@dataclass
class AppSettings:
    language: str = "system"
    theme: str = "system"
    runs_dir: str = field(default_factory=default_runs_dir)
    models_dir: str = field(default_factory=default_models_dir)
    last_model: str = ""
    last_dataset: str = ""
    last_run_config: dict[str, Any] = field(default_factory=dict)
    oom_recovery: bool = True
    evaluate_after_training: bool = True  # runs with an eval split only
    notify_when_done: bool = True
    recent_datasets: list = field(default_factory=list)  # newest first
    generator: dict = field(default_factory=dict)  # the LLM generator's last inputs (no key)
    hardware_wizard_offered: bool = False  # the wizard opens by itself at the first launch
    added_models: list = field(default_factory=list)  # model folders outside the models folder
    download_source: str = ""  # "" (the first hub that answers), huggingface, modelscope, ...
    download_endpoint: str = ""  # a mirror's address, for the chosen hub
    pending_downloads: list = field(default_factory=list)  # [model id, folder]: resumed at start

    @staticmethod
    def path() -> str:
        return os.path.join(config_dir(), "settings.json")

    @classmethod
    def load(cls) -> AppSettings:
        """The saved settings, or defaults when the file is missing or unreadable."""
        try:
            with open(cls.path(), encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        settings = cls()
        for f in fields(cls):
            if f.name in data and isinstance(data[f.name], type(getattr(settings, f.name))):
                setattr(settings, f.name, data[f.name])
        if settings.language not in LANGUAGES:
            settings.language = "system"
        if settings.theme not in THEMES:
            settings.theme = "system"
        return settings

    def save(self) -> None:
        path = self.path()
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = {"version": SETTINGS_VERSION, **asdict(self)}
        write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
