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

    def counts(
        self, records: Sequence[Record], train_on: str = "all"
    ) -> tuple[list[int], list[int]]:
        """(context tokens, trained tokens) per record, template markers included. With
        ``train_on`` "all", every assistant turn of a multi-turn record is trained on (as
        ``train`` does); with "last", earlier answers count as context."""
        contexts, answers, context_turns, answer_turns = [], [], [], []
        for r in records:
            context = [r.system] if r.system else []
            trained: list[str] = []
            for user, assistant in r.history:
                context.append(user)
                (trained if train_on == "all" else context).append(assistant)
            context.append(r.prompt)
            trained.append(r.output)
            contexts.append("\n".join(context))
            answers.append("\n".join(trained))
            context_turns.append(len(context))
            answer_turns.append(len(trained))
        context_counts = self.count_texts(contexts)
        answer_counts = self.count_texts(answers)
        return (
            [
                n + t * TEMPLATE_TOKENS_PER_MESSAGE
                for n, t in zip(context_counts, context_turns, strict=True)
            ],
            [
                n + t * TEMPLATE_TOKENS_PER_MESSAGE
                for n, t in zip(answer_counts, answer_turns, strict=True)
            ],
        )
