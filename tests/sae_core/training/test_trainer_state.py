"""A trainer saved and loaded into a fresh one built the same way takes the very steps the saved one would have."""

import io

import numpy as np
import pytest
import torch

from sae_core.data import load_dataset
from sae_core.models import HParams, build
from sae_core.training.trainer import Trainer


def _trainer(arch: str, x: np.ndarray) -> Trainer:
    hp = HParams(batch_size=64, k=4, lr=3e-3)
    return Trainer(build(arch, x.shape[1], 32, seed=1), x, hp, seed=1, device="cpu", precision="fp32")


@pytest.mark.parametrize("arch", ["relu", "topk", "jumprelu", "kl"])
def test_a_resumed_trainer_continues_step_for_step(arch):
    x = load_dataset("toy").x[:1000]  # 1000 / 64: the save falls mid-epoch, so the shuffled order must travel
    original = _trainer(arch, x)
    original.step(40, snapshot=False)
    buffer = io.BytesIO()
    torch.save(original.state_dict(), buffer)
    buffer.seek(0)
    resumed = _trainer(arch, x)
    resumed.load_state_dict(torch.load(buffer, weights_only=True))  # tensors and plain values only
    assert resumed.step_count == 40 and resumed.samples == original.samples
    original.step(25, snapshot=False)
    resumed.step(25, snapshot=False)
    for (name, a), b in zip(original.model.state_dict().items(), resumed.model.state_dict().values()):
        assert torch.equal(a, b), name
    assert torch.equal(original.samples_since_fired, resumed.samples_since_fired)


def test_a_saved_training_is_refused_by_a_trainer_of_another_shape():
    x = load_dataset("toy").x[:1000]
    state = _trainer("relu", x).state_dict()
    with pytest.raises(ValueError, match="does not match"):
        _trainer("relu", x[:500]).load_state_dict(state)
