import json

import pytest

from lora_studio.core.config import ALL_PROJECTIONS, ConfigError, RunConfig


def test_defaults_target_every_projection():
    assert RunConfig().target_modules == list(ALL_PROJECTIONS)


def test_save_and_load_round_trip(tmp_path):
    config = RunConfig(
        model_name_or_path="m",
        output_dir="o",
        dataset_path="d",
        lora_rank=4,
        target_modules=["q_proj", "v_proj"],
        bf16=True,
    )
    path = tmp_path / "run_config.json"
    config.save(path)
    assert RunConfig.load(path) == config
    assert json.loads(path.read_text())["config_version"] == 1


def test_strings_from_the_command_line_are_coerced():
    config = RunConfig.from_dict(
        {
            "lora_rank": "16",
            "bf16": "true",
            "target_modules": "q_proj, k_proj",
            "learning_rate": "1e-4",
        }
    )
    assert (config.lora_rank, config.bf16, config.target_modules, config.learning_rate) == (
        16,
        True,
        ["q_proj", "k_proj"],
        1e-4,
    )


@pytest.mark.parametrize(
    "data, words",
    [
        ({"lora_rank": 1.5}, "lora_rank"),
        ({"bf16": "maybe"}, "true or false"),
        ({"no_such_flag": 1}, "no_such_flag"),
        ([], "JSON object"),
    ],
)
def test_bad_values_are_refused_with_the_field_name(data, words):
    with pytest.raises(ConfigError, match=words):
        RunConfig.from_dict(data)


def test_problems_are_keyed_by_field():
    problems = RunConfig(
        per_device_train_batch_size=0, learning_rate=5, bf16=True, fp16=True, eval_ratio=0.9
    ).problems()
    assert set(problems) >= {
        "model_name_or_path",
        "output_dir",
        "dataset_path",
        "per_device_train_batch_size",
        "learning_rate",
        "fp16",
        "eval_ratio",
    }
    ok = RunConfig(model_name_or_path="m", output_dir="o", dataset_path="d")
    assert ok.problems() == {}


def test_unreadable_config_file(tmp_path):
    path = tmp_path / "c.json"
    path.write_text("{oops")
    with pytest.raises(ConfigError, match="cannot read"):
        RunConfig.load(path)
