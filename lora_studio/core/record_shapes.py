"""One decoded JSON object -> a training record, for every layout people copy data in.

Read: Alpaca (instruction / input / output, optional system and history) and its renamed
cousins (prompt/completion, prompt/response, query/response, question/answer, input/target);
ShareGPT ``conversations`` (from/value, with LLaMA-Factory's ``function_call`` / ``observation``
turns and its ``tools`` string); ChatGLM3 ``conversations`` (role/content); OpenAI ``messages``
(``developer``, ``tool`` turns, ``tool_calls``, content as a list of text parts); Firefly
``conversation`` ([{human, assistant}]); ERNIEKit ``src`` / ``tgt``.

Refused, with a message that names the layout: preference data (chosen / rejected), multimodal
records (images, audio, video), and anything else that is not one good answer per question.
KTO records (``label``) keep their ``true`` answers; a ``false`` one is left out and counted.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lora_studio.core.records import (
    ASSISTANT,
    TOOL_CALL,
    TOOL_RESULT,
    USER,
    Record,
    record_problems,
)

# Why a record was left out without being a problem: counted and reported once.
KTO_REJECTED = "kto_rejected"
# A plain Alpaca record: nothing else to look at (no label, no media, no history).
ALPACA_KEYS = frozenset(("instruction", "input", "output", "system"))
MEDIA_KEYS = ("images", "image", "videos", "video", "audios", "audio")
MEDIA_TAG = re.compile(r"<(image|video|audio)>")
SURROGATE = re.compile("[\ud800-\udfff]")
# Alpaca-like layouts under other names: (question key, answer key)
RENAMED_PAIRS = (
    ("prompt", "completion"),
    ("prompt", "response"),
    ("query", "response"),
    ("question", "answer"),
    ("input", "target"),
    ("input", "output"),
)
SHAREGPT_ROLES = {
    "human": USER,
    "user": USER,
    "gpt": ASSISTANT,
    "assistant": ASSISTANT,
    "chatgpt": ASSISTANT,
    "bing": ASSISTANT,
    "bard": ASSISTANT,
    "system": "system",
    "function_call": TOOL_CALL,
    "observation": TOOL_RESULT,
    "tool": TOOL_RESULT,
    "function": TOOL_RESULT,
}
OPENAI_ROLES = {
    "user": USER,
    "assistant": ASSISTANT,
    "system": "system",
    "developer": "system",
    "tool": TOOL_RESULT,
    "function": TOOL_RESULT,
    "observation": TOOL_RESULT,
}

Shaped = tuple[Record | None, str, str]  # (record, problem, why left out without a problem)


def object_to_record(obj: Any) -> Shaped:
    """A record from any supported layout; else (None, the problem, "") or, for a record that
    is deliberately left out (a KTO "bad" answer), (None, "", the reason)."""
    if type(obj) is dict:  # the common Alpaca record first, without the general checks
        instruction, output = obj.get("instruction"), obj.get("output")
        if type(instruction) is str and type(output) is str and obj.keys() <= ALPACA_KEYS:
            text_input, system = obj.get("input", ""), obj.get("system", "")
            if type(text_input) is str and type(system) is str:
                record = Record(instruction, output, text_input, system)
                return _checked(record)
    if not isinstance(obj, dict):
        return None, record_problems(obj)[0], ""
    refusal = _refusal(obj)
    if refusal:
        return None, refusal, ""
    label = obj.get("label", obj.get("kto_tag"))
    if label is not None and not isinstance(label, bool):
        return None, f'"label" must be true or false (KTO data), not {label!r}', ""
    shaped, problem = _shaped(obj)
    if shaped is None:
        return None, problem, ""
    if label is False:
        return None, "", KTO_REJECTED
    return _checked(shaped)


def _refusal(obj: dict) -> str:
    if "chosen" in obj and "rejected" in obj:
        return (
            "preference data (a chosen and a rejected answer, for DPO or ORPO) is not "
            "supervised fine-tuning data: this app trains on one good answer per question"
        )
    media = [k for k in MEDIA_KEYS if obj.get(k)]
    if media:
        return (
            f'a multimodal record (media in "{media[0]}"): this app fine-tunes text-only models, '
            "and the media would be lost"
        )
    return ""


def _shaped(obj: dict) -> tuple[Record | None, str]:
    if "instruction" in obj:
        return _alpaca(obj)
    if "messages" in obj:
        record, problem = _turns(obj["messages"], "messages", OPENAI_ROLES)
    elif "conversations" in obj:
        record, problem = _turns(obj["conversations"], "conversations", SHAREGPT_ROLES)
    elif "conversation" in obj:
        record, problem = _firefly(obj["conversation"])
    elif "src" in obj and "tgt" in obj:
        return _src_tgt(obj)
    else:
        for question, answer in RENAMED_PAIRS:
            if question in obj and answer in obj:
                renamed = {"instruction": obj[question], "output": obj[answer]}
                if isinstance(obj.get("system"), str):
                    renamed["system"] = obj["system"]
                return _alpaca(renamed)
        return _alpaca(obj)  # names what is missing
    if record is None:
        return None, problem
    system = obj.get("system")
    if isinstance(system, str) and system and not record.system:
        record.system = system
    tools = obj.get("tools")
    if tools:
        parsed, problem = _tools(tools)
        if problem:
            return None, problem
        record.tools = parsed
    return record, ""


def _alpaca(obj: dict) -> tuple[Record | None, str]:
    # empty texts are imported (the editor's checks mark them); wrong shapes and types are not
    problems = [p for p in record_problems(obj) if not p.endswith("is empty")]
    if problems:
        return None, "; ".join(problems)
    return (
        Record(
            instruction=obj["instruction"],
            output=obj["output"],
            input=obj.get("input") or "",
            system=obj.get("system") or "",
            history=[(u, a) for u, a in obj.get("history") or []],
        ),
        "",
    )


def _text_of(content: Any, where: str) -> tuple[str | None, str]:
    """A turn's content: a string, or a list of parts of which only text parts are allowed."""
    if isinstance(content, str):
        return content, ""
    if content is None:
        return "", ""
    if isinstance(content, list):
        texts = []
        for part in content:
            if isinstance(part, str):
                texts.append(part)
                continue
            kind = part.get("type") if isinstance(part, dict) else None
            if kind == "text" and isinstance(part.get("text"), str):
                texts.append(part["text"])
            elif kind in ("image_url", "image", "input_audio", "audio", "video", "file"):
                return None, (
                    f"{where}: a multimodal record (a {kind} part): this app fine-tunes "
                    "text-only models, and the media would be lost"
                )
            else:
                return None, f"{where}: a content part must be {{'type': 'text', 'text': ...}}"
        return "".join(texts), ""
    return None, f"{where}: the content must be text"


def _call_text(turn: dict, text: str) -> str:
    """An assistant turn with OpenAI ``tool_calls`` (or the older ``function_call``) as the
    JSON text of a tool-call turn; empty when it calls nothing."""
    calls = turn.get("tool_calls")
    if not calls and isinstance(turn.get("function_call"), dict):
        calls = [{"function": turn["function_call"]}]
    if not calls or not isinstance(calls, list):
        return ""
    out = []
    for call in calls:
        function = call.get("function", call) if isinstance(call, dict) else None
        if not isinstance(function, dict) or not isinstance(function.get("name"), str):
            return "?"
        arguments = function.get("arguments", {})
        if isinstance(arguments, str):
            try:
                arguments = json.loads(arguments) if arguments.strip() else {}
            except ValueError:
                return "?"
        out.append({"name": function["name"], "arguments": arguments})
    return json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False)


def _turns(turns: Any, key: str, roles: dict[str, str]) -> tuple[Record | None, str]:
    if not isinstance(turns, list) or not turns:
        return None, f'"{key}" must be a non-empty list of turns'
    system = ""
    slots: list[tuple[str, str]] = []  # (kind, text), alternating user side / assistant side
    for i, turn in enumerate(turns, start=1):
        where = f'"{key}" turn {i}'
        if not isinstance(turn, dict):
            return None, f"{where} must be an object"
        role_key = "from" if "from" in turn else "role"
        text_key = "value" if "value" in turn else "content"
        raw_role = turn.get(role_key)
        kind = roles.get(str(raw_role).lower()) if isinstance(raw_role, str) else None
        if kind is None:
            return None, f'{where}: unknown {role_key} "{raw_role}"'
        text, problem = _text_of(turn.get(text_key), where)
        if text is None:
            return None, problem
        if MEDIA_TAG.search(text):
            tag = MEDIA_TAG.search(text).group(0)  # type: ignore[union-attr]
            return None, (
                f"{where}: a multimodal record ({tag} in the text): this app fine-tunes "
                "text-only models, and the media would be lost"
            )
        if kind == ASSISTANT:
            call = _call_text(turn, text)
            if call == "?":
                return None, f"{where}: a tool call must name a function and give its arguments"
            if call:
                kind, text = TOOL_CALL, call
        if kind == "system":
            if slots:
                return None, f"{where}: a system turn after the conversation began"
            system = text
            continue
        user_side = kind in (USER, TOOL_RESULT)
        expect_user = len(slots) % 2 == 0
        if user_side != expect_user:
            if user_side:
                return None, f"{where}: two questions in a row, without an answer between them"
            return None, f"{where}: an answer without a question before it"
        slots.append((kind, text))
    if len(slots) < 2:
        return None, f'"{key}" has no question with an answer'
    if len(slots) % 2:
        return None, f'"{key}" ends with a question that has no answer'
    texts = [text for _kind, text in slots]
    kinds = [kind for kind, _text in slots]
    plain = all(k in (USER, ASSISTANT) for k in kinds)
    history = list(zip(texts[:-2:2], texts[1:-2:2], strict=True))
    return (
        Record(
            instruction=texts[-2],
            output=texts[-1],
            system=system,
            history=history,
            kinds=[] if plain else kinds,
        ),
        "",
    )


def _firefly(turns: Any) -> tuple[Record | None, str]:
    """Firefly: "conversation": [{"human": ..., "assistant": ...}, ...]."""
    if not isinstance(turns, list) or not turns:
        return None, '"conversation" must be a non-empty list of {"human", "assistant"} turns'
    pairs = []
    for i, turn in enumerate(turns, start=1):
        if not (
            isinstance(turn, dict)
            and isinstance(turn.get("human"), str)
            and isinstance(turn.get("assistant"), str)
        ):
            return None, f'"conversation" turn {i} must be {{"human": text, "assistant": text}}'
        pairs.append((turn["human"], turn["assistant"]))
    (question, answer), history = pairs[-1], pairs[:-1]
    return Record(instruction=question, output=answer, history=history), ""


def _src_tgt(obj: dict) -> tuple[Record | None, str]:
    src, tgt = obj.get("src"), obj.get("tgt")
    if isinstance(src, str) and isinstance(tgt, str):
        src, tgt = [src], [tgt]
    if not (isinstance(src, list) and isinstance(tgt, list)) or len(src) != len(tgt) or not src:
        return None, '"src" and "tgt" must be strings or lists of the same length'
    if not all(isinstance(x, str) for x in [*src, *tgt]):
        return None, '"src" and "tgt" must hold strings'
    system = obj["system"] if isinstance(obj.get("system"), str) else ""
    history = list(zip(src[:-1], tgt[:-1], strict=True))
    return Record(instruction=src[-1], output=tgt[-1], system=system, history=history), ""


def _tools(tools: Any) -> tuple[list[dict[str, Any]], str]:
    """The tool list in OpenAI's form, from OpenAI's list or LLaMA-Factory's JSON string of
    plain function descriptions."""
    if isinstance(tools, str):
        try:
            tools = json.loads(tools)
        except (ValueError, RecursionError):
            return [], '"tools" must be a list of function descriptions (JSON)'
    if isinstance(tools, dict):
        tools = [tools]
    if not isinstance(tools, list):
        return [], '"tools" must be a list of function descriptions'
    out = []
    for i, tool in enumerate(tools, start=1):
        function = tool.get("function", tool) if isinstance(tool, dict) else None
        if not isinstance(function, dict) or not isinstance(function.get("name"), str):
            return [], f'"tools" entry {i} must describe a function with a "name"'
        out.append({"type": "function", "function": function})
    return out, ""


def _strings(record: Record) -> list[tuple[str, str]]:
    fields = [
        ("instruction", record.instruction),
        ("input", record.input),
        ("output", record.output),
        ("system", record.system),
    ]
    for i, (user, assistant) in enumerate(record.history, start=1):
        fields += [(f"history turn {i}", user), (f"history turn {i}", assistant)]
    if record.tools:
        fields.append(("tools", json.dumps(record.tools, ensure_ascii=False)))
    return fields


def _checked(record: Record) -> Shaped:
    """Refuse text that cannot be written as UTF-8: a lone surrogate (an escape such as
    \\ud800 without its pair) would pass the checks and then crash the tokenizer."""
    for name, text in _strings(record):
        match = SURROGATE.search(text)
        if match:
            return (
                None,
                f'"{name}" holds a lone surrogate (\\u{ord(match.group(0)):04x}), which is not '
                "valid Unicode: the file was damaged or written by a faulty tool",
                "",
            )
    return record, "", ""
