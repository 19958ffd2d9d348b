"""The self-test that installers run: the whole journey, offline, one line per check."""

from conftest import run_cli


def test_self_test_passes_and_says_what_it_checked():
    result = run_cli("--self-test", timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    engine, *lines = result.stdout.splitlines()
    assert engine.startswith("engine: ") and engine.endswith("main.py")  # from source: main.py
    assert [line.split("(")[0].strip() for line in lines[:6]] == [
        "ok   make the demo model from its GGUF",
        "ok   build the test model",
        "ok   train 3 steps",
        "ok   merge the adapter",
        "ok   answer a prompt",
        "ok   open and close the main window",
    ]
    assert lines[-1] == "self-test passed"
