import json

import pytest

from lora_studio.core.dataset_io import DatasetError
from lora_studio.core.paths import sample_dataset_path
from lora_studio.core.records import Record, record_problems
from lora_studio.core.training_data import load_records


def write(tmp_path, data: bytes | str, name="data.json"):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_json_array_and_jsonl_load_the_same_records(tmp_path):
    records = [
        {"instruction": "问", "input": "", "output": "答"},
        {"instruction": "q", "output": "a", "system": "s", "history": [["u", "v"]]},
    ]
    a = load_records(write(tmp_path, json.dumps(records, ensure_ascii=False)))
    b = load_records(
        write(
            tmp_path,
            "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n",
            "d.jsonl",
        )
    )
    assert a == b
    assert a[1] == Record(instruction="q", output="a", system="s", history=[("u", "v")])
    assert a[1].messages()[0] == {"role": "system", "content": "s"}


def test_utf8_bom_and_utf16_are_read(tmp_path):
    text = json.dumps([{"instruction": "问", "output": "答"}], ensure_ascii=False)
    assert load_records(write(tmp_path, b"\xef\xbb\xbf" + text.encode()))[0].output == "答"
    assert load_records(write(tmp_path, text.encode("utf-16")))[0].output == "答"


def test_bundled_sample_dataset_is_valid_and_bilingual():
    records = load_records(sample_dataset_path())
    assert len(records) >= 60
    chinese = sum(any("\u4e00" <= ch <= "\u9fff" for ch in r.output) for r in records)
    assert 20 <= chinese <= len(records) - 20


@pytest.mark.parametrize(
    "content, where, words",
    [
        ("", "", "empty"),
        ("   \n", "", "empty"),
        ("hello", "line 1", "not a JSON dataset"),
        ('[{"instruction": "a", "output": "b"},\n {"instruction": ', "line 2", "not valid JSON"),
        (
            '{"instruction": "a", "output": "b"}\n{"instruction": "a" "output": "b"}\n',
            "line 2",
            "not valid JSON",
        ),
        ('[{"instruction": "a"}]', "record 1", 'missing field "output"'),
        (
            '[{"instruction": "a", "output": "b"}, {"output": "b"}]',
            "record 2",
            'missing field "instruction"',
        ),
        (
            '[{"instruction": "a", "output": 3}]',
            "record 1",
            '"output" must be a string, not a number',
        ),
        ('[{"instruction": ["a"], "output": "b"}]', "record 1", '"instruction" must be a string'),
        ('[{"instruction": "a", "output": "  "}]', "record 1", '"output" is empty'),
        (
            '[{"instruction": "a", "output": "b", "input": 1}]',
            "record 1",
            '"input" must be a string',
        ),
        ('[{"instruction": "a", "output": "b", "history": [["x"]]}]', "record 1", "history"),
        ('["just text"]', "record 1", "must be a JSON object"),
        ("[]", "", "holds no records"),
    ],
)
def test_bad_files_name_the_place_and_the_problem(tmp_path, content, where, words):
    path = write(tmp_path, content)
    with pytest.raises(DatasetError) as info:
        load_records(path)
    message = str(info.value)
    assert str(path) in message and words in message
    assert info.value.location == where


def test_undecodable_bytes_name_the_line(tmp_path):
    path = write(tmp_path, b'[{"instruction": "a",\n "output": "\xff\xfe"}]')
    with pytest.raises(DatasetError) as info:
        load_records(path)
    assert info.value.location == "line 2" and "not UTF-8" in info.value.problem


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DatasetError, match="does not exist"):
        load_records(tmp_path / "nope.json")
    with pytest.raises(DatasetError, match="folder"):
        load_records(tmp_path)


def test_record_problems_lists_every_problem():
    assert record_problems({"instruction": "", "output": 1}) == [
        '"instruction" is empty',
        '"output" must be a string, not a number',
    ]
    assert record_problems({"instruction": "a", "output": "b", "input": None}) == []
