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
