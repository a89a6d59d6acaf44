"""The language model's scenes say what its page computes, on the tiny model (SAE_PLAYGROUND_LM=tiny)."""

import pytest

from app_core import lm_child
from app_core.lm_browse import load_browse
from app_core.lm_journal import read_journal, run_folder
from app_core.registry import stated_pages
from app_core.state import codec
from app_core.talk import scene_named
from sae_core.lm import LMSAE, Steer, load_lm, search_by_label

pytestmark = pytest.mark.slow  # trains the tiny language model


@pytest.fixture(scope="module")
def tiny():
    folder = run_folder("tiny")
    if read_journal(folder).stage != "ready":
        lm_child.train(folder, "tiny")
    lm, sae = load_lm(folder), LMSAE.load(folder / "sae")
    return lm, sae, load_browse(folder, lm.d_mlp, sae.d_sae)


def _state(slug):
    state, problems = codec.from_query(stated_pages()["lm_features"], scene_named(slug).query)
    assert problems == []
    return state


def test_the_most_mixed_neuron_is_under_half_one_kind_and_its_latents_are_purer(tiny):
    _, _, idx = tiny
    assert _state("lm-neuron").kind == "neuron"
    neuron = idx.polysemantic_neuron()
    assert idx.neuron_purity.purity[neuron] < 0.5
    assert len([share for _, share in idx.label_shares("neuron", neuron, n=10) if share >= 0.1]) >= 3
    latents = idx.splitting_latents(neuron)
    assert latents and all(idx.latent_purity.purity[j] > idx.neuron_purity.purity[neuron] for j in latents)


def test_the_string_latent_is_purer_than_the_string_neuron_and_latents_are_pure_more_often(tiny):
    _, _, idx = tiny
    label = _state("lm-latent").label
    assert label == "string"
    latent = search_by_label(idx.latent_purity, label, k=1, min_support=5)[0]
    neuron = search_by_label(idx.neuron_purity, label, k=1, min_support=5)[0]
    assert latent["share"] > neuron["share"]
    assert idx.facts["comparison"]["ratio"] > 1


def test_clamping_the_string_latent_changes_the_text_within_a_few_characters(tiny):
    lm, sae, idx = tiny
    s = _state("lm-steer")
    unit = search_by_label(idx.latent_purity, s.label, k=1, min_support=5)[0]["unit"]  # the page's "auto"
    value = s.steer * float(idx.column("latent", unit).max())
    plain = lm.generate(s.prompt, 200, 0.8, seed=s.seed)
    steered = lm.generate(s.prompt, 200, 0.8, seed=s.seed, steer=Steer(unit, value, "clamp", sae))
    differ = next((i for i, (a, b) in enumerate(zip(plain, steered)) if a != b), None)
    assert differ is not None and differ < 40
