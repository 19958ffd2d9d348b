"""Chat conversations: what the chat window shows, keeps in its history, and exports.

A conversation is a list of messages (``role`` / ``content``, OpenAI style) with an optional
system prompt and, for each reply, the figures that came with it (tokens per second, time to the
first token). Conversations are stored one JSON file each in the user's data folder.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from lora_studio.core.atomic import write_text_atomic
from lora_studio.core.records import Record

TITLE_LENGTH = 40


@dataclass
class Message:
    role: str  # user / assistant
    content: str
    stats: dict[str, Any] = field(default_factory=dict)  # for replies: Reply event's figures

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.stats:
            data["stats"] = self.stats
        return data


@dataclass
class Conversation:
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    title: str = ""
    source: str = ""  # what answered: the model folder or run, as shown to the user
    system: str = ""
    created: float = field(default_factory=time.time)
    messages: list[Message] = field(default_factory=list)

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        for message in self.messages:
            if message.role == "user" and message.content.strip():
                first = " ".join(message.content.split())
                return first if len(first) <= TITLE_LENGTH else first[: TITLE_LENGTH - 1] + "…"
        return ""

    def request_messages(self) -> list[dict[str, str]]:
        """What the model is asked with: the system prompt, then the turns so far."""
        out = [{"role": "system", "content": self.system}] if self.system.strip() else []
        out += [{"role": m.role, "content": m.content} for m in self.messages]
        return out

    def add(self, role: str, content: str, stats: dict[str, Any] | None = None) -> Message:
        message = Message(role, content, dict(stats or {}))
        self.messages.append(message)
        return message

    def last_exchange(self) -> tuple[int, int] | None:
        """Indexes of the last user message and the reply after it, when both exist."""
        for i in range(len(self.messages) - 1, 0, -1):
            if self.messages[i].role == "assistant" and self.messages[i - 1].role == "user":
                return i - 1, i
        return None

    def to_record(self, reply_index: int | None = None) -> Record:
        """An exchange as a training record: earlier turns become ``history``."""
        if reply_index is None:
            exchange = self.last_exchange()
            if exchange is None:
                raise ValueError("the conversation has no question with a reply yet")
            reply_index = exchange[1]
        reply = self.messages[reply_index]
        question = self.messages[reply_index - 1] if reply_index > 0 else None
        if reply.role != "assistant" or question is None or question.role != "user":
            raise ValueError("choose a reply that answers a question")
        history = []
        turns = self.messages[: reply_index - 1]
        for user, assistant in zip(turns[::2], turns[1::2], strict=False):
            if user.role == "user" and assistant.role == "assistant":
                history.append((user.content, assistant.content))
        return Record(
            instruction=question.content,
            output=reply.content,
            system=self.system.strip(),
            history=history,
        )

    # ---- files ----
    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["messages"] = [m.to_dict() for m in self.messages]
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Conversation:
        if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
            raise ValueError("not a conversation")
        messages = []
        for item in data["messages"]:
            if not isinstance(item, dict) or item.get("role") not in ("user", "assistant"):
                raise ValueError("a message without a user or assistant role")
            if not isinstance(item.get("content"), str):
                raise ValueError("a message without text")
            stats = item["stats"] if isinstance(item.get("stats"), dict) else {}
            messages.append(Message(item["role"], item["content"], stats))
        created = data.get("created")
        return cls(
            id=str(data.get("id") or uuid.uuid4().hex[:12]),
            title=str(data.get("title") or ""),
            source=str(data.get("source") or ""),
            system=str(data.get("system") or ""),
            created=float(created) if isinstance(created, (int, float)) else time.time(),
            messages=messages,
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n"

    def to_markdown(self, names: dict[str, str] | None = None) -> str:
        names = {"user": "User", "assistant": "Assistant", "system": "System", **(names or {})}
        lines = [f"# {self.display_title or 'Conversation'}", ""]
        if self.source:
            lines += [f"*{self.source}*", ""]
        if self.system.strip():
            lines += [f"**{names['system']}:** {self.system.strip()}", ""]
        for message in self.messages:
            lines += [f"**{names[message.role]}:**", "", message.content.strip(), ""]
        return "\n".join(lines)


class ConversationStore:
    """One JSON file per conversation in a folder; unreadable files are skipped, not fatal."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def path(self, conversation_id: str) -> str:
        return os.path.join(self.folder, f"{conversation_id}.json")

    def save(self, conversation: Conversation) -> None:
        write_text_atomic(self.path(conversation.id), conversation.to_json())

    def delete(self, conversation_id: str) -> None:
        try:
            os.remove(self.path(conversation_id))
        except FileNotFoundError:
            pass

    def load_all(self) -> list[Conversation]:
        """Newest first."""
        out = []
        try:
            names = os.listdir(self.folder)
        except OSError:
            return []
        for name in names:
            if not name.endswith(".json"):
                continue
            try:
                with open(os.path.join(self.folder, name), encoding="utf-8") as handle:
                    out.append(Conversation.from_dict(json.load(handle)))
            except (OSError, ValueError):
                continue
        out.sort(key=lambda c: c.created, reverse=True)
        return out
