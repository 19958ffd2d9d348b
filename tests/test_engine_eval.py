"""``main.py eval`` on the run that memorised its records: the tuned model answers every record
exactly, the base does not, and the results are files that the app and scripts read. The judge
is a scripted OpenAI-compatible server on this machine (no remote API exists here)."""

from __future__ import annotations

import json
import shutil
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from conftest import MEMORISE_RECORDS, events_of, run_cli


def _copy(memorised_run, tmp_path):
    run = tmp_path / "run"  # a copy: the shared run stays as other tests expect it
    shutil.copytree(memorised_run, run, ignore=shutil.ignore_patterns("merged", "checkpoints"))
    return run


def _eval(run, dataset, *extra, env=None):
    result = run_cli(
        "eval", str(run), "--dataset", str(dataset), "--limit", "4", "--max_new_tokens", "60",
        "--events", "jsonl", *extra, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    events = events_of(result.stdout)
    folder = events[-1]["output"]
    summary = json.loads(open(f"{folder}/summary.json", encoding="utf-8").read())
    rows = [json.loads(line) for line in open(f"{folder}/records.jsonl", encoding="utf-8")]
    return events, folder, summary, rows


def test_eval_of_a_memorised_run(memorised_run, memorise_dataset, tmp_path):
    run = _copy(memorised_run, tmp_path)
    events, folder, summary, rows = _eval(run, memorise_dataset)
    assert any(e["type"] == "loading" and e["stage"] == "eval" for e in events)
    assert summary["records"] == 4
    base, tuned = summary["base"], summary["tuned"]
    assert tuned["exact_match"] == 1.0 and tuned["rouge_l"] == 1.0
    assert base["exact_match"] < 1.0 and base["rouge_l"] < 1.0
    for side in (base, tuned):
        assert all(0 <= side[k] <= 1 for k in ("exact_match", "rouge_l", "bleu", "general"))
    # It memorised: its loss on the answers is far below the random base's, and so is perplexity.
    assert tuned["eval_loss"] < 0.5 < 3 < base["eval_loss"]
    assert tuned["perplexity"] < base["perplexity"]
    assert [r["reference"] for r in rows] == [r["output"] for r in MEMORISE_RECORDS[:4]]
    assert all(r["tuned"]["answer"] == r["reference"] for r in rows)
    assert all(r["tuned"]["loss"] < r["base"]["loss"] for r in rows)
    # The general-ability check: every bundled question, both answers kept.
    general = [json.loads(line) for line in open(f"{folder}/general.jsonl", encoding="utf-8")]
    assert len(general) == summary["general"]["questions"] >= 20
    assert all(isinstance(g[s]["correct"], bool) for g in general for s in ("base", "tuned"))
    assert summary["general"]["lost"] <= summary["general"]["questions"]
    # A second evaluation is kept beside the first.
    _events, again, summary2, _rows = _eval(run, memorise_dataset, "--no-general")
    assert again != folder and len(list((run / "eval").iterdir())) == 2
    assert "general" not in summary2 and "general" not in summary2["tuned"]


class _Judge(BaseHTTPRequestHandler):
    """Judges an answer "correct" when it is the reference; the first request gets prose."""

    requests: list[dict] = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"body": body, "auth": self.headers.get("Authorization")})
        if self.server.status != 200:
            self._send(self.server.status, {"error": {"message": "invalid key"}})
            return
        asked = json.loads(body["messages"][-1]["content"])
        if len(type(self).requests) == 1:
            content = "Looks fine to me!"
        else:
            same = asked["answer"] == asked["reference"]
            verdict = {"verdict": "correct" if same else "wrong", "reason": "compared"}
            content = "```json\n" + json.dumps(verdict) + "\n```"
        self._send(200, {"choices": [{"message": {"role": "assistant", "content": content}}]})

    def _send(self, status, data):
        raw = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args):
        pass


@contextmanager
def judge_server(status=200):
    _Judge.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Judge)
    server.status = status
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def test_the_judge_verdicts_and_a_reply_it_cannot_read(memorised_run, memorise_dataset, tmp_path):
    run = _copy(memorised_run, tmp_path)
    env = {"LORA_STUDIO_JUDGE_KEY": "sk-judge"}
    with judge_server() as url:
        _e, _f, summary, rows = _eval(
            run, memorise_dataset, "--no-general", "--judge-url", url, "--judge-model", "j", env=env
        )
    assert len(_Judge.requests) == 8  # 4 records, base and tuned
    assert all(r["auth"] == "Bearer sk-judge" for r in _Judge.requests)
    assert _Judge.requests[0]["body"]["temperature"] == 0.0
    first = rows[0]["base"]["judge"]
    assert first["verdict"] == "not judged" and "no JSON object" in first["reason"]
    assert all(r["tuned"]["judge"]["verdict"] == "correct" for r in rows)
    assert summary["tuned"]["judge"] == 1.0 and summary["tuned"]["judged"] == 4
    assert summary["base"]["judged"] == 3 and summary["base"]["not_judged"] == 1
    assert summary["judge"] == {"url": url, "model": "j"}


def test_a_judge_that_refuses_never_fails_the_run(memorised_run, memorise_dataset, tmp_path):
    run = _copy(memorised_run, tmp_path)
    with judge_server(status=401) as url:
        events, _f, summary, rows = _eval(
            run, memorise_dataset, "--no-general", "--judge-url", url, "--judge-model", "j"
        )
    assert len(_Judge.requests) == 1  # a refused key is not asked again for every record
    warning = [e for e in events if e["type"] == "warning" and e["code"] == "judge_failed"]
    assert len(warning) == 1 and "API key" in warning[0]["hint"]["template"]
    assert all(r[s]["judge"]["verdict"] == "not judged" for r in rows for s in ("base", "tuned"))
    assert "refused the API key" in rows[-1]["tuned"]["judge"]["reason"]
    assert summary["tuned"]["exact_match"] == 1.0 and summary["tuned"]["not_judged"] == 4


def test_eval_says_what_is_wrong(memorised_run, tmp_path):
    result = run_cli("eval", str(tmp_path), "--events", "jsonl")
    assert result.returncode == 1
    error = [e for e in events_of(result.stdout) if e["type"] == "error"][-1]
    assert "not a run folder" in error["message"] and error["hint"]
    result = run_cli("eval", str(memorised_run), "--events", "jsonl")  # trained without a split
    assert result.returncode == 1
    error = [e for e in events_of(result.stdout) if e["type"] == "error"][-1]
    assert "--dataset" in error["hint"]
    assert "Traceback" not in result.stderr
    result = run_cli("eval", str(memorised_run), "--judge-url", "ftp://x", "--judge-model", "m")
    assert result.returncode == 2 and "http://" in result.stderr
    result = run_cli("eval", str(memorised_run), "--judge-url", "http://x/v1")
    assert result.returncode == 2 and "together" in result.stderr
    missing = tmp_path / "no-such-key"
    result = run_cli("eval", str(memorised_run), "--judge-url", "http://x/v1", "--judge-model",
                     "m", "--judge-key-file", str(missing))  # fmt: skip
    assert result.returncode == 2 and "cannot read --judge-key-file" in result.stderr
    undecodable = tmp_path / "key.bin"
    undecodable.write_bytes(b"\xff\xfe\x00key")
    result = run_cli("eval", str(memorised_run), "--judge-url", "http://x/v1", "--judge-model",
                     "m", "--judge-key-file", str(undecodable))  # fmt: skip
    assert result.returncode == 2 and "cannot read --judge-key-file" in result.stderr
    assert "Traceback" not in result.stderr
