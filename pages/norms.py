"""Sparsity and the L1 norm: a vector's L0, L1 and L2 live; why an L1 ball gives zeros and an L2 ball does
not; soft-thresholding, which is what an L1 penalty does to one latent."""

from __future__ import annotations

import streamlit as st

from components.figure_view import figure_downloads, show_figure
from components.page_state import PageState
from components.path_nav import next_step_link
from components.presenter import presenting
from components.streamlit_internals import ensure_router
from components.slider_preview import frames_wanted, preview_frames, shown_json, slider_preview
from components.vector_editor import vector_editor
from app_core.figures.norm_figures import (balls_figure, entry_labels, format_point, shrinkage_curve_figure,
                                           shrunk_vector_figure, vector_figure)
from app_core.wire import editor_wire, sequence
from sae_core.norms.constrained import Quadratic, solve_both
from sae_core.norms.shrinkage import KINDS, shrink
from sae_core.norms.vector import HELP, norms
from app_core.state import norms as ns
from app_core.state.codec import grid

ensure_router()

page = PageState.of(__file__)
EDITOR = "nm_vector"
_APPLIED = "nm_vector_applied"  # the editor's last value the page applied: applied once, its number echoed back
_PROBLEM = "nm_vector_problem"
# Figures are cached by their inputs, so a slider rebuilds only the figures that depend on it, and the browser
# redraws only those (an unchanged figure costs it next to nothing; a changed one up to ~100 ms on a busy
# 2-core machine). Streamlit only reads a figure, so sessions can share one object.
_cache = st.cache_resource(max_entries=128, show_spinner=False)


def _on_editor() -> None:
    """Apply the editor's latest value once; also reached without the callback (AppTest sets it)."""
    value = (st.session_state.get(EDITOR) or {}).get("value")
    if not sequence.is_new(value, st.session_state.get(_APPLIED)):
        return
    st.session_state[_APPLIED] = value
    try:
        state = editor_wire.from_editor(page.value, value)
    except ValueError as err:
        st.session_state[_PROBLEM] = f"The drag was ignored: {err}."
        return
    page.mark_move()
    page.set(state)


@_cache
def _vector_figure(entries: tuple[float, ...]):
    return vector_figure(entries, ns.ENTRY_RANGE)


@_cache
def _balls(w1: float, w2: float, angle: float, elongation: float, radius: float):
    """(figure, L1 solution, L2 solution) for one 2-D problem."""
    q = Quadratic.from_ellipse((w1, w2), angle, elongation)
    l1_sol, l2_sol = solve_both(q, radius)
    return balls_figure(q, radius, l1_sol, l2_sol), l1_sol, l2_sol


@_cache
def _curve_figure(lam: float, kind: str):
    return shrinkage_curve_figure(lam, kind)


@_cache
def _shrunk_figure(entries: tuple[float, ...], lam: float, kind: str):
    return shrunk_vector_figure(entries, lam, kind, ns.ENTRY_RANGE)


@_cache
def _balls_json(w1: float, w2: float, angle: float, elongation: float, radius: float, large: bool) -> dict:
    return shown_json(_balls(w1, w2, angle, elongation, radius)[0], large)


# Each of the balls section's sliders, its positions.
_BALLS_GRIDS = {"w1": grid(*ns.W_STAR_RANGE, ns.W_STAR_STEP), "w2": grid(*ns.W_STAR_RANGE, ns.W_STAR_STEP),
                "angle": grid(*ns.ANGLE_RANGE, ns.ANGLE_STEP),
                "elongation": grid(*ns.ELONGATION_RANGE, ns.ELONGATION_STEP),
                "radius": grid(*ns.RADIUS_RANGE, ns.RADIUS_STEP)}
BALLS_FIELDS = tuple(_BALLS_GRIDS)  # the balls section's sliders: λ's charts ignore them


@_cache
def _balls_frames(slider: str, w1: float, w2: float, angle: float, elongation: float, radius: float,
                  large: bool, max_frames: int | None) -> str:
    """The balls at other positions of one of the section's sliders, for the browser to show as it moves
    (9–17 figures, ~8 ms each, for the slider moved last; the two nearest for each of the others)."""
    now = dict(w1=w1, w2=w2, angle=angle, elongation=elongation, radius=radius)

    def balls_at(value: float) -> dict:
        at = now | {slider: value}
        return {"nm_balls_chart": _balls_json(at["w1"], at["w2"], at["angle"], at["elongation"], at["radius"], large)}

    return preview_frames(_BALLS_GRIDS[slider], now[slider], balls_at, max_frames=max_frames)


@_cache
def _curve_json(lam: float, kind: str, large: bool) -> dict:
    return shown_json(_curve_figure(lam, kind), large)


@_cache
def _shrunk_json(entries: tuple[float, ...], lam: float, kind: str, large: bool) -> dict:
    return shown_json(_shrunk_figure(entries, lam, kind), large)


@_cache
def _lam_frames(entries: tuple[float, ...], lam: float, kind: str, large: bool) -> str:
    """The shrinkage charts at the λ slider's other positions, for the browser to show as it moves."""
    return preview_frames(grid(*ns.LAMBDA_RANGE, ns.LAMBDA_STEP), lam,
                          lambda v: {"nm_curve_chart": _curve_json(v, kind, large),
                                     "nm_shrunk_chart": _shrunk_json(entries, v, kind, large)})


def _vector_section(state: ns.NormsState) -> None:
    st.subheader("L0, L1 and L2 of a vector")
    if problem := st.session_state.pop(_PROBLEM, None):
        st.error(problem)
    n = norms(state.entries)
    left, right = st.columns([1, 2.4])
    left.metric("L0 · non-zero entries", n.l0, help=HELP["l0"])
    left.metric("L1 · sum of magnitudes", f"{n.l1:.2f}", help=HELP["l1"])
    left.metric("L2 · length", f"{n.l2:.2f}", help=HELP["l2"])
    with right:
        vector_editor(state, entry_labels(ns.N_ENTRIES), key=EDITOR, on_change=_on_editor,
                      applied_seq=sequence.sequence_number(st.session_state.get(_APPLIED)), large=presenting())
    # Built only while its download menu is open: a drag's release need not make a Plotly figure nobody sees.
    figure_downloads(lambda: _vector_figure(state.entries), "nm_vector_chart", where=right)
    right.caption("Drag a bar up or down (on a touch screen, tap the height you want), or click it and use the "
                  "arrow keys (0 sets it to zero). Take an entry to 0: L0 drops by a whole 1 only when it gets there, "
                  "so L0 gives training no slope to follow. L1 falls steadily all the way, which is why SAEs penalise "
                  "L1 in its place; L2, built from squares, barely notices small entries.")


def _problem_controls() -> None:
    st.slider("w*₁ · unconstrained optimum", *ns.W_STAR_RANGE, step=ns.W_STAR_STEP, format="%.1f",
              **page.widget("w1"))
    st.slider("w*₂ · unconstrained optimum", *ns.W_STAR_RANGE, step=ns.W_STAR_STEP, format="%.1f",
              **page.widget("w2"))
    st.slider("Contours' angle (degrees)", *ns.ANGLE_RANGE, step=ns.ANGLE_STEP, format="%.0f°",
              help="Direction of the loss ellipses' long axis, from the w₁ axis.", **page.widget("angle"))
    st.slider("Contours' elongation", *ns.ELONGATION_RANGE, step=ns.ELONGATION_STEP, format="%.2f",
              help="Long axis ÷ short axis of each loss ellipse; 1 gives circles.", **page.widget("elongation"))
    st.slider("Radius t of both balls", *ns.RADIUS_RANGE, step=ns.RADIUS_STEP, format="%.2f",
              help="The budget: ‖w‖₁ ≤ t for the diamond, ‖w‖₂ ≤ t for the circle.", **page.widget("radius"))


def _zeros_text(n_zeros: int) -> str:
    return {0: "no coordinate is 0", 1: "one coordinate exactly 0"}.get(n_zeros, f"{n_zeros} coordinates exactly 0")


# Frames made once the whole page is drawn. The balls section reruns on its own with this run's globals, so it
# finds `_page_done` set and makes its frames at its own end.
_after_page: list = []
_page_done = False


@st.fragment
def _balls_section() -> None:
    """A fragment: its sliders rerun only this section (the other figures do not depend on them)."""
    state = page.value
    st.subheader("Why L1 gives zeros: the L1 and L2 balls against a least-squares loss")
    left, right = st.columns([1, 1.9])
    with left:
        _problem_controls()
    figure, l1_sol, l2_sol = _balls(state.w1, state.w2, state.angle, state.elongation, state.radius)
    left.metric("L1 solution", format_point(l1_sol.w), _zeros_text(l1_sol.n_zeros), delta_color="off",
                delta_arrow="off", help="argmin L(w) subject to ‖w‖₁ ≤ t. A 0 here is exactly zero: on the ball's edge, a corner.")
    left.metric("L2 solution", format_point(l2_sol.w), _zeros_text(l2_sol.n_zeros), delta_color="off",
                delta_arrow="off", help="argmin L(w) subject to ‖w‖₂ ≤ t.")
    show_figure(figure, "nm_balls_chart", where=right)
    right.caption(
        "Least squares, L(w) = ½(w − w*)ᵀH(w − w*), minimised inside each ball (the constrained form; a penalty "
        "λ‖w‖ gives the same answers for a matching λ). The answer is where the lowest contour first touches the "
        "ball (dashed). The diamond's corners stick out towards most contours, so for a wide range of w* the touch "
        "is a corner, where a coordinate is exactly 0; the round L2 ball has no corners, so it almost never is."
    )
    page.publish()  # a fragment rerun ends here, not at the page's end
    holder = st.container()
    moved = page.moved_last(BALLS_FIELDS, first="radius")

    def balls_preview() -> None:
        with holder:
            slots = {name: st.empty() for name in BALLS_FIELDS}  # each preview keeps its place on the page
        for slider in sorted(BALLS_FIELDS, key=lambda name: name != moved):  # the one moved last made first
            frames = _balls_frames(slider, state.w1, state.w2, state.angle, state.elongation, state.radius,
                                   presenting(), frames_wanted(slider, moved))
            with slots[slider]:
                slider_preview(page.key(slider), ("nm_balls_chart",), getattr(state, slider), frames,
                               key=f"nm_{slider}_preview", unaffected_by=(EDITOR, page.key("lam"), page.key("shrink")),
                               assumes={page.key(other): getattr(state, other) for other in BALLS_FIELDS
                                        if other != slider})

    if _page_done:
        balls_preview()  # this section's own rerun: its end
    else:
        _after_page.append(balls_preview)  # a full run: after the sections below are drawn


def _shrinkage_section(state: ns.NormsState) -> None:
    st.subheader("Soft-thresholding: what the L1 penalty does to each latent")
    top = st.columns([1.5, 1.3, 0.6, 0.6])
    top[0].slider("L1 penalty λ", *ns.LAMBDA_RANGE, step=ns.LAMBDA_STEP, format="%.2f", **page.widget("lam"))
    top[1].radio("Shrinkage", ns.SHRINK_KINDS, format_func=KINDS.get, **page.widget("shrink"))
    before, after = norms(state.entries), norms(shrink(state.entries, state.lam, state.shrink))
    metrics = top[2:]
    metrics[0].metric("L0 after shrinkage", after.l0, after.l0 - before.l0, delta_color="off",
                      help=HELP["l0"] + f" Before: {before.l0}.")
    metrics[1].metric("L1 after shrinkage", f"{after.l1:.2f}", f"{after.l1 - before.l1:.2f}", delta_color="off",
                      help=HELP["l1"] + f" Before: {before.l1:.2f}.")
    left, right = st.columns(2)
    show_figure(_curve_figure(state.lam, state.shrink), "nm_curve_chart", where=left)
    show_figure(_shrunk_figure(state.entries, state.lam, state.shrink), "nm_shrunk_chart", where=right)
    st.caption(
        "For one latent, the value f closest to its input z once every unit of |f| costs λ — the minimiser of "
        "½(f − z)² + λ|f| — is sign(z)·max(|z| − λ, 0): within λ of zero it is exactly 0, beyond it comes back λ "
        "smaller. A ReLU + L1 SAE's latents cannot go negative, so it gets max(z − λ, 0) = ReLU(w·x + b − λ): the "
        "penalty acts on a latent like lowering its encoder bias by λ, and training with it pushes the biases down."
    )


# --- page ----------------------------------------------------------------------------------------

page.load()
_on_editor()
state = page.value
st.title("Sparsity and the L1 norm")
st.markdown(
    "A sparse autoencoder wants each input explained by a few latents: a code with many entries **exactly 0**. "
    "Counting the non-zeros (L0) gives no gradient to train with, so the classic SAE penalises the L1 norm "
    "instead. This page shows why that produces zeros."
)
page.warn_problems()
_vector_section(state)
_balls_section()
_shrinkage_section(page.value)
st.divider()
st.page_link("pages/sparsity.py", label="See λ at work in a live ReLU + L1 SAE: Sparsity trade-off",
             icon=":material/tune:")
next_step_link("pages/norms.py")
page.publish()
# Last: the frames take a few dozen figures to make the first time, and the page is on screen meanwhile.
state = page.value
slider_preview(page.key("lam"), ("nm_curve_chart", "nm_shrunk_chart"), state.lam,
               _lam_frames(state.entries, state.lam, state.shrink, presenting()), key="nm_lam_preview",
               unaffected_by=[page.key(name) for name in BALLS_FIELDS])
for make in _after_page:
    make()
_page_done = True
