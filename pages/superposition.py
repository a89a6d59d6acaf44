"""Superposition: why SAEs exist. The toy model of Elhage et al. (2022), trained live."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from components.interactive_figure import Chart, Slider, interactive_figure, patches_wanted, slider_patches, take_move
from components.live_session import job_controller
from components.live_view import ANIMATION_SECONDS, live_buttons, live_fragment, live_status
from components.page_state import ECHO_SECONDS, PageState
from components.path_nav import next_step_link
from components.presenter import presenting, scene_leaves_out, slide_scale
from components.streamlit_internals import ensure_router
from app_core.figures.superposition_figures import feature_arrows, feature_norms, gram_heatmap, loss_curve
from app_core.figures.slider_patches import plain
from app_core.figures.projector import for_projector
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


FIGURE = "sp_figure"  # the sliders and the live panel's charts, one interactive figure
CHARTS = ("sp_arrows", "sp_gram", "sp_norms", "sp_loss")
DESCRIPTIONS = {"sp_arrows": "Each feature's direction in the 2-D hidden space (the columns of W)",
                "sp_gram": "WᵀW: how much each feature's direction overlaps each other's",
                "sp_norms": "Each feature's length and bias: kept features near 1, dropped near 0",
                "sp_loss": "The training loss so far"}
SLIDERS = ("p", "decay", "features")  # a move of one starts a new run
OPTIONS = {"p": PROBABILITIES, "decay": DECAYS, "features": tuple(range(FEATURE_COUNTS[0], FEATURE_COUNTS[1] + 1))}
_MOVED = "sp_figure_moved"  # a move carried out in the live panel's own rerun: the page's must follow


def _slider(state: SuperpositionState, name: str) -> Slider:
    index = OPTIONS[name].index(getattr(state, name))
    if name == "p":
        return Slider("Feature probability p — how often each feature is non-zero", PROBABILITIES, index,
                      help="Each feature is present with probability p, then uniform on [0, 1]. p = 1: every "
                           "feature in every input (dense). Small p: sparse.",
                      labels=[f"{v:g}" for v in PROBABILITIES], name="p")
    if name == "decay":
        return Slider("Importance decay — each feature matters this much less than the one before", DECAYS, index,
                      help="The loss weighs feature i's reconstruction error by decay^(i−1): feature 1 by 1, "
                           "feature 2 by decay, and so on (1 = all equal).",
                      labels=[f"{v:g}" for v in DECAYS], name="decay")
    return Slider("Features n (squeezed into 2 dimensions)", OPTIONS["features"], index, name="features")


def _moved(values: dict, moved: str) -> None:
    page.record_move(moved)
    page.set(replace(page.value, **values))
    st.session_state[_MOVED] = True


def _as_shown(fig, scale: float | None):
    return fig if scale is None else for_projector(fig, scale)


@st.cache_resource(max_entries=64, show_spinner=False)
def _slider_patches(state: SuperpositionState, name: str, scale: float | None, max_patches: int | None) -> str:
    """The charts of a new run (what Reset shows) at the slider `name`'s other options, for the browser to draw
    as it moves: whole figures, which fit whatever the run has reached (at most `max_patches`)."""
    def at(index: int) -> dict:
        snap = ToyModelRun(replace(state, **{name: OPTIONS[name][index]}).config(), steps_per_second=None).snapshot()
        return {key: plain(_as_shown(fig, scale)) for key, fig in _figures(snap).items()}

    return slider_patches(_slider(state, name), at, None, max_patches)


@live_fragment(controller, ANIMATION_SECONDS)
def live_panel(ticking: bool) -> None:
    take_move(FIGURE, OPTIONS, _moved)  # a move reruns this panel alone, and its callback did not run (Streamlit 1.67)
    if st.session_state.pop(_MOVED, False):
        st.rerun(scope="app")  # a new run, its URL and the Train link follow the move
    snap = controller.tick()
    live_status(controller, snap, ticking, "Press Reset.")
    _metrics(snap)
    _verdict(snap)
    state, scale = page.value, slide_scale() if presenting() else None
    figures = _figures(snap)
    charts = [Chart(key, _as_shown(figures[key], scale), DESCRIPTIONS[key]) for key in CHARTS]
    # None while the run plays: its own next picture, already on its way, would replace a patch and then be
    # replaced in turn. The slider moved last gets all the patches that fit, the others their nearest.
    moved = page.moved_last(SLIDERS, first="features")
    patches = {} if controller.playing else {
        name: _slider_patches(state, name, scale, patches_wanted(name, moved)) for name in SLIDERS}
    interactive_figure(charts, [_slider(state, name) for name in SLIDERS], key=FIGURE, on_move=_moved,
                       patches=patches, columns=2, downloads=scale is None,
                       hidden=scene_leaves_out(CHARTS, {page.key(name): name for name in SLIDERS}))


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
take_move(FIGURE, OPTIONS, _moved)
st.session_state.pop(_MOVED, None)  # this whole run carries the move out
_train_what_the_state_says()
live_buttons(controller, "sp", STEP_BUTTON_STEPS, on_reset=_reset)
live_panel(controller.playing)
_what_an_sae_does()
next_step_link("pages/superposition.py")
page.publish()
