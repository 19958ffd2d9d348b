"""``main.py download --source aistudio`` through the real ``aistudio_sdk`` client, against
tests/hub_server.py speaking the Gitea API of AI Studio's git service on 127.0.0.1
(``STUDIO_GIT_HOST`` is the endpoint)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import events_of
from hub_server import HubServer, Repo
from test_download import (
    WEIGHTS,
    damaged_and_missing,
    error_of,
    hub_download,
    kill_then_resume,
    sha,
)

from lora_studio.core import hubs


@pytest.fixture()
def repo(tiny_model: Path) -> Repo:
    return Repo.from_folder("test-org/tiny-model", str(tiny_model))


def ai_download(hub_url: str, output: Path, model: str = "test-org/tiny-model"):
    return hub_download("aistudio", hub_url, output, model)


def test_aistudio_download_with_progress_and_nothing_fetched_twice(repo: Repo, tmp_path) -> None:
    repo.files["pytorch_model.bin"] = b"y" * 1000  # another format's copy: not fetched
    out = tmp_path / "model"
    with HubServer(repo) as hub:
        result = ai_download(hub.url, out)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "pytorch_model.bin" not in hub.bytes_served
        progress = [e for e in events_of(result.stdout) if e["type"] == "download"]
        assert progress[-1]["done_bytes"] == progress[-1]["total_bytes"] > 3_000_000
        assert progress[-1]["hub"] == "AI Studio"
        for name in ("config.json", "tokenizer.json", WEIGHTS):
            assert (out / name).read_bytes() == repo.files[name], name
        assert json.loads((out / hubs.SOURCE_FILE).read_text())["hub"] == "aistudio"
        served = dict(hub.bytes_served)
        assert ai_download(hub.url, out).returncode == 0
        assert hub.bytes_served == served  # checked files are not fetched again
    assert "Traceback" not in result.stderr


def test_aistudio_killed_download_resumes(repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "model"
    result, starts, served, chunk = kill_then_resume("aistudio", repo, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert starts[-1] >= 1024**2  # the second run asked for the rest only
    assert served < len(repo.files[WEIGHTS]) + chunk * 40
    assert sha(out / WEIGHTS) == hashlib.sha256(repo.files[WEIGHTS]).hexdigest()


def test_aistudio_damaged_file_and_missing_model(repo: Repo, tmp_path: Path) -> None:
    result, missing = damaged_and_missing("aistudio", repo, tmp_path)
    error = error_of(result)
    assert error["kind"] == "bad_model_file" and WEIGHTS in error["message"]
    assert not (tmp_path / "model" / WEIGHTS).exists()
    assert "AI Studio has no model test-org/no-such-model" in error_of(missing)["message"]


def test_aistudio_going_away_mid_file_leaves_a_resumable_download(repo: Repo, tmp_path) -> None:
    out = tmp_path / "model"
    with HubServer(repo) as hub:
        hub.die_after = 1024**2
        result = ai_download(hub.url, out)
    error = error_of(result)
    assert error["kind"] == "network", error
    with HubServer(repo) as hub:
        again = ai_download(hub.url, out)
        assert again.returncode == 0, again.stdout + again.stderr
        starts = [start for name, start in hub.ranges if name == WEIGHTS]
        assert starts[-1] >= 1024**2  # it went on from what had arrived
    assert sha(out / WEIGHTS) == hashlib.sha256(repo.files[WEIGHTS]).hexdigest()


def test_the_client_sends_no_usage_report(repo: Repo, tmp_path: Path, monkeypatch) -> None:
    """The SDK's model_file_download posts a report to aistudio.baidu.com on every file; the
    client never calls it (offline it would wait on a fixed address)."""
    import aistudio_sdk.dot

    from lora_studio.engine.hub_clients import AIStudioClient

    def report(*args, **kwargs):
        raise AssertionError("a usage report was sent")

    monkeypatch.setattr(aistudio_sdk.dot, "post_repo_statistic", report)
    monkeypatch.setattr(aistudio_sdk.dot, "post_repo_statistic_async", report)
    with HubServer(repo) as hub:
        client = AIStudioClient(hubs.HUBS[hubs.AISTUDIO], hub.url)
        commit, files = client.list_files("test-org/tiny-model", "master")
        assert {f.name for f in files} >= {"config.json", WEIGHTS}
        weights = next(f for f in files if f.name == WEIGHTS)
        assert weights.size == len(repo.files[WEIGHTS])  # the file's own size, not the pointer's
        assert weights.sha256 == hashlib.sha256(repo.files[WEIGHTS]).hexdigest()
        client.fetch("test-org/tiny-model", commit, "config.json", str(tmp_path))
    assert (tmp_path / "config.json").read_bytes() == repo.files["config.json"]


def test_a_private_aistudio_model_needs_its_token(repo: Repo, tmp_path: Path) -> None:
    """The app passes the token from the keyring as AISTUDIO_ACCESS_TOKEN (gui/jobs/download)."""
    with HubServer(repo) as hub:
        hub.gated["test-org/tiny-model"] = "tok-12345678"
        refused = ai_download(hub.url, tmp_path / "refused")
        allowed = hub_download(
            "aistudio", hub.url, tmp_path / "model", env={"AISTUDIO_ACCESS_TOKEN": "tok-12345678"}
        )
    assert error_of(refused)["kind"] == "model_not_found"
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert (tmp_path / "model" / WEIGHTS).read_bytes() == repo.files[WEIGHTS]
