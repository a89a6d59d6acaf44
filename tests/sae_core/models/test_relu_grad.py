"""The ReLU SAE's hand-derived training step against autograd on the same model."""

import numpy as np
import pytest
import torch

from sae_core.models import HParams, build
from sae_core.models.base import SAE
from sae_core.training.trainer import Trainer


def autograd_grads(model, x, hp):
    SAE.loss_and_grads(model, x, hp)
    return {name: p.grad.clone() for name, p in model.named_parameters()}


@pytest.mark.parametrize("column_major_encoder", [False, True])  # same values, the other memory layout
@pytest.mark.parametrize("batch,d_in,d_sae", [(1, 5, 7), (300, 64, 96)])
def test_gradients_and_losses_match_autograd(column_major_encoder, batch, d_in, d_sae):
    torch.manual_seed(0)
    model = build("relu", d_in, d_sae, seed=3)
    with torch.no_grad():
        model.b_enc.normal_(std=0.5)
        model.b_dec.normal_()
        if column_major_encoder:
            model.W_enc.data = model.W_enc.data.t().contiguous().t()
    x, hp = torch.randn(batch, d_in), HParams(l1=0.7)
    expected_loss, expected_out = model.loss(x, hp)
    expected = autograd_grads(model, x, hp)
    loss, out = model.loss_and_grads(x, hp)
    for name, p in model.named_parameters():
        torch.testing.assert_close(p.grad, expected[name], rtol=1e-4, atol=1e-5, msg=name)
        assert p.grad.stride() == p.stride(), f"{name}: the fused optimiser needs the parameter's layout"
    for field in ("total", "mse", "sparsity"):
        torch.testing.assert_close(getattr(loss, field), getattr(expected_loss, field).detach(), rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(out.f, expected_out.f.detach())
    torch.testing.assert_close(out.fired_any(), expected_out.f.amax(dim=0) > 0)


def test_workspace_follows_a_new_batch_size():
    model, hp = build("relu", 6, 10), HParams(l1=0.2)
    for batch in (8, 3, 8):
        x = torch.randn(batch, 6)
        expected = autograd_grads(model, x, hp)
        loss, out = model.loss_and_grads(x, hp)
        assert out.f.shape == (batch, 10)
        torch.testing.assert_close(model.W_enc.grad, expected["W_enc"], rtol=1e-4, atol=1e-6)


def test_bf16_products_stay_within_rounding_of_fp32():
    """bf16 products keep ~3 significant digits: the gradients move by about as much as autograd's do."""
    torch.manual_seed(0)
    model, x, hp = build("relu", 40, 64, seed=1), torch.rand(128, 40), HParams(l1=0.3)
    exact = autograd_grads(model, x, hp)
    SAE.loss_and_grads(model, x, hp, precision="bf16")
    autocast_error = {name: (p.grad - exact[name]).norm() / exact[name].norm() for name, p in model.named_parameters()}
    model.loss_and_grads(x, hp, precision="bf16")
    for name, p in model.named_parameters():
        assert p.grad.dtype == torch.float32 and p.grad.stride() == p.stride(), name
        error = (p.grad - exact[name]).norm() / exact[name].norm()
        assert error < max(0.03, 2 * autocast_error[name]), (name, float(error))


def test_training_follows_the_same_path_as_autograd():
    """Ten Adam steps with the hand-made gradients land where autograd's land (layouts, Adam state, all)."""
    x = np.random.default_rng(0).random((600, 16), dtype=np.float32)
    hand = Trainer(build("relu", 16, 32), x, HParams(batch_size=64), device="cpu", precision="fp32")
    auto = Trainer(build("relu", 16, 32), x, HParams(batch_size=64), device="cpu", precision="fp32")
    auto.model.loss_and_grads = lambda batch, hp, precision: SAE.loss_and_grads(auto.model, batch, hp, precision)
    a, b = hand.step(10), auto.step(10)
    for (name, p), q in zip(hand.model.named_parameters(), auto.model.parameters()):
        torch.testing.assert_close(p, q, rtol=1e-4, atol=1e-5, msg=name)
    assert a.loss == pytest.approx(b.loss, rel=1e-4) and a.fve == pytest.approx(b.fve, rel=1e-4)
