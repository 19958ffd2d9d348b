"""Ollama: the Modelfile made from the chat template the model was trained with, and
``ollama create`` when the command is on PATH."""

from __future__ import annotations

from lora_studio.core import events as ev
from lora_studio.core.events import ErrorKind
from lora_studio.core.messages import say
from lora_studio.core.paths import no_window_flags
from lora_studio.engine.errors import EngineError
from lora_studio.engine.loading import Emit

CHATML_TEMPLATE = (
    "{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}"
    "<|im_start|>assistant\n"
)
# Llama 3's header format (Llama 3, 3.1, 3.2 Instruct); the GGUF's add_bos_token puts
# <|begin_of_text|> first, as the Jinja template's bos_token does.
LLAMA3_TEMPLATE = (
    "{{- range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>\n\n"
    "{{ .Content }}<|eot_id|>{{ end }}<|start_header_id|>assistant<|end_header_id|>\n\n"
)
# (marker in the chat template, Ollama TEMPLATE, stop strings)
OLLAMA_FORMATS = (
    ("<|im_start|>", CHATML_TEMPLATE, ("<|im_end|>", "<|im_start|>")),
    ("<|start_header_id|>", LLAMA3_TEMPLATE, ("<|eot_id|>", "<|start_header_id|>")),
)


def default_system(template: str) -> str:
    """The system prompt a ChatML template adds when the conversation has none (SmolLM2's
    "You are a helpful AI assistant named SmolLM…", Qwen2.5's "You are Qwen…")."""
    import re

    found = re.search(r"<\|im_start\|>system(?:\n|\\n)([^<{]+?)<\|im_end\|>", template)
    return found.group(1) if found else ""


def modelfile_text(gguf_file: str, template: str) -> str:
    found = [(go, stops) for marker, go, stops in OLLAMA_FORMATS if marker in template]
    if not found:
        raise EngineError(
            ErrorKind.UNSUPPORTED,
            say(
                "The Ollama export knows ChatML and Llama 3 chat templates; this model uses "
                "another one."
            ),
            say("Export as GGUF and write the Modelfile's TEMPLATE by hand."),
        )
    go_template, stops = found[0]
    system = default_system(template)
    lines = [f"FROM ./{gguf_file}", f'TEMPLATE """{go_template}"""']
    if system:
        lines.append(f'SYSTEM """{system}"""')
    lines += [f'PARAMETER stop "{stop}"' for stop in stops]
    return "\n".join(lines) + "\n"


def install_in_ollama(folder: str, name: str, emit: Emit) -> None:
    """``ollama create NAME -f Modelfile`` in ``folder``, when ollama is on PATH."""
    import shutil
    import subprocess

    ollama = shutil.which("ollama")
    if ollama is None:
        raise EngineError(
            ErrorKind.UNSUPPORTED,
            say("--install needs the ollama command, and it is not on PATH."),
            say(
                "Install Ollama from ollama.com, or run 'ollama create NAME -f Modelfile' in "
                "{folder} later.",
                folder=folder,
            ),
        )
    emit(ev.Log(message=f"Running: ollama create {name} -f Modelfile"))
    done = subprocess.run(
        [ollama, "create", name, "-f", "Modelfile"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        creationflags=no_window_flags(),
    )
    if done.returncode != 0:
        raise EngineError(
            ErrorKind.INTERNAL,
            say("ollama create failed: {reason}", reason=(done.stderr or done.stdout)[-500:]),
            say(
                "The GGUF and the Modelfile are in {folder}; try the command there.", folder=folder
            ),
        )
