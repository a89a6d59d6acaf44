"""The trainer's Adam computes what torch's fused Adam computes, without importing torch._dynamo."""

import subprocess
import sys

import pytest
import torch

from sae_core.training.adam import FusedAdam


def _params(seed):
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(7, 5, generator=g, requires_grad=True), torch.randn(5, generator=g, requires_grad=True)]


def test_steps_match_torch_fused_adam_exactly_as_lr_and_betas_change():
    ours, theirs = _params(0), _params(0)
    mine = FusedAdam(ours, lr=1e-2, betas=(0.9, 0.999))
    reference = torch.optim.Adam(theirs, lr=1e-2, betas=(0.9, 0.999), fused=True)
    g = torch.Generator().manual_seed(1)
    for step in range(30):
        if step == 10:  # a schedule changes them between steps, through param_groups, in both
            for opt in (mine, reference):
                opt.param_groups[0]["lr"], opt.param_groups[0]["betas"] = 3e-3, (0.9, 0.95)
        grads = [torch.randn(p.shape, generator=g) for p in ours]
        for a, b, grad in zip(ours, theirs, grads):
            a.grad, b.grad = grad.clone(), grad.clone()
        mine.step()
        reference.step()
    for a, b in zip(ours, theirs):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
        for key in ("exp_avg", "exp_avg_sq", "step"):
            torch.testing.assert_close(mine.state[a][key], reference.state[b][key], rtol=0, atol=0)


def test_a_parameter_without_a_gradient_keeps_no_state_and_does_not_move():
    a, b = _params(2)
    opt = FusedAdam([a, b], lr=0.1)
    a.grad = torch.ones_like(a)
    before = b.detach().clone()
    opt.step()
    assert a in opt.state and b not in opt.state and torch.equal(b, before)


@pytest.mark.slow  # trains in a fresh interpreter
def test_training_never_imports_torch_dynamo():
    code = ("import sys, numpy as np; from sae_core.models import build; from sae_core.training.trainer import Trainer; "
            "from sae_core.models import HParams; x = np.random.default_rng(0).random((64, 8), dtype=np.float32); "
            "Trainer(build('relu', 8, 16, seed=0), x, HParams(batch_size=16)).step(3); "
            "print('torch._dynamo' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
