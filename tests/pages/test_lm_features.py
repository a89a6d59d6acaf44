"""The language model's page on a tiny model trained once for this file (SAE_PLAYGROUND_LM=tiny)."""

import os

import numpy as np
import pytest

from app_core import lm_child
from app_core.lm_browse import load_browse
from app_core.lm_journal import LM_ENV, read_journal, run_folder
from sae_core.lm import LMSAE, Steer, load_lm, search_by_label, search_by_text

from .conftest import live_entry, on_page


@pytest.fixture(scope="module")
def tiny():
    """The tiny model in this test session's cache folder, where the page looks for it."""
    old = os.environ.get(LM_ENV)
    os.environ[LM_ENV] = "tiny"
    folder = run_folder("tiny")
    if read_journal(folder).stage != "ready":
        lm_child.train(folder, "tiny")
    lm, sae = load_lm(folder), LMSAE.load(folder / "sae")
    yield lm, sae, load_browse(folder, lm.d_mlp, sae.d_sae)
    if old is None:
        os.environ.pop(LM_ENV, None)
    else:
        os.environ[LM_ENV] = old


def _page(**query):
    at = on_page("lm_features")
    at.default_timeout = 120
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def _q(at, name: str) -> str:
    value = at.query_params[name]
    return value if isinstance(value, str) else value[0]


def _metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def _shown_unit(at) -> str:
    return [h.value for h in at.subheader if h.value.startswith(("Latent ", "Neuron "))][0]


def test_before_the_model_exists_the_page_says_so_and_offers_to_train_it(monkeypatch):
    monkeypatch.delenv(LM_ENV, raising=False)  # the default model, never trained in the tests' cache folder
    at = _page()
    assert not at.exception
    assert any("Nothing is training" in i.value for i in at.info)
    assert at.button(key="lm_train").label == "Train the model now"


def test_the_page_shows_the_models_figures_as_computed(tiny):
    lm, sae, idx = tiny
    at = _page()
    assert not at.exception, at.exception
    m = _metrics(at)
    facts = idx.facts
    assert m["SAE explained variance"] == f"{facts['fve']:.3f}" and m["SAE L0"] == f"{facts['l0']:.1f}"
    c = facts["comparison"]
    assert m["Monosemantic neurons"] == f"{c['neurons']['pure_share']:.1%}"
    assert m["Monosemantic latents"] == f"{c['latents']['pure_share']:.1%}"
    assert m["Latents against neurons"] == (f"{c['ratio']:.1f}×" if c["ratio"] is not None else "no pure neuron")
    from sae_core.lm.monosemanticity import top_k_for

    rule = [x.value for x in at.caption if "A unit's purity" in x.value][0]  # what the figures measure, in words
    assert f"of its {top_k_for(facts['chars']):,} strongest activations" in rule and "dead and rare ones" in rule
    from sae_core.lm.persistence import read_meta

    assert m["Held-out bits per character"] == f"{read_meta(run_folder('tiny'))['heldout_bits_per_char']:.2f}"
    journal = read_journal(run_folder("tiny"))
    shown_steps = [c.value for c in at.caption if c.value.startswith("after ")]
    assert shown_steps[0].startswith(f"after {journal.samples[0]['step']:,} steps")
    assert shown_steps[-1].startswith(f"after {journal.samples[-1]['step']:,} steps")


def test_a_first_visit_shows_the_best_latent_for_the_label_searched(tiny):
    lm, sae, idx = tiny
    at = _page(label="comment")
    best = search_by_label(idx.latent_purity, "comment", k=1, min_support=5)[0]["unit"]
    assert _shown_unit(at) == f"Latent {best}"
    assert _q(at, "unit") == "auto" and _q(at, "label") == "comment"


def test_picking_a_unit_shows_it_and_writes_the_url(tiny):
    lm, sae, idx = tiny
    at = _page()
    at.number_input(key="lm_unit_pick").set_value(5).run()
    assert not at.exception and _shown_unit(at) == "Latent 5"
    assert _q(at, "unit") == "5"
    p = idx.latent_purity
    text = " ".join(m.value for m in at.markdown)
    if p.best_label(5) is not None:
        assert f"Best label **{p.best_label(5)}**, purity **{p.purity[5]:.0%}**" in text
    at.button_group(key="lm_kind_pick").set_value("neuron").run()
    assert not at.exception and _q(at, "kind") == "neuron"
    best = search_by_label(idx.neuron_purity, "string", k=1, min_support=5)[0]["unit"]
    assert _shown_unit(at) == f"Neuron {best}"  # a new kind starts from its best unit for the label


def test_a_link_to_a_unit_shows_its_contexts(tiny):
    lm, sae, idx = tiny
    at = _page(kind="latent", unit="7")
    html = " ".join(h.proto.body for h in at.get("html"))
    for c in idx.contexts("latent", 7, k=8):
        assert f"activation {c.value:.2f}" in html
    assert at.session_state["lm_contexts_ms"] < 1000


@pytest.mark.parametrize("query, words", [
    ({"unit": "99999"}, "does not exist"),
    ({"steer": "nan"}, "steering strength must be finite"),
    ({"kind": "<b>"}, "unit kind must be one of"),
    ({"example": "x" * 400}, "example text is longer than 300"),
    ({"unit": "-1"}, "unit must lie in"),
])
def test_a_tampered_link_is_named_and_changes_nothing_else(tiny, query, words):
    at = _page(**query)
    assert not at.exception
    assert any(words in w.value for w in at.warning), [w.value for w in at.warning]
    assert _q(at, "prompt") == "def "
    at.text_input(key="lm_prompt").set_value("\n" * 5000 + "é").run()
    assert not at.exception and _q(at, "prompt") == " " * 200
    assert any("first 200 of the 5,001" in w.value for w in at.warning)


def test_example_text_of_any_kind_finds_units_or_says_why_not(tiny):
    lm, sae, idx = tiny
    at = _page()
    text = "π = 'ünïcode ☃'  # ça va"
    at.text_input(key="lm_example").set_value(text).run()
    assert not at.exception
    hits, _ = search_by_text(lm, text, sae, k=8)
    assert _q(at, "example") == text
    assert hits, "the tiny model's latents fire on this text"
    pills = at.button_group(key="lm_text_hits")
    assert list(pills.options) == [f"{h['unit']} · {h['value']:.2f}" for h in hits]
    at.text_input(key="lm_example").set_value("y\t" * 10_000).run()  # a paste past the link's limit, with tabs
    assert not at.exception
    assert _q(at, "example") == ("y " * 150) and any("first 300 of the 20,000" in w.value for w in at.warning)
    assert _q(at, "prompt") == "def "
    at.text_input(key="lm_prompt").set_value("\n" * 5000 + "é").run()
    assert not at.exception and _q(at, "prompt") == " " * 200
    assert any("first 200 of the 5,001" in w.value for w in at.warning)


def test_steering_changes_the_text_and_shows_it_beside_the_unsteered(tiny):
    lm, sae, idx = tiny
    at = _page(unit="3", steer="20", seed="4")
    assert not at.exception
    codes = [c.value for c in at.code]
    plain = lm.generate("def ", 200, 0.8, seed=4)
    scale = float(idx.column("latent", 3).max()) or 1.0
    steered = lm.generate("def ", 200, 0.8, seed=4, steer=Steer(3, 20 * scale, "clamp", sae))
    assert "def " + plain in codes and "def " + steered in codes
    caption = [c.value for c in at.caption if c.value.startswith("Same prompt")][0]
    differ = next((i for i, (a, b) in enumerate(zip(plain, steered)) if a != b), None)
    assert (f"part at character {differ + 1}" in caption) if differ is not None else ("are the same" in caption)
    with pytest.raises(ValueError):
        Steer(3, float("nan"), "clamp", sae)  # what the URL codec keeps from the page


def _own_run(at):
    return live_entry(at, "lm_own_controller")


def test_your_own_sae_trains_live_with_its_knob_moved_as_it_goes_and_its_latents_are_browsable(tiny):
    from app_core.live.run import LiveRun
    from app_core.lm_own_sae import OWN_LATENTS, OWN_SAMPLES, browse_labels, browse_own, lm_sae_of, \
        neuron_pure_share, own_dataset, own_hparams
    from sae_core.lm import load_corpus
    from sae_core.lm.sae import sample_activations

    lm, sae, idx = tiny
    at = _page(own_arch="relu", own_l1="0.3")
    assert not at.exception, at.exception
    assert at.button(key="lm_own_play").label == "Play" and "Step" not in _metrics(at)  # nothing trains on a visit
    at.button(key="lm_own_step").click().run()
    assert not at.exception, at.exception
    acts = sample_activations(lm, load_corpus(60_000).train_bytes(), OWN_SAMPLES, seed=0)
    direct = LiveRun(own_dataset(acts), "relu", OWN_LATENTS, own_hparams("relu", 0.3))
    direct.train(50)
    now = direct.measure()
    m = _metrics(at)
    assert m["Step"] == "50" and m["L0 · active latents"] == f"{now.l0:.1f}"
    assert m["Explained variance"] == f"{now.fve:.1%}"
    assert at.get("plotly_chart") or at.get("bidi_component")  # its curves

    # the knob moved: the same run goes on with it (not a new one from step 0)
    at.select_slider(key="lm_own_l1").set_value(3.0).run()
    assert not at.exception and _q(at, "own_l1") == "3"
    controller = _own_run(at)
    assert controller.snapshot().now.step == 50 and controller.snapshot().hp.l1 == 3.0
    at.button(key="lm_own_play").click().run()
    assert not at.exception and controller.playing and at.button(key="lm_own_play").label == "Pause"
    at.button(key="lm_own_play").click().run()
    assert not controller.playing and at.button(key="lm_own_play").label == "Play"
    step = controller.snapshot().now.step
    assert step >= 50

    # browsed: the feature browser and steering read it, measured on the browsed characters
    at.button(key="lm_own_browse").click().run()
    assert not at.exception, at.exception
    labels = browse_labels(idx.texts)
    own = browse_own(lm_sae_of(controller.trained_model("test")), idx, labels, neuron_pure_share(idx, labels),
                     "relu", 3.0, step, "test")
    best = search_by_label(own.index.latent_purity, "string", k=1, min_support=5)
    assert _shown_unit(at) == f"Latent {best[0]['unit'] if best else 0}"
    assert any("read **your SAE**" in i.value for i in at.info)
    m = _metrics(at)
    assert m["Its monosemantic latents"] == f"{own.result.pure_share:.1%}" and m["L0"] == f"{own.result.l0:.1f}"
    assert at.number_input(key="lm_unit_pick").max == OWN_LATENTS - 1
    html = " ".join(h.proto.body for h in at.get("html"))
    shown = int(_shown_unit(at).split()[1])
    for c in own.index.contexts("latent", shown, k=8):
        assert f"activation {c.value:.2f}" in html
    at.button(key="lm_browse_model").click().run()
    assert not at.exception and not any("your SAE" in i.value for i in at.info)
    assert at.number_input(key="lm_unit_pick").max == sae.d_sae - 1
    at.button_group(key="lm_own_arch").set_value("topk").run()  # another architecture: a new run, paused at 0
    assert not at.exception and _q(at, "own_arch") == "topk"
    assert controller.snapshot().arch == "topk" and controller.snapshot().now.step == 0 and not controller.playing

def test_a_knob_off_its_grid_in_a_link_is_named():
    at = _page(own_k="7")
    assert not at.exception
    assert any("your SAE's k must be one of" in w.value for w in at.warning)
