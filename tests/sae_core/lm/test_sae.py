import json

import numpy as np
import pytest
import torch

from sae_core.lm.sae import LMSAE, save_lm_sae
from sae_core.models import SPECS
from sae_core.models.persistence import load_sae

from .conftest import trained_sae


@pytest.mark.parametrize("arch", list(SPECS))
def test_every_architecture_saves_in_saelens_format_read_back_by_the_apps_loader(tiny_lm, tiny_acts, tmp_path, arch):
    trainer = trained_sae(tiny_acts, arch, steps=5, latents=16 if arch == "ae" else 64)
    folder = save_lm_sae(trainer, tmp_path / "sae", tiny_acts[:512])
    cfg = json.loads((folder / "cfg.json").read_text())
    assert cfg["d_in"] == tiny_lm.d_mlp
    assert cfg["normalize_activations"] == "none"
    assert {p.name for p in folder.iterdir()} >= {"cfg.json", "sae_weights.safetensors", "sparsity.safetensors"}
    model, hp, _ = load_sae(folder)
    assert model.d_in == tiny_lm.d_mlp and model.architecture == arch
    # The saved SAE reads raw activations: it matches the trainer's model on normalised ones.
    raw = tiny_lm.mlp_activations("def f(x):\n    return x + 1\n")
    with torch.no_grad():
        inside = trainer.model(torch.as_tensor(raw) * trainer.input_scale, trainer.hp)
    loaded = LMSAE(model, hp, {})
    x_hat, _, active = loaded.forward_np(raw)
    np.testing.assert_allclose(x_hat, inside.x_hat.numpy() / trainer.input_scale, rtol=1e-4, atol=1e-5)
    assert np.array_equal(active, inside.active.numpy())
