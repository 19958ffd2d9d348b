"""core.messages: English for logs, the same message in the UI language for the app, and events
from another process read without trusting them."""

import json

from hypothesis import given
from hypothesis import strategies as st

from lora_studio.core import messages
from lora_studio.core.messages import Text, as_text, from_dict, join_texts, render, say


def chinese(table):
    return lambda template: table.get(template, template)


def test_english_text_and_translated_text_with_the_same_params():
    text = say("No permission to write to {path}.", path="/opt/runs")
    assert str(text) == "No permission to write to /opt/runs."
    assert render(
        text, chinese({"No permission to write to {path}.": "没有写入 {path} 的权限。"})
    ) == ("没有写入 /opt/runs 的权限。")


def test_nested_texts_and_lists_are_translated_piece_by_piece():
    table = {
        "{path}, {location}: {problem}": "{path}，{location}：{problem}",
        "line {line}": "第 {line} 行",
        "the file is empty": "文件是空的",
        "missing {what}": "缺少 {what}",
        "weights": "权重",
    }
    text = say("{path}, {location}: {problem}", path="d.json", location=say("line {line}", line=3),
               problem=say("the file is empty"))  # fmt: skip
    assert render(text, chinese(table)) == "d.json，第 3 行：文件是空的"
    listed = say("missing {what}", what=join_texts(["config.json", say("weights")]))
    assert render(listed, chinese(table)) == "缺少 config.json, 权重"
    assert str(listed) == "missing config.json, weights"


def test_a_translation_naming_a_param_the_text_lacks_falls_back_to_english():
    text = say("Step {step} failed.", step=4)
    assert render(text, chinese({"Step {step} failed.": "第 {stpe} 步失败。"})) == "Step 4 failed."


def test_a_text_survives_the_trip_through_an_event():
    text = say("{file} has {count} tensors: {names}.", file="m.gguf", count=3,
               names=["a", "b"], why=say("nested {x}", x=1.5))  # fmt: skip
    back = from_dict(json.loads(json.dumps(text.to_dict())))
    assert back == text and str(back) == str(text)
    assert str(as_text("plain {braces} stay")) == "plain {braces} stay"


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=8), children, max_size=4)
        ),
        max_leaves=30,
    )
)
def test_hostile_event_data_is_refused_or_rendered_never_raises(data):
    text = from_dict(data)
    if text is not None:
        assert isinstance(render(text, lambda t: t), str)


@given(st.text(max_size=60), st.dictionaries(st.text(max_size=6), st.text(max_size=6), max_size=3))
def test_any_template_renders_to_a_string(template, params):
    """A template from another process may hold stray braces or format specs: no exception."""
    assert isinstance(render(Text(template, params), lambda t: t), str)


def test_deep_nesting_is_bounded():
    data = {"template": "{x}", "params": {}}
    for _ in range(50):
        data = {"template": "{x}", "params": {"x": data}}
    assert from_dict(data) is None  # deeper than MAX_DEPTH
    assert messages.MAX_DEPTH < 50
