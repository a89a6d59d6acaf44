"""Superposition: why SAEs exist. The toy model of Elhage et al. (2022), trained live."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import streamlit as st

from components.figure_view import show_figure
from components.live_session import job_controller
from components.live_view import ANIMATION_SECONDS, live_buttons, live_fragment, live_status
from components.page_state import ECHO_SECONDS, PageState
from components.path_nav import next_step_link
from components.presenter import presenting
from components.streamlit_internals import ensure_router
from components.slider_preview import frames_wanted, preview_frames, shown_json, slider_preview
from app_core.figures.superposition_figures import feature_arrows, feature_norms, gram_heatmap, loss_curve
from app_core.state.codec import grid
from app_core.state.superposition import DECAYS, FEATURE_COUNTS, PROBABILITIES, SuperpositionState
from app_core.live.superposition import ToyModelRun, ToyModelSnapshot
from app_core.live.superposition import KEPT_NORM
from app_core.page_jobs import superposition_job

ensure_router()

STEP_BUTTON_STEPS = 100

page = PageState.of(__file__)
# The toy model is ~10k multiply-adds per step: it does not queue for a share of the machine.
controller = job_controller("superposition")
state = page.load(echo_window=ECHO_SECONDS if controller.playing else 0.0)


def _train_what_the_state_says() -> None:
    """A new run whenever the data changed; it keeps playing if it was."""
    (config, make), playing = superposition_job(page.value), controller.playing
    if controller.configure_job(config, make, target_steps=config.steps) and playing:
        controller.play()


def _reset() -> None:
    config, make = superposition_job(page.value)
    controller.reset_job(config, make(), target_steps=config.steps)


def _settings() -> None:
    cols = st.columns([1.4, 1.2, 1])
    cols[0].select_slider("Feature probability p — how often each feature is non-zero", PROBABILITIES,
                          format_func=lambda v: f"{v:g}", **page.widget("p"),
                          help="Each feature is present with probability p, then uniform on [0, 1]. "
                               "p = 1: every feature in every input (dense). Small p: sparse.")
    cols[1].select_slider("Importance decay — each feature matters this much less than the one before", DECAYS,
                          format_func=lambda v: f"{v:g}", **page.widget("decay"),
                          help="The loss weighs feature i's reconstruction error by decay^(i−1): feature 1 by 1, "
                               "feature 2 by decay, and so on (1 = all equal).")
    cols[2].slider("Features n (squeezed into 2 dimensions)", *FEATURE_COUNTS, **page.widget("features"))


def _metrics(snap: ToyModelSnapshot) -> None:
    cols = st.columns(4)
    cols[0].metric("Step", f"{snap.step:,} / {snap.config.steps:,}")
    cols[1].metric("Features kept", f"{snap.kept} of {snap.config.n_features}",
                   help=f"A feature is kept when its column of W has length ≥ {KEPT_NORM:g} (kept ones settle "
                        "near 1, dropped ones near 0).")
    cols[2].metric("Hidden dimensions", f"{snap.config.d_hidden}")
    cols[3].metric("Loss", f"{snap.loss:.4f}", help="Importance-weighted MSE, Σᵢ Iᵢ(xᵢ − x′ᵢ)² averaged over "
                   "4,096 fixed inputs drawn like the training data.")


def _verdict(snap: ToyModelSnapshot) -> None:
    if snap.step < snap.config.steps:
        # Early on the count means little: random columns of W already have length ~0.75.
        st.info("Press **Play** and watch the arrows: which features get a direction of their own, which share, "
                "which shrink to nothing. The verdict comes when training ends.", icon=":material/play_arrow:")
    elif snap.in_superposition:
        filtered = "the negative biases filter" if (snap.b[snap.norms >= KEPT_NORM] < 0).all() else "the ReLU filters"
        st.success(f"**Superposition:** {snap.kept} features share {snap.config.d_hidden} dimensions. They overlap "
                   f"(off-diagonal WᵀW ≠ 0), and {filtered} the small interference.", icon=":material/hub:")
    else:
        st.warning(f"**No superposition:** the model keeps {snap.kept} feature(s), at most one per dimension, "
                   "and drops the rest. Lower p (sparser features) and press Reset.", icon=":material/block:")


def _figures(snap: ToyModelSnapshot) -> dict:
    """The live panel's charts, by key."""
    return {"sp_arrows": feature_arrows(snap.w), "sp_gram": gram_heatmap(snap.gram),
            "sp_norms": feature_norms(snap.norms, snap.b, KEPT_NORM), "sp_loss": loss_curve(snap.curve)}


CHARTS = ("sp_arrows", "sp_gram", "sp_norms", "sp_loss")
SLIDERS = ("features", "p", "decay")  # a move of one starts a new run
# Each slider's positions as its range input holds them: a select_slider's is the option's index.
_OPTIONS = {"p": PROBABILITIES, "decay": DECAYS}


def _positions(name: str) -> Sequence:
    return list(range(len(_OPTIONS[name]))) if name in _OPTIONS else grid(*FEATURE_COUNTS, 1)


def _position(state: SuperpositionState, name: str):
    value = getattr(state, name)
    return _OPTIONS[name].index(value) if name in _OPTIONS else value


@st.cache_resource(max_entries=64, show_spinner=False)
def _slider_frames(state: SuperpositionState, name: str, large: bool, max_frames: int | None) -> str:
    """The charts of a new run (what Reset shows) at the slider `name`'s other positions, for the browser to
    show as it moves (5–7 runs' pictures, 0.15–0.2 s the first time; at most `max_frames`)."""
    def at(position) -> dict:
        value = _OPTIONS[name][int(position)] if name in _OPTIONS else int(position)
        snap = ToyModelRun(replace(state, **{name: value}).config(), steps_per_second=None).snapshot()
        return {key: shown_json(fig, large) for key, fig in _figures(snap).items()}

    return preview_frames(_positions(name), _position(state, name), at, whole=True, max_frames=max_frames)


@live_fragment(controller, ANIMATION_SECONDS)
def live_panel(ticking: bool) -> None:
    snap = controller.tick()
    live_status(controller, snap, ticking, "Press Reset.")
    _metrics(snap)
    _verdict(snap)
    figures = _figures(snap)
    for row in (("sp_arrows", "sp_gram"), ("sp_norms", "sp_loss")):
        for key, where in zip(row, st.columns(2)):
            show_figure(figures[key], key, where=where)


def _what_an_sae_does() -> None:
    st.subheader("What an SAE does about it")
    st.markdown("The hidden vector **h = Wx** holds more features than it has dimensions, so no single hidden "
                "unit means one feature. A **sparse autoencoder** trained on such vectors learns an "
                "overcomplete dictionary — more latents than dimensions — with only a few active at a time, and "
                "so pulls the features back out, one latent each.")
    st.page_link("pages/train.py", label="Train an SAE on data like this", icon=":material/model_training:",
                 query_params=page.value.train_query())
    if page.value.train_query_clamped():
        st.caption("The Train page's toy data take a feature probability in 0.005–0.5 and an importance decay "
                   "in 0.9–1; the link uses the nearest values.")


st.title("Superposition: why SAEs exist")
st.markdown("Each input has **n features**; the model must squeeze them into **2 numbers**, h = Wx, and rebuild "
            "them as x′ = ReLU(WᵀW·x + b), caring most about the important ones (Elhage et al., 2022, *Toy Models "
            "of Superposition*). Dense features: it keeps the two most important, at right angles. Sparse "
            "features rarely occur together, so it can afford to store **all** of them in the plane — for five, "
            "a pentagon.")
page.warn_problems()
_settings()
_train_what_the_state_says()
live_buttons(controller, "sp", STEP_BUTTON_STEPS, on_reset=_reset)
live_panel(controller.playing)
_what_an_sae_does()
next_step_link("pages/superposition.py")
page.publish()
state = page.value
# Last: the frames take a few figures to make the first time, and the page is on screen meanwhile. None while the
# run plays: its own next picture, already on its way, would replace a frame and then be replaced in turn.
# All the frames that fit for the slider moved last (5–7 runs' pictures), the two nearest for the others. A frame
# is a new run's first picture whatever this one has reached, so Step and Reset leave the frames good (Play does
# not: the server's answer would be a playing run).
moved = page.moved_last(SLIDERS, first="features")
slots = {name: st.empty() for name in SLIDERS}  # each preview keeps its place on the page
for name in sorted(SLIDERS, key=lambda name: name != moved):  # the one moved last made first
    frames = "[]" if controller.playing else _slider_frames(state, name, presenting(), frames_wanted(name, moved))
    with slots[name]:
        slider_preview(page.key(name), CHARTS, _position(state, name), frames, key=f"sp_{name}_preview",
                       unaffected_by=("sp_step", "sp_reset"),
                       assumes={page.key(other): _position(state, other) for other in SLIDERS if other != name})
