"""The dataset editor's live checks, and the statistics it shows.

Each problem names its record (row, 0-based), the field, a kind the GUI translates, and an
English message (for ``main.py dataset check`` and logs). Token lengths come from the caller
(the GUI counts them with the model's ``tokenizer.json`` through ``tokenizers``; see
``core/tokens.py``), so this module stays plain Python.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lora_studio.core.records import TOOL_CALL, Record, parse_tool_calls

REPLACEMENT = "\ufffd"
KINDS = (
    "empty",
    "duplicate",
    "near_duplicate",
    "too_long",
    "whitespace",
    "encoding",
    "placeholder",
    "tool_call",
)
# What ``train`` refuses; every other kind is a warning that ``dataset check`` prints but that
# does not stop a run (nor change check's exit code, unless --strict).
ERROR_KINDS = ("empty", "tool_call")
# A template placeholder left in by a dataset meant to be filled in first, such as
# LLaMA-Factory's identity.json ({{name}}, {{author}}).
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}")


@dataclass(frozen=True)
class Problem:
    row: int
    field: str  # instruction / input / output / system, or "" for the whole record
    kind: str  # one of KINDS
    message: str
    other: int = -1  # the earlier record, for duplicates


def _key(record: Record) -> tuple:
    key = (record.system, record.instruction, record.input, record.output, tuple(record.history))
    if record.tools or record.kinds:
        return (*key, json.dumps(record.tools, sort_keys=True), tuple(record.kinds))
    return key


def record_texts(record: Record) -> list[tuple[str, str]]:
    """(field, text) of every text of a record, history turns included."""
    texts = [
        ("instruction", record.instruction),
        ("input", record.input),
        ("output", record.output),
        ("system", record.system),
    ]
    for user, assistant in record.history:
        texts += [("history", user), ("history", assistant)]
    return texts


def placeholders(record: Record) -> list[str]:
    """The template placeholder names a record holds, in order of first appearance."""
    names: dict[str, None] = {}
    for _field, text in record_texts(record):
        if "{{" in text:
            names.update((m.group(1), None) for m in PLACEHOLDER.finditer(text))
    return list(names)


def fill_placeholders(
    records: Sequence[Record], values: dict[str, str]
) -> list[tuple[int, str, object, object]]:
    """(row, field, old, new) for every text that holds one of the named placeholders, with
    each replaced by its value: the changes of one undoable edit (``document.SetFields``)."""

    def fill(text: str) -> str:
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)

    changes: list[tuple[int, str, object, object]] = []
    for row, record in enumerate(records):
        for name in ("instruction", "input", "output", "system"):
            text = getattr(record, name)
            if "{{" in text and fill(text) != text:
                changes.append((row, name, text, fill(text)))
        if any("{{" in u + a for u, a in record.history):
            history = [(fill(u), fill(a)) for u, a in record.history]
            if history != record.history:
                changes.append((row, "history", list(record.history), history))
    return changes


def _normalised(record: Record) -> str:
    """The record's texts with runs of whitespace made one space, in lower case."""
    parts = [record.system, record.instruction, record.input, record.output]
    for user, assistant in record.history:
        parts += [user, assistant]
    return " ".join("\x1f".join(parts).split()).lower()


def _record_number(row: int) -> str:
    return f"record {row + 1}"


def check_records(
    records: Sequence[Record],
    max_tokens: int = 0,
    token_counts: Sequence[int] | None = None,
    where: Callable[[int], str] = _record_number,
) -> list[Problem]:
    """Every problem, in record order. ``token_counts[i]`` is record i's prompt plus answer;
    ``where(i)`` names record i in messages (the editor's rows, or the file's own numbers)."""
    problems: list[Problem] = []
    seen: dict[tuple, int] = {}
    seen_normalised: dict[str, int] = {}
    for row, record in enumerate(records):
        for name in ("instruction", "output"):
            if not getattr(record, name).strip():
                problems.append(Problem(row, name, "empty", f'"{name}" is empty'))
        for name in ("instruction", "input", "output", "system"):
            text = getattr(record, name)
            if text and text != text.strip():
                problems.append(
                    Problem(row, name, "whitespace", f'"{name}" starts or ends with whitespace')
                )
            if REPLACEMENT in text:
                problems.append(
                    Problem(
                        row,
                        name,
                        "encoding",
                        f'"{name}" holds \ufffd characters: the file was probably read with the '
                        "wrong encoding",
                    )
                )
        key = _key(record)
        if key in seen:
            problems.append(
                Problem(
                    row,
                    "",
                    "duplicate",
                    f"the same as {where(seen[key])}",
                    seen[key],
                )
            )
        else:
            seen[key] = row
            normalised = _normalised(record)
            if normalised in seen_normalised:
                other = seen_normalised[normalised]
                problems.append(
                    Problem(
                        row,
                        "",
                        "near_duplicate",
                        f"the same as {where(other)} apart from spaces and letter case",
                        other,
                    )
                )
            else:
                seen_normalised[normalised] = row
        names = placeholders(record)
        if names:
            shown = ", ".join("{{" + n + "}}" for n in names[:4])
            problems.append(
                Problem(
                    row,
                    "",
                    "placeholder",
                    f"holds template placeholders ({shown}): fill them in before training",
                )
            )
        for kind, text in record.turns() if record.kinds else ():
            if kind == TOOL_CALL:
                try:
                    parse_tool_calls(text)
                except (ValueError, RecursionError):
                    problems.append(
                        Problem(
                            row,
                            "output" if text == record.output else "history",
                            "tool_call",
                            'a tool call is not valid: it must be JSON {"name": ..., '
                            '"arguments": {...}}',
                        )
                    )
                    break
        if max_tokens and token_counts is not None and token_counts[row] > max_tokens:
            problems.append(
                Problem(
                    row,
                    "",
                    "too_long",
                    f"{token_counts[row]} tokens, more than the maximum length {max_tokens}",
                )
            )
    return problems


@dataclass
class Stats:
    records: int
    chinese_share: float  # of records: those mostly in Chinese (see ``is_mostly_chinese``)
    prompt_lengths: list[int]
    answer_lengths: list[int]
    unit: str  # "tokens" or "characters"


NOT_CJK = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff]+")
LATIN_WORD = re.compile(r"[A-Za-z]+")


def is_mostly_chinese(text: str) -> bool:
    """More Chinese characters than Latin words: one character is about one word's worth.
    (Counting letters instead made a dataset with 35 of 64 records in Chinese read 30%.)"""
    cjk = len(NOT_CJK.sub("", text))  # the regular-expression engine counts, not a loop
    return cjk > 0 and cjk >= len(LATIN_WORD.findall(text))


def dataset_stats(
    records: Sequence[Record],
    prompt_tokens: Sequence[int] | None = None,
    answer_tokens: Sequence[int] | None = None,
) -> Stats:
    chinese = sum(
        is_mostly_chinese(
            " ".join(
                [r.system, r.instruction, r.input, r.output, *(t for h in r.history for t in h)]
            )
        )
        for r in records
    )
    if prompt_tokens is not None and answer_tokens is not None:
        prompts, answers, unit = list(prompt_tokens), list(answer_tokens), "tokens"
    else:
        prompts = [len(r.prompt) + len(r.system) for r in records]
        answers = [len(r.output) for r in records]
        unit = "characters"
    return Stats(len(records), chinese / len(records) if records else 0.0, prompts, answers, unit)
