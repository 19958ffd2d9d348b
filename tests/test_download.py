"""``main.py download`` through the real ``huggingface_hub`` client, against a hub on 127.0.0.1
(tests/hub_server.py) that speaks the protocol the client uses with huggingface.co."""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MAIN, ROOT, events_of, run_cli
from hub_server import HubServer, Repo
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lora_studio.core import hubs

WEIGHTS = "model-00001-of-00001.safetensors"


@pytest.fixture()
def repo(tiny_model: Path) -> Repo:
    return Repo.from_folder("test-org/tiny-model", str(tiny_model))


def download(hub_url: str, output: Path, *extra: str, model: str = "test-org/tiny-model"):
    return run_cli(
        "download", model, "--source", "huggingface", "--endpoint", hub_url,
        "--output", str(output), "--events", "jsonl", *extra, timeout=120,
    )  # fmt: skip


def start_download(hub_url: str, output: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, MAIN, "download", "test-org/tiny-model", "--source", "huggingface",
         "--endpoint", hub_url, "--output", str(output), "--events", "jsonl"],
        cwd=str(ROOT), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while not condition():
        assert time.time() < deadline, "timed out"
        time.sleep(0.05)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def error_of(result: subprocess.CompletedProcess) -> dict:
    errors = [e for e in events_of(result.stdout) if e["type"] == "error"]
    assert len(errors) == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return errors[0]


def test_download_fetches_what_training_needs_with_progress_and_the_folder_trains(
    repo: Repo, tiny_model: Path, tmp_path: Path
) -> None:
    repo.files["onnx/model.onnx"] = b"x" * 1000  # another format's copy: not fetched
    repo.files["pytorch_model.bin"] = b"y" * 1000  # a duplicate of the weights: not fetched
    out = tmp_path / "model"
    with HubServer(repo) as hub:
        result = download(hub.url, out)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "onnx/model.onnx" not in hub.bytes_served
        assert "pytorch_model.bin" not in hub.bytes_served
        progress = [e for e in events_of(result.stdout) if e["type"] == "download"]
        total = sum(len(repo.files[n]) for n in hubs.wanted_files(list(repo.files)))
        assert progress and all(e["total_bytes"] == total for e in progress)
        assert progress[-1]["done_bytes"] == total
        assert progress[-1]["files_done"] == progress[-1]["files_total"] == 8
        assert [e["done_bytes"] for e in progress] == sorted(e["done_bytes"] for e in progress)
        for name in hubs.wanted_files(list(repo.files)):
            assert (out / name).read_bytes() == repo.files[name]
        record = json.loads((out / hubs.SOURCE_FILE).read_text())
        assert record["complete"] and record["model_id"] == "test-org/tiny-model"
        assert record["hub"] == "huggingface" and record["endpoint"] == hub.url

        served = dict(hub.bytes_served)
        again = download(hub.url, out)  # complete and checked: nothing fetched again
        assert again.returncode == 0, again.stdout + again.stderr
        assert hub.bytes_served == served

    trained = run_cli(
        "train", "--model_name_or_path", str(out), "--dataset_path",
        str(ROOT / "resources" / "datasets" / "security_demo_en.json"), "--output_dir",
        str(tmp_path / "run"), "--max_steps", "2", "--per_device_train_batch_size", "2",
        "--events", "jsonl",
    )  # fmt: skip
    assert trained.returncode == 0, trained.stdout[-2000:] + trained.stderr[-2000:]
    assert (tmp_path / "run" / "adapter").is_dir()


def test_a_killed_download_resumes_where_it_stopped(repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "model"
    size = len(repo.files[WEIGHTS])
    with HubServer(repo) as hub:
        hub.delay_per_chunk = 0.05  # about 1.3 MB/s: the weights take seconds
        proc = start_download(hub.url, out)
        wait_for(lambda: hub.bytes_served.get(WEIGHTS, 0) > 2.2 * 1024**2)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        partial = list(out.glob(".cache/huggingface/download/*.incomplete"))
        assert partial and partial[0].stat().st_size >= 1024**2
        kept = partial[0].stat().st_size

        hub.delay_per_chunk = 0
        result = download(hub.url, out)
        assert result.returncode == 0, result.stdout + result.stderr
        starts = [start for name, start in hub.ranges if name == WEIGHTS]
        assert starts[-1] == kept  # a range request from the kept bytes, not from 0
        assert hub.bytes_served[WEIGHTS] < size + hub.chunk * 40  # not fetched twice
        progress = [e for e in events_of(result.stdout) if e["type"] == "download"]
        assert progress[-1]["resumed_bytes"] == kept
    assert sha(out / WEIGHTS) == hashlib.sha256(repo.files[WEIGHTS]).hexdigest()


def test_stop_keeps_what_arrived_and_the_next_run_finishes(repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "model"
    with HubServer(repo) as hub:
        hub.delay_per_chunk = 0.05
        proc = start_download(hub.url, out)
        wait_for(lambda: hub.bytes_served.get(WEIGHTS, 0) > 1.5 * 1024**2)
        stdout, stderr = proc.communicate("stop\n", timeout=30)
        assert proc.returncode == 0, stdout + stderr
        finished = [e for e in events_of(stdout) if e["type"] == "finished"]
        assert finished[0]["status"] == "stopped"
        assert not (out / WEIGHTS).exists()
        record = json.loads((out / hubs.SOURCE_FILE).read_text())
        assert record["complete"] is False
        hub.delay_per_chunk = 0
        assert download(hub.url, out).returncode == 0
        assert json.loads((out / hubs.SOURCE_FILE).read_text())["complete"] is True


def test_a_file_that_differs_from_its_published_hash_is_refused(repo: Repo, tmp_path: Path) -> None:
    damaged = bytearray(repo.files[WEIGHTS])
    damaged[len(damaged) // 2] ^= 0xFF
    repo.served[WEIGHTS] = bytes(damaged)
    out = tmp_path / "model"
    with HubServer(repo) as hub:
        result = download(hub.url, out)
    assert result.returncode == 1
    error = error_of(result)
    assert error["kind"] == "bad_model_file"
    assert WEIGHTS in error["message"] and "SHA-256" in error["message"]
    assert not (out / WEIGHTS).exists()
    assert not json.loads((out / hubs.SOURCE_FILE).read_text())["complete"]


def test_a_file_shorter_than_its_published_size_is_refused(repo: Repo, tmp_path: Path) -> None:
    repo.published_size[WEIGHTS] = len(repo.files[WEIGHTS]) + 10
    out = tmp_path / "model"
    with HubServer(repo) as hub:
        result = download(hub.url, out)
    error = error_of(result)
    assert result.returncode == 1 and error["kind"] == "bad_model_file"
    assert WEIGHTS in error["message"]
    assert not (out / WEIGHTS).exists()


def test_a_model_larger_than_the_free_space_is_refused_before_any_byte(
    repo: Repo, tmp_path: Path
) -> None:
    repo.published_size[WEIGHTS] = 1 << 50  # a petabyte: more than this disk has
    out = tmp_path / "model"
    with HubServer(repo) as hub:
        result = download(hub.url, out)
        assert hub.bytes_served == {}
    error = error_of(result)
    assert error["kind"] == "disk_full" and "free" in error["message"]
    assert not out.exists()


def test_the_hub_going_away_mid_file_leaves_a_resumable_download(
    repo: Repo, tmp_path: Path
) -> None:
    out = tmp_path / "model"
    with HubServer(repo) as hub:
        hub.die_after = 2 * 1024**2 + 5000
        started = time.time()
        result = download(hub.url, out)
        assert time.time() - started < 60
    error = error_of(result)
    assert result.returncode == 1 and error["kind"] == "network"
    assert WEIGHTS in error["message"] and "continues where it stopped" in error["hint"]
    partial = list(out.glob(".cache/huggingface/download/*.incomplete"))
    assert partial and partial[0].stat().st_size >= 1024**2
    with HubServer(repo) as hub:  # back, on another port
        result = download(hub.url, out)
        assert result.returncode == 0, result.stdout + result.stderr
        assert [s for n, s in hub.ranges if n == WEIGHTS][-1] > 0  # continued, not begun again
        assert hub.bytes_served[WEIGHTS] < len(repo.files[WEIGHTS])
    assert sha(out / WEIGHTS) == hashlib.sha256(repo.files[WEIGHTS]).hexdigest()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_hub_that_does_not_answer_says_so_within_seconds(tmp_path: Path) -> None:
    out = tmp_path / "model"
    started = time.time()
    result = download(f"http://127.0.0.1:{closed_port()}", out)
    assert time.time() - started < 5 + 3  # the process's own start-up is about 1 s of this
    error = error_of(result)
    assert error["kind"] == "network"
    assert "Hugging Face does not answer from this network" in error["message"]
    assert "mirror" in error["hint"]
    assert not out.exists()


def test_a_model_the_hub_does_not_have(repo: Repo, tmp_path: Path) -> None:
    with HubServer(repo) as hub:
        result = download(hub.url, tmp_path / "model", model="test-org/no-such-model")
    error = error_of(result)
    assert error["kind"] == "model_not_found"
    assert "no model test-org/no-such-model" in error["message"]


def test_a_repository_without_weights_is_refused(repo: Repo, tmp_path: Path) -> None:
    repo.files.pop(WEIGHTS)
    repo.files.pop("model.safetensors.index.json")
    repo.files["model.Q4_0.gguf"] = b"GGUF"
    with HubServer(repo) as hub:
        result = download(hub.url, tmp_path / "model")
        assert hub.bytes_served == {}
    assert "no weights" in error_of(result)["message"]


def test_hostile_file_names_from_a_hub_never_leave_the_model_folder(
    repo: Repo, tmp_path: Path
) -> None:
    for name in ("../escape.safetensors", "..\\escape2.safetensors", "/abs.safetensors",
                 ".hidden.safetensors", "C:evil.safetensors"):  # fmt: skip
        repo.files[name] = b"z" * 10
    out = tmp_path / "nest" / "model"
    with HubServer(repo) as hub:
        result = download(hub.url, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in (tmp_path / "nest").iterdir()) == ["model"]
    assert not (out / ".hidden.safetensors").exists()


def own_library(tmp_path: Path) -> dict[str, str]:
    """A models library of this test's own: another test may have downloaded the same id."""
    return {
        "LORA_STUDIO_DATA_DIR": str(tmp_path / "data"),
        "LORA_STUDIO_CONFIG_DIR": str(tmp_path / "config"),
    }


def test_train_with_a_hub_name_downloads_into_the_library_first_then_trains(
    repo: Repo, tmp_path: Path
) -> None:
    run = tmp_path / "run"
    with HubServer(repo) as hub:
        result = run_cli(
            "train", "--model_name_or_path", "test-org/tiny-model", "--download_source",
            "huggingface", "--dataset_path", str(ROOT / "resources" / "datasets" /
            "security_demo_en.json"), "--output_dir", str(run), "--max_steps", "1",
            "--per_device_train_batch_size", "2", "--events", "jsonl",
            env={"HF_ENDPOINT": hub.url, **own_library(tmp_path)},
        )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    events = events_of(result.stdout)
    downloads = [e for e in events if e["type"] == "download"]
    assert downloads and downloads[-1]["done_bytes"] == downloads[-1]["total_bytes"]
    folder = Path(hubs.library_folder(str(tmp_path / "data" / "models"), "test-org/tiny-model"))
    assert hubs.is_downloaded(str(folder))
    started = [e for e in events if e["type"] == "started"]
    assert started[0]["model"] == str(folder)


def test_train_with_a_hub_name_offline_says_so_at_once_and_writes_no_run(tmp_path: Path) -> None:
    run = tmp_path / "run"
    started = time.time()
    result = run_cli(
        "train", "--model_name_or_path", "test-org/not-here", "--download_source", "huggingface",
        "--dataset_path", str(ROOT / "resources" / "datasets" / "security_demo_en.json"),
        "--output_dir", str(run), "--events", "jsonl",
        env={"HF_ENDPOINT": f"http://127.0.0.1:{closed_port()}"},
    )  # fmt: skip
    assert time.time() - started < 5 + 3  # 5 s for the message, the rest is Python starting
    error = error_of(result)
    assert error["kind"] == "network" and "does not answer" in error["message"]
    assert not run.exists()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
listings = st.one_of(
    st.binary(max_size=64),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries(
        {"id": st.text(max_size=5), "sha": json_values, "siblings": st.lists(
            st.fixed_dictionaries({"rfilename": json_values, "size": json_values}, optional={
                "blobId": json_values, "lfs": json_values}), max_size=4)},
    ).map(lambda v: json.dumps(v).encode()),
)  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=listings)
def test_a_hub_answering_junk_gets_a_plain_message(tmp_path_factory, body) -> None:
    """In-process (no Paddle is involved): every answer becomes an EngineError or a download."""
    from lora_studio.engine.download import run_download
    from lora_studio.engine.errors import EngineError

    out = tmp_path_factory.mktemp("junk") / "model"
    with HubServer() as hub:
        hub.info_body = body
        try:
            run_download("test-org/tiny-model", str(out), lambda e: None, source="huggingface",
                         endpoint=hub.url)  # fmt: skip
        except EngineError as exc:
            assert exc.kind in ("network", "model_not_found", "bad_model_file"), exc.detail
            assert "Unexpected" not in exc.message
        assert hub.bytes_served == {} or out.is_dir()


# ---- ModelScope, through modelscope_hub (what modelscope 1.40 downloads with) --------------------


def hub_download(source: str, hub_url: str, output: Path, model: str = "test-org/tiny-model",
                 env: dict | None = None):  # fmt: skip
    return run_cli(
        "download", model, "--source", source, "--endpoint", hub_url, "--output",
        str(output), "--events", "jsonl", timeout=120, env=env,
    )  # fmt: skip


def ms_download(hub_url: str, output: Path, model: str = "test-org/tiny-model"):
    return hub_download("modelscope", hub_url, output, model)


def kill_then_resume(source: str, repo: Repo, out: Path):
    """A download from ``source`` killed after 2.2 MB of the weights, then run again: its
    result, the first byte of each GET of the weights, their bytes served and the chunk size."""
    with HubServer(repo) as hub:
        hub.delay_per_chunk = 0.05
        proc = subprocess.Popen(
            [sys.executable, MAIN, "download", "test-org/tiny-model", "--source", source,
             "--endpoint", hub.url, "--output", str(out), "--events", "jsonl"],
            cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(lambda: hub.bytes_served.get(WEIGHTS, 0) > 2.2 * 1024**2)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        hub.delay_per_chunk = 0
        result = hub_download(source, hub.url, out)
        starts = [start for name, start in hub.ranges if name == WEIGHTS]
        return result, starts, hub.bytes_served[WEIGHTS], hub.chunk


def damaged_and_missing(source: str, repo: Repo, tmp_path: Path):
    """A download whose weights arrive with one byte flipped, and one of a model the hub lacks."""
    damaged = bytearray(repo.files[WEIGHTS])
    damaged[100] ^= 0xFF
    repo.served[WEIGHTS] = bytes(damaged)
    with HubServer(repo) as hub:
        result = hub_download(source, hub.url, tmp_path / "model")
        missing = hub_download(source, hub.url, tmp_path / "other", "test-org/no-such-model")
    return result, missing


def test_modelscope_download_with_progress_and_nothing_fetched_twice(repo: Repo, tmp_path) -> None:
    repo.files["pytorch_model.bin"] = b"y" * 1000
    out = tmp_path / "model"
    with HubServer(repo) as hub:
        result = ms_download(hub.url, out)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "pytorch_model.bin" not in hub.bytes_served
        progress = [e for e in events_of(result.stdout) if e["type"] == "download"]
        assert progress[-1]["done_bytes"] == progress[-1]["total_bytes"] > 3_000_000
        assert progress[-1]["hub"] == "ModelScope"
        assert (out / WEIGHTS).read_bytes() == repo.files[WEIGHTS]
        assert json.loads((out / hubs.SOURCE_FILE).read_text())["hub"] == "modelscope"
        served = dict(hub.bytes_served)
        assert ms_download(hub.url, out).returncode == 0
        assert hub.bytes_served == served


def test_modelscope_killed_download_resumes(repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "model"
    result, starts, served, chunk = kill_then_resume("modelscope", repo, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(starts) >= 2 and starts[-1] > 0
    assert served < len(repo.files[WEIGHTS]) + chunk * 40
    assert sha(out / WEIGHTS) == hashlib.sha256(repo.files[WEIGHTS]).hexdigest()


def test_modelscope_damaged_file_and_missing_model(repo: Repo, tmp_path: Path) -> None:
    result, missing = damaged_and_missing("modelscope", repo, tmp_path)
    error = error_of(result)
    assert error["kind"] == "bad_model_file" and WEIGHTS in error["message"]
    assert not (tmp_path / "model" / WEIGHTS).exists()
    assert "ModelScope has no model test-org/no-such-model" in error_of(missing)["message"]


def test_merge_of_a_run_whose_base_is_a_hub_name_downloads_the_base_first(
    memorised_run: Path, tiny_model: Path, tmp_path: Path
) -> None:
    run = tmp_path / "run"
    shutil.copytree(memorised_run, run, ignore=shutil.ignore_patterns("merged*"))
    config_path = run / "adapter" / "lora_config.json"
    config = json.loads(config_path.read_text())
    config["base_model_name_or_path"] = "test-org/tiny-model"  # as when trained from the hub
    config_path.write_text(json.dumps(config))
    with HubServer(Repo.from_folder("test-org/tiny-model", str(tiny_model))) as hub:
        result = run_cli(
            "merge", "--adapter", str(run), "--output", str(tmp_path / "merged"),
            "--events", "jsonl", env={"HF_ENDPOINT": hub.url, **own_library(tmp_path)},
        )  # fmt: skip
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        assert hub.bytes_served.get(WEIGHTS) == len(hub.repos["test-org/tiny-model"].files[WEIGHTS])
    # the same merge as from the base's local folder (the session's memorised run has it)
    from safetensors.numpy import load_file

    ours = {
        k: v for f in (tmp_path / "merged").glob("*.safetensors") for k, v in load_file(f).items()
    }
    local = {
        k: v
        for f in (memorised_run / "merged").glob("*.safetensors")
        for k, v in load_file(f).items()
    }
    assert ours.keys() == local.keys()
    assert all((ours[k] == local[k]).all() for k in ours)
