"""What the GUI shows about the machine without importing Paddle: NVML readings, package versions.

NVML is absent on machines without an NVIDIA driver (``NVMLError_LibraryNotFound``): that is
the normal CPU-only case and reads as ``None``, never as an error.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields


@dataclass
class GpuSnapshot:
    index: int
    name: str
    memory_total_mb: float
    memory_used_mb: float
    utilisation: float  # percent
    memory_free_mb: float = 0.0
    compute_capability: tuple[int, int] = (0, 0)

    @property
    def bf16(self) -> bool:
        """Ampere (8.0) and newer compute in bfloat16."""
        return self.compute_capability >= (8, 0)


@dataclass
class GpuReading:
    """What NVML said: the GPUs read, the driver, and a problem to show when a read failed."""

    gpus: list[GpuSnapshot] = field(default_factory=list)
    nvml: bool = False  # the NVIDIA management library is present and started
    driver_version: str = ""
    cuda_driver_version: str = ""  # the newest CUDA the driver runs, '12.6'
    problem: str = ""


def _nvml():
    try:
        import pynvml
    except ImportError:
        return None
    try:
        pynvml.nvmlInit()
    except Exception:  # noqa: BLE001 - NVMLError_LibraryNotFound, DriverNotLoaded, ...
        return None
    return pynvml


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def read_gpus() -> GpuReading:
    """Every NVIDIA GPU through NVML. No library or no driver reads as no GPU (the normal CPU-only
    case); NVML failing in the middle of a read keeps what was read and says what failed."""
    nvml = _nvml()
    if nvml is None:
        return GpuReading()
    reading = GpuReading(nvml=True)
    try:
        reading.driver_version = _text(nvml.nvmlSystemGetDriverVersion())
        version = nvml.nvmlSystemGetCudaDriverVersion()
        reading.cuda_driver_version = f"{version // 1000}.{version % 1000 // 10}"
        for i in range(nvml.nvmlDeviceGetCount()):
            handle = nvml.nvmlDeviceGetHandleByIndex(i)
            memory = nvml.nvmlDeviceGetMemoryInfo(handle)
            util = nvml.nvmlDeviceGetUtilizationRates(handle)
            major, minor = nvml.nvmlDeviceGetCudaComputeCapability(handle)
            reading.gpus.append(
                GpuSnapshot(
                    i,
                    _text(nvml.nvmlDeviceGetName(handle)),
                    memory.total / 2**20,
                    memory.used / 2**20,
                    float(util.gpu),
                    memory.free / 2**20,
                    (int(major), int(minor)),
                )
            )
    except Exception as exc:  # noqa: BLE001 - a GPU that vanishes mid-read, a driver reset
        reading.problem = f"Reading the GPU through NVML failed: {exc or type(exc).__name__}"
    for gpu in reading.gpus:
        if gpu.memory_total_mb > 0 and gpu.memory_free_mb <= 0:
            reading.problem = (
                f"{gpu.name} reports no free memory: another program is using all of it. "
                "Close games, other training or browser tabs using the GPU, then detect again."
            )
    return reading


def cuda_driver_version() -> str:
    """The CUDA version the NVIDIA driver supports ('12.6'), or '' without a driver."""
    return read_gpus().cuda_driver_version


def gpu_snapshots() -> list[GpuSnapshot]:
    """One reading per GPU; an empty list when there is no NVIDIA GPU or NVML fails."""
    return read_gpus().gpus


# Paddle 3.3's CUDA builds and the package index of each (https://www.paddlepaddle.org.cn/install)
PADDLE_CUDA_BUILDS = ((12, 9), (12, 6), (11, 8))
PADDLE_INDEX = "https://www.paddlepaddle.org.cn/packages/stable/cu{major}{minor}/"


def gpu_build_command(cuda_driver: str, paddle_version: str = "3.3.1") -> str:
    """The pip command for the GPU build of Paddle that this driver can run, or '' when the
    driver is older than every build (then the driver needs updating)."""
    try:
        major, minor = (int(x) for x in cuda_driver.split(".")[:2])
    except ValueError:
        return ""
    for build in PADDLE_CUDA_BUILDS:
        if (major, minor) >= build:
            index = PADDLE_INDEX.format(major=build[0], minor=build[1])
            return f"python -m pip install paddlepaddle-gpu=={paddle_version} -i {index}"
    return ""


@dataclass
class SystemInfo:
    cpu_name: str
    cores: int  # physical cores (logical when unknown)
    ram_total_mb: float
    ram_available_mb: float
    disk_free_mb: float  # at the runs folder
    disk_path: str


def system_info(path: str) -> SystemInfo:
    import platform
    import shutil

    import psutil

    memory = psutil.virtual_memory()
    probe = path
    while probe and not os.path.exists(probe):  # the runs folder may not exist yet
        parent = os.path.dirname(probe)
        probe = "" if parent == probe else parent
    try:
        free = shutil.disk_usage(probe or os.getcwd()).free / 2**20
    except OSError:
        free = 0.0
    return SystemInfo(
        cpu_name=_cpu_name() or platform.machine(),
        cores=psutil.cpu_count(logical=False) or os.cpu_count() or 1,
        ram_total_mb=memory.total / 2**20,
        ram_available_mb=memory.available / 2**20,
        disk_free_mb=free,
        disk_path=path,
    )


def _cpu_name() -> str:
    import platform

    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


@dataclass
class PaddleProbe:
    """What the installed Paddle build can do, found by ``main.py probe`` in a child process."""

    version: str = ""
    cuda: str = ""  # the CUDA version the build was compiled with; '' for the CPU build
    gpu_count: int = 0  # GPUs the build sees
    bf16: bool = False
    low_bit: list[str] = field(default_factory=list)  # int8 / int4 weight-only training
    problem: str = ""  # why a probe step failed

    @property
    def cpu_build(self) -> bool:
        return not self.cuda

    @classmethod
    def from_dict(cls, data: dict) -> PaddleProbe:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def package_version(*names: str) -> str:
    """The installed version of the first of ``names`` that is installed, or ''."""
    import importlib.metadata  # 20 ms: only when asked

    for name in names:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return ""


def paddle_build() -> str:
    """'3.3.1 (CPU)' or '3.3.1 (GPU)' from package metadata, without importing Paddle."""
    gpu = package_version("paddlepaddle-gpu")
    if gpu:
        return f"{gpu} (GPU)"
    cpu = package_version("paddlepaddle")
    return f"{cpu} (CPU)" if cpu else ""


def parse_probe_output(stdout: str) -> PaddleProbe | None:
    """The answer of ``main.py probe``: its last JSON line, or None when there is none."""
    import json

    for line in reversed(stdout.splitlines()):
        if line.startswith("{"):
            try:
                return PaddleProbe.from_dict(json.loads(line))
            except (ValueError, TypeError):
                return None
    return None


def probe_paddle(command: list[str], timeout: float = 120.0) -> PaddleProbe:
    """Run ``main.py probe`` (``command``) in a child process and read its answer."""
    import subprocess

    from lora_studio.core.paths import no_window_flags

    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            creationflags=no_window_flags(),
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return PaddleProbe(problem=f"The Paddle probe could not run: {exc}")
    probe = parse_probe_output(result.stdout)
    if probe is not None:
        return probe
    tail = (result.stderr or "").strip().splitlines()[-3:]
    return PaddleProbe(problem="The Paddle probe failed: " + " ".join(tail))
