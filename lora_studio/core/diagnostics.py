"""The diagnostics report (Help → Save diagnostics report…, ``main.py diagnostics OUT.zip``): what
a person attaches to a bug report, with nothing in it that they would not want to share.

The zip holds ``report.txt`` (versions, OS, edition and driver, NVML's readings, the Paddle
probe, the machine), ``settings.json``, ``environment.txt`` (the variables that matter to Paddle,
Qt and CUDA), the last run's ``run_config.json`` with the tail of its events and logs, and the
tail of the GUI log. Every text goes through ``redact`` first: the keys kept in the keyring,
anything shaped like a token or key, secret-looking variables and URL passwords become
``[redacted]``, and the home folder becomes ``~``.
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict

from lora_studio.core import editions, hardware, hubs, runs, secrets
from lora_studio.core.config import CONFIG_FILE_NAME
from lora_studio.core.settings import AppSettings

REDACTED = "[redacted]"
# A known secret shorter than this is not searched for everywhere: "false" or "1" in a variable
# named *_TOKEN would otherwise be cut out of every text (the variable's own value still is).
MIN_SECRET = 8
TAIL_LINES = 400  # of each log and event file
PACKAGES = (
    "paddlepaddle",
    "paddlepaddle-gpu",
    "paddleformers",
    "transformers",
    "tokenizers",
    "safetensors",
    "numpy",
    "PySide6",
    "PySide6_Essentials",
    "pyqtgraph",
    "nvidia-ml-py",
    "huggingface_hub",
    "gguf",
    "keyring",
)
# Variable names that hold secrets; TOKENIZERS_PARALLELISM, XAUTHORITY and XDG_SESSION_TYPE
# are settings, not secrets.
SECRET_NAME = re.compile(
    r"KEY|TOKEN(?!IZER)|SECRET|PASSW|AUTH(?!ORITY)|CREDENTIAL|COOKIE|SESSION_?(ID|KEY|TOKEN)",
    re.IGNORECASE,
)
ENV_PREFIXES: tuple[str, ...] = (
    *("LORA_STUDIO", "PADDLE", "FLAGS_", "CUDA", "NVIDIA", "QT_", "HF_", "LD_", "PATH"),
    *("PYTHON", "OMP_", "MKL_", "LANG", "LC_", "XDG_", "DISPLAY", "WAYLAND", "TOKENIZERS"),
)
TOKEN_SHAPES = [
    re.compile(r"\b(sk|pk|rk)-[A-Za-z0-9_\-]{12,}"),  # OpenAI-style and many proxies
    re.compile(r"\bhf_[A-Za-z0-9]{12,}"),  # Hugging Face
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}"),  # GitHub
    re.compile(r"\b(AKIA|ASIA)[A-Z0-9]{16}\b"),  # AWS access key ids
    re.compile(r"\beyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}"),  # JWT
    re.compile(r"\b[A-Fa-f0-9]{32,}\b"),  # long hex: keys and hashes alike, kept out
]
# "api_key=…", "Authorization: Bearer …", "token: …": the name is kept, the value goes
NAMED_SECRET = re.compile(
    r"(?i)((?:bearer|token|api[_-]?key|authorization|password)(?:[\"']?\s*[:=]\s*[\"']?|\s+))"
    r"(?!\[redacted\])[^\s\"',;]{8,}"
)
URL_PASSWORD = re.compile(r"(?P<scheme>[a-z][a-z0-9+.\-]*://)(?P<user>[^:/@\s]+):[^@/\s]+@")


def known_secrets(settings: AppSettings) -> list[str]:
    """The keys this app keeps (keyring or this session): hub tokens, the API server's key, the
    generator's and the judges' keys, whatever is in this session's store."""
    accounts = {hubs.token_account(hub) for hub in hubs.HUBS}
    accounts.add(secrets.API_SERVER_ACCOUNT)
    generator = settings.generator if isinstance(settings.generator, dict) else {}
    for value in generator.values():
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            accounts.add(value)
    found = [secrets.load_key(account) for account in sorted(accounts)]
    found += secrets.session_keys()
    return sorted({key for key in found if len(key) >= MIN_SECRET}, key=len, reverse=True)


def redactor(known: Iterable[str] = (), home: str = "") -> Callable[[str], str]:
    """A function that takes the secrets out of a text: ``known`` values wherever they are,
    token shapes, URL passwords, and ``home`` (the user's folder) as ``~``."""
    known = sorted({k for k in known if k}, key=len, reverse=True)
    home = home.rstrip("/\\")

    def redact(text: str) -> str:
        if len(home) > 1:  # first: a long folder name is not mistaken for a token
            text = text.replace(home, "~")
        for key in known:
            text = text.replace(key, REDACTED)
        text = URL_PASSWORD.sub(lambda m: f"{m['scheme']}{m['user']}:{REDACTED}@", text)
        for shape in TOKEN_SHAPES:
            text = shape.sub(REDACTED, text)
        return NAMED_SECRET.sub(lambda m: m[1] + REDACTED, text)

    return redact


def environment_text(environ: dict[str, str]) -> str:
    lines = []
    for name in sorted(environ):
        if not name.upper().startswith(ENV_PREFIXES) and not SECRET_NAME.search(name):
            continue
        value = REDACTED if SECRET_NAME.search(name) else environ[name]
        lines.append(f"{name}={value}")
    return "\n".join(lines) + "\n"


def tail(path: str, lines: int = TAIL_LINES) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return "".join(handle.readlines()[-lines:])
    except OSError as exc:
        return f"(could not read: {exc.strerror or exc})\n"


def last_run_dir(settings: AppSettings) -> str:
    """The run the user last started (the form's config names it), else the newest in Runs."""
    last = settings.last_run_config.get("output_dir") if settings.last_run_config else ""
    if isinstance(last, str) and last and os.path.isdir(last):
        return last
    found = runs.list_runs(settings.runs_dir) if os.path.isdir(settings.runs_dir) else []
    newest = max(found, key=lambda r: os.path.getmtime(r.path), default=None)
    return newest.path if newest is not None else ""


def report_text(probe: hardware.PaddleProbe | None, reading: hardware.GpuReading) -> str:
    from lora_studio import __version__

    lines = [
        f"LoRA Studio {__version__}" + (" (bundle)" if getattr(sys, "frozen", False) else ""),
        f"Python {sys.version.split()[0]} on {platform.platform()} ({platform.machine()})",
    ]
    installed = editions.installed_edition(probe.cuda if probe is not None else "")
    lines.append(f"Edition: {installed.label()}")
    lines.append("Packages:")
    for name in PACKAGES:
        version = hardware.package_version(name)
        if version:
            lines.append(f"  {name} {version}")
    lines.append(f"NVML: {'present' if reading.nvml else 'absent'}")
    if reading.nvml:
        lines.append(f"  driver {reading.driver_version}, CUDA {reading.cuda_driver_version}")
    for gpu in reading.gpus:
        lines.append(f"  GPU {gpu.index}: {json.dumps(asdict(gpu))}")
    if reading.problem:
        lines.append(f"  problem: {reading.problem}")
    for ok, text in editions.advice(
        installed, len(reading.gpus), reading.driver_version, reading.cuda_driver_version
    ):
        lines.append(f"  {'ok' if ok else 'advice'}: {text}")
    lines.append("Paddle probe: " + (json.dumps(asdict(probe)) if probe else "not run"))
    try:
        system = hardware.system_info(os.path.expanduser("~"))
        lines.append(f"Machine: {json.dumps(asdict(system))}")
    except OSError as exc:
        lines.append(f"Machine: unreadable ({exc})")
    return "\n".join(lines) + "\n"


def build(
    out_path: str,
    settings: AppSettings,
    probe: hardware.PaddleProbe | None = None,
    reading: hardware.GpuReading | None = None,
    gui_log: str = "",
    environ: dict[str, str] | None = None,
    progress: Callable[[str], None] = lambda _line: None,
) -> list[str]:
    """Write the report to ``out_path`` (a zip); the names inside it. Raises OSError."""
    environ = dict(os.environ if environ is None else environ)
    redact = redactor(
        known_secrets(settings)
        + [v for k, v in environ.items() if SECRET_NAME.search(k) and len(v) >= MIN_SECRET],
        os.path.expanduser("~"),
    )
    progress("reading the GPUs")
    reading = reading if reading is not None else hardware.read_gpus()
    parts: dict[str, str] = {
        "report.txt": report_text(probe, reading),
        "settings.json": json.dumps(asdict(settings), ensure_ascii=False, indent=1, default=str),
        "environment.txt": environment_text(environ),
    }
    run_dir = last_run_dir(settings)
    if run_dir:
        progress("reading the last run")
        parts[f"last-run/{CONFIG_FILE_NAME}"] = tail(os.path.join(run_dir, CONFIG_FILE_NAME))
        parts["last-run/events.jsonl"] = tail(os.path.join(run_dir, runs.EVENTS_FILE))
        logs = os.path.join(run_dir, runs.LOGS)
        for name in sorted(os.listdir(logs)) if os.path.isdir(logs) else []:
            if os.path.isfile(os.path.join(logs, name)):
                parts[f"last-run/logs/{name}"] = tail(os.path.join(logs, name))
    if gui_log and os.path.isfile(gui_log):
        parts["gui.log"] = tail(gui_log, 2000)
    folder = os.path.dirname(os.path.abspath(out_path))
    os.makedirs(folder, exist_ok=True)
    partial = out_path + ".partial"
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, redact(text))
    os.replace(partial, out_path)
    return list(parts)
