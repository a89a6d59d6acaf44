"""Sparsity trade-off: train an SAE live and move the L1 or KL sliders while it learns."""

from __future__ import annotations

import streamlit as st

from components.router_guard import ensure_router
from components.sae_session import (DATASET_LABELS, frontier_store, give_back_slot, set_current_model,
                                    runner_for, shared_dataset, take_slot)
from sae_core.background import BackgroundRunner
from sae_core.figures.images import tile
from sae_core.figures.sae_figures import activation_bars, cosine_heatmap, live_curves, tradeoff_plane
from sae_core.live import LiveRun, TrainedModel
from sae_core.models import LABELS
from sae_core.presets import default_hparams

ensure_router()

RUN = "tradeoff_run"
RUNNER = "tradeoff_runner"
RUNNING = "tradeoff_running"
# How often the page redraws while training runs on its background thread. At 0.5 s a redraw plus the
# browser's work overran the period on 2 cores and reruns piled up, halving training (BENCHMARKS.md).
REFRESH_SECONDS = 1.0
STEP_BUTTON_STEPS = 50
L1_VALUES = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0]
BETA_VALUES = [0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0]
LATENTS = {"toy": [64, 128], "mnist": [128, 256, 512]}
ARCHS = ["relu", "kl"]


DEFAULT_LATENTS = {"toy": 64, "mnist": 256}


def _new_run() -> LiveRun:
    ss = st.session_state
    data, arch = ss["so_data"], ss["so_arch"]
    hp, _ = default_hparams(arch, "toy" if data == "toy" else "images")
    # Penalty sliders not on screen keep the preset's value.
    hp.l1 = ss.get("so_l1", hp.l1)
    hp.rho = ss.get("so_rho", hp.rho)
    hp.beta = ss.get("so_beta", hp.beta)
    latents = ss.get(f"so_latents_{data}", DEFAULT_LATENTS[data])
    return LiveRun(shared_dataset(data), arch, latents, hp, seed=0)


def _reset() -> None:
    st.session_state[RUN] = _new_run()
    runner_for(RUNNER, st.session_state[RUN])
    st.session_state[RUNNING] = False
    give_back_slot()


def _on_penalty_change(name: str) -> None:
    """A sparsity slider moved: pin where the run got to, then train on with the new value."""
    run: LiveRun = st.session_state[RUN]
    with st.session_state[RUNNER].lock:
        if run.steps >= 100:
            old = {"l1": run.hp.l1, "rho": run.hp.rho, "beta": run.hp.beta}[name]
            run.measure()
            run.pin(f"{'L1' if name == 'l1' else 'ρ' if name == 'rho' else 'β'}={old:g}")
        setattr(run.hp, name, st.session_state[f"so_{name}"])


def _toggle() -> None:
    st.session_state[RUNNING] = not st.session_state.get(RUNNING, False)
    if not st.session_state[RUNNING]:
        st.session_state[RUNNER].pause(wait=True)  # the numbers shown after Pause stay put
        give_back_slot()


def _step() -> None:
    st.session_state[RUNNING] = False
    give_back_slot()
    st.session_state[RUNNER].step_now(STEP_BUTTON_STEPS)


def _pin() -> None:
    run: LiveRun = st.session_state[RUN]
    with st.session_state[RUNNER].lock:
        run.measure()
        run.pin(f"L1={run.hp.l1:g}" if run.arch == "relu" else f"ρ={run.hp.rho:g}, β={run.hp.beta:g}")


def _explore() -> None:
    st.session_state[RUNNER].pause(wait=True)
    st.session_state[RUNNING] = False
    give_back_slot()
    set_current_model(TrainedModel.from_run(st.session_state[RUN], "the Sparsity trade-off page"))


st.title("Sparsity trade-off")
st.markdown(
    "Press **Play** and watch a sparse autoencoder learn. Then raise the sparsity penalty *while it trains*: "
    "fewer latents fire (L0 falls) and reconstruction gets worse (MSE rises). Each time you move a slider "
    "the point you reached is pinned on the plane, so the trade-off curve draws itself."
)

top = st.columns([1.3, 1.2, 0.8])
data_key = top[0].radio("Data", list(LATENTS), index=1, key="so_data", format_func=DATASET_LABELS.get,
                        horizontal=True, on_change=_reset, bind="query-params")
top[1].radio("Model", ARCHS, key="so_arch", format_func=LABELS.get, horizontal=True,
             on_change=_reset, bind="query-params")
# One selectbox per dataset: its options differ, and a shared key would keep an impossible value.
top[2].selectbox("Latents", LATENTS[data_key], index=LATENTS[data_key].index(DEFAULT_LATENTS[data_key]),
                 key=f"so_latents_{data_key}", on_change=_reset, help="Dictionary size d_sae.")

if st.session_state["so_arch"] == "relu":
    st.select_slider("L1 coefficient λ — loss = ‖x − x̂‖² + λ·‖f‖₁ (log scale)", L1_VALUES, value=1.0, key="so_l1",
                     on_change=_on_penalty_change, args=("l1",), bind="query-params")
else:
    cols = st.columns(2)
    cols[0].slider("Target firing rate ρ", 0.01, 0.3, value=0.05, step=0.01, key="so_rho",
                   on_change=_on_penalty_change, args=("rho",), bind="query-params",
                   help="Each latent's mean sigmoid output is pulled towards ρ.")
    cols[1].select_slider("KL weight β — loss = ‖x − x̂‖² + β·Σⱼ KL(ρ‖ρ̂ⱼ)", BETA_VALUES, value=20.0, key="so_beta",
                          on_change=_on_penalty_change, args=("beta",), bind="query-params")

if RUN not in st.session_state:
    _reset()
run: LiveRun = st.session_state[RUN]
runner: BackgroundRunner = st.session_state[RUNNER]
running = st.session_state.get(RUNNING, False)

buttons = st.columns([1, 1, 1, 1, 1.4])
buttons[0].button("Pause" if running else "Play", key="so_play", on_click=_toggle, type="primary", width="stretch",
                  icon=":material/pause:" if running else ":material/play_arrow:")
buttons[1].button(f"Step ×{STEP_BUTTON_STEPS}", key="so_step", on_click=_step, width="stretch",
                  icon=":material/skip_next:")
buttons[2].button("Reset", key="so_reset", on_click=_reset, width="stretch", icon=":material/restart_alt:")
buttons[3].button("Pin point", key="so_pin", on_click=_pin, width="stretch", icon=":material/push_pin:",
                  help="Mark the current (L0, MSE) on the plane.")
buttons[4].button("Open in feature explorer", key="so_explore", on_click=_explore, width="stretch",
                  icon=":material/travel_explore:")


@st.fragment(run_every=REFRESH_SECONDS if running else None)
def live_view() -> None:
    if running:
        runner.touch()
        if take_slot():
            if not runner.running and not runner.error:
                runner.start()
                runner.wait_for_first_view()
        else:
            runner.pause()
    if runner.error:
        st.session_state[RUNNING] = False
        give_back_slot()
        st.error(f"Training diverged: {runner.error}. Lower the penalty or press Reset.", icon=":material/error:")
    view = runner.view()
    now, x, x_hat, f, fired, decoder, matched = (view.now, view.x, view.x_hat, view.f, view.fired, view.decoder,
                                                  view.matched)
    toy = run.data.true_features is not None
    cols = st.columns(6)
    cols[0].metric("Step", f"{now.step:,}")
    cols[1].metric("L0 · active latents", f"{now.l0:.1f}", help="Mean number of latents that fire per input.")
    cols[2].metric("Dead latents", f"{100 * now.dead_fraction:.0f}%",
                   help="Latents that fired on none of the last 20,000 training inputs.")
    cols[3].metric("MSE", f"{now.mse:.4f}", help="Mean squared error per input dimension, original units.")
    cols[4].metric("Explained variance", f"{now.fve:.1%}")
    if toy:
        cols[5].metric("MMCS", f"{now.mmcs:.3f}", help="Mean over true features of the best cosine with any atom.")
    elif run.arch == "kl":
        cols[5].metric("Mean firing ρ̂", f"{now.mean_activation:.3f}", help=f"Target ρ = {run.hp.rho:g}")
    else:
        cols[5].metric("Shrinkage ‖x̂‖/‖x‖", f"{now.shrinkage:.2f}",
                       help="Below 1: the L1 penalty shrinks every reconstruction towards zero.")

    left, right = st.columns(2)
    left.plotly_chart(live_curves(run.curve, show_mmcs=toy), key="so_curves")
    computed = [p for p in frontier_store()["results"].get(data_key, []) if p.method == run.arch]
    right.plotly_chart(tradeoff_plane(now, run.curve[-60:], run.pinned, computed), key="so_plane")
    if not computed:
        right.caption("Compute this dataset's frontier on the **Frontier** page to see it drawn behind your run "
                      "(its runs use a smaller dictionary, so compare shapes rather than exact values).")

    pics, code = st.columns([1.2, 1])
    with pics:
        if run.data.image_shape:
            st.markdown("**Inputs (top) and reconstructions (bottom)**")
            st.image(tile(list(x) + list(x_hat), run.data.image_shape, cols=len(x), scale=3, per_image=False),
                     width="stretch")
            st.markdown("**Decoder dictionary** — the first 32 atoms (red positive, blue negative)")
            st.image(tile(decoder[:32], run.data.image_shape, cols=16, signed=True, scale=2), width="stretch")
        else:
            st.markdown("**Recovering the true features** — cosine of each true feature with the matched atom")
            cos, _, _ = matched
            st.plotly_chart(cosine_heatmap(cos), key="so_cos")
    with code:
        probe = st.session_state.get("so_probe", 0)
        st.markdown(f"**How few latents fire** — input #{probe}: {int(fired[probe].sum())} of {run.latents} "
                    "latents active")
        st.plotly_chart(activation_bars(f[probe], fired[probe]), key="so_bars")
        if run.data.image_shape:
            st.image(tile([x[probe], x_hat[probe]], run.data.image_shape, cols=2, scale=4, per_image=False),
                     caption="input → reconstruction", width=240)
        st.radio("Input", list(range(len(x))), key="so_probe", horizontal=True)


live_view()
if running:
    st.caption(f"Training runs continuously; the page redraws every {REFRESH_SECONDS:g} s and sliders act at once.")
