import pytest
import torch

from sae_core.data import ToyConfig, load_dataset
from sae_core.models import HParams, build
from sae_core.training.precision import bf16_matmul_available, resolve
from sae_core.training.schedule import Schedule, default_schedule
from sae_core.training.trainer import Trainer


def test_k_anneals_to_its_target_and_the_learning_rate_decays_at_the_end():
    hp = HParams(lr=1e-2, k=20)
    s = Schedule(total_steps=100, k_start=120, k_steps=50, decay_from=0.5, lr_end=0.1)
    assert s.at(hp, 0).k == 120 and s.at(hp, 25).k == 70 and s.at(hp, 50).k == 20 and s.at(hp, 99).k == 20
    assert s.at(hp, 0).lr == s.at(hp, 50).lr == pytest.approx(1e-2)
    assert s.at(hp, 75).lr == pytest.approx(1e-2 * 0.55)
    assert s.at(hp, 100).lr == pytest.approx(1e-3)
    assert hp.k == 20 and hp.lr == 1e-2  # the targets are not touched


def test_default_schedule_caps_the_starting_k_at_the_dictionary_size():
    assert default_schedule("topk", HParams(k=20), latents=64, total_steps=100).k_start == 64
    assert default_schedule("relu", HParams(), latents=64, total_steps=100).k_start is None


def test_a_trainer_follows_its_schedule():
    toy = load_dataset("toy", toy=ToyConfig(n_samples=2000))
    hp = HParams(lr=1e-2, k=4)
    t = Trainer(build("topk", 32, 64, seed=0), toy.x, hp, seed=0,
                schedule=Schedule(total_steps=40, k_start=32, k_steps=30, decay_from=0.5, lr_end=0.1))
    early = t.step(1)
    assert early.l0 > 16  # k was still near 32
    while t.step_count < 40:
        t.step(min(10, 40 - t.step_count))
    assert t.history[-1].l0 <= 4 + 1e-9
    assert t.optim.param_groups[0]["lr"] == pytest.approx(1e-2 * (1 - 0.9 * 19 / 20))
    assert t.hp.k == 4


def test_precision_choices():
    cpu = torch.device("cpu")
    assert resolve("fp32", cpu) == "fp32" and resolve("bf16", cpu) == "bf16"
    assert resolve("auto", cpu, weights=784 * 1024) == ("bf16" if bf16_matmul_available() else "fp32")
    assert resolve("auto", cpu, weights=32 * 64) == "fp32"  # too small to repay the casts
    assert resolve("tf32", cpu) == "fp32"  # a CUDA tensor-core format
    with pytest.raises(ValueError, match="precision"):
        resolve("fp8", cpu)


@pytest.mark.slow  # trains twice
def test_bf16_products_train_as_well_as_fp32_and_evaluate_in_fp32():
    toy = load_dataset("toy", toy=ToyConfig(n_samples=4000))
    results = {}
    for precision in ("fp32", "bf16"):
        t = Trainer(build("relu", 32, 64, seed=0), toy.x, HParams(lr=1e-2, l1=1.0), seed=0, precision=precision)
        t.step(400)
        results[precision] = t.evaluate(toy.x, toy.true_features)
    assert results["bf16"].mmcs == pytest.approx(results["fp32"].mmcs, abs=0.02)
    assert results["bf16"].fve == pytest.approx(results["fp32"].fve, abs=0.02)


def test_auto_reads_the_cpu_bf16_instructions(monkeypatch):
    cpu = torch.device("cpu")
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False)
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: True)
    assert bf16_matmul_available() and resolve("auto", cpu, weights=784 * 256) == "bf16"
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)
    assert not bf16_matmul_available() and resolve("auto", cpu, weights=784 * 256) == "fp32"


def test_auto_on_cuda_prefers_bf16_then_tf32(monkeypatch):
    cuda = torch.device("cuda")
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: (9, 0))
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: True)
    assert resolve("auto", cuda, weights=784 * 1024) == "bf16"
    assert resolve("auto", cuda, weights=32 * 64) == "tf32"  # too small for the casts, still tensor cores
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: False)
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: (7, 0))
    assert resolve("auto", cuda, weights=784 * 1024) == "fp32"
    assert resolve("bf16", cuda) == "bf16"


def test_tf32_mode_is_restored_after_a_step():
    from sae_core.training.precision import autocast

    before = torch.get_float32_matmul_precision()
    with autocast("tf32", "cuda"):
        assert torch.get_float32_matmul_precision() == "high"
    assert torch.get_float32_matmul_precision() == before
