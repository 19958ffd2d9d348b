"""The exported GGUF checked by llama.cpp itself (llama-cpp-python, built from source by
scripts/test with the flags STACK.md found to run here), not by our own reader."""

import json

import pytest
from conftest import MEMORISE_RECORDS, events_of, prompt_of, run_cli

llama_cpp = pytest.importorskip("llama_cpp", reason="llama-cpp-python is in requirements-dev")


def export(run, quant, out):
    result = run_cli("export", str(run), "--format", "gguf", "--quant", quant,
                     "--output", str(out), "--events", "jsonl")  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return [e for e in events_of(result.stdout) if e["type"] == "finished"][0]["output"]


def greedy_replies(path):
    model = llama_cpp.Llama(model_path=path, n_ctx=512, n_threads=2, verbose=False, seed=0)
    replies = []
    for record in MEMORISE_RECORDS:
        answer = model.create_chat_completion(  # the GGUF's own chat template
            messages=[{"role": "user", "content": prompt_of(record)}],
            temperature=0.0,
            top_k=1,
            max_tokens=96,
        )
        replies.append(answer["choices"][0]["message"]["content"])
    return model, replies


@pytest.mark.parametrize("quant", ["f16", "q8_0"])
def test_llama_cpp_answers_as_the_engine_does(quant, memorised_run, merged_model, tmp_path):
    """The records' greedy answers: `chat --greedy` gives each record's output word for word
    (test_engine_train); llama.cpp on the f16 GGUF gives the same for all, on q8_0 for all but
    one (its quantised kernels round differently)."""
    model, replies = greedy_replies(export(memorised_run, quant, tmp_path / quant))
    wrong = [
        (r["output"], reply) for r, reply in zip(MEMORISE_RECORDS, replies, strict=True)
        if reply.strip() != r["output"]
    ]  # fmt: skip
    assert len(wrong) <= (0 if quant == "f16" else 1), wrong


def test_llama_cpp_tokenises_mixed_text_as_the_engine_does(memorised_run, tiny_model, tmp_path):
    from tokenizers import Tokenizer

    path = export(memorised_run, "f16", tmp_path / "tok")
    model = llama_cpp.Llama(model_path=path, n_ctx=64, vocab_only=True, verbose=False)
    engine = Tokenizer.from_file(str(tiny_model / "tokenizer.json"))  # the engine's own file
    texts = [prompt_of(r) + r["output"] for r in MEMORISE_RECORDS] + [
        "LoRA 微调 2024 年 v1.5：DDoS 攻击 ... ok?!  spaces\n\n新行"
    ]
    for text in texts:
        ours = engine.encode(text, add_special_tokens=False).ids
        theirs = model.tokenize(text.encode("utf-8"), add_bos=False, special=False)
        assert theirs == ours, text
    metadata = model.metadata
    assert json.loads(json.dumps(metadata))["tokenizer.ggml.pre"] == "qwen2"


@pytest.mark.parametrize("quant", ["q6_k", "q4_k_m"])
def test_k_quants_by_llama_cpp_answer_the_memorised_records(quant, memorised_run, tmp_path):
    """No llama-quantize executable here: the export quantises with libllama's own
    llama_model_quantize through llama-cpp-python. The file holds K-quant tensors where their
    rows allow (the tiny model's 256-wide down_proj; 128-wide rows fall back, as in
    llama-quantize), and llama.cpp still answers the memorised records."""
    from gguf import GGMLQuantizationType, GGUFReader

    path = export(memorised_run, quant, tmp_path / quant)
    assert path.endswith(f"-{quant}.gguf") and not list((tmp_path / quant).glob("*.f16"))
    types = {t.tensor_type for t in GGUFReader(path).tensors}
    wanted = GGMLQuantizationType.Q6_K if quant == "q6_k" else GGMLQuantizationType.Q4_K
    assert wanted in types, types
    _model, replies = greedy_replies(path)
    right = sum(
        reply.strip() == r["output"] for r, reply in zip(MEMORISE_RECORDS, replies, strict=True)
    )
    assert right >= len(MEMORISE_RECORDS) - (1 if quant == "q6_k" else 2), replies


ROPE_SCALINGS = {
    # Llama 3.1 / 3.2's: a rope_freqs tensor. The original context is tiny so that the factors
    # differ from 1 at the head size of the test model (16), and positions up to 60 feel them.
    "llama3": {
        "rope_type": "llama3",
        "factor": 8.0,
        "low_freq_factor": 1.0,
        "high_freq_factor": 4.0,
        "original_max_position_embeddings": 16,
    },
    "linear": {"rope_type": "linear", "factor": 4.0},
}


@pytest.mark.parametrize("kind", sorted(ROPE_SCALINGS))
def test_rope_scaling_reaches_llama_cpp(kind, tiny_model, tmp_path):
    """A Llama with rope scaling, exported as F32: llama.cpp's logits over 60 positions equal
    Paddle's for the same folder; the same weights exported without the scaling do not."""
    import numpy as np
    from gguf_files import tiny_llama_folder
    from test_gguf_import import logits

    from lora_studio.engine.export import export_gguf

    folder = tiny_llama_folder(tiny_model, tmp_path / "scaled")
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    config["max_position_embeddings"] = 256
    plain = dict(config)
    config["rope_scaling"] = ROPE_SCALINGS[kind]
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    ids = [(7 + 37 * i) % 900 + 3 for i in range(60)]
    (want,) = logits(folder, ids=ids)

    def llama_cpp_logits(config_used, name):
        (folder / "config.json").write_text(json.dumps(config_used), encoding="utf-8")
        path = tmp_path / f"{name}.gguf"
        export_gguf(str(folder), str(path), "f32")
        model = llama_cpp.Llama(
            model_path=str(path), n_ctx=128, logits_all=True, n_threads=2, verbose=False
        )
        model.eval(ids)
        return np.array(model.scores[: len(ids)])

    scaled = llama_cpp_logits(config, "scaled")
    unscaled = llama_cpp_logits(plain, "plain")
    want = want[0]
    assert want.std() > 0.1
    error = np.abs(scaled - want).max()
    # measured: 1.5e-3 for both kinds (f32 kernels summing in another order), against 1.5 and
    # 1.9 for the unscaled export
    assert error < 5e-3, error
    assert np.abs(unscaled - want).max() > 100 * max(error, 1e-4)  # the scaling mattered
