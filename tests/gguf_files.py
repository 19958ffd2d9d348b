"""GGUF files for the importer's tests, written with the ``gguf`` package the way llama.cpp's
``convert_hf_to_gguf.py`` writes them: names, metadata keys, 1-D tensors in F32, and the rotary
permutation of Q and K rows (``LlamaModel.permute``) for llama models.

``tiny_llama_folder`` makes the original: a small Llama with random weights in Hugging Face's
layout, using the tiny test model's byte-level BPE tokenizer.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np

SHAPE = {"hidden": 64, "layers": 2, "heads": 4, "kv_heads": 2, "ffn": 128}


def permute(weights: np.ndarray, heads: int) -> np.ndarray:
    """llama.cpp's converter, ``LlamaModel.permute``."""
    rows = weights.shape[0]
    return (
        weights.reshape(heads, 2, rows // heads // 2, *weights.shape[1:])
        .swapaxes(1, 2)
        .reshape(weights.shape)
    )


def tiny_llama_folder(tokenizer_dir: Path, out: Path, seed: int = 0) -> Path:
    """A Hugging Face-layout Llama (random weights) with the tokenizer of ``tokenizer_dir``."""
    from safetensors.numpy import save_file

    out.mkdir(parents=True, exist_ok=True)
    for name in ("tokenizer.json", "tokenizer_config.json", "vocab.json", "merges.txt"):
        shutil.copy(tokenizer_dir / name, out / name)
    vocab = json.loads((tokenizer_dir / "tokenizer.json").read_text(encoding="utf-8"))
    size = len(vocab["model"]["vocab"]) + len(
        [t for t in vocab["added_tokens"] if t["content"] not in vocab["model"]["vocab"]]
    )
    h, n, heads, kv, ffn = (SHAPE[k] for k in ("hidden", "layers", "heads", "kv_heads", "ffn"))
    hd = h // heads
    rng = np.random.default_rng(seed)

    def w(*shape: int, std: float = 0.08) -> np.ndarray:
        return (rng.standard_normal(shape) * std).astype(np.float32)

    tensors = {"model.embed_tokens.weight": w(size, h, std=0.1), "model.norm.weight": 1 + w(h)}
    for i in range(n):
        p = f"model.layers.{i}."
        tensors |= {
            p + "self_attn.q_proj.weight": w(heads * hd, h),
            p + "self_attn.k_proj.weight": w(kv * hd, h),
            p + "self_attn.v_proj.weight": w(kv * hd, h),
            p + "self_attn.o_proj.weight": w(h, heads * hd),
            p + "mlp.gate_proj.weight": w(ffn, h),
            p + "mlp.up_proj.weight": w(ffn, h),
            p + "mlp.down_proj.weight": w(h, ffn),
            p + "input_layernorm.weight": 1 + w(h),
            p + "post_attention_layernorm.weight": 1 + w(h),
        }
    save_file(tensors, str(out / "model.safetensors"), metadata={"format": "pt"})
    eos = vocab["model"]["vocab"].get("<|im_end|>", 0)
    config = {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "hidden_size": h,
        "intermediate_size": ffn,
        "num_hidden_layers": n,
        "num_attention_heads": heads,
        "num_key_value_heads": kv,
        "max_position_embeddings": 512,
        "rms_norm_eps": 1e-5,
        "rope_theta": 10000.0,
        "vocab_size": size,
        "tie_word_embeddings": True,
        "hidden_act": "silu",
        "bos_token_id": eos,
        "eos_token_id": eos,
        "pad_token_id": 0,
        "fuse_rms_norm": False,
        "dtype": "float32",
    }
    (out / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    return out


def write_gguf(
    folder: Path, path: Path, qtype: str = "F32", arch: str = "llama", pre: str = "qwen2"
) -> Path:
    """The Hugging Face folder ``folder`` (from ``tiny_llama_folder``) as a GGUF at ``path``.
    ``qtype`` is the type of the 2-D weights (F32, F16, Q8_0, Q4_0 ...)."""
    import gguf
    from safetensors.numpy import load_file

    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    tokenizer = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    tensors = load_file(str(folder / "model.safetensors"))
    vocab = {
        **tokenizer["model"]["vocab"],
        **{t["content"]: t["id"] for t in tokenizer["added_tokens"]},
    }
    tokens = [""] * config["vocab_size"]
    for text, index in vocab.items():
        tokens[index] = text
    special = {t["id"] for t in tokenizer["added_tokens"] if t.get("special")}
    merges = [m if isinstance(m, str) else " ".join(m) for m in tokenizer["model"]["merges"]]

    writer = gguf.GGUFWriter(str(path), arch)
    writer.add_name("tiny test llama")
    writer.add_context_length(config["max_position_embeddings"])
    writer.add_embedding_length(config["hidden_size"])
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_head_count(config["num_attention_heads"])
    writer.add_head_count_kv(config["num_key_value_heads"])
    writer.add_layer_norm_rms_eps(config["rms_norm_eps"])
    writer.add_rope_freq_base(config["rope_theta"])
    writer.add_rope_dimension_count(config["hidden_size"] // config["num_attention_heads"])
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre(pre)
    writer.add_token_list(tokens)
    writer.add_token_types([3 if i in special else 1 for i in range(len(tokens))])
    writer.add_token_merges(merges)
    writer.add_bos_token_id(config["bos_token_id"])
    writer.add_eos_token_id(config["eos_token_id"])
    writer.add_pad_token_id(config["pad_token_id"])
    template = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8")).get(
        "chat_template"
    )
    if template:
        writer.add_chat_template(template)

    names = {
        "model.embed_tokens": "token_embd",
        "model.norm": "output_norm",
        "lm_head": "output",
    }
    blocks = {
        "self_attn.q_proj": "attn_q",
        "self_attn.k_proj": "attn_k",
        "self_attn.v_proj": "attn_v",
        "self_attn.o_proj": "attn_output",
        "mlp.gate_proj": "ffn_gate",
        "mlp.up_proj": "ffn_up",
        "mlp.down_proj": "ffn_down",
        "input_layernorm": "attn_norm",
        "post_attention_layernorm": "ffn_norm",
    }
    kind = gguf.GGMLQuantizationType[qtype]
    for name, array in tensors.items():
        base = name.removesuffix(".weight")
        if base in names:
            target = names[base]
        else:
            parts = base.split(".")
            target = f"blk.{parts[2]}.{blocks['.'.join(parts[3:])]}"
        if arch == "llama" and target.endswith("attn_q"):
            array = permute(array, config["num_attention_heads"])
        elif arch == "llama" and target.endswith("attn_k"):
            array = permute(array, config["num_key_value_heads"])
        if array.ndim == 1 or kind == gguf.GGMLQuantizationType.F32:
            writer.add_tensor(target + ".weight", array.astype(np.float32))
        elif kind == gguf.GGMLQuantizationType.F16:
            writer.add_tensor(target + ".weight", array.astype(np.float16))
        else:
            writer.add_tensor(target + ".weight", gguf.quants.quantize(array, kind), raw_dtype=kind)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
