"""Autoencoders: a bottleneck one and a sparse one, trained live side by side on the same digits."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from components.figure_view import show_figure
from components.interactive_figure import Chart, Slider, interactive_figure, slider_patches, take_move
from components.image_view import show_image
from components.live_session import job_controller
from components.live_view import live_buttons, live_fragment, live_status
from components.page_state import ECHO_SECONDS, PageState
from components.path_nav import next_step_link
from components.presenter import presenting, slide_scale
from components.streamlit_internals import ensure_router
from components.shared_data import shared_dataset
from sae_core.data.probes import one_per_label, probe_names
from sae_core.evaluation.metrics import HELP
from app_core.figures.autoencoder_figures import code_heatmap, code_sizes_figure
from app_core.figures.slider_patches import plain
from app_core.figures.projector import for_projector
from app_core.figures.images import tile
from app_core.state.autoencoders import L1_VALUES, PROBES, SPARSE_LATENTS, WIDTHS, AutoencodersState

ensure_router()

STEP_BUTTON_STEPS = 25

page = PageState.of(__file__)
controller = job_controller("autoencoders")
state = page.load(echo_window=ECHO_SECONDS if controller.playing else 0.0)
data = shared_dataset("mnist")


def _setup(s: AutoencodersState) -> tuple:
    return data.name, s.seed  # what both models share; each one's own setting moves on the pair (_move_settings)


def _make_job():
    from app_core.live.pair import PairRun  # torch: loaded only once somebody trains

    s = page.value
    return PairRun(data, s.width, s.l1, SPARSE_LATENTS, s.seed, probes=PROBES)


PENDING = "ae_pending_press"


def _prepare(action, *args) -> bool:
    """Before Play or Step: keep the press for the script, which carries it out where it can show progress,
    when there is no pair yet (building it the first time loads and warms PyTorch: several seconds) or when it
    is a Step (both models train on this thread: over a second on a busy server)."""
    if controller.has_run and action != controller.step:
        return True
    st.session_state[PENDING] = (action, args)
    return False


def _carry_out_a_pending_press() -> None:
    pending = st.session_state.pop(PENDING, None)
    if pending is None:
        return
    action, args = pending
    first = not controller.has_run
    if first:
        with st.spinner("Building both autoencoders (the first time on this server it also loads PyTorch: a few "
                        "seconds)…"):
            controller.configure_job(_setup(page.value), _make_job)
    if action == controller.step:
        with st.spinner(f"Training both autoencoders {args[0]} steps…"):
            action(*args)
    else:
        action(*args)
    if first:
        st.rerun()  # the redraw timer is set as the panel is defined, above: this run defined it paused


def _follow_the_state() -> None:
    """Once training has begun: a new pair when the seed changed (it keeps playing if it was); a new width
    starts the bottleneck alone afresh, and a new λ goes to the sparse model as it trains."""
    if not controller.has_run:
        return
    s, playing = page.value, controller.playing
    if controller.configure_job(_setup(s), _make_job):
        if playing:
            controller.play()
    else:
        controller.adjust(lambda job: _move_settings(job, s))


def _move_settings(job, s: AutoencodersState) -> bool:
    width = job.set_width(s.width)
    return job.set_l1(s.l1) or width


def _reset() -> None:
    if controller.has_run:
        controller.reset_job(_setup(page.value), _make_job())


def _settings() -> None:
    st.select_slider(f"L1 coefficient λ of the sparse autoencoder ({SPARSE_LATENTS} latents)", L1_VALUES,
                     format_func=lambda v: f"{v:g}", **page.widget("l1"),
                     help="Loss = ‖x − x̂‖² + λ·‖f‖₁. Larger λ: fewer latents fire. Acts while it trains.")


def _model_column(picture, title: str, x, names, image_shape) -> None:
    st.markdown(f"#### {title}")
    now = picture.now
    cols = st.columns(3)
    cols[0].metric(f"L0 · active of {picture.latents}", f"{now.l0:.1f}", help=HELP["l0"])
    cols[1].metric("Explained variance", f"{now.fve:.1%}", help=HELP["fve"])
    cols[2].metric("MSE per pixel", f"{now.mse:.4f}", help=HELP["mse"])
    show_image(tile(list(x) + list(picture.x_hat), image_shape, cols=len(x), per_image=False),
               f"ae_recon_{picture.arch}", caption="inputs (top) and reconstructions (bottom)", live=True)
    show_figure(code_heatmap(picture.f, names, f"Codes: {picture.latents} numbers per input"), f"ae_code_{picture.arch}")
    shown = len(picture.atoms)
    show_image(tile(picture.atoms, image_shape, cols=16 if shown > 16 else shown, signed=True),
               f"ae_atoms_{picture.arch}", live=True,
               caption=f"Decoder atoms ({'all ' + str(shown) if shown == picture.latents else f'the {shown} most used'}; "
                       "red positive, blue negative)")


def _sizes_figure(pixels: int, width: int, scale: float | None):
    """The sizes chart, in the projector's style at the slide's `scale` while presenting (else None)."""
    fig = code_sizes_figure(pixels, width, SPARSE_LATENTS)
    return fig if scale is None else for_projector(fig, scale)


@st.cache_resource(max_entries=32, show_spinner=False)
def _width_patches(pixels: int, width: int, scale: float | None) -> str:
    """The sizes chart at the width slider's other options, for the browser to draw as it moves. The training
    panel follows through the server: a new width is a new bottleneck model."""
    return slider_patches(_width_slider(width), lambda i: {"ae_sizes": plain(_sizes_figure(pixels, WIDTHS[i], scale))},
                          {"ae_sizes": plain(_sizes_figure(pixels, width, scale))})


def _width_slider(width: int) -> Slider:
    return Slider("Bottleneck width — latents of the bottleneck autoencoder", WIDTHS, WIDTHS.index(width),
                  help="Fewer latents than the 784 pixels: the code must be a compressed summary.", name="width")


def _width_moved(values: dict, moved: str) -> None:
    page.mark_move()
    page.set(replace(page.value, width=values["width"]))


def _sizes(pixels: int) -> None:
    """The sizes chart with the width slider that draws it."""
    width, scale = page.value.width, slide_scale() if presenting() else None
    chart = Chart("ae_sizes", _sizes_figure(pixels, width, scale), "Numbers per input, in and out of each autoencoder")
    interactive_figure(chart, _width_slider(width), key="ae_sizes", on_move=_width_moved,
                       patches={"width": _width_patches(pixels, width, scale)}, downloads=scale is None)


def _before_training() -> None:
    idx = one_per_label(data, PROBES)
    show_image(tile(data.x[idx], data.image_shape, cols=len(idx), zoom=3, per_image=False), "ae_probes",
               caption=", ".join(probe_names(data, idx)), width=420)
    st.info("Press **Play** to train both autoencoders on the same 5,000 MNIST digits (the first press loads "
            "PyTorch, a few seconds).", icon=":material/play_arrow:")


@live_fragment(controller)
def live_panel(ticking: bool) -> None:
    if not controller.has_run:
        _before_training()
        return
    snap = controller.tick()
    live_status(controller, snap, ticking, "Press Reset, or lower λ.")
    if snap.bottleneck.step == snap.sparse.step:
        st.caption(f"Step {snap.step:,} — both models have taken the same steps on the same batches of digits.")
    else:
        st.caption(f"Step {snap.step:,} — the bottleneck started afresh at {snap.bottleneck.latents} latents when "
                   f"its width changed and has taken {snap.bottleneck.step:,} steps since; the sparse model trained "
                   "on.")
    left, right = st.columns(2)
    with left:
        _model_column(snap.bottleneck, f"Bottleneck: {snap.bottleneck.latents} latents", snap.x, snap.names,
                      snap.image_shape)
    with right:
        _model_column(snap.sparse, f"Sparse: {snap.sparse.latents} latents, λ = {snap.l1:g}", snap.x, snap.names,
                      snap.image_shape)


st.title("Autoencoders: bottleneck vs sparse")
st.markdown("An **autoencoder** has an *encoder* that turns an input into a code and a *decoder* that rebuilds the "
            "input from it, x̂ = W_dec·f + b_dec — lossy compression, learned. A **bottleneck** autoencoder makes "
            "the code *short*: every number in it carries part of every digit. A **sparse** autoencoder makes it "
            "*long* — more latents than pixels would even be allowed — but lets only a few be non-zero, so each "
            "latent can stand for one thing.")
page.warn_problems()
take_move("ae_sizes", {"width": WIDTHS}, _width_moved)
_settings()
# Drawn before training too. It loads the component's own plotly.js: the code heatmaps (st.plotly_chart) still
# load Streamlit's copy once training begins, which delays the first pictures after Play until they move too.
_sizes(data.x.shape[1])
_follow_the_state()
_carry_out_a_pending_press()
live_buttons(controller, "ae", STEP_BUTTON_STEPS, on_reset=_reset, prepare=_prepare)
live_panel(controller.playing)
next_step_link("pages/autoencoders.py")
page.publish()
