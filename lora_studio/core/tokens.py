"""Token counts for the dataset editor, with a model's ``tokenizer.json`` and no Paddle.

The ``tokenizers`` library reads the same file PaddleFormers does. The chat template's markers
are not rendered: each message adds ``TEMPLATE_TOKENS_PER_MESSAGE`` (Qwen's
``<|im_start|>role\\n ... <|im_end|>\\n`` is four or five tokens), so counts are within a few
tokens of what training sees.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from lora_studio.core.records import Record

TEMPLATE_TOKENS_PER_MESSAGE = 5


class TokenCounter:
    def __init__(self, model_dir: str) -> None:
        path = os.path.join(model_dir, "tokenizer.json")
        if not os.path.isfile(path):
            raise ValueError(f"{model_dir} has no tokenizer.json")
        from tokenizers import Tokenizer

        try:
            self.tokenizer = Tokenizer.from_file(path)
        except Exception as exc:  # noqa: BLE001 - a damaged or foreign file
            raise ValueError(f"{path} cannot be read: {exc}") from None
        self.model_dir = model_dir

    def count_texts(self, texts: Sequence[str]) -> list[int]:
        encodings = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [len(e.ids) for e in encodings]

    def counts(self, records: Sequence[Record]) -> tuple[list[int], list[int]]:
        """(prompt tokens, answer tokens) per record, template markers included."""
        prompts, turns = [], []
        for r in records:
            parts = [r.system] if r.system else []
            for user, assistant in r.history:
                parts += [user, assistant]
            parts.append(r.prompt)
            prompts.append("\n".join(parts))
            turns.append(len(parts))
        prompt_counts = self.count_texts(prompts)
        answer_counts = self.count_texts([r.output for r in records])
        return (
            [
                n + t * TEMPLATE_TOKENS_PER_MESSAGE
                for n, t in zip(prompt_counts, turns, strict=True)
            ],
            [n + TEMPLATE_TOKENS_PER_MESSAGE for n in answer_counts],
        )
