"""The language model trained in the background: journal, feature index, one process per folder, damage repaired."""

import fcntl
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from app_core import lm_child
from app_core.lm_browse import BROWSE_JSON, BrowseFileError, load_browse
from app_core.lm_journal import Journal, read_journal, run_config, write_journal
from app_core.lm_worker import LMWorker
from sae_core.lm import LMSAE, activation_histogram, load_lm, top_contexts
from sae_core.lm.explore import unit_activations

pytestmark = pytest.mark.slow  # trains a language model in a process of its own

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lm")
    lm_child.train(folder, "tiny")
    return folder


def test_a_run_leaves_a_ready_journal_with_its_curve_and_samples(trained):
    j = read_journal(trained)
    assert j.stage == "ready" and j.error is None
    steps = [step for step, _ in j.curve]
    assert steps == sorted(steps) and steps[-1] == run_config("tiny").lm_hp.steps
    assert all(np.isfinite(bits) for _, bits in j.curve)
    assert len(j.samples) >= 2 and j.samples[0]["step"] < j.samples[-1]["step"]
    assert all(isinstance(s["text"], str) and s["text"] for s in j.samples)


def test_the_index_answers_as_the_science_library_does(trained):
    lm, sae = load_lm(trained), LMSAE.load(trained / "sae")
    idx = load_browse(trained, lm.d_mlp, sae.d_sae)
    for kind, unit, s in (("latent", 3, sae), ("neuron", 5, None)):
        unit = idx.polysemantic_neuron() if kind == "neuron" else unit
        mine = idx.contexts(kind, unit, k=6)
        theirs, _ = top_contexts(lm, unit, idx.texts, s, k=6)
        # the same strongest values (kept as float16, so near-ties may swap places), each where the unit has it
        assert np.allclose([c.value for c in mine], [c.value for c in theirs], rtol=2e-3, atol=2e-3)
        for c in mine:
            truth = unit_activations(lm, idx.texts[c.source], unit, s)
            assert c.text == idx.texts[c.source][c.position - c.focus:c.position - c.focus + len(c.text)]
            assert abs(truth[c.position] - c.value) < 2e-3 * max(1, abs(c.value))
            assert np.allclose(c.acts, truth[c.position - c.focus:c.position - c.focus + len(c.text)], atol=2e-3)
        h1, h2 = idx.histogram(kind, unit), activation_histogram(lm, unit, idx.texts, s)
        assert h1["chars"] == h2["chars"] and abs(h1["zero_fraction"] - h2["zero_fraction"]) < 1e-3
        assert abs(sum(h1["counts"]) - sum(h2["counts"])) <= 0.002 * h1["chars"]


def test_the_splitting_latents_write_into_the_neuron(trained):
    idx = load_browse(trained, load_lm(trained).d_mlp, LMSAE.load(trained / "sae").d_sae)
    neuron = idx.polysemantic_neuron()
    scored = idx.neuron_purity.purity[~np.isnan(idx.neuron_purity.purity)]
    assert idx.neuron_purity.purity[neuron] == scored.min()
    latents = idx.splitting_latents(neuron)
    shares = [idx.contribution(neuron, j) for j in latents]
    assert len(latents) >= 2 and all(share > 0 for share in shares) and shares == sorted(shares, reverse=True)
    assert len({idx.latent_purity.best_label(j) for j in latents}) == len(latents)  # one per kind
    others = [j for j in range(idx.d_sae) if j not in latents and idx.latent_purity.best_label(j) is not None]
    best_other = {idx.latent_purity.best_label(j): idx.contribution(neuron, j) for j in sorted(
        others, key=lambda j: idx.contribution(neuron, j))}  # each kind's strongest latent left out
    for j, share in zip(latents, shares):
        assert best_other.get(idx.latent_purity.best_label(j), -1) <= share + 1e-6


def test_a_damaged_index_is_refused_and_rebuilt(trained, tmp_path):
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(trained, folder)
    lm, sae = load_lm(folder), LMSAE.load(folder / "sae")
    (folder / "browse.npz").write_bytes(b"not an npz")
    with pytest.raises(BrowseFileError):
        load_browse(folder, lm.d_mlp, sae.d_sae)
    with pytest.raises(BrowseFileError):
        load_browse(trained, lm.d_mlp + 1, sae.d_sae)  # another model's sizes
    lm_child.train(folder, "tiny")
    assert load_browse(folder, lm.d_mlp, sae.d_sae).d_sae == sae.d_sae


def test_a_damaged_model_is_trained_again_not_loaded(trained, tmp_path):
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(trained, folder)
    weights = folder / "lm.safetensors"
    weights.write_bytes(weights.read_bytes()[:100])
    lm_child.train(folder, "tiny")
    assert load_lm(folder).d_mlp == run_config("tiny").lm.d_mlp
    assert read_journal(folder).stage == "ready"


def test_a_second_process_leaves_a_locked_folder_to_the_first(tmp_path):
    with open(tmp_path / lm_child.LOCK, "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "app_core.lm_child", str(tmp_path), "--tiny"], cwd=ROOT,
                              timeout=60)
        assert done.returncode == 0 and time.monotonic() - started < 30
        assert not (tmp_path / "lm.json").exists() and not (tmp_path / "journal.json").exists()


def test_a_stale_journal_is_told_apart_from_a_live_one(tmp_path):
    write_journal(tmp_path, Journal(stage="lm", done=3, total=10, message="LM step 3/10"))
    j = read_journal(tmp_path)
    assert not j.stale() and j.stale(now=j.updated + 61) and j.fraction == pytest.approx(0.3)
    (tmp_path / "journal.json").write_text("{not json")
    assert read_journal(tmp_path).stage == "waiting"


def test_the_worker_trains_a_fresh_folder_in_its_own_process(tmp_path, monkeypatch):
    monkeypatch.setenv("SAE_PLAYGROUND_LM", "tiny")
    worker = LMWorker(folder=tmp_path, start_delay=0).start()
    worker._thread.join(240)
    assert not worker.alive and worker.failures == 0, worker.last_error
    assert read_journal(tmp_path).stage == "ready" and (tmp_path / BROWSE_JSON).exists()
