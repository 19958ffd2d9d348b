"""core.hubs without the network: which files a model needs, which hub first, and the quick
"does it answer" check against sockets on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time

from hypothesis import given
from hypothesis import strategies as st

from lora_studio.core import hubs

REPO = [
    "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
    "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
    "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json",
    "onnx/model.onnx", "original/consolidated.00.pth", "README.md", ".gitattributes",
    "model.Q4_K_M.gguf", "flax_model.msgpack",
]  # fmt: skip


def test_one_copy_of_the_weights_with_configuration_and_tokenizer() -> None:
    assert hubs.wanted_files(REPO) == [
        "README.md", "config.json", "generation_config.json",
        "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
        "model.safetensors.index.json", "tokenizer.json", "tokenizer_config.json",
    ]  # fmt: skip


def test_bin_weights_when_there_are_no_safetensors() -> None:
    names = [n for n in REPO if "safetensors" not in n]
    chosen = hubs.wanted_files(names)
    assert "pytorch_model.bin" in chosen and "pytorch_model.bin.index.json" in chosen


names = st.lists(
    st.one_of(
        st.text(max_size=30),
        st.sampled_from(REPO),
        st.builds(
            lambda a, b: a + b, st.text(max_size=8), st.sampled_from([".safetensors", ".bin"])
        ),
    ),
    max_size=30,
)


@given(names)
def test_chosen_names_are_plain_files_of_the_listing_and_one_weight_format(listing) -> None:
    chosen = hubs.wanted_files(listing)
    assert set(chosen) <= set(listing)
    for name in chosen:
        assert name and name.strip() == name and not name.startswith(".")
        assert not any(c in name for c in "/\\:\0")
    formats = {
        p for p, _ in hubs.WEIGHT_FORMATS for n in chosen if __import__("fnmatch").fnmatch(n, p)
    }
    assert len(formats) <= 1
    assert hubs.has_weights(chosen) == hubs.has_weights(listing)


def test_the_order_follows_the_language_and_a_choice_stands_alone() -> None:
    assert hubs.hub_order("zh_CN.UTF-8")[0] == hubs.MODELSCOPE
    assert hubs.hub_order("en_US")[0] == hubs.HUGGINGFACE
    assert hubs.hub_order("zh_CN", hubs.HUGGINGFACE) == [hubs.HUGGINGFACE]


def test_library_folder_names_the_model_like_the_hub_caches() -> None:
    assert hubs.library_folder("/m", "Qwen/Qwen2.5-0.5B-Instruct").endswith(
        "Qwen--Qwen2.5-0.5B-Instruct"
    )


def test_an_endpoint_without_scheme_gets_https(monkeypatch) -> None:
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    assert hubs.HUBS[hubs.HUGGINGFACE].address("hf-mirror.com/") == "https://hf-mirror.com"
    monkeypatch.setenv("HF_ENDPOINT", "https://mirror.example")
    assert hubs.HUBS[hubs.HUGGINGFACE].address() == "https://mirror.example"


def test_a_closed_port_is_said_at_once_and_a_silent_one_within_the_timeout() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert hubs.no_answer(f"http://127.0.0.1:{port}")
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts, never answers
    try:
        started = time.time()
        reason = hubs.no_answer(f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=1.0)
        assert "no answer within 1 s" in str(reason)
        assert time.time() - started < 5
    finally:
        silent.close()


def test_any_http_answer_counts_as_an_answer() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def answer() -> None:
        conn, _ = server.accept()
        conn.recv(1000)
        conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
        conn.close()

    threading.Thread(target=answer, daemon=True).start()
    try:
        assert hubs.answering(
            [hubs.HUGGINGFACE], {hubs.HUGGINGFACE: f"http://127.0.0.1:{server.getsockname()[1]}"}
        ) == {hubs.HUGGINGFACE: ""}
    finally:
        server.close()


def test_presets_mirrored_under_another_name_on_modelscope() -> None:
    from lora_studio.core.presets import id_on_hub

    assert id_on_hub("meta-llama/Llama-3.2-1B-Instruct", "modelscope").startswith("LLM-Research/")
    assert id_on_hub("meta-llama/Llama-3.2-1B-Instruct", "huggingface").startswith("meta-llama/")
    assert id_on_hub("Qwen/Qwen2.5-0.5B-Instruct", "modelscope") == "Qwen/Qwen2.5-0.5B-Instruct"
    assert id_on_hub("someone/else", "modelscope") == "someone/else"
