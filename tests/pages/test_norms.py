"""The "Sparsity and the L1 norm" page in AppTest: the vector editor and the sliders change the numbers and
figures that sae_core computes, a link restores the view, and a tampered link is reported without breaking
anything."""

import json
from dataclasses import replace

import pytest

from components.slider_preview import NEIGHBOUR_FRAMES
from app_core.figures.slider_patches import MAX_PATCH_BYTES, NEAR, patch_positions
from app_core.state.codec import grid
from app_core.figures.norm_figures import format_point
from sae_core.norms import Quadratic, norms, shrink, solve_both
from app_core.state import codec
from app_core.state import norms as ns

from .conftest import on_page
from .previews import assert_frames_are_what_the_page_draws, preview

BALLS_FIELDS = ("w1", "w2", "angle", "elongation", "radius")  # the sliders the balls figure answers


@pytest.fixture
def app():
    return on_page("norms")


def shown(at) -> dict[str, str]:
    return {m.label.split(" ·")[0]: m.value for m in at.metric}


def expected(state: ns.NormsState) -> dict[str, str]:
    n = norms(state.entries)
    l1_sol, l2_sol = solve_both(Quadratic.from_ellipse((state.w1, state.w2), state.angle, state.elongation),
                                state.radius)
    after = norms(shrink(state.entries, state.lam, state.shrink))
    return {"L0": str(n.l0), "L1": f"{n.l1:.2f}", "L2": f"{n.l2:.2f}", "L1 solution": format_point(l1_sol.w),
            "L2 solution": format_point(l2_sol.w), "L0 after shrinkage": str(after.l0),
            "L1 after shrinkage": f"{after.l1:.2f}"}


def charts(at) -> dict[str, str]:
    """Each chart's Plotly spec (JSON text), by element id order: balls, curve, shrunk."""
    return dict(zip(("balls", "curve", "shrunk"), (c.proto.spec for c in at.get("plotly_chart"))))


def editor(at) -> dict:
    """What the vector editor was given to draw (app_core/wire/editor_wire.py's `to_editor`)."""
    (component,) = [c for c in at.get("bidi_component") if c.proto.component_name.endswith("vector_editor")]
    return json.loads(component.proto.json)


def drag(at, entries, seq: int):
    """What the editor sends when a drag ends."""
    at.session_state["nm_vector"] = {"value": {"entries": list(entries), "seq": seq}}
    return at.run()


def url(at) -> dict[str, str]:
    return {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def test_default_view_shows_what_sae_core_computes_and_writes_the_url(app):
    at = app.run()
    assert not at.exception and not at.warning
    assert shown(at) == expected(ns.NormsState())
    assert shown(at)["L1 solution"] == "(1.00, 0)"  # the default lands on a corner
    assert len(at.get("plotly_chart")) == 3
    data = editor(at)
    assert data["entries"] == list(ns.NormsState().entries) and data["appliedSeq"] == 0
    assert (data["lo"], data["hi"], data["step"]) == (*ns.ENTRY_RANGE, ns.ENTRY_STEP)
    assert data["labels"] == ["x₁", "x₂", "x₃", "x₄", "x₅", "x₆"]
    assert url(at) == codec.to_query(ns.NormsState())
    assert [link.proto.page for link in at.get("page_link")] == ["sparsity", "kl_divergence"]


def test_dragging_an_entry_changes_the_norms_the_figures_and_the_url(app):
    at = app.run()
    before = charts(at)
    at = drag(at, (0.0, -1.5, 0.3, 0.0, -0.2, 1.0), seq=1)
    state = replace(ns.NormsState(), entries=(0.0, -1.5, 0.3, 0.0, -0.2, 1.0))
    assert at.session_state["nm_state"] == state
    assert shown(at) == expected(state) and shown(at)["L0"] == "4" and shown(at)["L1"] == "3.00"
    assert editor(at)["entries"] == list(state.entries) and editor(at)["appliedSeq"] == 1  # the echo it waits for
    after = charts(at)
    assert after["shrunk"] != before["shrunk"] and "L0 4" in after["shrunk"]
    assert after["balls"] == before["balls"] and after["curve"] == before["curve"]  # nothing to redraw there
    assert url(at)["x"] == "0,-1.5,0.3,0,-0.2,1"


def test_moving_the_problem_moves_the_solutions(app):
    at = app.run()
    before = charts(at)["balls"]
    at.slider(key="nm_w1").set_value(0.5).run()
    at.slider(key="nm_elongation").set_value(1.0).run()
    state = replace(ns.NormsState(), w1=0.5, elongation=1.0)
    assert shown(at) == expected(state) and shown(at)["L1 solution"] != "(1.00, 0)"
    assert charts(at)["balls"] != before and url(at)["elong"] == "1"


def test_lambda_and_the_relu_version_shrink_the_vector(app):
    at = app.run()
    at.slider(key="nm_lam").set_value(1.0).run()
    assert shown(at)["L0 after shrinkage"] == "2"  # only 2.0 and −1.5 survive λ = 1
    at.radio(key="nm_shrink").set_value("relu").run()
    state = replace(ns.NormsState(), lam=1.0, shrink="relu")
    assert shown(at) == expected(state) and shown(at)["L0 after shrinkage"] == "1"
    assert "ReLU" in charts(at)["curve"] and url(at)["shrink"] == "relu"


def test_a_link_restores_the_view(app):
    state = ns.NormsState(entries=(0.0, 0.0, 2.5, -0.1, 0.0, 0.0), w1=-0.6, w2=2.2, angle=45.0, elongation=4.0,
                          radius=1.5, lam=2.0, shrink="relu")
    for k, v in codec.to_query(state).items():
        app.query_params[k] = v
    at = app.run()
    assert not at.exception and not at.warning
    assert at.session_state["nm_state"] == state
    assert shown(at) == expected(state)
    assert editor(at)["entries"] == [0.0, 0.0, 2.5, -0.1, 0.0, 0.0] and at.slider(key="nm_radius").value == 1.5
    assert at.radio(key="nm_shrink").value == "relu"


def test_a_tampered_link_is_reported_and_the_rest_applies(app):
    for k, v in {"x": "1,2,<script>", "lam": "0.123", "t": "nan", "angle": "45"}.items():
        app.query_params[k] = v
    at = app.run()
    assert not at.exception
    messages = " ".join(w.value for w in at.warning)
    assert "'x'" in messages and "'lam'" in messages and "'t'" in messages and "'angle'" not in messages
    state = at.session_state["nm_state"]
    assert state == replace(ns.NormsState(), angle=45.0)
    assert shown(at) == expected(state)
    assert url(at) == codec.to_query(state)  # the bad fields are replaced in the URL by what is shown


def test_arriving_from_another_page_keeps_the_view(app):
    at = app.run()
    at.slider(key="nm_lam").set_value(2.0).run()
    for k in list(at.query_params):
        del at.query_params[k]  # a sidebar link carries no parameters
    at.run()
    assert at.session_state["nm_state"].lam == 2.0


def test_quick_moves_are_not_undone_by_a_stale_url_but_back_still_works(app):
    # Arrow keys held on a slider send moves faster than the URL round trip: a move's request can carry the
    # URL from before the previous move. Read as Back, it undid that move (six presses gave three steps).
    at = app.run()
    first = url(at)
    at.slider(key="nm_radius").set_value(1.05).run()
    for k, v in first.items():
        at.query_params[k] = v  # the browser had not yet seen t=1.05 when it sent the next press
    at.slider(key="nm_radius").set_value(1.1).run()
    assert at.session_state["nm_state"].radius == 1.1 and url(at)["t"] == "1.1"
    for k, v in first.items():
        at.query_params[k] = v  # a real Back: no move in the request
    at.run()
    assert at.session_state["nm_state"].radius == 1.0
    assert at.slider(key="nm_radius").value == 1.0


def test_the_editor_snaps_what_it_sends_and_refuses_what_is_not_a_vector(app):
    at = drag(app.run(), (9.0, -0.04, 0.26, 0.0, -0.2, 1.0), seq=1)
    snapped = (3.0, 0.0, 0.3, 0.0, -0.2, 1.0)  # into range, onto the 0.1 grid, as a slider would send them
    assert at.session_state["nm_state"].entries == snapped and url(at)["x"] == "3,0,0.3,0,-0.2,1"
    for seq, bad in enumerate(([1.0, 2.0], [float("nan")] * 6, ["1"] * 6, None), start=2):
        at.session_state["nm_vector"] = {"value": {"entries": bad, "seq": seq}}
        at.run()
        assert not at.exception
        assert "The drag was ignored" in " ".join(e.value for e in at.error)
        assert at.session_state["nm_state"].entries == snapped  # nothing else changed
    at.run()
    assert not at.error  # the message is shown once


def test_in_presenter_mode_the_editor_takes_the_projector_palette(app):
    plain = editor(app.run())
    at = on_page("norms")
    at.query_params["present"] = "1"
    presenting = editor(at.run())
    assert not at.exception
    assert not plain["large"] and presenting["large"]
    colours = json.loads(plain["colors"]), json.loads(presenting["colors"])
    assert colours[0]["pos"] == "#1f77b4" and colours[1]["pos"] == "#0072B2"  # Okabe–Ito blue
    assert colours[0]["zero"] == colours[1]["zero"] == "#7f7f7f"  # grey means "off" in both


def test_the_lambda_sliders_frames_are_the_charts_the_page_draws_there(app):
    at = app.run()
    values = assert_frames_are_what_the_page_draws(
        at, "nm_lam", lambda at, v: at.slider(key="nm_lam").set_value(v).run())
    assert values[:2] == [0.45, 0.55] and values[-1] not in values[:-1]
    # The vector is in the frames: after a drag they show the new vector's shrinkage.
    at = drag(on_page("norms").run(), (0.0, 0.0, 0.0, 0.0, 0.0, 2.5), seq=1)
    assert_frames_are_what_the_page_draws(at, "nm_lam", lambda at, v: at.slider(key="nm_lam").set_value(v).run(), 1)


def test_in_presenter_mode_the_frames_are_in_the_projector_style_the_charts_are_drawn_in():
    at = on_page("norms")
    at.query_params["present"] = "1"
    at.run()
    assert_frames_are_what_the_page_draws(at, "nm_lam", lambda at, v: at.slider(key="nm_lam").set_value(v).run(), 1)
    assert "#0072B2" in json.dumps(preview(at, "nm_lam")["frames"])  # Okabe–Ito blue: the projector's palette


def test_the_radius_sliders_frames_are_the_balls_the_page_draws_there(app):
    at = app.run()
    # Each frame redraws the balls, their solutions and touching contours (~7 kB): the byte cap leaves out the
    # farthest positions, never the neighbours.
    frames = preview(at, "nm_radius")["frames"]
    wanted = patch_positions(grid(*ns.RADIUS_RANGE, ns.RADIUS_STEP), 1.0)
    assert len(json.dumps(frames)) <= MAX_PATCH_BYTES and [f["value"] for f in frames] == wanted[:len(frames)]
    assert 2 * NEAR <= len(frames) <= len(wanted)
    values = assert_frames_are_what_the_page_draws(
        at, "nm_radius", lambda at, v: at.slider(key="nm_radius").set_value(v).run())
    assert values[:2] == [0.95, 1.05]


def test_the_balls_preview_follows_the_slider_moved_last(app):
    at = app.run()
    # On arrival the radius has all its frames; each other slider its two neighbours (a first key press there).
    counts = {name: len(preview(at, f"nm_{name}")["frames"]) for name in BALLS_FIELDS}
    assert counts.pop("radius") > 2 * NEAR and set(counts.values()) == {NEIGHBOUR_FRAMES}, counts
    assert [f["value"] for f in preview(at, "nm_w2")["frames"]] == [0.9, 1.1]
    assert_frames_are_what_the_page_draws(at, "nm_w2", lambda at, v: at.slider(key="nm_w2").set_value(v).run(), 1)
    at.slider(key="nm_w1").set_value(1.5).run()
    # w*₁'s frames now: as many as fit (9 at ~17 kB), its neighbours first, each the balls the page then draws
    # there (the other four as they are); the radius is down to its neighbours.
    frames = preview(at, "nm_w1")["frames"]
    assert [f["value"] for f in frames[:2]] == [1.4, 1.6] and len(frames) > 2 * NEAR
    assert len(preview(at, "nm_radius")["frames"]) == NEIGHBOUR_FRAMES
    values = assert_frames_are_what_the_page_draws(at, "nm_w1", lambda at, v: at.slider(key="nm_w1").set_value(v).run())
    assert values[:2] == [1.4, 1.6]
    at.slider(key="nm_angle").set_value(90.0).run()
    assert [f["value"] for f in preview(at, "nm_angle")["frames"][:2]] == [85.0, 95.0]
    assert_frames_are_what_the_page_draws(at, "nm_angle", lambda at, v: at.slider(key="nm_angle").set_value(v).run(), 2)
    angle = at.slider(key="nm_angle").value
    at.slider(key="nm_lam").set_value(1.0).run()  # another section's slider: the balls keep the angle's frames
    assert preview(at, "nm_angle")["current"] == angle
