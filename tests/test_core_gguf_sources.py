"""Finding the GGUF files LM Studio and Ollama keep, from folders laid out as theirs are."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from lora_studio.core.gguf_sources import FoundGGUF, find_ggufs, folder_name


def gguf_file(path, size=64):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"GGUF" + b"\0" * (size - 4))
    return path


def ollama_model(models, name, tag, digest, media="application/vnd.ollama.image.model"):
    manifest = models / "manifests" / "registry.ollama.ai" / "library" / name / tag
    manifest.parent.mkdir(parents=True, exist_ok=True)
    template = {"mediaType": "application/vnd.ollama.image.template", "digest": "sha256:t"}
    layers = [{"mediaType": media, "digest": digest, "size": 64}, template]
    manifest.write_text(json.dumps({"schemaVersion": 2, "layers": layers}))


def test_lm_studio_and_ollama_models_are_found_with_names_and_sizes(tmp_path):
    home = tmp_path / "home"
    lm = home / ".lmstudio" / "models" / "Qwen" / "Qwen2.5-0.5B-Instruct-GGUF"
    gguf_file(lm / "qwen2.5-0.5b-instruct-q4_k_m.gguf", 100)
    gguf_file(lm / "mmproj-model-f16.gguf")  # a vision projector: not a model
    (lm / "not-really.gguf").write_bytes(b"<html>an interrupted download</html>")
    models = home / ".ollama" / "models"
    gguf_file(models / "blobs" / "sha256-abc", 200)
    ollama_model(models, "smollm2", "135m", "sha256:abc")
    ollama_model(models, "gone", "latest", "sha256:missing")  # blob deleted
    (models / "manifests" / "broken").write_text("{not json")
    found = find_ggufs(str(home), environ={})
    assert found == [
        FoundGGUF("qwen2.5-0.5b-instruct-q4_k_m", str(lm / "qwen2.5-0.5b-instruct-q4_k_m.gguf"),
                  100, "lmstudio"),
        FoundGGUF("smollm2:135m", str(models / "blobs" / "sha256-abc"), 200, "ollama"),
    ]  # fmt: skip
    assert folder_name(found[1]) == "smollm2-135m"


def test_ollama_models_env_and_a_machine_with_neither(tmp_path):
    models = tmp_path / "elsewhere"
    gguf_file(models / "blobs" / "sha256-d1")
    ollama_model(models, "qwen3", "0.6b", "sha256:d1")
    assert [f.name for f in find_ggufs(str(tmp_path / "h"), {"OLLAMA_MODELS": str(models)})] == [
        "qwen3:0.6b"
    ]
    assert find_ggufs(str(tmp_path / "empty"), environ={}) == []


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200), st.text(max_size=30))
def test_hostile_manifests_and_names_never_raise(tmp_path_factory, manifest, name):
    models = tmp_path_factory.mktemp("m")
    path = models / "manifests" / "x" / "y"
    path.parent.mkdir(parents=True)
    path.write_bytes(manifest)
    assert find_ggufs(str(models), {"OLLAMA_MODELS": str(models)}) == []
    cleaned = folder_name(FoundGGUF(name, "p", 0, "folder"))
    assert cleaned and "/" not in cleaned and "\\" not in cleaned and cleaned not in (".", "..")
