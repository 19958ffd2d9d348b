"""core.library: the models on this machine, described from their own files, without Qt."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lora_studio.core import hubs, library


def copy_model(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def test_a_downloaded_model_is_described_from_its_files(tiny_model: Path, tmp_path: Path) -> None:
    models = tmp_path / "models"
    folder = copy_model(tiny_model, models / "test-org--tiny")
    (folder / hubs.SOURCE_FILE).write_text(json.dumps(
        {"model_id": "test-org/tiny", "hub": "huggingface", "complete": True, "files": {}}
    ))  # fmt: skip
    [model] = library.scan(str(models))
    config = json.loads((tiny_model / "config.json").read_text())
    assert model.origin == library.DOWNLOADED and model.usable
    assert model.detail == "Hugging Face · test-org/tiny"
    assert model.architecture == config["architectures"][0]
    assert model.context_length == config["max_position_embeddings"]
    assert model.dtype == "fp32" and model.has_chat_template
    assert model.size_bytes == library.folder_size(str(folder)) > 3_000_000
    assert model.parameters * 4 <= (folder / "model-00001-of-00001.safetensors").stat().st_size
    assert model.parameters > 800_000


def test_partial_imported_demo_merged_and_added_models(
    tiny_model: Path, memorised_run: Path, tmp_path: Path
) -> None:
    models = tmp_path / "models"
    partial = models / "org--half"
    partial.mkdir(parents=True)
    (partial / hubs.SOURCE_FILE).write_text(json.dumps({"model_id": "org/half", "complete": False}))
    imported = copy_model(tiny_model, models / "from-gguf")
    (imported / hubs.SOURCE_FILE).write_text(json.dumps({"imported_from": "/x/model.Q8_0.gguf"}))
    demo = copy_model(tiny_model, models / "smollm2-135m-instruct")
    (models / "not-a-model").mkdir()
    runs_dir = tmp_path / "runs"
    runs_dir.mkdir()
    shutil.copytree(memorised_run, runs_dir / "memorise")
    elsewhere = copy_model(tiny_model, tmp_path / "elsewhere" / "mine")
    found = library.scan(str(models), str(runs_dir), [str(elsewhere)], demo_dir=str(demo))
    by_name = {m.name: m for m in found}
    assert found[0].folder == str(demo) and found[0].origin == library.DEMO
    assert by_name["org--half"].origin == library.PARTIAL and not by_name["org--half"].usable
    assert by_name["from-gguf"].origin == library.IMPORTED
    assert by_name["from-gguf"].detail == "model.Q8_0.gguf"
    assert by_name["memorise (merged)"].origin == library.MERGED
    assert by_name["mine"].origin == library.ADDED
    assert "not-a-model" not in by_name
    assert len(found) == 5


def test_delete_frees_the_folder_inside_the_library_but_never_an_added_one(
    tiny_model: Path, tmp_path: Path
) -> None:
    models = tmp_path / "models"
    folder = copy_model(tiny_model, models / "mine")
    elsewhere = copy_model(tiny_model, tmp_path / "elsewhere")
    [model] = library.scan(str(models))
    size = library.folder_size(str(folder))
    assert library.delete(model, str(models)) == size
    assert not folder.exists() and models.exists()
    added = library.describe(str(elsewhere), library.ADDED)
    assert library.delete(added, str(models)) == 0 and elsewhere.exists()
    outside = library.describe(str(elsewhere))
    assert outside.origin == library.LOCAL
    assert library.delete(outside, str(models)) == 0 and elsewhere.exists()
    assert library.delete(library.describe(str(models)), str(models)) == 0  # the library itself


junk = st.one_of(
    st.binary(max_size=200),
    st.builds(lambda v: json.dumps(v).encode(), st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=10), c, max_size=3),
        max_leaves=10,
    )),
    st.sampled_from([b"\xff" * 8 + b"{}", (2**63).to_bytes(8, "little"), b"[" * 5000]),
)  # fmt: skip


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(config=junk, tokenizer=junk, source=junk, weights=junk)
def test_damaged_files_never_break_the_list(
    tmp_path: Path, config, tokenizer, source, weights
) -> None:
    folder = tmp_path / "models" / "damaged"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in (("config.json", config), ("tokenizer_config.json", tokenizer),
                       (hubs.SOURCE_FILE, source), ("model.safetensors", weights)):  # fmt: skip
        (folder / name).write_bytes(data)
    [model] = library.scan(str(tmp_path / "models"))
    assert model.folder == str(folder)
    assert isinstance(model.parameters, int) and isinstance(model.context_length, int)


def test_models_in_the_hugging_face_cache_are_found_where_they_are(tiny_model, tmp_path) -> None:
    """The cache as the real huggingface_hub client writes it (blobs, snapshots of links)."""
    from hub_server import HubServer, Repo
    from huggingface_hub import snapshot_download

    cache = tmp_path / "hf" / "hub"
    with HubServer(Repo.from_folder("test-org/tiny-model", str(tiny_model))) as hub:
        snapshot = snapshot_download("test-org/tiny-model", cache_dir=str(cache), endpoint=hub.url)
    ms = tmp_path / "ms" / "models" / "test-org" / "tiny"
    shutil.copytree(tiny_model, ms)
    found = library.hub_caches(
        str(tmp_path), {"HF_HUB_CACHE": str(cache), "MODELSCOPE_CACHE": str(tmp_path / "ms")}
    )
    assert found == [
        (snapshot, "Hugging Face cache · test-org/tiny-model"),
        (str(ms), "ModelScope cache · test-org/tiny"),
    ]
    models = library.scan(str(tmp_path / "none"), found_elsewhere=found)
    assert [m.origin for m in models] == [library.FOUND, library.FOUND]
    assert models[0].size_bytes > 3_000_000  # the blobs its links point to, not the links
    assert library.delete(models[0], str(tmp_path)) == 0 and Path(snapshot).exists()
