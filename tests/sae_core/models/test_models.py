import math

import pytest
import torch

from sae_core.models import SPECS, ForwardOut, HParams, build

D_IN, D_SAE, BATCH = 12, 24, 32


@pytest.fixture
def batch():
    return torch.randn(BATCH, D_IN, generator=torch.Generator().manual_seed(0))


@pytest.mark.parametrize("arch", list(SPECS))
def test_shapes_init_and_unit_norm_decoder(arch, batch):
    model = build(arch, D_IN, D_SAE, seed=1)
    assert model.W_enc.shape == (D_IN, D_SAE) and model.W_dec.shape == (D_SAE, D_IN)
    assert model.b_enc.shape == (D_SAE,) and model.b_dec.shape == (D_IN,)
    torch.testing.assert_close(model.W_dec.norm(dim=1), torch.ones(D_SAE))
    torch.testing.assert_close(model.W_enc, model.W_dec.t())  # encoder starts as the decoder's transpose
    out = model(batch, HParams(k=5))
    assert out.x_hat.shape == batch.shape and out.f.shape == (BATCH, D_SAE) and out.active.dtype == torch.bool


@pytest.mark.parametrize("arch", list(SPECS))
def test_every_parameter_gets_a_gradient_and_loss_decreases(arch, batch):
    torch.manual_seed(0)
    model = build(arch, D_IN, D_SAE, seed=2)
    hp = HParams(k=6, lr=1e-2)
    loss, _ = model.loss(batch, hp)
    loss.total.backward()
    for name, p in model.named_parameters():
        assert p.grad is not None and torch.isfinite(p.grad).all(), name
    assert model.W_enc.grad.abs().sum() > 0
    opt = torch.optim.Adam(model.parameters(), lr=hp.lr)
    first = model.loss(batch, hp)[0].total.item()
    for _ in range(60):
        opt.zero_grad()
        loss, _ = model.loss(batch, hp)
        loss.total.backward()
        model.remove_parallel_grad()
        opt.step()
        model.normalise_decoder()
    assert model.loss(batch, hp)[0].total.item() < first
    torch.testing.assert_close(model.W_dec.norm(dim=1), torch.ones(D_SAE))


def test_remove_parallel_grad_leaves_only_tangent_component():
    model = build("relu", D_IN, D_SAE)
    model.W_dec.grad = torch.randn_like(model.W_dec)
    model.remove_parallel_grad()
    dots = (model.W_dec.grad * model.W_dec).sum(dim=1)
    assert dots.abs().max() < 1e-5


def test_topk_keeps_exactly_k(batch):
    model = build("topk", D_IN, D_SAE)
    out = model(batch, HParams(k=4))
    assert (out.active.sum(dim=1) <= 4).all() and (out.active.sum(dim=1) >= 1).all()


def test_topk_aux_loss_only_with_dead_latents(batch):
    model = build("topk", D_IN, D_SAE)
    hp = HParams(k=4)
    assert float(model.loss(batch, hp)[0].aux) == 0.0
    model.dead_mask = torch.zeros(D_SAE, dtype=torch.bool)
    model.dead_mask[:10] = True
    loss, _ = model.loss(batch, hp)
    assert float(loss.aux) > 0
    loss.aux.backward()
    assert model.W_enc.grad[:, :10].abs().sum() > 0 and model.W_enc.grad[:, 10:].abs().sum() == 0


def test_jumprelu_threshold_gates_and_learns(batch):
    model = build("jumprelu", D_IN, D_SAE)
    hp = HParams(l0_coef=1.0, bandwidth=0.5)
    out = model(batch, hp)
    pre = torch.relu(out.pre)
    assert torch.equal(out.active, pre > model.threshold())
    loss, _ = model.loss(batch, hp)
    loss.sparsity.backward()
    assert model.log_threshold.grad is not None and model.log_threshold.grad.abs().sum() > 0
    assert (model.log_threshold.grad <= 0).all()  # raising thresholds lowers L0, so descent raises them


def test_kl_penalty_is_bernoulli_kl_of_firing_rates(batch):
    from sae_core.divergence import bernoulli_kl

    model = build("kl", D_IN, D_SAE)
    hp = HParams(rho=0.1, beta=2.0)
    out = model(batch, hp)
    rates = torch.sigmoid(out.pre).mean(dim=0)
    expected = 2.0 * bernoulli_kl(0.1, rates.detach().numpy()).sum()
    assert float(model.sparsity_loss(out, hp)) == pytest.approx(float(expected), rel=1e-4)


def test_unknown_architecture():
    with pytest.raises(ValueError, match="unknown architecture"):
        build("sparse-magic", 3, 4)


def test_jumprelu_threshold_gradient_ignores_inputs_far_below_it():
    # θ = 0.01 and bandwidth 0.05: under relu(pre) a pre of −3 would become 0, within ε/2 of θ, and
    # wrongly push on θ; on the raw pre-activation it is far outside the kernel.
    model = build("jumprelu", 2, 3, seed=0)
    with torch.no_grad():
        model.log_threshold.fill_(math.log(0.01))
    hp = HParams(bandwidth=0.05)
    pre = torch.full((4, 3), -3.0)
    f, _ = model.activate(pre, hp)
    (f.sum() + model.sparsity_loss(ForwardOut(None, f, pre), hp)).backward()
    assert float(model.log_threshold.grad.abs().sum()) == 0.0


def test_kl_penalty_keeps_a_gradient_when_a_unit_saturates():
    from sae_core.divergence import bernoulli_kl

    for rate in (0.0, 1.0):
        rho_hat = torch.tensor([rate], requires_grad=True)
        bernoulli_kl(0.05, rho_hat).sum().backward()
        assert torch.isfinite(rho_hat.grad).all() and float(rho_hat.grad.abs()) > 0


@pytest.mark.parametrize("latents,k", [(1024, 32), (64, 8)])
def test_topk_sparse_decoding_matches_the_dense_product_and_its_gradients(latents, k):
    from sae_core.models import topk

    assert k * topk.SPARSE_DECODE_RATIO <= latents  # these sizes take the gathered path
    torch.manual_seed(0)
    x = torch.randn(96, 40)
    hp = HParams(k=k)
    results = []
    for ratio in (topk.SPARSE_DECODE_RATIO, latents + 1):  # the gathered path, then the dense product forced
        model = build("topk", 40, latents, seed=3)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(topk, "SPARSE_DECODE_RATIO", ratio)
            out = model(x, hp)
        (out.x_hat - x).pow(2).sum().backward()
        results.append((out, {n: p.grad.clone() for n, p in model.named_parameters()}))
    (sparse, sparse_grads), (dense, dense_grads) = results
    assert torch.equal(sparse.f, dense.f)
    assert torch.allclose(sparse.x_hat, dense.x_hat, atol=1e-5)
    for name, grad in dense_grads.items():
        assert torch.allclose(sparse_grads[name], grad, atol=1e-4, rtol=1e-4), name


def test_topk_decodes_densely_under_bf16_until_far_sparser():
    from sae_core.models import topk

    # fp32 products: gather from one active latent in 8; bf16 products are ~4× cheaper, so from one in 32.
    assert topk.gathers(32, 256, "cpu") and topk.gathers(32, 1024, "cpu")
    with torch.autocast("cpu", dtype=torch.bfloat16):
        assert not topk.gathers(32, 256, "cpu")
        assert topk.gathers(32, 1024, "cpu") and topk.gathers(32, 4096, "cpu")
    model = build("topk", 40, 256, seed=0)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = model(torch.randn(8, 40), HParams(k=32))
    assert out.x_hat.dtype == torch.bfloat16  # the dense product ran in bf16, not the fp32 gather


def test_topk_aux_loss_is_the_dead_latents_top_k_aux_reconstructing_the_residual(batch):
    model = build("topk", D_IN, D_SAE, seed=2)
    hp = HParams(k=4, aux_k_coef=1 / 32)
    model.dead_mask = torch.zeros(D_SAE, dtype=torch.bool)
    model.dead_mask[[1, 5, 6, 11, 17, 20]] = True
    out = model(batch, hp)
    # Written out at full width: the dead latents' k_aux largest pre-activations, every other latent zero.
    k_aux = min(6, D_IN // 2)
    masked = out.pre.detach().masked_fill(~model.dead_mask, float("-inf"))
    values, ids = torch.topk(masked, k_aux, dim=1)
    f_aux = torch.zeros_like(out.pre).scatter(1, ids, torch.relu(values))
    residual = batch - out.x_hat.detach()
    err = (f_aux @ model.W_dec.detach() - residual).pow(2).sum(dim=1).mean() / residual.pow(2).sum(dim=1).mean()
    assert torch.allclose(model.aux_loss(batch, out, hp), hp.aux_k_coef * err * D_IN, rtol=1e-5)
