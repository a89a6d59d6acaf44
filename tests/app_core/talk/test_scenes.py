"""Every scene is a valid page state, and says what its page will then show."""

import math

import numpy as np
import pytest

from app_core.registry import stated_pages
from app_core.state import codec
from app_core.talk import SCENES, scene_named, scenes_of

pytestmark = pytest.mark.slow  # trains each scene's run to check its claim

STATES = stated_pages()


def _state(slug: str):
    scene = scene_named(slug)
    state, problems = codec.from_query(STATES[scene.page], scene.query)
    assert problems == []
    return state


@pytest.mark.parametrize("scene", [s for s in SCENES if s.page], ids=lambda s: s.slug)
def test_every_scene_is_its_page_state_in_canonical_url_form(scene):
    state, problems = codec.from_query(STATES[scene.page], scene.query)
    assert problems == []
    written = codec.to_query(state)
    assert {k: written[k] for k in scene.query} == scene.query  # as the page itself would write it
    assert scene.title and scene.prompt.endswith("?") and scene.reveal


def test_every_page_has_scenes():
    assert all(scenes_of(page) for page in STATES) and scenes_of("")


def test_identical_distributions_have_zero_divergence():
    from app_core.readout import divergences

    d = divergences(_state("kl-identical"))
    assert d.kl_pq == pytest.approx(0, abs=1e-9) and d.kl_qp == pytest.approx(0, abs=1e-9)
    assert d.js == pytest.approx(0, abs=1e-9)


def test_disjoint_supports_give_infinite_kl_and_js_at_ln2():
    from app_core.readout import divergences

    d = divergences(_state("kl-disjoint"))
    assert math.isinf(d.kl_pq) and math.isinf(d.kl_qp)
    assert d.js == pytest.approx(math.log(2), rel=1e-6)


def test_wide_against_narrow_is_asymmetric_the_way_the_scene_says():
    from app_core.readout import divergences

    d = divergences(_state("kl-asymmetry"))
    assert d.kl_qp > 2 * d.kl_pq > 0


def test_soft_thresholding_at_lambda_one_zeroes_the_small_entries_and_shrinks_the_rest():
    from sae_core.norms.shrinkage import shrink

    s = _state("norms-shrink")
    out = np.asarray(shrink(np.asarray(s.entries), s.lam, s.shrink))
    x = np.asarray(s.entries)
    assert np.all(out[np.abs(x) <= 1] == 0)
    assert np.allclose(np.abs(out[np.abs(x) > 1]), np.abs(x[np.abs(x) > 1]) - 1)


@pytest.mark.parametrize("slug,kept", [("sp-dense", 2), ("sp-pentagon", 5)])
def test_superposition_scenes_keep_as_many_features_as_they_say(slug, kept):
    from app_core.live.superposition import KEPT_NORM, ToyModelRun

    config = _state(slug).config()
    run = ToyModelRun(config)
    run.train(config.steps)
    assert int(np.sum(run.snapshot().norms > KEPT_NORM)) == kept


def test_too_much_l1_kills_latents_and_costs_reconstruction_against_the_balanced_scene():
    from sae_core.data import load_dataset
    from app_core.live import LiveController, RunCache, RunSetup

    data, cache, seen = load_dataset("toy"), RunCache(), {}
    for slug in ("so-balanced", "so-too-much-l1"):
        s, scene = _state(slug), scene_named(slug)
        controller = LiveController()
        controller.configure(RunSetup(s.data, s.arch, s.latents, s.seed), data, s.hparams(data.kind))
        controller.warm_start(cache, scene.warm_steps)
        seen[slug] = controller.snapshot().now
        controller.close()
    balanced, heavy = seen["so-balanced"], seen["so-too-much-l1"]
    assert heavy.dead_fraction > balanced.dead_fraction + 0.05
    assert heavy.l0 < balanced.l0 and heavy.fve < balanced.fve - 0.2 and heavy.mmcs < balanced.mmcs
    assert heavy.shrinkage < balanced.shrinkage


def test_prewarming_trains_the_runs_the_sparsity_page_then_finds():
    from sae_core.data import load_dataset
    from app_core.live import LiveController, RunCache
    from app_core.talk.prewarm import prewarm_scene_runs

    cache, scene = RunCache(), scene_named("so-balanced")
    assert prewarm_scene_runs(cache, load_dataset, scenes=(scene,)) == ["so-balanced"]
    s, data = _state("so-balanced"), load_dataset("toy")
    controller = LiveController()
    controller.configure(s.run_setup(), data, s.hparams(data.kind))
    trained_before = len(cache._runs)
    controller.warm_start(cache, scene.warm_steps)
    assert len(cache._runs) == trained_before  # found under the page's key: nothing trained again
    assert controller.snapshot().now.step == scene.warm_steps
    controller.close()


def test_overlap_lowers_kl_and_js_and_js_stays_under_its_ceiling_as_the_scene_says():
    from app_core.readout import divergences, separation_curves

    s = _state("kl-overlap")
    sweep = separation_curves(s.p.family, s.p.sd, s.q.family, s.q.sd)
    right = sweep.separations >= 0  # Q slid from far right onto P: each step more overlap
    for values in (sweep.kl_pq[right], sweep.kl_qp[right], sweep.js[right]):
        assert np.all(np.diff(values) >= -1e-9)  # rises with separation, so falls as the overlap grows
        assert values[0] == pytest.approx(0, abs=1e-9)
    assert np.all(sweep.js <= math.log(2) + 1e-9) and sweep.js[right][-1] > 0.9 * math.log(2)
    assert sweep.kl_pq[right][-1] > 10 * math.log(2)  # KL keeps growing where JS levels off
    d = divergences(s)
    assert 0 < d.js < math.log(2) and d.kl_pq > d.js


def test_the_autoencoder_scenes_numbers_are_what_the_page_computes():
    # "nearly all 8 numbers are non-zero for every digit" (ae-squeeze); "a small fraction" of 256 (ae-sparse).
    from sae_core.data import load_dataset
    from app_core.live.pair import PairRun

    data = load_dataset("mnist")
    for slug in ("ae-squeeze", "ae-sparse"):
        s = _state(slug)
        pair = PairRun(data, s.width, s.l1)
        pair.train(150)
        snap = pair.snapshot()
        if slug == "ae-squeeze":
            assert snap.bottleneck.now.l0 >= 0.75 * snap.bottleneck.latents
        else:
            assert snap.sparse.now.l0 <= 0.25 * snap.sparse.latents


def _train_run(slug: str, steps: int):
    """The run the Train page starts for `slug`'s state, trained `steps` steps."""
    from sae_core.data import load_dataset
    from app_core.live.run import LiveRun

    s = _state(slug)
    data = load_dataset("toy", toy=s.toy_config())
    run = LiveRun(data, s.arch, s.latents, s.hparams(data.kind), seed=s.seed)
    run.train(steps)
    return s, run


def test_topk_l0_is_at_most_k_from_the_first_step_as_the_scene_says():
    # The scene once said "exactly 8": the first step measured 7.76, some kept latents being at or below 0.
    s, run = _train_run("tr-topk", 1)
    for _ in range(2):
        assert 0.9 * s.k <= run.measure().l0 <= s.k
        run.train(200)


def test_an_l1_sae_starts_near_half_its_dictionary_and_falls_as_the_scene_says():
    s, run = _train_run("tr-relu", 1)
    first = run.measure().l0
    assert 0.3 * s.latents <= first <= 0.7 * s.latents
    run.train(300)
    assert run.measure().l0 < 0.5 * first


def test_kl_sparsity_leaves_no_latent_exactly_zero_as_the_scene_says():
    from sae_core.data import load_dataset
    from app_core.live import LiveController, RunCache

    s, scene = _state("so-kl"), scene_named("so-kl")
    data = load_dataset("toy")
    controller = LiveController()
    controller.configure(s.run_setup(), data, s.hparams(data.kind))
    controller.warm_start(RunCache(), scene.warm_steps)
    assert controller.snapshot().now.l0 == pytest.approx(s.latents)  # L0 is the whole dictionary
    controller.close()


@pytest.mark.parametrize("slug,modes_covered", [("kl-forward", 2), ("kl-reverse", 1)])
def test_forward_kl_covers_both_modes_and_reverse_kl_picks_one(slug, modes_covered):
    from app_core.live.fit_live import FitRun

    s = _state(slug)
    run = FitRun(s.target(), s.direction, s.start)
    run.train(run.snapshot().total_steps)
    snap, half = run.snapshot(), s.separation / 2
    if modes_covered == 2:  # across both: centred between them and wide enough to reach each
        assert abs(snap.mu) < 0.25 * half and snap.sigma > 0.8 * half
    else:  # on one bump: centred on a mode, about its width
        assert abs(abs(snap.mu) - half) < 0.25 * half and snap.sigma < 2 * s.width


def test_the_l1_ball_meets_the_contours_on_a_corner_and_the_l2_ball_does_not():
    from sae_core.norms.constrained import Quadratic, solve_both

    s = _state("norms-corner")
    l1, l2 = solve_both(Quadratic.from_ellipse((s.w1, s.w2), s.angle, s.elongation), s.radius)
    assert l1.n_zeros == 1 and l2.n_zeros == 0
