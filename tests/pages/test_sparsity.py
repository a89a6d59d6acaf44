import time

import pytest

from .conftest import live_entry, on_page


@pytest.fixture
def app():
    return on_page("sparsity")


def controller(at):
    return live_entry(at, "tradeoff_controller")


def metric(at, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def test_step_play_pause_reset_change_the_metrics(app):
    at = app.run()
    assert not at.exception
    assert metric(at, "Step") == "0"
    l0_start = float(metric(at, "L0"))
    at.button(key="so_step").click().run()
    assert metric(at, "Step") == "50"
    at.button(key="so_play").click().run()  # Play: training continues on a background thread
    assert controller(at).playing
    time.sleep(1.0)
    at.run()
    steps = int(metric(at, "Step").replace(",", ""))
    assert steps > 50 and float(metric(at, "L0")) < l0_start
    at.button(key="so_play").click().run()  # Pause
    assert not controller(at).playing
    paused = metric(at, "Step")
    time.sleep(0.3)
    at.run()
    assert metric(at, "Step") == paused
    at.button(key="so_reset").click().run()
    assert metric(at, "Step") == "0"


def test_raising_l1_mid_training_lowers_l0_and_pins_the_point(app):
    at = app.run()
    at.radio(key="so_data").set_value("toy").run()
    for _ in range(4):
        at.button(key="so_step").click().run()
    at.select_slider(key="so_l1").set_value(0.05).run()
    for _ in range(6):
        at.button(key="so_step").click().run()
    l0_low_penalty = float(metric(at, "L0"))
    at.select_slider(key="so_l1").set_value(5.0).run()
    snap = controller(at).snapshot()
    assert snap.hp.l1 == 5.0 and snap.now.step == 500  # same run, new penalty: no reset
    assert [p.label for p in snap.pinned] == ["L1=1", "L1=0.05"]
    for _ in range(6):
        at.button(key="so_step").click().run()
    assert float(metric(at, "L0")) < 0.7 * l0_low_penalty


def test_kl_model_shows_firing_rate_and_its_sliders(app):
    at = app.run()
    at.radio(key="so_arch").set_value("kl").run()
    assert not at.exception
    assert at.select_slider(key="so_rho").value == 0.05
    at.button(key="so_step").click().run()
    assert 0 < float(metric(at, "Mean firing")) < 1
    at.select_slider(key="so_rho").set_value(0.1).run()
    assert controller(at).snapshot().hp.rho == 0.1


def test_switching_dataset_resets_the_run(app):
    at = app.run()
    at.button(key="so_step").click().run()
    at.radio(key="so_data").set_value("toy").run()
    assert metric(at, "Step") == "0"
    assert controller(at).snapshot().has_truth
    assert "MMCS" in [m.label for m in at.metric]


def test_a_computed_frontier_is_drawn_behind_a_run_of_its_own_configuration_only(app):
    """The sweep's runs use a smaller dictionary on MNIST (128 latents against the page's 256): drawn behind the
    student's run it was a "frontier" the run sat below. It is drawn only for its own configuration, and what it
    is stays in view beside it."""
    from sae_core.training.frontier import FrontierPoint
    from app_core.frontier_store import SETUPS, FrontierStore

    store = FrontierStore()  # the folder every process of this server reads
    points = [FrontierPoint("relu", "ReLU + L1", "l1 = 1", 20.0, 0.01, 0.9),
              FrontierPoint("relu", "ReLU + L1", "l1 = 3", 8.0, 0.02, 0.8)]
    store.save("mnist", points)
    store.save("toy", points)
    try:
        at = app.run()  # MNIST, 256 latents
        assert SETUPS["mnist"][0] != 256
        assert any("No reference line" in c.value and "128 latents" in c.value for c in at.caption)
        assert not any("l1 = 3" in chart.proto.spec for chart in at.get("plotly_chart"))

        at.radio(key="so_data").set_value("toy").run()  # 64 latents, as the toy sweep
        assert any(c.value.startswith("The line: ReLU + L1") for c in at.caption)
        assert any("l1 = 3" in chart.proto.spec for chart in at.get("plotly_chart"))  # the stored points, drawn
    finally:
        store.path("mnist").unlink()
        store.path("toy").unlink()
    at.run()
    assert any("drawn behind your run once the server has computed it" in c.value for c in at.caption)


def test_the_kl_model_shows_its_penalty_latent_by_latent_and_links_the_kl_pages():
    from sae_core.divergence import bernoulli_kl
    at = on_page("sparsity")
    at.query_params.update({"arch": "kl", "data": "toy"})
    at.run()
    at.button(key="so_step").click().run()
    assert not at.exception
    penalty = next(c for c in at.get("plotly_chart") if "so_penalty" in str(c.proto.id))
    snap = controller(at).snapshot()
    total = snap.hp.beta * bernoulli_kl(snap.hp.rho, snap.firing_rates).sum()
    assert f"= {total:.3f} nats" in penalty.proto.spec
    assert {"kl_divergence", "kl_loss"} <= {link.proto.page for link in at.get("page_link")}
    at.radio(key="so_arch").set_value("relu").run()
    assert not any("so_penalty" in str(c.proto.id) for c in at.get("plotly_chart"))


def test_a_busy_server_slows_the_redraws_and_says_so(app):
    from app_core.live.redraw_pacing import shared_pacer

    pacer, crowd = shared_pacer(), [f"visitor-{i}" for i in range(30)]
    at = app.run()
    at.button(key="so_play").click().run()
    assert any("redraws every 1 s" in c.value for c in at.caption)  # alone: as often as the page asks
    try:
        for page in crowd:  # thirty other live pages at 80 ms a redraw, once a second: 2.4 s of work a second
            for _ in range(2):  # a page's first redraw is not counted (app_core/live/redraw_pacing.py)
                pacer.record(page, 0.08, asks=1.0)
        at.run()
        import re

        said = [float(m.group(1)) for c in at.caption if (m := re.search(r"redraws every ([\d.]+) s", c.value))]
        assert said and said[0] >= 5.0  # 30 × 0.08 / 0.4 = 6, give or take this page's own redraws
    finally:
        for page in crowd:
            pacer.forget(page)
        at.button(key="so_play").click().run()
