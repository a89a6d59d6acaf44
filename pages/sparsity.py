"""Sparsity trade-off: train an SAE live and move the L1 or KL sliders while it learns."""

from __future__ import annotations

import streamlit as st

from components.figure_view import show_figure
from components.image_view import show_image
from components.live_view import live_buttons, live_fragment, live_status, redraw_period
from components.page_state import ECHO_SECONDS, PageState
from components.streamlit_internals import ensure_router
from components.background_work import frontier_store
from components.sae_session import live_controller, set_current_model, shared_dataset
from sae_core.data import BUILTIN
from sae_core.evaluation.metrics import DEAD_HELP, HELP
from app_core.figures.images import tile
from app_core.figures.penalty_figures import kl_penalty_figure
from app_core.figures.sae_figures import activation_bars, cosine_heatmap, live_curves, tradeoff_plane
from app_core.live import LiveSnapshot
from sae_core.models import LABELS, spec_of
from app_core.state.hparams import LEARNING_RATES
from app_core.state.tradeoff import ARCHS, DATASETS, LATENTS, TradeoffState
from app_core.frontier_store import SETUPS as FRONTIER_SETUPS

ensure_router()

STEP_BUTTON_STEPS = 50

page = PageState.of(__file__)
controller = live_controller("tradeoff")
state = page.load(echo_window=ECHO_SECONDS if controller.playing else 0.0)


def _what_to_train() -> tuple:
    """(setup, data, hyperparameters) that the page's state asks for."""
    s = page.value
    data = shared_dataset(s.data)
    return s.run_setup(), data, s.hparams(data.kind)


def _train_what_the_state_says() -> None:
    """A new run when data, model, size or seed changed; otherwise the same run with the new knobs."""
    controller.configure(*_what_to_train())


def _reset() -> None:
    controller.reset(*_what_to_train())


def _explore() -> None:
    controller.pause()
    set_current_model(controller.trained_model("the Sparsity trade-off page"))


def _knob_sliders(s: TradeoffState) -> None:
    knobs = spec_of(s.arch).knobs
    for col, knob in zip(st.columns(len(knobs)), knobs):
        col.select_slider(knob.label + (" (log scale)" if knob.log else ""), knob.values, help=knob.help,
                          format_func=lambda v: f"{v:g}", **page.widget(knob.param))


def _settings() -> None:
    top = st.columns([1.3, 1.2, 0.8])
    top[0].radio("Data", DATASETS, format_func=BUILTIN.get, horizontal=True, **page.widget("data"))
    top[1].radio("Model", ARCHS, format_func=LABELS.get, horizontal=True, **page.widget("arch"))
    top[2].selectbox("Latents", LATENTS[page.value.data], help="Dictionary size d_sae.", **page.widget("latents"))
    _knob_sliders(page.value)
    if page.value.arch == "kl":
        st.caption("Sigmoid units are never exactly zero, so this model is **dense**: every latent takes part in "
                   "every reconstruction and L0 is the whole dictionary. The KL penalty makes each latent's "
                   "*average* output ρ̂ small, not its outputs zero — compare ReLU + L1, whose latents are exactly "
                   "zero most of the time.")
    with st.expander("Learning rate and seed"):
        cols = st.columns(2)
        cols[0].select_slider("Learning rate (Adam)", (None, *LEARNING_RATES), **page.widget("lr"),
                              format_func=lambda v: "preset for the data" if v is None else f"{v:g}")
        cols[1].number_input("Seed", 0, 10_000, help="Initial weights, evaluation inputs and batch order.",
                             **page.widget("seed"))


st.title("Sparsity trade-off")
st.markdown(
    "Press **Play** and watch a sparse autoencoder learn. Then raise the sparsity penalty *while it trains*: "
    "fewer latents fire (L0 falls) and reconstruction gets worse (MSE rises). Each time you move a slider "
    "the point you reached is pinned on the plane, so the trade-off curve draws itself."
)
page.warn_problems()
_settings()
_train_what_the_state_says()
live_buttons(controller, "so", STEP_BUTTON_STEPS, on_reset=_reset, extra=[
    dict(label="Pin point", key="so_pin", on_click=controller.pin, icon=":material/push_pin:",
         help="Mark the current (L0, MSE) on the plane."),
    dict(label="Open in feature explorer", key="so_explore", on_click=_explore, icon=":material/travel_explore:"),
])


def _metrics(snap: LiveSnapshot) -> None:
    now = snap.now
    cols = st.columns(6)
    cols[0].metric("Step", f"{now.step:,}")
    cols[1].metric("L0 · active latents", f"{now.l0:.1f}",
                   help=f"{HELP['l0']} A latent fires when {spec_of(snap.arch).firing}.")
    cols[2].metric("Dead latents", "—" if now.dead_fraction is None else f"{100 * now.dead_fraction:.0f}%",
                   help=DEAD_HELP)
    cols[3].metric("MSE per dimension", f"{now.mse:.4f}", help=HELP["mse"] + f" Here: {now.mse_per_sample:.3f} per sample.")
    cols[4].metric("Explained variance", f"{now.fve:.1%}", help=HELP["fve"])
    if snap.has_truth:
        cols[5].metric("MMCS", f"{now.mmcs:.3f}", help=HELP["mmcs"])
    elif snap.arch == "kl":
        cols[5].metric("Mean firing ρ̂", f"{now.mean_activation:.3f}", help=f"The mean over latents of ρ̂ⱼ, each latent's average sigmoid output; target ρ = {snap.hp.rho:g}.")
    else:
        cols[5].metric("Shrinkage ‖x̂‖/‖x‖", f"{now.shrinkage:.2f}",
                       help=HELP["shrinkage"])


def _planes(snap: LiveSnapshot, data_key: str) -> None:
    left, right = st.columns(2)
    show_figure(live_curves(snap.curve, show_mmcs=snap.has_truth), "so_curves", where=left)
    reference, caveat = _reference(snap, data_key)
    show_figure(tradeoff_plane(snap.now, snap.curve[-60:], snap.pinned, reference,
                               frontier_name=f"{LABELS[snap.arch]}, {FRONTIER_SETUPS[data_key][1]:g} epochs each"),
                "so_plane", where=right)
    right.caption(caveat)


def _reference(snap: LiveSnapshot, data_key: str) -> tuple[list, str]:
    """The Frontier page's points for this run's own configuration, or none, and what they are (always shown).

    A reference drawn behind a live run must be for its data, architecture, dictionary size, seed and learning
    rate: the sweep's runs of another size sat above or below the student's for reasons not on the page."""
    latents, epochs = FRONTIER_SETUPS[data_key]
    s = page.value
    label = LABELS[snap.arch]
    if (latents, s.seed, s.lr) != (snap.latents, 0, None):
        why = f"{latents} latents" if latents != snap.latents else "seed 0 and the preset learning rate"
        return [], (f"No reference line: the **Frontier** page's {label} runs on this data use {why}, not this "
                    "run's setup, so they are not drawn here. Compare shapes there.")
    points = [p for p in frontier_store().load(data_key) or [] if p.method == snap.arch]
    if not points:
        return [], (f"A reference line — {label} at {latents} latents, each setting trained {epochs:g} epochs — is "
                    "drawn behind your run once the server has computed it in the background (progress on the "
                    "**Frontier** page).")
    run_epochs = snap.now.step * snap.hp.batch_size / len(shared_dataset(data_key).x)
    return points, (f"The line: {label} with this run's data, size and seed, each point one setting trained "
                    f"{epochs:g} epochs (this run: {run_epochs:.1f} epochs so far, its setting moved as it went). "
                    f"Trained longer, a run reaches lower MSE, so past {epochs:g} epochs it can sit under the line.")


def _pictures(snap: LiveSnapshot) -> None:
    if snap.image_shape:
        st.markdown("**Inputs (top) and reconstructions (bottom)**")
        show_image(tile(list(snap.x) + list(snap.x_hat), snap.image_shape, cols=len(snap.x), per_image=False),
                   "so_recon", live=True)
        st.markdown("**Decoder dictionary** — the first 32 atoms (red positive, blue negative)")
        show_image(tile(snap.decoder[:32], snap.image_shape, cols=16, signed=True), "so_atoms", live=True)
    else:
        st.markdown("**Recovering the true features** — cosine of each true feature with the matched atom")
        show_figure(cosine_heatmap(snap.matching.cosines), "so_cos")


def _kl_penalty(snap: LiveSnapshot) -> None:
    st.markdown("**The KL penalty, latent by latent** — each latent is a coin that fires with probability ρ̂ⱼ, "
                "its average sigmoid output. The penalty compares that coin with one that fires at the target ρ: "
                "KL(Bernoulli(ρ) ‖ Bernoulli(ρ̂ⱼ)), zero only when ρ̂ⱼ = ρ. It asks the *average* to be small — "
                "not any single output to be zero.")
    show_figure(kl_penalty_figure(snap.firing_rates, snap.hp.rho, snap.hp.beta), "so_penalty")
    links = st.columns(2)
    links[0].page_link("pages/kl_divergence.py", label="KL vs Jensen–Shannon: why KL is not symmetric",
                       icon=":material/compare_arrows:")
    links[1].page_link("pages/kl_loss.py", label="KL as a loss: forward vs reverse", icon=":material/trending_down:")


def _one_code(snap: LiveSnapshot) -> None:
    probe = min(page.value.probe, len(snap.x) - 1)
    st.markdown(f"**How few latents fire** — input #{probe}: {snap.fired_counts[probe]} of {snap.latents} "
                "latents active")
    show_figure(activation_bars(snap.f[probe], snap.fired[probe]), "so_bars")
    if snap.image_shape:
        show_image(tile([snap.x[probe], snap.x_hat[probe]], snap.image_shape, cols=2, per_image=False),
                   "so_probe_pair", caption="input → reconstruction", width=240, live=True)
    st.radio("Input", list(range(len(snap.x))), horizontal=True, **page.widget("probe"))


@live_fragment(controller)
def live_panel(ticking: bool) -> None:
    snap = controller.tick()
    live_status(controller, snap, ticking, "Press Reset, then lower the penalty or the learning rate.")
    _metrics(snap)
    _planes(snap, page.value.data)
    pics, code = st.columns([1.2, 1])
    with pics:
        _pictures(snap)
    with code:
        _one_code(snap)
    if snap.firing_rates is not None:
        _kl_penalty(snap)
    page.publish()


live_panel(controller.playing)
if controller.playing:
    st.caption(f"Training runs continuously; the page redraws every {redraw_period():g} s and sliders "
               "act at once.")
page.publish()
