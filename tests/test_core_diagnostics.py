"""The diagnostics report (core/diagnostics.py, main.py diagnostics): canaries planted in the
keyring, the environment, a run's events and logs and the GUI log are nowhere in the zip.

The keyring is an in-memory keyring backend (this machine has no Secret Service): the real
``keyring`` API, so core/secrets stores and reads the keys exactly as on a desktop."""

from __future__ import annotations

import json
import zipfile

import keyring
import pytest
from conftest import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from keyring.backend import KeyringBackend

from lora_studio.core import diagnostics, hubs, secrets
from lora_studio.core.settings import AppSettings


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.store = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


HUB_TOKEN = "hf_CANARYhubtoken1234567890"
SERVER_KEY = "lsk-CANARY-server-0a1b2c3d"
GENERATOR_KEY = "plainCANARYgeneratorkey"  # not token-shaped: found because it is in the keyring
JUDGE_KEY = "judgeCANARYsessiononly"  # given this session only
ENV_KEY = "envCANARYopenai"
BEARER = "CANARYbearer99887766"


@pytest.fixture
def planted(tmp_path, monkeypatch):
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    monkeypatch.setattr(secrets, "_session", {})
    home = tmp_path / "home" / "alice"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    settings = AppSettings(runs_dir=str(home / "runs"), models_dir=str(home / "models"))
    settings.generator = {"base_url": "https://llm.example.invalid/v1", "model": "m"}
    assert secrets.save_key(hubs.token_account("huggingface"), HUB_TOKEN)
    assert secrets.save_key(secrets.API_SERVER_ACCOUNT, SERVER_KEY)
    assert secrets.save_key("https://llm.example.invalid/v1", GENERATOR_KEY)
    secrets._session["https://judge.example.invalid/v1"] = JUDGE_KEY
    run = home / "runs" / "my-run"
    (run / "logs").mkdir(parents=True)
    config = {"output_dir": str(run), "model_name_or_path": str(home / "models" / "m")}
    (run / "run_config.json").write_text(json.dumps(config))
    settings.last_run_config = config
    events = [
        {"type": "started", "message": f"token {HUB_TOKEN}"},
        {"type": "log", "message": f"Authorization: Bearer {BEARER}"},
        {"type": "error", "message": f"proxy https://bob:{GENERATOR_KEY}x@proxy.example.invalid"},
    ]
    (run / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    (run / "logs" / "workerlog.0").write_text(f"api_key={SERVER_KEY}\nstep 1 at {home}/runs\n")
    gui_log = home / "gui.log"
    gui_log.write_text(f"judge key {JUDGE_KEY}\nopened {home}/data.jsonl\n")
    environ = {
        "OPENAI_API_KEY": ENV_KEY,
        "HF_TOKEN": HUB_TOKEN,
        "PATH": "/usr/bin",
        "FLAGS_use_stride_kernel": "0",
        "UNRELATED": "kept out",
        "TOKENIZERS_PARALLELISM": "false",  # a setting that looks like a secret by its name
        "XDG_SESSION_TYPE": "tty",
        "SHORT_TOKEN": "1",  # too short to search for everywhere: only its own value goes
    }
    yield settings, str(gui_log), environ, home
    keyring.set_keyring(previous)


def test_the_report_holds_its_parts_and_no_secret(planted, tmp_path):
    settings, gui_log, environ, home = planted
    out = tmp_path / "report.zip"
    lines = []
    names = diagnostics.build(str(out), settings, None, gui_log=gui_log, environ=environ,
                              progress=lines.append)  # fmt: skip
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        assert set(archive.namelist()) == set(names)
        texts = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    for part in ("report.txt", "settings.json", "environment.txt", "gui.log",
                 "last-run/run_config.json", "last-run/events.jsonl",
                 "last-run/logs/workerlog.0"):  # fmt: skip
        assert part in texts, part
    everything = "\n".join(texts.values())
    assert "CANARY" not in everything
    assert str(home) not in everything and "~/runs" in everything
    assert "Edition:" in texts["report.txt"] and "Packages:" in texts["report.txt"]
    assert "FLAGS_use_stride_kernel=0" in texts["environment.txt"]
    assert "OPENAI_API_KEY=[redacted]" in texts["environment.txt"]
    assert "UNRELATED" not in texts["environment.txt"]
    assert "TOKENIZERS_PARALLELISM=false" in texts["environment.txt"]
    assert "SHORT_TOKEN=[redacted]" in texts["environment.txt"]
    assert '"gpu_count": 0' in texts["report.txt"] or "Paddle probe: not run" in texts["report.txt"]
    assert "false" in texts["settings.json"]  # short values are not cut out of every text
    assert "https://bob:[redacted]@proxy" in texts["last-run/events.jsonl"]
    assert lines  # progress was told


def test_an_unwritable_place_is_an_error_and_leaves_nothing(planted, tmp_path):
    settings, gui_log, environ, _home = planted
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OSError):
        diagnostics.build(str(blocker / "report.zip"), settings, environ=environ)
    assert list(tmp_path.glob("**/*.partial")) == []


@settings(max_examples=60, deadline=None)
@given(
    st.text(max_size=40),
    st.sampled_from(["hf_", "sk-", "ghp_"]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=24,
            max_size=48),
    st.text(max_size=40),
)  # fmt: skip
def test_token_shapes_are_taken_out_of_any_text(before, prefix, body, after):
    token = prefix + body
    redact = diagnostics.redactor()
    assert token not in redact(f"{before} {token} {after}")


def test_the_command_writes_a_report_and_says_what_it_did(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "HOME": str(home),
        "LORA_STUDIO_CONFIG_DIR": str(tmp_path / "config"),
        "LORA_STUDIO_DATA_DIR": str(tmp_path / "data"),
        "MY_SERVICE_TOKEN": "tokCANARYcli",
    }
    result = run_cli("diagnostics", str(tmp_path / "out"), env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "taken out" in result.stdout
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        report = archive.read("report.txt").decode()
        assert (
            "Paddle probe: {" in report and "CANARY" not in archive.read("environment.txt").decode()
        )
    (tmp_path / "folder.zip").mkdir()
    bad = run_cli("diagnostics", str(tmp_path / "folder.zip"), env=env)
    assert bad.returncode == 2 and "is a folder" in bad.stderr and "Traceback" not in bad.stderr
    blocked = run_cli("diagnostics", str(tmp_path / "out.zip" / "x.zip"), env=env)
    assert blocked.returncode == 1 and "cannot write" in blocked.stderr
    assert "Traceback" not in blocked.stderr
