"""The app's editions (CPU, NVIDIA CUDA 12.6, NVIDIA CUDA 11.8), which one is installed, and
which one a machine should have: what the Hardware section says about the driver.

A bundle's edition is written into it at build time (``scripts/build_dist --edition``:
``resources/edition.json``); from source it follows the installed Paddle build. An NVIDIA
edition carries the CUDA runtime libraries inside (Paddle's CUDA wheels bring them), so a user
needs only the driver, one new enough for that CUDA version.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass

from lora_studio.core.messages import Text, say
from lora_studio.core.paths import resource_path

# In the bundle's resources folder: {"edition": "cuda126", "downloads": URL}, the release page
# that the release workflow knows (its repository's latest release).
EDITION_FILE = "edition.json"


@dataclass(frozen=True)
class Edition:
    key: str  # cpu, cuda126, cuda118: the build flag and the download's name
    cuda: tuple[int, int] | None  # the CUDA version of its Paddle build; None for the CPU one
    paddle_package: str  # what scripts/build_dist installs for it
    paddle_index: str  # the package index it comes from ('' for PyPI)

    @property
    def nvidia(self) -> bool:
        return self.cuda is not None

    def label(self) -> str:
        if self.cuda is None:
            return "CPU"
        return f"NVIDIA CUDA {self.cuda[0]}.{self.cuda[1]}"

    def download_name(self, version: str, platform: str = sys.platform) -> str:
        """The release file of this edition, as the release workflow names it."""
        if platform == "win32":
            return f"LoRAStudio-{version}-windows-x64-{self.key}-setup.exe"
        return f"lora-studio_{version}_amd64-{self.key}.deb"


OK, WARN = True, False  # advice(): good news, or something to do

PADDLE_INDEX = "https://www.paddlepaddle.org.cn/packages/stable/{key}/"
EDITIONS = {
    "cpu": Edition("cpu", None, "paddlepaddle", ""),
    "cuda126": Edition("cuda126", (12, 6), "paddlepaddle-gpu", PADDLE_INDEX.format(key="cu126")),
    "cuda118": Edition("cuda118", (11, 8), "paddlepaddle-gpu", PADDLE_INDEX.format(key="cu118")),
}
# The newest first: the one to take when the driver runs it.
NVIDIA_EDITIONS = sorted((e for e in EDITIONS.values() if e.nvidia), key=lambda e: e.cuda or ())
NVIDIA_EDITIONS.reverse()

# The driver each CUDA version needs, from NVIDIA's CUDA Toolkit release notes ("CUDA Toolkit
# and Corresponding Driver Versions", the GA release of each): (Linux, Windows).
MINIMUM_DRIVER = {
    (11, 8): ("520.61.05", "520.06"),
    (12, 6): ("560.28.03", "560.76"),
    (12, 9): ("575.51.03", "576.02"),
}


def version_tuple(text: str) -> tuple[int, ...]:
    """'560.35.03' -> (560, 35, 3); () for what is not a version."""
    try:
        return tuple(int(part) for part in text.strip().split("."))
    except ValueError:
        return ()


def minimum_driver(cuda: tuple[int, int], platform: str = sys.platform) -> str:
    linux, windows = MINIMUM_DRIVER[cuda]
    return windows if platform == "win32" else linux


def driver_runs(
    cuda: tuple[int, int], driver_version: str, cuda_driver: str, platform: str
) -> bool:
    """Whether a driver runs a CUDA version: NVML's newest CUDA for the driver when it is known
    (``cuda_driver``, '12.6'), else the driver's version against the table."""
    runs = version_tuple(cuda_driver)
    if len(runs) >= 2:
        return runs[:2] >= cuda
    have = version_tuple(driver_version)
    return bool(have) and have >= version_tuple(minimum_driver(cuda, platform))


def edition_for_build(paddle_cuda: str) -> Edition:
    """The edition that a Paddle build is (probe's ``cuda``: '' for the CPU build, '12.6')."""
    cuda = version_tuple(paddle_cuda)[:2]
    for edition in NVIDIA_EDITIONS:
        if cuda and cuda == edition.cuda:
            return edition
    if cuda:  # a CUDA build this table does not name (12.9, a source build): as close as it gets
        return next((e for e in NVIDIA_EDITIONS if (e.cuda or ()) <= cuda), NVIDIA_EDITIONS[-1])
    return EDITIONS["cpu"]


def _bundle_info() -> dict:
    try:
        with open(resource_path(EDITION_FILE), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def bundled_edition() -> Edition | None:
    """The edition written into this bundle when it was built; None when running from source
    or when the file is missing or unreadable."""
    key = _bundle_info().get("edition", "")
    return EDITIONS.get(key) if isinstance(key, str) else None


def downloads_url() -> str:
    """The release page the bundle came from ('' from source or an unnamed build)."""
    url = _bundle_info().get("downloads", "")
    return url if isinstance(url, str) and url.startswith("https://") else ""


def installed_edition(paddle_cuda: str = "") -> Edition:
    return bundled_edition() or edition_for_build(paddle_cuda)


def best_edition(gpus: int, driver_version: str, cuda_driver: str, platform: str) -> Edition | None:
    """The edition to take on this machine: the newest NVIDIA edition the driver runs, the CPU
    edition without an NVIDIA GPU, None when there is a GPU whose driver runs none (update it)."""
    if gpus == 0:
        return EDITIONS["cpu"]
    for edition in NVIDIA_EDITIONS:
        if edition.cuda and driver_runs(edition.cuda, driver_version, cuda_driver, platform):
            return edition
    return None


def advice(
    installed: Edition,
    gpus: int,
    driver_version: str = "",
    cuda_driver: str = "",
    platform: str = sys.platform,
    url: str | None = None,
) -> list[tuple[bool, Text]]:
    """What the Hardware section says about the installed edition, as (all well, text): whether
    the driver is new enough for it, and which download to take instead when it is not the
    right one ([] on a machine without an NVIDIA GPU and the CPU edition)."""
    lines: list[tuple[bool, Text]] = []

    def add(ok: bool, text: Text) -> None:
        lines.append((ok, text))

    best = best_edition(gpus, driver_version, cuda_driver, platform)
    url = downloads_url() if url is None else url
    where: Text | str = url or say("LoRA Studio's download page")
    if installed.nvidia and installed.cuda:
        need = minimum_driver(installed.cuda, platform)
        if gpus == 0:
            add(
                WARN,
                say(
                    "No NVIDIA GPU was found: this edition trains on the CPU, as the CPU "
                    "edition does (a smaller download: {url}).",
                    url=where,
                ),
            )
        elif driver_runs(installed.cuda, driver_version, cuda_driver, platform):
            add(
                OK,
                say(
                    "The NVIDIA driver {driver} runs this edition (it needs {need} or newer).",
                    driver=driver_version or "?",
                    need=need,
                ),
            )
        else:
            add(
                WARN,
                say(
                    "The NVIDIA driver {driver} is too old for this edition: it needs {need} or "
                    "newer. Update the driver (nvidia.com/drivers, or the NVIDIA app).",
                    driver=driver_version or "?",
                    need=need,
                ),
            )
            if best is not None and best.nvidia and best != installed:
                add(
                    WARN,
                    say(
                        "Or take the {edition} edition, which this driver runs: {url}.",
                        edition=best.label(),
                        url=where,
                    ),
                )
    elif gpus > 0:
        if best is not None and best.nvidia:
            add(
                WARN,
                say(
                    "This is the CPU edition, and this computer has an NVIDIA GPU: the "
                    "{edition} edition trains on it, many times faster. Download it from {url}.",
                    edition=best.label(),
                    url=where,
                ),
            )
        else:
            oldest = NVIDIA_EDITIONS[-1]
            add(
                WARN,
                say(
                    "This computer has an NVIDIA GPU, but its driver {driver} is older than "
                    "every NVIDIA edition needs ({need} or newer for {edition}): update the "
                    "driver first, then take the NVIDIA edition.",
                    driver=driver_version or "?",
                    need=minimum_driver(oldest.cuda or (11, 8), platform),
                    edition=oldest.label(),
                ),
            )
    return lines


def edition_file_text(key: str, downloads: str = "") -> str:
    """What ``scripts/build_dist --edition KEY`` writes into the bundle."""
    if key not in EDITIONS:
        raise ValueError(f"unknown edition {key!r}: one of {', '.join(EDITIONS)}")
    return json.dumps({"edition": key, "downloads": downloads}) + "\n"


def edition_file_path(resources_dir: str) -> str:
    return os.path.join(resources_dir, EDITION_FILE)
