"""Generating training records with an LLM, as the tutorial's data generator does.

Any OpenAI-compatible chat API works: ERNIE through Baidu Qianfan's OpenAI-compatible endpoint,
DeepSeek, or a local server such as this app's own ``main.py serve``. The model is asked for a
JSON array of records on a topic, in the style of a few examples; replies that are not valid
records are dropped, and so are duplicates (of each other and of the dataset). Rate limits (429)
and server errors (5xx) are retried with exponential backoff, honouring ``Retry-After``.
Plain ``urllib``: no extra dependency for one POST.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from lora_studio.core.record_shapes import object_to_record
from lora_studio.core.records import Record

RETRY_STATUS = (429, 500, 502, 503, 504)
MAX_ATTEMPTS = 5
MAX_BACKOFF = 30.0
PER_REQUEST = 5  # records asked for in one call


class GenerationError(Exception):
    """A failure that retrying does not fix (a wrong key, a wrong URL); the message says why."""


class Cancelled(Exception):
    pass


@dataclass
class ApiSettings:
    base_url: str  # ... /v1
    model: str
    api_key: str = ""
    temperature: float = 0.8
    timeout: float = 120.0


@dataclass
class GenerationReport:
    records: list[Record] = field(default_factory=list)
    dropped_invalid: int = 0
    dropped_duplicates: int = 0
    requests: int = 0
    retries: int = 0


def chat_completion(
    api: ApiSettings,
    messages: list[dict],
    should_stop: Callable[[], bool] = lambda: False,
    sleep: Callable[[float], None] = time.sleep,
    on_retry: Callable[[str], None] = lambda message: None,
) -> str:
    """One chat completion's text, retrying rate limits and server errors."""
    url = api.base_url.rstrip("/") + "/chat/completions"
    body = json.dumps(
        {"model": api.model, "messages": messages, "temperature": api.temperature}
    ).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if api.api_key:
        headers["Authorization"] = f"Bearer {api.api_key}"
    for attempt in range(1, MAX_ATTEMPTS + 1):
        if should_stop():
            raise Cancelled()
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=api.timeout) as response:
                data = json.loads(response.read().decode("utf-8"))
            return data["choices"][0]["message"]["content"] or ""
        except urllib.error.HTTPError as exc:
            detail = _error_detail(exc)
            if exc.code in RETRY_STATUS and attempt < MAX_ATTEMPTS:
                wait = _retry_after(exc) or min(MAX_BACKOFF, 2.0 ** (attempt - 1))
                on_retry(f"HTTP {exc.code}{detail}; retrying in {wait:.0f} s")
                _sleep(wait, should_stop, sleep)
                continue
            if exc.code in (401, 403):
                raise GenerationError(
                    f"the server refused the API key (HTTP {exc.code}{detail})"
                ) from None
            if exc.code == 404:
                raise GenerationError(
                    f"no chat API at {url} (HTTP 404{detail}); check the base URL and the model"
                ) from None
            raise GenerationError(f"the server answered HTTP {exc.code}{detail}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            if attempt < MAX_ATTEMPTS:
                wait = min(MAX_BACKOFF, 2.0 ** (attempt - 1))
                on_retry(f"cannot reach {url} ({reason}); retrying in {wait:.0f} s")
                _sleep(wait, should_stop, sleep)
                continue
            raise GenerationError(f"cannot reach {url}: {reason}") from None
        except (ValueError, KeyError, IndexError, TypeError):
            raise GenerationError(
                "the server's answer is not an OpenAI chat completion; check the base URL"
            ) from None
    raise GenerationError("the server kept failing")  # pragma: no cover - loop always returns


def _error_detail(exc: urllib.error.HTTPError) -> str:
    try:
        data = json.loads(exc.read().decode("utf-8", "replace"))
        message = data.get("error", {}).get("message") if isinstance(data, dict) else None
    except (ValueError, AttributeError, OSError):
        message = None
    return f": {message}" if message else ""


def _retry_after(exc: urllib.error.HTTPError) -> float:
    value = exc.headers.get("Retry-After") if exc.headers else None
    try:
        return min(MAX_BACKOFF, max(0.0, float(value))) if value else 0.0
    except ValueError:
        return 0.0


def _sleep(seconds: float, should_stop: Callable[[], bool], sleep: Callable[[float], None]) -> None:
    remaining = seconds
    while remaining > 0:
        if should_stop():
            raise Cancelled()
        step = min(0.1, remaining)
        sleep(step)
        remaining -= step


def build_messages(topic: str, examples: list[Record], count: int, language: str = "") -> list:
    shown = [
        {"instruction": r.instruction, "input": r.input, "output": r.output} for r in examples[:5]
    ]
    lines = [
        f"Write {count} new, varied training records for fine-tuning an assistant on this "
        f"topic: {topic}.",
        'Answer with a JSON array only: [{"instruction": "...", "input": "...", "output": "..."}]'
        ' ("input" may be empty). No text before or after the array.',
    ]
    if language:
        lines.append(f"Write the records in {language}.")
    if shown:
        lines.append("Follow the style and length of these examples, without repeating them:")
        lines.append(json.dumps(shown, ensure_ascii=False, indent=1))
    return [
        {"role": "system", "content": "You write high-quality instruction-tuning data."},
        {"role": "user", "content": "\n".join(lines)},
    ]


FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


def parse_records(text: str) -> tuple[list[Record], int]:
    """Records found in a model's reply, and how many items were not valid records."""
    candidates = [m.group(1) for m in FENCE.finditer(text)] + [text]
    for candidate in candidates:
        start, end = candidate.find("["), candidate.rfind("]")
        if start < 0 or end <= start:
            continue
        try:
            data = json.loads(candidate[start : end + 1])
        except ValueError:
            continue
        if isinstance(data, list):
            records, invalid = [], 0
            for obj in data:
                record, _why, _left_out = object_to_record(obj)
                if record is None or not record.instruction.strip() or not record.output.strip():
                    invalid += 1
                else:
                    records.append(record)
            return records, invalid
    return [], 1


def _key(record: Record) -> str:
    return " ".join(f"{record.instruction}\x1f{record.input}\x1f{record.output}".split()).lower()


def generate_records(
    api: ApiSettings,
    topic: str,
    examples: list[Record],
    count: int,
    existing: list[Record] | None = None,
    language: str = "",
    should_stop: Callable[[], bool] = lambda: False,
    on_progress: Callable[[int, int], None] = lambda done, total: None,
    on_retry: Callable[[str], None] = lambda message: None,
    sleep: Callable[[float], None] = time.sleep,
) -> GenerationReport:
    """Ask until ``count`` new valid records are collected (or too many replies were empty)."""
    report = GenerationReport()
    seen = {_key(r) for r in (existing or [])}
    fruitless = 0
    while len(report.records) < count and fruitless < 3:
        wanted = min(PER_REQUEST, count - len(report.records))
        report.requests += 1

        def retry(message: str) -> None:
            report.retries += 1
            on_retry(message)

        text = chat_completion(
            api,
            build_messages(topic, examples, wanted, language),
            should_stop,
            sleep,
            retry,
        )
        records, invalid = parse_records(text)
        report.dropped_invalid += invalid
        added = 0
        for record in records:
            key = _key(record)
            if key in seen:
                report.dropped_duplicates += 1
                continue
            if len(report.records) < count:
                seen.add(key)
                report.records.append(record)
                added += 1
        fruitless = 0 if added else fruitless + 1
        on_progress(len(report.records), count)
    return report
