"""File > Import GGUF model…: the real dialog and the real importer, offscreen."""

from gguf_files import tiny_llama_folder, write_gguf

from lora_studio.core.gguf_sources import FoundGGUF


def test_import_a_found_gguf_then_train_it(window, qtbot, tiny_model, tmp_path):
    original = tiny_llama_folder(tiny_model, tmp_path / "original")
    (tmp_path / "blobs").mkdir()  # Ollama keeps its GGUFs as blobs without an extension
    path = write_gguf(original, tmp_path / "blobs" / "sha256-0f1e", qtype="Q8_0")
    found = [FoundGGUF("tiny:q8", str(path), path.stat().st_size, "ollama")]
    dialog = window.import_gguf(found)
    assert dialog.list.count() == 1 and "Ollama" in dialog.list.item(0).text()
    assert not dialog.train_button.isVisibleTo(dialog)  # nothing imported yet
    assert dialog.name.text() == "tiny-q8" and dialog.where.text().endswith("tiny-q8")
    with qtbot.waitSignal(dialog.job.done, timeout=120_000) as blocker:
        assert dialog.start()
    assert blocker.args[0], blocker.args[1]
    folder = blocker.args[2]
    assert (tmp_path / "models" / "tiny-q8" / "config.json").is_file()
    assert folder.endswith("tiny-q8") and dialog.train_button.isVisibleTo(dialog)
    assert not dialog.start()  # the same name again: refused with a message, nothing run
    assert "already exists" in dialog.message.text()
    dialog.train_button.click()
    assert window.stack.currentWidget() is window.pages["training"]
    assert window.training.form.model_choice() == folder


def test_a_file_that_is_not_a_model_says_so(window, qtbot, tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\xff" * 40)  # the signature, then nothing readable
    dialog = window.import_gguf([])
    assert dialog.empty.isVisibleTo(dialog) and not dialog.import_button.isEnabled()
    dialog.add_file(str(bad))
    assert dialog.import_button.isEnabled() and not dialog.empty.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.job.done, timeout=120_000) as blocker:
        dialog.start()
    assert not blocker.args[0]
    assert "The import failed" in dialog.message.text() and "GGUF" in dialog.message.text()
    assert not (tmp_path / "models" / "broken").exists()
