"""``main.py merge``: fold a LoRA adapter into its base model and save a standalone model.

The verified recipe (STACK.md #5): ``merge()``, then ``restore_original_model()``, then
``save_pretrained()``. Without the restore the saved weights keep ``lora_A``/``lora_B`` keys; the
mergekit path behind ``paddleformers-cli export`` produced wrong weights on CPU.
"""

from __future__ import annotations

import os
import shutil
import time
from typing import Any

from lora_studio.core import events as ev
from lora_studio.core.atomic import recover_dir, replace_dir, temp_dir_for
from lora_studio.core.events import ErrorKind
from lora_studio.engine.demo_model import remove_stray_files
from lora_studio.engine.errors import EngineError
from lora_studio.engine.loading import Emit, load_with_adapter, locate

EXTRA_FILES = ("generation_config.json",)


def run_merge(adapter: str, output: str, emit: Emit, base: str = "") -> ev.Finished:
    started = time.time()
    base, adapter_dir = locate(base, adapter)
    if os.path.abspath(output) == os.path.abspath(base):
        raise EngineError(
            ErrorKind.BAD_CONFIG,
            "The merged model would overwrite its base model.",
            "Choose another --output folder.",
        )
    loaded = load_with_adapter(base, adapter_dir, emit, dtype="float32")
    emit(
        ev.Started(
            command="merge",
            run_dir=os.path.abspath(output),
            model=base,
            device="gpu" if loaded.on_gpu else "cpu",
            pid=os.getpid(),
        )
    )
    tokenizer, lora_model = loaded.tokenizer, loaded.lora_model

    emit(ev.Loading(stage="merge", progress=0.0, message="Merging the adapter"))
    lora_model.merge()
    merged = lora_model.restore_original_model()
    emit(ev.Loading(stage="merge", progress=0.5, message="Saving the merged model"))
    # a merge killed mid-swap last time: the old model goes back first, half-written ones go
    recover_dir(output, drop_unfinished=True)
    tmp = temp_dir_for(output)
    try:
        _save_merged(merged, tokenizer, base, tmp)
        replace_dir(tmp, output)  # the old merged model is retired only once the new one is in
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    emit(ev.Loading(stage="merge", progress=1.0, message="Saving the merged model"))
    return ev.Finished(
        status="completed", duration_seconds=time.time() - started, output=os.path.abspath(output)
    )


def _save_merged(merged: Any, tokenizer: Any, base: str, tmp: str) -> None:
    merged.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    for name in EXTRA_FILES:
        source = os.path.join(base, name)
        if os.path.isfile(source):
            shutil.copy2(source, os.path.join(tmp, name))
    remove_stray_files(tmp)
    lora_keys = lora_keys_in(tmp)
    if lora_keys:
        raise EngineError(
            ErrorKind.INTERNAL,
            "The merged model still holds LoRA weights.",
            "Report this with the adapter's lora_config.json.",
            ", ".join(lora_keys[:5]),
        )


def lora_keys_in(folder: str) -> list[str]:
    """Weight names in a saved model that belong to LoRA layers."""
    from safetensors import safe_open

    keys = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".safetensors"):
            with safe_open(os.path.join(folder, name), framework="np") as handle:
                keys.extend(k for k in handle.keys() if "lora_" in k)
    return keys
