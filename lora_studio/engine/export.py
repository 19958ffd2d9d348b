"""``main.py export RUN --format gguf|ollama|peft``: a run's result in the formats other tools
read, in pure Python (the ``gguf`` package, safetensors, numpy): no PyTorch, no llama.cpp build.

- ``peft``: Hugging Face PEFT's adapter layout (``adapter_config.json`` +
  ``adapter_model.safetensors``): PaddleFormers' ``lora_A [in, r]`` / ``lora_B [r, out]`` are
  PEFT's ``lora_A.weight [r, in]`` / ``lora_B.weight [out, r]`` under ``base_model.model.``.
- ``gguf``: the merged model (merged first when the run has none) as llama.cpp writes it
  (``convert_hf_to_gguf.py``): its tensor names, the rotary permutation of Q and K rows for
  llama models, metadata, and the tokenizer (tokens, merges, types, special ids, the
  pre-tokenizer name, the chat template). 2-D weights in f32, f16, bf16, q8_0 or q4_0.
- ``ollama``: the GGUF plus a ``Modelfile`` whose TEMPLATE, SYSTEM and stop parameters come
  from the chat template (ChatML, the template of the demo model, Qwen2.5 and Qwen3).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import Any

from lora_studio.core import events as ev
from lora_studio.core.atomic import make_readable
from lora_studio.core.events import ErrorKind
from lora_studio.core.export_plan import FORMATS, K_QUANTS, QUANTS
from lora_studio.core.messages import say
from lora_studio.core.runs import ADAPTER, ADAPTER_CONFIG, EXPORT_DIR, MERGED_DIR
from lora_studio.engine import gguf_import as gi
from lora_studio.engine.errors import EngineError
from lora_studio.engine.gguf_rope import add_rope_scaling
from lora_studio.engine.loading import Emit, find_adapter_dir
from lora_studio.engine.merge import adapter_pairs, lora_scaling, run_merge, weight_shards
from lora_studio.engine.ollama import install_in_ollama, modelfile_text
from lora_studio.engine.quantize import k_quantize, llama_quantize

HF_TO_GGUF = {hf: g for g, hf in gi.GLOBAL_TENSORS.items()}
BLOCK_TO_GGUF = {hf: g for g, hf in gi.BLOCK_TENSORS.items()}
NORMAL, CONTROL, USER_DEFINED = 1, 3, 4


def run_export(
    run: str,
    fmt: str,
    emit: Emit,
    quant: str = "f16",
    output: str = "",
    name: str = "",
    install: bool = False,
) -> ev.Finished:
    started = time.time()
    if fmt not in FORMATS or quant not in QUANTS + K_QUANTS:
        raise EngineError(
            ErrorKind.BAD_CONFIG,
            say(
                "--format must be one of {formats} and --quant one of {quants}.",
                formats=list(FORMATS),
                quants=list(QUANTS + K_QUANTS),
            ),
        )
    run = os.path.abspath(run)
    adapter_dir = find_adapter_dir(run)
    run_dir = run if os.path.isdir(os.path.join(run, ADAPTER)) else os.path.dirname(adapter_dir)
    emit(ev.Started(command="export", run_dir=run_dir, pid=os.getpid()))
    stem = name or os.path.basename(run_dir.rstrip(os.sep)) or "model"
    quantize = llama_quantize() if quant in K_QUANTS and fmt != "peft" else None
    if fmt == "peft":
        out = output or os.path.join(run_dir, EXPORT_DIR, "peft")
        export_peft(adapter_dir, out)
    else:
        merged = os.path.join(run_dir, MERGED_DIR)
        if not os.path.isfile(os.path.join(merged, "config.json")):
            emit(ev.Log(message="Merging the adapter first"))
            run_merge(adapter_dir, merged, emit)
        folder = output or os.path.join(run_dir, EXPORT_DIR, fmt)
        os.makedirs(folder, exist_ok=True)
        gguf_path = os.path.join(folder, f"{stem}-{quant}.gguf")
        readable_gguf(
            merged,
            gguf_path + ".f16" if quantize else gguf_path,
            "f16" if quantize else quant,
            progress=lambda share: emit(
                ev.Loading(stage="weights", progress=share, message="Writing the GGUF")
            ),
        )
        if quantize:
            k_quantize(quantize, gguf_path + ".f16", gguf_path, quant, emit)
        out = gguf_path
        if fmt == "ollama":
            modelfile = os.path.join(folder, "Modelfile")
            with open(os.path.join(merged, "tokenizer_config.json"), encoding="utf-8") as handle:
                template = json.load(handle).get("chat_template", "")
            with open(modelfile, "w", encoding="utf-8") as handle:
                handle.write(modelfile_text(os.path.basename(gguf_path), template))
            out = folder
            if install:
                install_in_ollama(folder, stem, emit)
    size = _size_of(out)
    emit(ev.Log(message=f"Wrote {size / 1024**2:.1f} MB: {out}"))
    for line in next_steps(fmt, out, stem):
        emit(ev.Log(message=line))
    return ev.Finished(
        status="completed", duration_seconds=time.time() - started, output=os.path.abspath(out)
    )


def _size_of(path: str) -> int:
    from lora_studio.core.library import folder_size

    return os.path.getsize(path) if os.path.isfile(path) else folder_size(path)


def next_steps(fmt: str, out: str, name: str) -> list[str]:
    """What to do with the result, for the terminal (the app says it in its own words)."""
    if fmt == "ollama":
        return [
            f"Next: cd {out} && ollama create {name} -f Modelfile && ollama run {name}",
            "(or run this command again with --install when ollama is on PATH)",
        ]
    if fmt == "peft":
        return [
            "Next: PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(BASE), "
            f"{out!r}) with the base model the run trained on"
        ]
    return [
        f"Next: llama-cli -m {out} -cnv   (llama.cpp), or import the file in LM Studio "
        "(My Models, Import)"
    ]


# ---- PEFT ----
def export_peft(adapter_dir: str, out: str) -> None:
    from safetensors.numpy import save_file

    with open(os.path.join(adapter_dir, ADAPTER_CONFIG), encoding="utf-8") as handle:
        config = json.load(handle)
    lora_scaling(adapter_dir)  # refuses the variants PEFT's plain LoRA would load wrongly
    tensors = {}
    for prefix, (lora_a, lora_b) in adapter_pairs(adapter_dir).items():
        tensors[f"base_model.model.{prefix}.lora_A.weight"] = lora_a.T.copy()
        tensors[f"base_model.model.{prefix}.lora_B.weight"] = lora_b.T.copy()
    modules = sorted({p.rsplit(".", 1)[-1] for p in adapter_pairs(adapter_dir)})
    peft_config = {
        "peft_type": "LORA",
        "task_type": "CAUSAL_LM",
        "base_model_name_or_path": config.get("base_model_name_or_path", ""),
        "r": int(config["r"]),
        "lora_alpha": config["lora_alpha"],
        "lora_dropout": float(config.get("lora_dropout", 0.0)),
        "target_modules": modules,
        "bias": "none",
        "fan_in_fan_out": False,
        "inference_mode": True,
        "init_lora_weights": True,
        "use_rslora": bool(config.get("rslora")),
        "use_dora": False,
        "modules_to_save": None,
        "layers_to_transform": None,
        "layers_pattern": None,
        "rank_pattern": {},
        "alpha_pattern": {},
        "revision": None,
    }
    os.makedirs(out, exist_ok=True)
    weights = os.path.join(out, "adapter_model.safetensors")
    save_file(tensors, weights, metadata={"format": "pt"})
    make_readable(weights)
    with open(os.path.join(out, "adapter_config.json"), "w", encoding="utf-8") as handle:
        json.dump(peft_config, handle, indent=2)
        handle.write("\n")


# ---- GGUF ----
def gguf_arch(config: dict) -> str:
    model_type = config.get("model_type", "")
    if model_type in gi.ARCHITECTURES:
        return model_type
    for arch, (_, class_name) in gi.ARCHITECTURES.items():
        if class_name in config.get("architectures", []):
            return arch
    raise EngineError(
        ErrorKind.UNSUPPORTED,
        say(
            "GGUF export writes {known} models; this one is '{arch}'.",
            known=sorted(gi.ARCHITECTURES),
            arch=model_type or "unknown",
        ),
    )


def pre_tokenizer_name(tokenizer: dict, arch: str) -> str:
    """``tokenizer.ggml.pre``: the name whose regexes (gguf_import.PRE_TOKENIZERS, llama.cpp's
    own) are the ones this tokenizer splits with; else the usual one of the architecture."""
    pre = tokenizer.get("pre_tokenizer") or {}
    steps = pre.get("pretokenizers", [pre]) if pre.get("type") == "Sequence" else [pre]
    patterns = [(s.get("pattern") or {}).get("Regex") for s in steps if s.get("type") == "Split"]
    digits = any(s.get("type") == "Digits" for s in steps)
    for name, splits in gi.PRE_TOKENIZERS.items():
        if patterns and patterns == splits:
            return name
    if digits:
        return "smollm"
    if patterns and patterns[0] == gi.QWEN2_SPLIT:
        return "qwen2"
    if patterns and patterns[0] == gi.LLAMA3_SPLIT:
        return "llama-bpe"
    return "qwen2" if arch in ("qwen2", "qwen3") else "gpt2"


def readable_gguf(folder: str, path: str, quant: str, progress: Callable[[float], None]) -> None:
    """``export_gguf``, with a merged folder whose config, tokenizer or weights cannot be read
    (damaged, edited by hand, of another layout) reported as such, by file and reason."""
    from safetensors import SafetensorError

    try:
        export_gguf(folder, path, quant, progress)
    except EngineError:
        raise
    except (
        OSError,
        ValueError,
        KeyError,
        TypeError,
        IndexError,
        AttributeError,
        RecursionError,
        ArithmeticError,
    ) as exc:
        _remove(path + ".part")
        if isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError):
            raise  # a full disk or a permission: the engine's own reporting says which
        raise bad_merged_folder(folder, exc) from exc
    except SafetensorError as exc:
        _remove(path + ".part")
        raise bad_merged_folder(folder, exc) from exc


def bad_merged_folder(folder: str, exc: BaseException) -> EngineError:
    reason = f"{type(exc).__name__}: {exc}"[:300]
    return EngineError(
        ErrorKind.BAD_MODEL_FILE,
        say(
            "The merged model in {folder} cannot be exported: its config.json, tokenizer.json "
            "or weights do not read as a model ({reason}).",
            folder=folder,
            reason=reason,
        ),
        say("Delete the run's merged folder and export again: the merge is made anew."),
    )


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def export_gguf(
    folder: str, path: str, quant: str = "f16", progress: Callable[[float], None] | None = None
) -> None:
    import gguf
    import ml_dtypes  # noqa: F401 - teaches numpy (and so safetensors) bfloat16
    import numpy as np
    from safetensors import safe_open

    with open(os.path.join(folder, "config.json"), encoding="utf-8") as handle:
        config = json.load(handle)
    with open(os.path.join(folder, "tokenizer.json"), encoding="utf-8") as handle:
        tokenizer = json.load(handle)
    tokenizer_config = {}
    if os.path.isfile(os.path.join(folder, "tokenizer_config.json")):
        with open(os.path.join(folder, "tokenizer_config.json"), encoding="utf-8") as handle:
            tokenizer_config = json.load(handle)
    arch = gguf_arch(config)
    heads, kv_heads = (
        config["num_attention_heads"],
        config.get("num_key_value_heads", config["num_attention_heads"]),
    )
    head_dim = config.get("head_dim") or config["hidden_size"] // heads
    tmp = path + ".part"
    writer = gguf.GGUFWriter(tmp, arch)
    writer.add_name(os.path.basename(folder.rstrip(os.sep)))
    writer.add_context_length(config.get("max_position_embeddings", 4096))
    writer.add_embedding_length(config["hidden_size"])
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_layer_norm_rms_eps(config.get("rms_norm_eps", 1e-6))
    writer.add_rope_freq_base(float(config.get("rope_theta", 10000.0)))
    rope_freqs = add_rope_scaling(writer, config, head_dim)
    if arch == "qwen3" or head_dim != config["hidden_size"] // heads:
        writer.add_key_length(head_dim)
        writer.add_value_length(head_dim)
    else:
        writer.add_rope_dimension_count(head_dim)
    writer.add_file_type(
        {"f32": 0, "f16": 1, "q4_0": 2, "q8_0": 7, "bf16": 32}[quant]  # llama.cpp's LLAMA_FTYPE
    )
    _add_tokenizer(writer, tokenizer, tokenizer_config, config, arch)

    kind = {
        "f32": gguf.GGMLQuantizationType.F32,
        "f16": gguf.GGMLQuantizationType.F16,
        "bf16": gguf.GGMLQuantizationType.BF16,
        "q8_0": gguf.GGMLQuantizationType.Q8_0,
        "q4_0": gguf.GGMLQuantizationType.Q4_0,
    }[quant]
    shards = weight_shards(folder)
    tied = config.get("tie_word_embeddings", False)
    for number, shard in enumerate(shards, start=1):
        with safe_open(os.path.join(folder, shard), framework="np") as handle:
            for name in handle.keys():
                if tied and name == "lm_head.weight":
                    continue
                target = gguf_name(name)
                if target is None:
                    raise EngineError(
                        ErrorKind.UNSUPPORTED,
                        say("GGUF export does not know the tensor {name}.", name=name),
                    )
                array = handle.get_tensor(name).astype(np.float32)
                if arch in gi.PERMUTED_QK and target.endswith("attn_q.weight"):
                    array = permute(array, heads)
                elif arch in gi.PERMUTED_QK and target.endswith("attn_k.weight"):
                    array = permute(array, kv_heads)
                _add_tensor(writer, target, array, kind)
        if progress:
            progress(number / (len(shards) + 1))
    if rope_freqs is not None:
        writer.add_tensor("rope_freqs.weight", rope_freqs)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file(progress=False)
    writer.close()
    make_readable(tmp)
    os.replace(tmp, path)


def _add_tensor(writer: Any, name: str, array: Any, kind: Any) -> None:
    import gguf
    import numpy as np

    if array.ndim == 1 or kind == gguf.GGMLQuantizationType.F32:
        writer.add_tensor(name, array.astype(np.float32))
    elif kind == gguf.GGMLQuantizationType.F16:
        writer.add_tensor(name, array.astype(np.float16))
    elif array.shape[-1] % gguf.GGML_QUANT_SIZES[kind][0]:
        writer.add_tensor(name, array.astype(np.float16))  # a row the block size does not divide
    else:
        writer.add_tensor(name, gguf.quants.quantize(array, kind), raw_dtype=kind)


def gguf_name(hf: str) -> str | None:
    """``model.layers.3.self_attn.q_proj.weight`` -> ``blk.3.attn_q.weight`` (gguf_import's
    table read backwards)."""
    base, _, suffix = hf.rpartition(".")
    if base in HF_TO_GGUF:
        return f"{HF_TO_GGUF[base]}.{suffix}"
    parts = base.split(".")
    if len(parts) >= 4 and parts[:2] == ["model", "layers"] and parts[2].isdigit():
        block = BLOCK_TO_GGUF.get(".".join(parts[3:]))
        if block:
            return f"blk.{parts[2]}.{block}.{suffix}"
    return None


def permute(weights: Any, heads: int) -> Any:
    """llama.cpp's converter (``LlamaModel.permute``): Q and K rows in its rotary order."""
    rows = weights.shape[0]
    return (
        weights.reshape(heads, 2, rows // heads // 2, *weights.shape[1:])
        .swapaxes(1, 2)
        .reshape(weights.shape)
    )


def _add_tokenizer(writer: Any, tokenizer: dict, tok_config: dict, config: dict, arch: str) -> None:
    model = tokenizer.get("model", {})
    if model.get("type") != "BPE":
        raise EngineError(
            ErrorKind.UNSUPPORTED,
            say(
                "GGUF export writes byte-level BPE tokenizers; this one is {kind}.",
                kind=str(model.get("type")),
            ),
        )
    vocab = dict(model["vocab"])
    added = {t["content"]: t for t in tokenizer.get("added_tokens", [])}
    for text, token in added.items():
        vocab[text] = token["id"]
    size = max(config.get("vocab_size", 0), max(vocab.values()) + 1)
    if size > 2 * len(vocab) + 100_000:  # a token list that would not fit in memory
        raise ValueError(f"vocab_size {size} for a tokenizer of {len(vocab)} tokens")
    tokens = [f"[PAD{i}]" for i in range(size)]
    types = [USER_DEFINED] * size  # llama.cpp's converter marks unused ids as padding tokens
    for text, index in vocab.items():
        tokens[index] = text
        token = added.get(text)
        types[index] = (CONTROL if token.get("special") else USER_DEFINED) if token else NORMAL
    merges = [m if isinstance(m, str) else " ".join(m) for m in model.get("merges", [])]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre(pre_tokenizer_name(tokenizer, arch))
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)

    def token_id(key: str) -> int | None:
        value = tok_config.get(key)
        if isinstance(value, dict):
            value = value.get("content")
        if isinstance(value, str) and value in vocab:
            return vocab[value]
        number = config.get(f"{key}_id")
        return number if isinstance(number, int) else None

    for key, add in (
        ("bos_token", writer.add_bos_token_id),
        ("eos_token", writer.add_eos_token_id),
        ("pad_token", writer.add_pad_token_id),
    ):
        number = token_id(key)
        if number is not None:
            add(number)
    writer.add_add_bos_token(bool(tok_config.get("add_bos_token", False)))
    template = tok_config.get("chat_template")
    if isinstance(template, str) and template:
        writer.add_chat_template(template)


# ---- Ollama ----
