"""Messages that core and the engine write for people, in English, translatable by the GUI.

Core and the engine speak English: their messages also go to logs, terminals and API clients.
A message that the app may show is made with ``say(TEMPLATE, **params)``: TEMPLATE is a literal
``str.format`` template (lupdate collects it: ``scripts/i18n.py`` passes ``say`` as an alias of
``QT_TR_NOOP``), the params are what varies. ``str()`` gives the English text; the GUI looks the
template up in its translation and fills in the same params (``gui.text.message_text``), so a
Chinese window never shows an engine's English sentence. A param may itself be a ``Text``.

Call ``say`` at module level or in a function, not in a class body or method: lupdate files a
text said inside a class under that class's name, and the GUI looks texts up under none
(``tests/test_i18n.py`` checks this).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_DEPTH = 4  # nested Texts in an event from another process: a bound, not a recursion bomb


@dataclass(frozen=True)
class Text:
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return render(self, lambda template: template)

    def to_dict(self) -> dict[str, Any]:
        return {
            "template": self.template,
            "params": {
                key: value.to_dict() if isinstance(value, Text) else value
                for key, value in self.params.items()
            },
        }


def say(template: str, **params: Any) -> Text:
    return Text(template, params)


def as_text(value: Text | str) -> Text:
    """A plain string (an exception's own words, say) as a Text that renders as itself."""
    return value if isinstance(value, Text) else Text("{text}", {"text": value})


def join_texts(items: Sequence[Text | str], sep: str = ", ") -> Text:
    """A list of words (or, with ``sep="\n"``, sentences), each translated on its own (the
    separator is not)."""
    keys = [f"item{i}" for i in range(len(items))]
    template = sep.join("{" + key + "}" for key in keys)
    return Text(template, dict(zip(keys, items, strict=True)))


def from_dict(data: Any, depth: int = 0) -> Text | None:
    """The Text an event carries, or None when the data is not one (events come from another
    process and are checked, not trusted)."""
    if depth > MAX_DEPTH or not isinstance(data, dict):
        return None
    template, params = data.get("template"), data.get("params", {})
    if not isinstance(template, str) or not isinstance(params, dict):
        return None
    values: dict[str, Any] = {}
    for key, value in params.items():
        if not isinstance(key, str):
            return None
        if isinstance(value, dict):
            nested = from_dict(value, depth + 1)
            if nested is None:
                return None
            values[key] = nested
        elif isinstance(value, (str, int, float, bool)) or value is None:
            values[key] = value
        elif isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
            values[key] = value
        else:
            return None
    return Text(template, values)


def render(text: Text, translate: Callable[[str], str], depth: int = 0) -> str:
    """The text with its template passed through ``translate`` and its params filled in. A
    translation that names a param the text lacks (a translator's slip) falls back to the
    English template: a wrong word order is better than a message box with a traceback."""
    values = {key: _param(value, translate, depth) for key, value in text.params.items()}
    for template in (translate(text.template), text.template):
        try:
            return template.format_map(values)
        except (KeyError, IndexError, ValueError, AttributeError, TypeError):
            continue
    return text.template


def _param(value: Any, translate: Callable[[str], str], depth: int) -> Any:
    if isinstance(value, Text):
        return render(value, translate, depth + 1) if depth < MAX_DEPTH else value.template
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value
