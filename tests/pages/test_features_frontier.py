import json

import numpy as np
import pytest

from sae_core.evaluation.evaluate import run_model

from .conftest import give_model, live_entry, on_page


def test_feature_explorer_offers_a_quick_model_then_shows_latents():
    at = on_page("features").run()
    assert not at.exception
    assert any("no model yet" in i.value for i in at.info)
    at.button(key="fx_quick").click().run()
    assert not at.exception
    model = live_entry(at, "current_model")
    assert model.model.d_sae == 128
    labels = {m.label: m.value for m in at.metric}
    assert labels["Latents"] == "128"
    at.number_input(key="fx_latent").set_value(5).run()
    assert any(h.value == "Latent 5" for h in at.subheader)
    at.selectbox(key="fx_sort").set_value("density_asc").run()
    at.toggle(key="fx_hide_dead").set_value(True).run()
    assert not at.exception
    assert at.query_params["sort"] == "density_asc" and at.query_params["hide_dead"] == "1"
    _, _, active = run_model(model.model, model.hp, model.data.x, model.input_scale)
    density = active.mean(axis=0)
    alive = np.flatnonzero(density > 0)  # what hiding the dead leaves, rarest first
    rarest_first = alive[np.argsort(density[alive], kind="stable")]
    assert any(c.value.startswith(f"{len(alive)} latents match") for c in at.caption), [c.value for c in at.caption]
    atoms = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "click to inspect" in c.proto.spec)
    shown = list(dict.fromkeys(row[0] for trace in atoms["data"] for row in trace.get("customdata", [])))
    assert shown[:10] == rarest_first[:10].tolist()


def test_feature_explorer_uses_the_trade_off_run():
    at = on_page("sparsity").run()
    at.button(key="so_step").click().run()
    at.button(key="so_explore").click().run()
    at.switch_page("pages/features.py").run()
    assert not at.exception
    assert "Sparsity trade-off" in " ".join(m.value for m in at.markdown)


@pytest.mark.timeout(300)
def test_frontier_computes_once_and_is_shared():
    at = on_page("frontier").run()
    assert not at.exception
    at.radio(key="fr_data").set_value("digits").run()
    at.button(key="fr_compute").click().run()
    assert not at.exception
    assert at.get("plotly_chart"), "the frontier is drawn after computing"
    methods = {row for row in at.dataframe[0].value["method"]}
    assert {"ReLU + L1", "TopK", "JumpReLU", "KL-sparsity (sigmoid)"} <= methods
    assert any("Dictionary learning" in m for m in methods)
    second = on_page("frontier")
    second.run()
    second.radio(key="fr_data").set_value("digits").run()
    assert second.get("plotly_chart"), "a second visitor sees the cached frontier at once"


def test_an_early_visitor_is_told_what_the_frontier_waits_for(tmp_path, monkeypatch):
    import components.background_work as background_work
    from app_core.frontier_store import FrontierStore
    from app_core.frontier_worker import FrontierWorker

    store = FrontierStore(tmp_path)
    worker = FrontierWorker(store, lambda key: key, keys=("toy", "digits", "mnist"))  # not started: a stand-in
    worker.phase, worker.current = "working", "toy"
    store.report("toy", 2, 21, "ReLU + L1, l1 = 1", sharing=2)  # two visitors' runs play meanwhile
    monkeypatch.setattr(background_work, "frontier_store", lambda: store)
    monkeypatch.setattr(background_work, "frontier_worker", lambda: worker)
    at = on_page("frontier").run()
    assert not at.exception
    (bar,) = at.get("progress")
    text = bar.proto.text
    assert "Computing the Toy features (ground truth known) frontier in the background: run 3 of 21" in text
    assert "takes turns with 2 visitor runs" in text and "starts soon" not in text
    at.radio(key="fr_data").set_value("mnist").run()
    (bar,) = at.get("progress")
    assert bar.proto.text.startswith("Queued behind the Toy features (ground truth known) frontier (run 3 of 21), "
                                     "then 8×8 digits.")


def _toy_explorer():
    """The explorer on a small ReLU SAE trained on toy data (vectors, not images)."""
    from sae_core.data import load_dataset
    from app_core.live.run import LiveRun
    from sae_core.training.presets import default_hparams

    data = load_dataset("toy")
    run = LiveRun(data, "relu", 64, default_hparams("relu", data.kind)[0])
    run.train(100)
    at = on_page("features")
    give_model(at, run.trained_model("a test run"))
    # unique: AppTest's sessions may share the explorer's per-session analysis cache, keyed by this version
    at.session_state["current_model_version"] = id(run)
    return at


def test_the_explorer_draws_numbered_atoms_for_toy_data_and_a_click_on_one_selects_its_latent():
    import json

    at = _toy_explorer().run()
    assert not at.exception
    chart = next(c for c in at.get("plotly_chart") if "fx_atoms" in str(c.proto.id))
    spec = json.loads(chart.proto.spec)
    heat, hits = spec["data"]
    shown = [int(j) for j in spec["layout"]["yaxis"]["ticktext"]]  # every row numbered by its latent
    assert heat["type"] == "heatmap" and len(shown) == 48 and len(set(shown)) == 48
    assert {j for (j,) in hits["customdata"]} == set(shown)  # and every atom clickable as that latent
    picked = shown[5]
    at.session_state["fx_atoms"] = {"selection": {"points": [{"customdata": [picked]}], "point_indices": [0],
                                                  "box": [], "lasso": []}}
    at.run()
    assert not at.exception and any(h.value == f"Latent {picked}" for h in at.subheader)
    assert at.query_params["latent"] == [str(picked)] or at.query_params["latent"] == str(picked)
    at.number_input(key="fx_latent").set_value(shown[7]).run()  # a newer choice is not undone by the old click
    assert any(h.value == f"Latent {shown[7]}" for h in at.subheader)


def test_the_sae_runs_are_drawn_while_the_baseline_is_computed(tmp_path, monkeypatch):
    import components.background_work as background_work
    from sae_core.training.frontier import FrontierPoint
    from app_core.frontier_store import FrontierStore
    from app_core.frontier_worker import FrontierWorker

    store = FrontierStore(tmp_path)
    worker = FrontierWorker(store, lambda key: key, keys=("toy", "digits", "mnist"))  # a stand-in, not started
    worker.phase, worker.current = "working", "toy"
    store.save("toy", [FrontierPoint("topk", "TopK", "k = 8", 8.0, 0.01, 0.9)], partial=True)
    store.report("toy", 16, 17, "scikit-learn dictionary learning")
    monkeypatch.setattr(background_work, "frontier_store", lambda: store)
    monkeypatch.setattr(background_work, "frontier_worker", lambda: worker)
    at = on_page("frontier").run()
    assert not at.exception and at.get("plotly_chart")  # the runs' points, at once
    assert list(at.dataframe[0].value["method"]) == ["TopK"]
    (bar,) = at.get("progress")
    assert "run 17 of 17 (scikit-learn dictionary learning)" in bar.proto.text
    assert any("dictionary learning, the baseline, is added when it is" in c.value for c in at.caption)
