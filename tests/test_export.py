"""Export: a merged model that transformers takes as its own, PEFT's adapter layout, GGUF that
imports back to the same answers, and an Ollama Modelfile that renders like the chat template.

llama.cpp itself (llama-cpp-python) is not yet part of the suite: see issue 14's note."""

import json
import shutil
import stat

import numpy as np
import pytest
from conftest import MEMORISE_RECORDS, assert_no_traceback, events_of, prompt_of, run_cli
from safetensors import safe_open


def tensors_of(folder):
    shapes, dtypes = {}, {}
    for path in sorted(folder.glob("*.safetensors")):
        with safe_open(str(path), framework="np") as handle:
            for name in handle.keys():
                array = handle.get_tensor(name)
                shapes[name], dtypes[name] = array.shape, str(array.dtype)
    return shapes, dtypes


def listing(folder):
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def bf16_base(tiny_model, tmp_path_factory):
    """The tiny model as a bf16 checkpoint with the chat template in chat_template.jinja, as
    transformers 4.5x saves it."""
    import ml_dtypes
    from safetensors.numpy import load_file, save_file

    out = tmp_path_factory.mktemp("bf16") / "base"
    shutil.copytree(tiny_model, out)
    for shard in out.glob("*.safetensors"):
        weights = load_file(str(shard))
        save_file({k: v.astype(ml_dtypes.bfloat16) for k, v in weights.items()},
                  str(shard), metadata={"format": "pt"})  # fmt: skip
    config = json.loads((out / "config.json").read_text())
    config["torch_dtype"] = config["dtype"] = "bfloat16"
    (out / "config.json").write_text(json.dumps(config))
    tok = json.loads((out / "tokenizer_config.json").read_text())
    (out / "chat_template.jinja").write_text(tok.pop("chat_template"))
    (out / "tokenizer_config.json").write_text(json.dumps(tok))
    return out


def test_the_merged_model_of_a_bf16_base_is_the_base_with_its_names_dtype_and_template(
    bf16_base, memorised_run, tmp_path
):
    before = {"base": listing(bf16_base), "adapter": listing(memorised_run / "adapter")}
    out = tmp_path / "merged"
    result = run_cli(
        "merge", "--adapter", str(memorised_run), "--model", str(bf16_base), "--output", str(out)
    )
    assert result.returncode == 0, result.stderr[-2000:]
    base_shapes, base_dtypes = tensors_of(bf16_base)
    shapes, dtypes = tensors_of(out)
    assert shapes == base_shapes  # exactly the base's names: no added biases, no LoRA keys
    assert set(dtypes.values()) == {"bfloat16"}
    template = (bf16_base / "chat_template.jinja").read_text()
    assert json.loads((out / "tokenizer_config.json").read_text())["chat_template"] == template
    assert json.loads((out / "config.json").read_text())["torch_dtype"] == "bfloat16"
    for name in ("tokenizer.json", "vocab.json", "merges.txt"):
        assert (out / name).read_bytes() == (bf16_base / name).read_bytes()
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) & 0o044 == 0o044, path  # others may read
    assert {"base": listing(bf16_base), "adapter": listing(memorised_run / "adapter")} == before
    # the weights changed where the adapter adapts, and only there
    shard = next(bf16_base.glob("*.safetensors")).name
    with safe_open(str(out / shard), "np") as a, safe_open(str(bf16_base / shard), "np") as b:
        q = "model.layers.0.self_attn.q_proj.weight"
        assert not np.array_equal(a.get_tensor(q), b.get_tensor(q))
        norm = "model.norm.weight"
        assert np.array_equal(a.get_tensor(norm), b.get_tensor(norm))


def test_merge_dtype_option_and_a_base_that_does_not_fit(memorised_run, tiny_model, tmp_path):
    out = tmp_path / "fp16"
    result = run_cli("merge", "--adapter", str(memorised_run), "--output", str(out),
                     "--dtype", "fp16")  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert set(tensors_of(out)[1].values()) == {"float16"}
    # a base whose layers are another size: the adapter does not fit, said plainly
    shutil.copytree(tiny_model, tmp_path / "narrow")
    from safetensors.numpy import load_file, save_file

    shard = next((tmp_path / "narrow").glob("*.safetensors"))
    weights = load_file(str(shard))
    q = "model.layers.0.self_attn.q_proj.weight"
    weights[q] = weights[q][:, : weights[q].shape[1] // 2].copy()
    save_file(weights, str(shard))
    narrow, bad = str(tmp_path / "narrow"), str(tmp_path / "bad")
    result = run_cli("merge", "--adapter", str(memorised_run), "--model", narrow,
                     "--output", bad, "--events", "jsonl")  # fmt: skip
    assert result.returncode == 1
    error = [e for e in events_of(result.stdout) if e["type"] == "error"][0]
    assert error["kind"] == "adapter_mismatch" and q in error["message"]
    assert not (tmp_path / "bad").exists()
    assert_no_traceback(result)


def test_peft_export_has_peft_key_names_shapes_and_config(memorised_run, tiny_model, tmp_path):
    out = tmp_path / "peft"
    result = run_cli("export", str(memorised_run), "--format", "peft", "--output", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Wrote " in result.stderr and "Next: PeftModel.from_pretrained" in result.stderr
    config = json.loads((out / "adapter_config.json").read_text())
    lora = json.loads((memorised_run / "adapter" / "lora_config.json").read_text())
    assert config["peft_type"] == "LORA" and config["task_type"] == "CAUSAL_LM"
    assert config["r"] == lora["r"] and config["lora_alpha"] == lora["lora_alpha"]
    assert config["base_model_name_or_path"] == lora["base_model_name_or_path"]
    assert set(config["target_modules"]) <= {
        "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"
    }  # fmt: skip
    base_shapes, _ = tensors_of(tiny_model)
    with safe_open(str(out / "adapter_model.safetensors"), "np") as handle:
        keys = list(handle.keys())
        assert keys and all(k.startswith("base_model.model.model.layers.") for k in keys)
        for key in keys:
            prefix, part = (
                key.removeprefix("base_model.model.").rsplit(".", 2)[0],
                key.split(".")[-2],
            )
            out_dim, in_dim = base_shapes[prefix + ".weight"]
            shape = handle.get_tensor(key).shape
            assert shape == ((config["r"], in_dim) if part == "lora_A" else (out_dim, config["r"]))


def test_gguf_export_imports_back_to_the_same_answers(memorised_run, merged_model, tmp_path):
    """f32 GGUF written by the exporter, read back by the importer: every record's greedy
    answer is still the dataset's (llama.cpp's own check is issue 14's next step)."""
    out = tmp_path / "gguf"
    result = run_cli("export", str(memorised_run), "--format", "gguf", "--quant", "f32",
                     "--output", str(out), "--events", "jsonl")  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    finished = [e for e in events_of(result.stdout) if e["type"] == "finished"][0]
    gguf_path = finished["output"]
    import gguf

    reader = gguf.GGUFReader(gguf_path)
    fields = {f.name for f in reader.fields.values()}
    assert {"tokenizer.chat_template", "tokenizer.ggml.pre", "qwen2.context_length"} <= fields
    back = tmp_path / "back"
    result = run_cli("import-gguf", gguf_path, str(back))
    assert result.returncode == 0, result.stderr[-2000:]
    for record in MEMORISE_RECORDS[:3]:
        reply = run_cli("chat", "--model", str(back), "--greedy", "--prompt", prompt_of(record))
        assert reply.stdout == record["output"] + "\n", reply.stderr[-1500:]


def render_modelfile_template(template, messages):
    """Ollama's Go template, for the only constructs the exporter writes: one range over
    .Messages with .Role and .Content, then plain text. A stand-in for Ollama (not installed
    here), kept to what it must mean."""
    head, rest = template.split("{{- range .Messages }}", 1)
    body, tail = rest.split("{{ end }}", 1)
    out = head
    for message in messages:
        out += body.replace("{{ .Role }}", message["role"]).replace(
            "{{ .Content }}", message["content"]
        )
    return out + tail


def test_the_modelfile_renders_a_conversation_as_the_chat_template_does(tmp_path):
    from jinja2 import Template

    from lora_studio.engine.ollama import modelfile_text

    template = (
        "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
        "{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by "
        "Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + "
        "message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}"
        "{{ '<|im_start|>assistant\n' }}{% endif %}"
    )
    text = modelfile_text("m.gguf", template)
    system = text.split('SYSTEM """', 1)[1].split('"""', 1)[0]
    go_template = text.split('TEMPLATE """', 1)[1].split('"""', 1)[0]
    assert 'PARAMETER stop "<|im_end|>"' in text
    conversation = [
        {"role": "user", "content": "什么是DDoS攻击？"},
        {"role": "assistant", "content": "分布式拒绝服务攻击。"},
        {"role": "user", "content": "And phishing?"},
    ]
    want = Template(template).render(messages=conversation, add_generation_prompt=True)
    # Ollama puts the Modelfile's SYSTEM first when the conversation has no system message
    got = render_modelfile_template(
        go_template, [{"role": "system", "content": system}, *conversation]
    )
    assert got == want


def test_a_llama_3_modelfile_renders_as_its_chat_template():
    """Llama 3 Instruct's template (Llama 3.2 is the catalogue's); bos_token is the GGUF's
    add_bos_token in Ollama, so it is empty here on both sides."""
    from jinja2 import Template

    from lora_studio.engine.ollama import modelfile_text

    template = (
        "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = "
        "'<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] "
        "| trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content "
        "%}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}"
        "{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}"
    )
    text = modelfile_text("m.gguf", template)
    assert 'PARAMETER stop "<|eot_id|>"' in text and "SYSTEM" not in text
    go_template = text.split('TEMPLATE """', 1)[1].split('"""', 1)[0]
    conversation = [
        {"role": "system", "content": "You answer security questions."},
        {"role": "user", "content": "什么是DDoS攻击？"},
        {"role": "assistant", "content": "分布式拒绝服务攻击。"},
        {"role": "user", "content": "And phishing?"},
    ]
    want = Template(template).render(
        messages=conversation, add_generation_prompt=True, bos_token=""
    )
    assert render_modelfile_template(go_template, conversation) == want


def test_export_refuses_what_it_cannot_export(tmp_path, tiny_model):
    result = run_cli("export", str(tmp_path), "--format", "gguf", "--events", "jsonl")
    assert result.returncode == 1
    error = [e for e in events_of(result.stdout) if e["type"] == "error"][0]
    assert error["kind"] == "model_not_found" and error["texts"]["message"]["template"]
    assert_no_traceback(result)
    from lora_studio.core.events import ErrorKind
    from lora_studio.engine.errors import EngineError
    from lora_studio.engine.ollama import modelfile_text

    with pytest.raises(EngineError) as caught:
        modelfile_text("m.gguf", "[INST] {{ messages }} [/INST]")
    assert caught.value.kind == ErrorKind.UNSUPPORTED


def test_ollama_install_without_ollama_says_what_to_do(memorised_run, tmp_path):
    """--install where no ollama is on PATH (as on this machine): the GGUF and the Modelfile
    are written, then a plain message names the command to run later."""
    import os
    import sys

    out = tmp_path / "ollama"
    result = run_cli("export", str(memorised_run), "--format", "ollama", "--quant", "q4_0",
                     "--output", str(out), "--install", "--events", "jsonl",
                     env={"PATH": os.path.dirname(sys.executable)})  # fmt: skip
    assert result.returncode == 1
    error = [e for e in events_of(result.stdout) if e["type"] == "error"][0]
    assert error["kind"] == "unsupported" and "ollama create" in error["hint"]
    assert (out / "Modelfile").is_file() and list(out.glob("*-q4_0.gguf"))
    assert_no_traceback(result)


def test_k_quants_without_llama_quantize_are_refused_before_any_work(memorised_run, tmp_path):
    """Neither llama-quantize on PATH nor llama-cpp-python importable (a package of that name
    that fails to import stands in for its absence, since the suite installs it): q4_k_m is
    refused at once with what to do, and nothing is written."""
    import os
    import sys

    out = tmp_path / "k"
    shadow = tmp_path / "shadow" / "llama_cpp"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('not installed')\n")
    no_llama = {
        "PATH": os.path.dirname(sys.executable),
        "LLAMA_QUANTIZE": "",
        "PYTHONPATH": str(shadow.parent),
    }
    result = run_cli("export", str(memorised_run), "--format", "gguf", "--quant", "q4_k_m",
                     "--output", str(out), "--events", "jsonl", env=no_llama)  # fmt: skip
    assert result.returncode == 1
    error = [e for e in events_of(result.stdout) if e["type"] == "error"][0]
    assert error["kind"] == "unsupported" and "llama-quantize" in error["message"]
    assert "q8_0" in error["hint"] and "llama-cpp-python" in error["hint"] and not out.exists()
    assert_no_traceback(result)


def _mutations():
    """A damaged config.json or tokenizer.json: cut short, a key dropped, a value of another
    type, or bytes that are not UTF-8."""
    from hypothesis import strategies as st

    junk = st.one_of(
        st.none(), st.integers(-5, 10**12), st.text(max_size=5),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )  # fmt: skip
    return st.tuples(
        st.sampled_from(["config.json", "tokenizer.json", "tokenizer_config.json"]),
        st.one_of(
            st.tuples(st.just("cut"), st.floats(0.0, 0.99)),
            st.tuples(st.just("drop"), st.integers(0, 40)),
            st.tuples(st.just("set"), st.integers(0, 40), junk),
            st.tuples(st.just("bytes"), st.binary(min_size=1, max_size=40)),
        ),
    )


def test_a_damaged_merged_folder_gets_a_message_not_a_traceback(merged_model, tmp_path_factory):
    """Hypothesis (15 folders; each export takes about a second): whatever is wrong with the
    merged folder's JSON files, the export either writes a GGUF or raises an EngineError that
    names the problem, and leaves no part file."""
    import json
    import shutil

    from hypothesis import HealthCheck, given, settings

    from lora_studio.engine.errors import EngineError
    from lora_studio.engine.export import readable_gguf

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_mutations())
    def check(mutation):
        name, change = mutation
        folder = tmp_path_factory.mktemp("damaged") / "merged"
        shutil.copytree(merged_model, folder)
        path = folder / name
        text = path.read_text(encoding="utf-8")
        if change[0] == "cut":
            path.write_text(text[: int(len(text) * change[1])], encoding="utf-8")
        elif change[0] == "bytes":
            path.write_bytes(b"\xff\xfe" + change[1])
        else:
            data = json.loads(text)
            keys = sorted(data)
            key = keys[change[1] % len(keys)]
            if change[0] == "drop":
                del data[key]
            else:
                data[key] = change[2]
            path.write_text(json.dumps(data), encoding="utf-8")
        out = folder.parent / "out.gguf"
        try:
            readable_gguf(str(folder), str(out), "q8_0", lambda share: None)
        except EngineError as error:
            assert error.kind in ("bad_model_file", "unsupported", "bad_config"), error.kind
            assert str(error.message)
        else:
            assert out.stat().st_size > 0
        assert not (folder.parent / "out.gguf.part").exists()
        shutil.rmtree(folder.parent)

    check()
    # and by hand, the two that hypothesis rarely draws: a division by zero, a vast token list
    for key, value in (("num_attention_heads", 0), ("vocab_size", 10**12)):
        folder = tmp_path_factory.mktemp("damaged") / "merged"
        shutil.copytree(merged_model, folder)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        config[key] = value
        (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
        with pytest.raises(EngineError) as raised:
            readable_gguf(str(folder), str(folder.parent / "out.gguf"), "q8_0", lambda s: None)
        assert raised.value.kind == "bad_model_file" and "config.json" in raised.value.message
