"""A loaded chat model (base, base + adapter, or merged) that streams replies.

PaddleFormers 1.0.0 never pushes the prompt into the streamer, so its
``TextIteratorStreamer(skip_prompt=True)`` drops the first generated token (STACK.md #4).
``IncrementalDecoder`` takes every pushed token and decodes incrementally instead.

``generate`` must be given an explicit integer attention mask: without one it builds a float mask
of ones and greedy decoding of a model that answers correctly under teacher forcing turns to
garbage (seen with PaddleFormers 1.0.0 on CPU; ``docs/engine-notes.md``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lora_studio.core.generation_settings import GenerationSettings
from lora_studio.engine.data import chat_template_text, template_supports_tools
from lora_studio.engine.loading import Emit, load_with_adapter, locate
from lora_studio.engine.runtime import without_strided_views


class GenerationCancelled(Exception):
    """Raised from inside ``generate`` to stop it between two tokens."""


class IncrementalDecoder:
    """Receives token ids one step at a time and hands out the new text as soon as it is whole.

    A byte-level BPE token can end inside a multi-byte character; such text decodes to U+FFFD and
    is held back until the next token completes it.
    """

    def __init__(
        self,
        tokenizer: Any,
        on_text: Callable[[str], None],
        should_stop: Callable[[], bool] | None = None,
    ) -> None:
        self.tokenizer = tokenizer
        self.on_text = on_text
        self.should_stop = should_stop or (lambda: False)
        self.ids: list[int] = []
        self.sent = ""
        self.done = False
        self.first_token_time: float | None = None
        self.stop_ids = _stop_ids(tokenizer)

    def put(self, value: Any) -> None:
        if self.should_stop():
            raise GenerationCancelled
        if self.done:
            return
        ids = value.numpy().reshape(-1).tolist() if hasattr(value, "numpy") else list(value)
        for token in ids[:1]:  # one sequence: the first row
            if token in self.stop_ids:
                self.done = True
                break
            if self.first_token_time is None:
                self.first_token_time = time.perf_counter()
            self.ids.append(int(token))
        self._flush(final=False)

    def end(self) -> None:
        self._flush(final=True)

    def _flush(self, final: bool) -> None:
        text = self.tokenizer.decode(self.ids, skip_special_tokens=True)
        if not final and text.endswith("\ufffd"):
            return
        if len(text) > len(self.sent) and text.startswith(self.sent):
            new = text[len(self.sent) :]
            self.sent = text
            self.on_text(new)


def _stop_ids(tokenizer: Any) -> set[int]:
    ids = set()
    for token in (tokenizer.eos_token, "<|im_end|>", "<|endoftext|>"):
        if token:
            token_id = tokenizer.convert_tokens_to_ids(token)
            if isinstance(token_id, int) and token_id != tokenizer.unk_token_id:
                ids.add(token_id)
    return ids


def _inputs(paddle: Any, ids: list[int]) -> dict[str, Any]:
    input_ids = paddle.to_tensor([ids], dtype="int64")
    return {"input_ids": input_ids, "attention_mask": paddle.ones_like(input_ids)}


@dataclass
class ReplyStats:
    token_ids: list[int]
    seconds: float
    first_token_seconds: float | None
    cancelled: bool = False
    ended: bool = False  # the model ended its turn (rather than reaching max_new_tokens)

    @property
    def new_tokens(self) -> int:
        return len(self.token_ids)

    @property
    def tokens_per_second(self) -> float:
        return self.new_tokens / self.seconds if self.seconds > 0 else 0.0


class ChatModel:
    """A tokenizer and a model ready to generate; ``lora_model`` is set when an adapter is on."""

    def __init__(
        self,
        model_dir: str = "",
        adapter: str = "",
        emit: Emit | None = None,
        download_source: str = "",
    ) -> None:
        emit = emit or (lambda event: None)
        self.model_name, self.adapter_dir = locate(model_dir, adapter, download_source, emit)
        loaded = load_with_adapter(self.model_name, self.adapter_dir, emit)
        self.paddle, self.tokenizer, self.model = loaded.paddle, loaded.tokenizer, loaded.model
        self.lora_model, self.on_gpu = loaded.lora_model, loaded.on_gpu
        (self.lora_model or self.model).eval()
        self.context_length = int(getattr(self.model.config, "max_position_embeddings", 0) or 0)

    @property
    def generator(self) -> Any:
        return self.lora_model.model if self.lora_model is not None else self.model

    def set_adapter_enabled(self, enabled: bool) -> None:
        """Compare base and fine-tuned replies with one loaded model."""
        if self.lora_model is not None:
            (self.lora_model.enable_lora if enabled else self.lora_model.disable_lora)()

    @property
    def supports_tools(self) -> bool:
        """The chat template renders ``tools`` and teaches the ``<tool_call>`` format that
        ``core/reply_text.py`` parses (Qwen2.5, Qwen3 and other Hermes-style templates)."""
        tokenizer = self.tokenizer
        return template_supports_tools(tokenizer) and "<tool_call>" in chat_template_text(tokenizer)

    def prompt_ids(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None
    ) -> list[int]:
        text = self.tokenizer.apply_chat_template(
            messages, tools=tools or None, tokenize=False, add_generation_prompt=True
        )
        return self.tokenizer(text, add_special_tokens=False)["input_ids"]

    def generate(
        self,
        messages: list[dict[str, Any]],
        settings: GenerationSettings,
        on_text: Callable[[str], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
        tools: list[dict[str, Any]] | None = None,
    ) -> tuple[str, ReplyStats]:
        """Generate one reply, calling ``on_text`` with each new piece of text."""
        paddle = self.paddle
        pieces: list[str] = []

        def collect(text: str) -> None:
            pieces.append(text)
            if on_text is not None:
                on_text(text)

        ids = self.prompt_ids(messages, tools)
        decoder = IncrementalDecoder(self.tokenizer, collect, should_stop)
        kwargs: dict[str, Any] = {
            "max_new_tokens": settings.max_new_tokens,
            "eos_token_id": sorted(decoder.stop_ids) or None,
            "pad_token_id": self.tokenizer.pad_token_id,
            "use_cache": True,
            "streamer": decoder,
        }
        if settings.greedy:
            kwargs["decode_strategy"] = "greedy_search"
        else:
            kwargs.update(
                decode_strategy="sampling",
                temperature=settings.temperature,
                top_p=settings.top_p,
                top_k=settings.top_k,
            )
            if settings.seed is not None:
                paddle.seed(settings.seed % 2**32)  # any 64-bit seed; Paddle's is unsigned
        if settings.repetition_penalty != 1.0:
            kwargs["repetition_penalty"] = settings.repetition_penalty
        start = time.perf_counter()
        cancelled = False
        with paddle.no_grad(), without_strided_views():
            try:
                self.generator.generate(**_inputs(paddle, ids), **kwargs)
            except GenerationCancelled:
                cancelled = True
                decoder.end()
        elapsed = time.perf_counter() - start
        first = decoder.first_token_time - start if decoder.first_token_time else None
        stats = ReplyStats(list(decoder.ids), elapsed, first, cancelled, decoder.done)
        return "".join(pieces), stats

    def generate_ids(self, messages: list[dict[str, Any]], max_new_tokens: int) -> list[int]:
        """Plain greedy ``generate`` without a streamer: the reference for streaming tests."""
        paddle = self.paddle
        ids = self.prompt_ids(messages)
        stop = sorted(_stop_ids(self.tokenizer))
        with paddle.no_grad(), without_strided_views():
            out, _scores = self.generator.generate(
                **_inputs(paddle, ids),
                max_new_tokens=max_new_tokens,
                decode_strategy="greedy_search",
                eos_token_id=stop,
                pad_token_id=self.tokenizer.pad_token_id,
                use_cache=True,
            )
        tokens = out.numpy()[0].tolist()
        for i, token in enumerate(tokens):
            if token in stop:
                return tokens[:i]
        return tokens
