"""LoRA Studio: fine-tune a small language model with LoRA on PaddlePaddle, on one PC."""

__version__ = "0.1.0"
