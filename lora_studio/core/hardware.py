"""What the GUI shows about the machine without importing Paddle: NVML readings, package versions.

NVML is absent on machines without an NVIDIA driver (``NVMLError_LibraryNotFound``): that is
the normal CPU-only case and reads as ``None``, never as an error.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class GpuSnapshot:
    index: int
    name: str
    memory_total_mb: float
    memory_used_mb: float
    utilisation: float  # percent


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


def cuda_driver_version() -> str:
    """The CUDA version the NVIDIA driver supports ('12.6'), or '' without a driver."""
    nvml = _nvml()
    if nvml is None:
        return ""
    try:
        version = nvml.nvmlSystemGetCudaDriverVersion()
    except Exception:  # noqa: BLE001
        return ""
    return f"{version // 1000}.{version % 1000 // 10}"


def gpu_snapshots() -> list[GpuSnapshot]:
    """One reading per GPU; an empty list when there is no NVIDIA GPU or NVML fails."""
    nvml = _nvml()
    if nvml is None:
        return []
    out = []
    try:
        for i in range(nvml.nvmlDeviceGetCount()):
            handle = nvml.nvmlDeviceGetHandleByIndex(i)
            name = nvml.nvmlDeviceGetName(handle)
            memory = nvml.nvmlDeviceGetMemoryInfo(handle)
            util = nvml.nvmlDeviceGetUtilizationRates(handle)
            out.append(
                GpuSnapshot(
                    i,
                    name.decode() if isinstance(name, bytes) else name,
                    memory.total / 2**20,
                    memory.used / 2**20,
                    float(util.gpu),
                )
            )
    except Exception:  # noqa: BLE001 - a GPU that vanishes mid-read reads as no GPU
        return out
    return out


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
