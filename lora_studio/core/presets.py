"""Models offered in the training form, with the architecture figures the memory planner needs,
so that nothing has to be downloaded to plan a run. Figures are from each model's config.json.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_MODEL = "demo"  # SmolLM2-135M-Instruct, made from the GGUF that ships with the app
TEST_MODEL = "test-tiny"  # random weights, 0.9M parameters: for tests, learns nothing general


@dataclass(frozen=True)
class ModelPreset:
    key: str
    hub_id: str
    label: str
    vocab_size: int = 0
    hidden_size: int = 0
    num_layers: int = 0
    num_heads: int = 0
    num_kv_heads: int = 0
    intermediate_size: int = 0
    head_dim: int = 0
    tied_embeddings: bool = True
    modelscope_id: str = ""  # where ModelScope's copy has another organisation name

    @property
    def is_demo(self) -> bool:
        return self.key == DEMO_MODEL

    @property
    def made_here(self) -> bool:
        """Built on this machine (the demo and the test model), never downloaded."""
        return self.key in (DEMO_MODEL, TEST_MODEL)


PRESETS = [
    ModelPreset(
        DEMO_MODEL,
        "HuggingFaceTB/SmolLM2-135M-Instruct",
        "SmolLM2-135M-Instruct (demo, offline, English)",
        49152,
        576,
        30,
        9,
        3,
        1536,
        64,
    ),
    ModelPreset(TEST_MODEL, "", "Test model (random weights, 0.9M)", 2048, 128, 4, 4, 2, 256, 32),
    ModelPreset(
        "qwen2.5-0.5b",
        "Qwen/Qwen2.5-0.5B-Instruct",
        "Qwen2.5-0.5B-Instruct",
        151936,
        896,
        24,
        14,
        2,
        4864,
        64,
    ),
    ModelPreset(
        "qwen2.5-1.5b",
        "Qwen/Qwen2.5-1.5B-Instruct",
        "Qwen2.5-1.5B-Instruct",
        151936,
        1536,
        28,
        12,
        2,
        8960,
        128,
    ),
    ModelPreset(
        "qwen2.5-3b",
        "Qwen/Qwen2.5-3B-Instruct",
        "Qwen2.5-3B-Instruct",
        151936,
        2048,
        36,
        16,
        2,
        11008,
        128,
    ),
    ModelPreset(
        "qwen2.5-7b",
        "Qwen/Qwen2.5-7B-Instruct",
        "Qwen2.5-7B-Instruct",
        152064,
        3584,
        28,
        28,
        4,
        18944,
        128,
        tied_embeddings=False,
    ),
    ModelPreset("qwen3-0.6b", "Qwen/Qwen3-0.6B", "Qwen3-0.6B", 151936, 1024, 28, 16, 8, 3072, 128),
    ModelPreset("qwen3-1.7b", "Qwen/Qwen3-1.7B", "Qwen3-1.7B", 151936, 2048, 28, 16, 8, 6144, 128),
    ModelPreset("qwen3-4b", "Qwen/Qwen3-4B", "Qwen3-4B", 151936, 2560, 36, 32, 8, 9728, 128),
    ModelPreset(
        "qwen3-8b",
        "Qwen/Qwen3-8B",
        "Qwen3-8B",
        151936,
        4096,
        36,
        32,
        8,
        12288,
        128,
        tied_embeddings=False,
    ),
    ModelPreset(
        "ernie-4.5-0.3b",
        "baidu/ERNIE-4.5-0.3B-PT",
        "ERNIE-4.5-0.3B",
        103424,
        1024,
        18,
        16,
        2,
        3072,
        64,
        modelscope_id="PaddlePaddle/ERNIE-4.5-0.3B-PT",
    ),
    ModelPreset(
        "llama-3.2-1b",
        "meta-llama/Llama-3.2-1B-Instruct",
        "Llama-3.2-1B-Instruct",
        128256,
        2048,
        16,
        32,
        8,
        8192,
        64,
        modelscope_id="LLM-Research/Llama-3.2-1B-Instruct",
    ),
    ModelPreset(
        "llama-3.2-3b",
        "meta-llama/Llama-3.2-3B-Instruct",
        "Llama-3.2-3B-Instruct",
        128256,
        3072,
        28,
        24,
        8,
        8192,
        128,
        modelscope_id="LLM-Research/Llama-3.2-3B-Instruct",
    ),
]
BY_KEY = {p.key: p for p in PRESETS}

# Training settings per model, for the form, the wizard and quickstart. The demo's were measured
# on two CPU cores (docs/engine-notes.md #17): on the demo dataset, about three minutes, and Chat
# then gives the dataset's answers while general questions are still answered. Real models get
# the usual LoRA recipe (lr 2e-4, r 8); dropout stays 0 because it costs a lot on CPU.
RECIPES: dict[str, dict[str, object]] = {
    DEMO_MODEL: dict(
        num_train_epochs=8.0,
        per_device_train_batch_size=4,
        gradient_accumulation_steps=1,
        learning_rate=2e-3,
        warmup_ratio=0.0,
        lora_rank=16,
        lora_alpha=32.0,
        lora_dropout=0.0,
        max_seq_length=256,
        eval_ratio=0.0,
    ),
    TEST_MODEL: dict(
        num_train_epochs=40.0,
        per_device_train_batch_size=8,
        gradient_accumulation_steps=1,
        learning_rate=1e-2,
        warmup_ratio=0.03,
        lora_rank=16,
        lora_alpha=32.0,
        lora_dropout=0.0,
        max_seq_length=512,
    ),
}
REAL_MODEL_RECIPE: dict[str, object] = dict(
    num_train_epochs=3.0,
    learning_rate=2e-4,
    warmup_ratio=0.03,
    lora_rank=8,
    lora_alpha=16.0,
    lora_dropout=0.0,
    max_seq_length=1024,
)


def id_on_hub(model_id: str, hub: str) -> str:
    """A preset's id on ``hub`` (ModelScope mirrors some under other organisations; these ids
    were written from memory, not checked against the hub from here); else ``model_id``."""
    if hub == "modelscope":
        for preset in PRESETS:
            if preset.modelscope_id and preset.hub_id.lower() == model_id.lower():
                return preset.modelscope_id
    return model_id


def recipe_for(key: str) -> dict[str, object]:
    """RunConfig fields that suit the preset ``key`` (empty for a folder or hub name)."""
    if key in RECIPES:
        return dict(RECIPES[key])
    return dict(REAL_MODEL_RECIPE) if key in BY_KEY else {}


def demo_model_dir() -> str:
    """Where the demo model is made at first use (a new name: older versions kept the random
    test model in "demo-model", which must not pass for the real one)."""
    import os

    from lora_studio.core.paths import user_data_dir

    return os.path.join(user_data_dir(), "models", "smollm2-135m-instruct")


def test_model_dir() -> str:
    import os

    from lora_studio.core.paths import user_data_dir

    return os.path.join(user_data_dir(), "models", "test-tiny")


def made_here_dir(key: str) -> str:
    return demo_model_dir() if key == DEMO_MODEL else test_model_dir()


def resolve_model(choice: str) -> str:
    """What ``--model_name_or_path`` gets for a form choice: a preset key, hub id or folder."""
    preset = BY_KEY.get(choice)
    if preset is None:
        return choice
    return made_here_dir(preset.key) if preset.made_here else preset.hub_id
