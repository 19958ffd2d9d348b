"""engine/kernels.py: RMSNorm squares with paddle.square, the exact value, and a real model's
loss and gradients stay what they were with pow(2) (within pow's own rounding)."""

from __future__ import annotations

import numpy as np
import pytest

paddle = pytest.importorskip("paddle")


def _loss_and_grads(model, ids):
    model.clear_gradients()
    out = model(input_ids=ids, labels=ids)
    loss = out[0] if isinstance(out, tuple) else out.loss
    loss.backward()
    grads = {n: p.grad.numpy().copy() for n, p in model.named_parameters() if p.grad is not None}
    return float(loss), grads


def test_square_rms_norm_is_exact_and_keeps_a_real_models_loss(tiny_model):
    from paddleformers.nn import norm
    from paddleformers.transformers import AutoConfig, AutoModelForCausalLM

    from lora_studio.engine import kernels

    original = norm.RMSNorm.forward
    config = AutoConfig.from_pretrained(str(tiny_model))
    config.fuse_rms_norm = False
    model = AutoModelForCausalLM.from_pretrained(
        str(tiny_model), config=config, dtype="float32", load_checkpoint_format="safetensors"
    )
    ids = paddle.to_tensor(np.random.default_rng(0).integers(0, config.vocab_size, (2, 48)))
    try:
        if kernels._patched:  # another test in this process loaded a model first
            norm.RMSNorm.forward = kernels._original
        before_loss, before = _loss_and_grads(model, ids)
        kernels._patched = False
        assert kernels.square_rms_norm() and not kernels.square_rms_norm()  # once
        after_loss, after = _loss_and_grads(model, ids)
        assert abs(after_loss - before_loss) < 1e-5 * max(1.0, abs(before_loss))
        assert before.keys() == after.keys() and before
        for name in before:
            np.testing.assert_allclose(after[name], before[name], rtol=1e-3, atol=1e-6)
        # the norm itself against NumPy's exact arithmetic
        layer = norm.RMSNorm(config)
        x = paddle.randn([3, 5, config.hidden_size])
        xn = x.numpy().astype(np.float64)
        want = xn / np.sqrt((xn * xn).mean(-1, keepdims=True) + layer.variance_epsilon)
        np.testing.assert_allclose(layer(x).numpy(), want, rtol=2e-6, atol=2e-6)
    finally:
        norm.RMSNorm.forward = original
        kernels._patched = False
