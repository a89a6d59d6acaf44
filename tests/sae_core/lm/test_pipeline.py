import pytest
import torch

from sae_core.lm import pipeline
from sae_core.lm.model import LMConfig
from sae_core.lm.persistence import CHECKPOINT_WEIGHTS, load_lm
from sae_core.lm.pipeline import LMPipeline, RunConfig
from sae_core.lm.sae import SAEPlan
from sae_core.lm.trainer import LMHParams

CONFIG = RunConfig(lm=LMConfig(d_model=16, n_heads=2, d_mlp=32, context=16), lm_hp=LMHParams(steps=8, batch_size=4),
                   sae=SAEPlan(arch="topk", latents=32, steps=3, batch_size=64, samples=256), corpus_cap=60_000)


@pytest.mark.slow  # trains twice
def test_an_interrupted_run_resumes_from_its_checkpoint_and_ends_as_an_uninterrupted_one(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "CHECKPOINT_EVERY", 4)
    straight = LMPipeline(tmp_path / "a", CONFIG)
    stages = []
    while not straight.advance(0.0).finished:  # the shortest slices: one chunk of work each
        stages.append(straight.stage)
    assert stages[0] == "lm" and "sae" in stages
    first = LMPipeline(tmp_path / "b", CONFIG)
    while first.trainer is None or first.trainer.step_count < 4:
        first.advance(0.0)
    assert (tmp_path / "b" / CHECKPOINT_WEIGHTS).exists()
    progress = first.progress()
    assert progress.stage == "lm" and progress.total == 8 and "LM step" in progress.message
    resumed = LMPipeline(tmp_path / "b", CONFIG)  # a new process: only the folder is shared
    resumed.advance(0.0)
    resumed.advance(0.0)
    assert resumed.trainer.step_count > 4
    pipeline.train_all(tmp_path / "b", CONFIG)
    assert not (tmp_path / "b" / CHECKPOINT_WEIGHTS).exists()
    a, b = load_lm(tmp_path / "a").state_dict(), load_lm(tmp_path / "b").state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert LMPipeline(tmp_path / "b", CONFIG).stage == "done"
