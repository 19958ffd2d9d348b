"""The LLM data generator against a real HTTP server on 127.0.0.1 that speaks the OpenAI chat
API with scripted replies: a rate limit (429), a server error, a malformed reply, invalid and
duplicate records. The remote LLM itself cannot exist here: the scripted server stands in."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from lora_studio.core import generator, secrets
from lora_studio.core.records import Record


def completion(content: str) -> dict:
    return {"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}


def records_reply(*records) -> dict:
    return completion("```json\n" + json.dumps(list(records), ensure_ascii=False) + "\n```")


class Scripted(ThreadingHTTPServer):
    def __init__(self, script):
        super().__init__(("127.0.0.1", 0), Handler)
        self.script = list(script)
        self.requests: list[dict] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length))
        self.server.requests.append({"body": body, "auth": self.headers.get("Authorization")})
        status, payload = self.server.script.pop(0) if self.server.script else (500, {})
        data = json.dumps(payload).encode()
        self.send_response(status)
        if status == 429:
            self.send_header("Retry-After", "0")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def serve():
    servers = []

    def start(script):
        server = Scripted(script)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


EXISTING = [Record("What is a firewall?", "A traffic filter.")]
SCRIPT = [
    (429, {"error": {"message": "rate limited"}}),
    (503, {"error": {"message": "overloaded"}}),
    (200, completion("Sorry, I cannot produce JSON today.")),  # malformed: nothing usable
    (
        200,
        records_reply(
            {"instruction": "What is phishing?", "input": "", "output": "A fake message."},
            {"instruction": "what is a  FIREWALL?", "input": "", "output": "a traffic filter."},
            {"instruction": "No answer", "output": ""},
            {"question": "wrong shape"},
        ),
    ),
    (
        200,
        records_reply(
            {"instruction": "What is a honeypot?", "input": "", "output": "A decoy system."},
            {"instruction": "What is phishing?", "input": "", "output": "A fake message."},
            {"instruction": "什么是沙箱？", "input": "", "output": "隔离的运行环境。"},
        ),
    ),
]


def test_generate_with_retries_and_drops(serve):
    server = serve(SCRIPT)
    api = generator.ApiSettings(server.url, "test-model", api_key="sk-test")
    retries, progress = [], []
    report = generator.generate_records(
        api,
        "network security",
        EXISTING,
        count=3,
        existing=EXISTING,
        on_retry=retries.append,
        on_progress=lambda done, total: progress.append(done),
        sleep=lambda s: None,
    )
    assert [r.instruction for r in report.records] == [
        "What is phishing?",
        "What is a honeypot?",
        "什么是沙箱？",
    ]
    assert report.dropped_duplicates == 2  # the existing firewall record, and phishing again
    assert report.dropped_invalid == 3  # the malformed reply, the empty answer, the wrong shape
    assert report.retries == 2 and "HTTP 429: rate limited" in retries[0]
    assert progress[-1] == 3
    first = server.requests[0]
    assert first["auth"] == "Bearer sk-test" and first["body"]["model"] == "test-model"
    assert "network security" in first["body"]["messages"][1]["content"]
    assert "What is a firewall?" in first["body"]["messages"][1]["content"]  # the example


def test_errors_that_retrying_does_not_fix(serve):
    for status, words in ((401, "API key"), (404, "base URL"), (400, "HTTP 400")):
        server = serve([(status, {"error": {"message": "nope"}})])
        api = generator.ApiSettings(server.url, "m")
        with pytest.raises(generator.GenerationError, match=words):
            generator.chat_completion(api, [], sleep=lambda s: None)
    server = serve([(200, {"unexpected": True})])
    with pytest.raises(generator.GenerationError, match="not an OpenAI chat completion"):
        generator.chat_completion(generator.ApiSettings(server.url, "m"), [])
    nowhere = generator.ApiSettings("http://127.0.0.1:9/v1", "m", timeout=2)
    with pytest.raises(generator.GenerationError, match="cannot reach"):
        generator.chat_completion(nowhere, [], sleep=lambda s: None)
    stop = threading.Event()
    stop.set()
    with pytest.raises(generator.Cancelled):
        generator.chat_completion(nowhere, [], should_stop=stop.is_set)


def test_the_dialog_appends_one_undoable_step(qtbot, serve, app_settings, tmp_path, monkeypatch):
    monkeypatch.setenv("LORA_STUDIO_DATA_DIR", str(tmp_path / "data"))
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())  # this machine's situation: no Secret Service
    from lora_studio.gui.dataset.panel import DatasetPanel

    panel = DatasetPanel(app_settings)
    qtbot.addWidget(panel)
    panel.document.load([Record(r.instruction, r.output) for r in EXISTING], "")
    panel.select_record(0)
    server = serve(SCRIPT)
    dialog = panel.generate_dialog()
    assert "No system keyring" in dialog.key_note.text()
    assert "What is a firewall?" in dialog.examples_view.toPlainText()
    dialog.base_url.setText(server.url)
    dialog.model.setText("test-model")
    dialog.api_key.setText("sk-secret-123")
    dialog.topic.setText("network security")
    dialog.count.setValue(3)
    with qtbot.waitSignal(dialog.generated, timeout=60_000):
        assert dialog.start()
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
    assert "3 records added" in dialog.status.text()
    assert len(panel.document.records) == 4
    panel.undo()
    assert len(panel.document.records) == 1  # one step
    settings_text = open(app_settings.path(), encoding="utf-8").read()
    assert "sk-secret-123" not in settings_text and "network security" in settings_text
    assert secrets.load_key(server.url) == "sk-secret-123"  # for this session only
    dialog.reject()


def test_cancel_stops_the_worker(qtbot, serve, app_settings):
    from lora_studio.gui.dataset.generator_dialog import GeneratorDialog

    server = serve([(429, {})] * 5)
    dialog = GeneratorDialog(app_settings, [], [])
    qtbot.addWidget(dialog)
    dialog.base_url.setText(server.url)
    dialog.topic.setText("anything")
    assert dialog.start()
    qtbot.waitUntil(lambda: "Waiting" in dialog.status.text(), timeout=10_000)
    dialog.cancel()
    qtbot.waitUntil(lambda: not dialog.running, timeout=10_000)
    assert "Cancelled" in dialog.status.text()
    assert len(server.requests) < 5  # it stopped asking
