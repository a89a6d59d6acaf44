import numpy as np
import pytest
import torch

from sae_core.lm.corpus import load_corpus
from sae_core.lm.model import ByteLM, LMConfig
from sae_core.lm.sae import SAEPlan, sae_trainer, sample_activations
from sae_core.lm.trainer import LMHParams, LMTrainer

TINY = LMConfig(d_model=16, n_heads=2, d_mlp=32, n_layers=1, context=16)


@pytest.fixture(scope="session")
def tiny_corpus():
    return load_corpus(60_000)


@pytest.fixture(scope="session")
def tiny_lm(tiny_corpus):
    torch.manual_seed(0)
    trainer = LMTrainer(ByteLM(TINY, seed=0), tiny_corpus.train_bytes(), LMHParams(steps=20, batch_size=8), seed=0)
    trainer.step(20)
    return trainer.model.eval()


@pytest.fixture(scope="session")
def tiny_acts(tiny_lm, tiny_corpus):
    return sample_activations(tiny_lm, tiny_corpus.train_bytes(), 2048, seed=0)


def trained_sae(acts: np.ndarray, arch: str, steps: int = 20, latents: int = 64):
    trainer = sae_trainer(acts, SAEPlan(arch=arch, latents=latents, steps=steps, batch_size=256), seed=0)
    trainer.step(steps)
    return trainer
