"""K-quants (q2_k ... q6_k) of an f16 GGUF, by llama.cpp's own quantiser: the llama-quantize
executable when one is found, else libllama's llama_model_quantize through llama-cpp-python.
The gguf package writes F16/BF16/Q8_0/Q4_0 itself (engine/export.py) but has no K-quant writer."""

from __future__ import annotations

import os

from lora_studio.core import events as ev
from lora_studio.core.events import ErrorKind
from lora_studio.core.export_plan import quantize_executable
from lora_studio.core.messages import say
from lora_studio.core.paths import no_window_flags
from lora_studio.engine.errors import EngineError
from lora_studio.engine.loading import Emit

# llama-cpp-python's bindings carry llama.cpp's quantiser (libllama's llama_model_quantize): the
# same code as the llama-quantize executable, which that package does not install.
IN_PROCESS = "llama_cpp"


def llama_quantize() -> str:
    """llama.cpp's ``llama-quantize`` on PATH (or LLAMA_QUANTIZE), else ``IN_PROCESS`` when
    llama-cpp-python is installed, or a plain refusal before anything slow starts."""
    found = quantize_executable()
    if found:
        return found
    try:  # imported, not only found: its libllama must load on this machine too
        import llama_cpp  # noqa: F401
    except (ImportError, OSError):
        pass
    else:
        return IN_PROCESS
    raise EngineError(
        ErrorKind.UNSUPPORTED,
        say(
            "K-quants (q4_k_m and the like) are written by llama.cpp's llama-quantize, "
            "which is not on PATH."
        ),
        say(
            "Export q8_0 or q4_0 instead, or install llama.cpp and put llama-quantize on "
            "PATH (or set LLAMA_QUANTIZE to its path), or pip install llama-cpp-python."
        ),
    )


def k_quantize(tool: str, source: str, target: str, quant: str, emit: Emit) -> None:
    emit(ev.Log(message=f"Quantising to {quant.upper()} with llama.cpp"))
    try:
        if tool == IN_PROCESS:
            failure = _quantize_in_process(source, target, quant)
        else:
            failure = _quantize_with_tool(tool, source, target, quant)
    finally:
        if os.path.exists(source):
            os.remove(source)
    if failure:
        if os.path.exists(target):
            os.remove(target)
        raise EngineError(
            ErrorKind.INTERNAL, say("llama-quantize failed: {reason}", reason=failure[-500:])
        )


def _quantize_with_tool(tool: str, source: str, target: str, quant: str) -> str:
    import subprocess

    done = subprocess.run(
        [tool, source, target, quant.upper()],
        capture_output=True,
        text=True,
        check=False,
        creationflags=no_window_flags(),
    )
    return "" if done.returncode == 0 else (done.stderr or done.stdout or f"exit {done.returncode}")


def _quantize_in_process(source: str, target: str, quant: str) -> str:
    import ctypes

    import llama_cpp

    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = getattr(llama_cpp, f"LLAMA_FTYPE_MOSTLY_{quant.upper()}")
    params.nthread = os.cpu_count() or 1
    code = llama_cpp.llama_model_quantize(
        os.fsencode(source), os.fsencode(target), ctypes.byref(params)
    )
    return "" if code == 0 else f"llama_model_quantize returned {code}"
