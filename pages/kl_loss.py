"""KL as a loss: fit one Gaussian Q to a two-mode target P by gradient steps, forward, reverse or JS."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from components.figure_view import show_figure
from components.live_session import job_controller
from components.live_view import ANIMATION_SECONDS, live_buttons, live_fragment, live_status
from components.marker_drag import marker_drag
from components.page_state import ECHO_SECONDS, PageState
from components.path_nav import next_step_link
from components.presenter import presenting
from components.streamlit_internals import ensure_router
from components.slider_preview import frames_wanted, preview_frames, shown_json, slider_preview
from app_core.live.fit_live import FitRun, FitSnapshot, cached_landscape
from app_core.page_jobs import kl_loss_job
from sae_core.divergence.fitting import DEFAULT_STEPS as FIT_STEPS
from app_core.figures.fit_figures import densities_figure, landscape_figure
from app_core.state.codec import grid
from app_core.state.kl_loss import (DIRECTION_LABELS, LANDSCAPE_SIGMAS, LEFT_RANGE, LEFT_STEP, MU_RANGE, MU_STEP,
                                    SEPARATION_RANGE, SEPARATION_STEP, SIGMA_RANGE, SIGMA_STEP, WIDTH_RANGE,
                                    WIDTH_STEP, KLLossState, start_grid)

ensure_router()

STEP_BUTTON_STEPS = 20
USES = {
    "t-SNE": "places points in 2-D by minimising KL(P‖Q) between neighbour distributions in the data (P) and on "
             "the map (Q): forward KL, so a neighbour that the map pulls apart costs a lot.",
    "VAEs": "add KL(q(z|x)‖N(0, I)) to the reconstruction loss, keeping each input's code distribution close to "
            "a standard Gaussian so that the space between codes can be sampled.",
    "GANs": "in the original formulation, an optimal discriminator turns the generator's loss into "
            "2·JS(P_data, P_model) − log 4: Jensen–Shannon, finite even where the two do not overlap — but flat "
            "there, at ln 2, so it gives no gradient: with separation 0, width 0.3 and Q starting at μ₀ = −6, "
            "σ₀ = 0.3, JS leaves Q where it is while both KLs bring it home.",
}

page = PageState.of(__file__)
# A 1-D fit is a few sums over a 2,001-point grid per step: it does not queue for a share of the machine.
controller = job_controller("kl_loss")
state = page.load(echo_window=ECHO_SECONDS if controller.playing else 0.0)


def _train_what_the_state_says() -> None:
    """A new fit whenever P, the divergence or the start changed; it keeps playing if it was."""
    (setup, make), playing = kl_loss_job(page.value), controller.playing
    if controller.configure_job(setup, make, target_steps=FIT_STEPS):
        if playing:
            controller.play()


def _reset() -> None:
    setup, make = kl_loss_job(page.value)
    controller.reset_job(setup, make(), target_steps=FIT_STEPS)


def _settings() -> None:
    st.radio("Minimise", tuple(DIRECTION_LABELS), format_func=DIRECTION_LABELS.get, horizontal=True,
             **page.widget("direction"))
    target, start = st.columns(2)
    with target:
        st.markdown("**Target P**: two Gaussian modes")
        cols = st.columns(3)
        cols[0].slider("Separation", *SEPARATION_RANGE, step=SEPARATION_STEP, **page.widget("separation"),
                       help="Distance between the two modes' centres.")
        cols[1].slider("Left mode's weight", *LEFT_RANGE, step=LEFT_STEP, **page.widget("left"))
        cols[2].slider("Width σ of each mode", *WIDTH_RANGE, step=WIDTH_STEP, **page.widget("width"))
    with start:
        st.markdown("**Where Q starts**: set it here, drag Q's starting point on the landscape, or click anywhere "
                    "on it; then press Play")
        cols = st.columns(2)
        cols[0].slider("Start mean μ₀", *MU_RANGE, step=MU_STEP, **page.widget("mu0"))
        cols[1].slider("Start sd σ₀", *SIGMA_RANGE, step=SIGMA_STEP, **page.widget("sigma0"))


def _signed(value: float) -> str:
    return f"{round(value, 3) + 0.0:.3f}"  # + 0.0: no "−0.000" for a mean that is zero to three places


def _metrics(snap: FitSnapshot) -> None:
    target = page.value.target()
    cols = st.columns(4)
    cols[0].metric("Step", f"{snap.step} / {snap.total_steps}")
    cols[1].metric("Mean μ of Q", _signed(snap.mu), help=f"P's mean is {_signed(target.mean())}.")
    cols[2].metric("Sd σ of Q", f"{snap.sigma:.3f}", help=f"P's standard deviation is {target.sd():.3f}.")
    cols[3].metric(f"{DIRECTION_LABELS[snap.direction].split(' —')[0]}", f"{snap.loss:.4f} nats",
                   help="The divergence being minimised, between P and Q as they are now (grid sum over x).")


def _on_drop(mu: float, sigma: float) -> None:
    """A start chosen on the landscape (dragged there, or clicked): Q starts from there."""
    page.mark_move()
    page.set(page.value.with_start(mu, sigma))


def _on_pick() -> None:
    """A click on the landscape: start Q from the picked (μ₀, σ₀)."""
    points = st.session_state["kll_landscape"]["selection"]["points"]
    if points:
        _on_drop(float(points[0]["x"]), float(points[0]["y"]))
        st.session_state["kll_picked"] = True


def _figures(s: KLLossState, snap: FitSnapshot) -> dict:
    """The live panel's charts, by key: P against Q, and the landscape with Q's path."""
    target = s.target()
    lo, hi = target.support()
    lo, hi = min(lo, s.mu0 - 3 * s.sigma0), max(hi, s.mu0 + 3 * s.sigma0)  # Q's start stays in view
    x_range = (max(lo, MU_RANGE[0] - 2), min(hi, MU_RANGE[1] + 2))
    land = cached_landscape(target, s.direction, MU_RANGE, LANDSCAPE_SIGMAS)
    return {"kll_densities": densities_figure(target, snap.mu, snap.sigma, s.start, x_range),
            "kll_landscape": landscape_figure(land, snap.path, (target.mean(), target.sd()),
                                              DIRECTION_LABELS[s.direction].split(" —")[0], starts=start_grid())}


@st.cache_resource(max_entries=256, show_spinner=False)
def _start_figures(s: KLLossState, large: bool) -> dict:
    """The charts of a new fit from `s.start`, before its first step (what Reset shows), as shown."""
    snap = FitRun(s.target(), s.direction, s.start).snapshot()
    return {key: shown_json(fig, large) for key, fig in _figures(s, snap).items()}


_shown: dict = {}  # the panel's charts as this run drew them, for the start sliders' frames


@live_fragment(controller, ANIMATION_SECONDS)
def live_panel(ticking: bool) -> None:
    snap = controller.tick()
    live_status(controller, snap, ticking, "Press Reset.")
    _metrics(snap)
    s = page.value
    figures = _shown["figures"] = _figures(s, snap)
    left, right = st.columns(2)
    show_figure(figures["kll_densities"], "kll_densities", where=left)
    show_figure(figures["kll_landscape"], "kll_landscape", where=right, on_select=_on_pick, selection_mode="points")
    if st.session_state.pop("kll_picked", False):
        st.rerun(scope="app")  # the sliders and the fit outside this fragment follow the picked start


# The target's sliders, each with its positions. A move of one starts a new fit from the same start.
_TARGET_GRIDS = {"separation": grid(*SEPARATION_RANGE, SEPARATION_STEP), "left": grid(*LEFT_RANGE, LEFT_STEP),
                 "width": grid(*WIDTH_RANGE, WIDTH_STEP)}


def _previews() -> None:
    """The sliders' frames: the charts of a new fit from each nearby setting (a start, or a target: each
    position of a target costs a landscape, ~45 ms with its figures, so the target slider moved last gets all
    that fit and the other two their neighbours). Only while the fit is paused: a playing fit's next picture,
    already on its way, would replace a frame and then be replaced in turn, so a move waits for the server (the
    charts dimmed)."""
    s, large, figures = page.value, presenting(), _shown.get("figures")
    paused = figures is not None and not controller.playing
    on_screen = {key: shown_json(fig, large) for key, fig in figures.items()} if paused else {}
    charts = ("kll_densities", "kll_landscape")
    moved = page.moved_last(tuple(_TARGET_GRIDS), first="separation")
    grids = {"mu0": grid(*MU_RANGE, MU_STEP), "sigma0": grid(*SIGMA_RANGE, SIGMA_STEP), **_TARGET_GRIDS}
    slots = {name: st.empty() for name in grids}  # each preview keeps its place on the page
    for name in sorted(grids, key=lambda name: name in _TARGET_GRIDS and name != moved):  # the neighbours last
        current = getattr(s, name)
        max_frames = frames_wanted(name, moved) if name in _TARGET_GRIDS else None
        frames = preview_frames(grids[name], current, lambda v: _start_figures(replace(s, **{name: v}), large),
                                on_screen=on_screen, max_frames=max_frames) if paused else "[]"
        with slots[name]:
            slider_preview(page.key(name), charts, current, frames, key=f"kll_{name}_preview",
                           assumes={page.key(other): getattr(s, other) for other in grids if other != name})


st.title("KL as a loss: forward vs reverse")
st.markdown("A divergence can be **minimised**: fit one Gaussian Q to a target P by gradient steps on its mean and "
            "width. **Forward** KL(P‖Q) punishes Q for missing any of P's mass, so Q spreads over both modes "
            "(it ends at P's mean and standard deviation). **Reverse** KL(Q‖P) punishes Q for putting mass where "
            "P has none, so Q locks onto one mode — which one depends on where it starts. JS sits between.")
page.warn_problems()
_settings()
_train_what_the_state_says()
live_buttons(controller, "kll", STEP_BUTTON_STEPS, on_reset=_reset)
live_panel(controller.playing)
st.subheader("Where KL is used as a loss")
for name, text in USES.items():
    st.markdown(f"**{name}** {text}")
next_step_link("pages/kl_loss.py")
page.publish()
marker_drag("kll_landscape", "start", key="kll_start_drag", x_range=MU_RANGE, x_step=MU_STEP, y_range=SIGMA_RANGE,
            y_step=SIGMA_STEP, on_drop=_on_drop, follows=("start", "Q now"), clears=("Q's path",))
_previews()  # last: the frames take a few figures to make, and the page is on screen meanwhile
