import json
import pickle

import numpy as np
import pytest
import torch
from safetensors.torch import save

from sae_core.lm.model import ByteLM
from sae_core.lm.persistence import (CONFIG, WEIGHTS, LMFileError, load_checkpoint, load_lm, save_checkpoint,
                                     save_lm)
from sae_core.lm.trainer import LMHParams, LMTrainer

from .conftest import TINY


def test_round_trip_gives_the_same_activations(tiny_lm, tmp_path):
    save_lm(tiny_lm, tmp_path)
    loaded = load_lm(tmp_path)
    text = "for i in range(10):\n    print(i)\n"
    assert np.array_equal(loaded.mlp_activations(text), tiny_lm.mlp_activations(text))


def test_loading_never_calls_torch_load(tiny_lm, tmp_path, monkeypatch):
    save_lm(tiny_lm, tmp_path)
    monkeypatch.setattr(torch, "load", lambda *a, **k: pytest.fail("torch.load was called"))
    monkeypatch.setattr(pickle, "loads", lambda *a, **k: pytest.fail("pickle.loads was called"))
    load_lm(tmp_path)


def _damage(folder, how):
    w, c = folder / WEIGHTS, folder / CONFIG
    if how == "truncated":
        w.write_bytes(w.read_bytes()[:200])
    elif how == "garbage":
        w.write_bytes(b"\x00" * 64)
    elif how == "pickle":
        w.write_bytes(pickle.dumps({"embed.weight": torch.zeros(3)}))
    elif how == "nan":
        t = {k: v.clone() for k, v in ByteLM(TINY).state_dict().items()}
        t["embed.weight"][0, 0] = float("nan")
        w.write_bytes(save(t))
    elif how == "shape":
        t = {k: v.clone() for k, v in ByteLM(TINY).state_dict().items()}
        t["embed.weight"] = torch.zeros(3, 3)
        w.write_bytes(save(t))
    elif how == "missing":
        w.unlink()
    elif how == "json":
        c.write_text("{not json")
    elif how == "config":
        meta = json.loads(c.read_text())
        meta["config"]["d_model"] = -4
        c.write_text(json.dumps(meta))


@pytest.mark.parametrize("how", ["truncated", "garbage", "pickle", "nan", "shape", "missing", "json", "config"])
def test_a_damaged_model_is_refused_with_lm_file_error(tiny_lm, tmp_path, how):
    save_lm(tiny_lm, tmp_path)
    _damage(tmp_path, how)
    with pytest.raises(LMFileError):
        load_lm(tmp_path)


def test_training_resumes_step_for_step_from_a_checkpoint(tiny_corpus, tmp_path):
    data = tiny_corpus.train_bytes()
    hp = LMHParams(steps=6, batch_size=4, warmup=2)
    straight = LMTrainer(ByteLM(TINY, seed=1), data, hp, seed=3)
    straight.step(6)
    first = LMTrainer(ByteLM(TINY, seed=1), data, hp, seed=3)
    first.step(3)
    save_checkpoint(first, tmp_path)
    resumed = LMTrainer(ByteLM(TINY, seed=99), data, hp, seed=3)
    tensors, meta = load_checkpoint(tmp_path)
    resumed.load_state(tensors, meta["trainer"])
    resumed.step(3)
    assert resumed.step_count == 6 and resumed.done
    for (name, a), b in zip(straight.model.state_dict().items(), resumed.model.state_dict().values()):
        assert torch.equal(a, b), name
