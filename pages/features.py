"""Feature explorer: every latent's atom, density and top-activating inputs."""

from __future__ import annotations

import numpy as np
import streamlit as st

from components.router_guard import ensure_router
from components.sae_session import current_model, set_current_model, shared_dataset
from sae_core.figures.images import tile
from sae_core.figures.sae_figures import density_histogram, latent_scatter, value_histogram
from sae_core.live import LiveRun, TrainedModel
from sae_core.metrics import log_density_histogram
from sae_core.models import LABELS
from sae_core.presets import default_hparams
from sae_core.train import run_model

ensure_router()

QUICK_STEPS = 600
GRID = 48
SORTS = {"density": "Most frequent first", "density_asc": "Rarest first", "index": "Latent index",
         "max": "Largest activation first"}


def _quick_model() -> None:
    """A small ReLU SAE on MNIST-5k, so the explorer has something to show straight away."""
    hp, _ = default_hparams("relu", "images")
    run = LiveRun(shared_dataset("mnist"), "relu", 128, hp, seed=0)
    with st.spinner("Training a 128-latent ReLU SAE on MNIST-5k (a few seconds)…"):
        run.advance(budget_s=None, max_steps=QUICK_STEPS, chunk=50)
    set_current_model(TrainedModel.from_run(run, "a quick MNIST-5k run"))


@st.cache_data(max_entries=4, show_spinner="Running the model over the dataset…")
def _activations(version: int, _model: TrainedModel) -> tuple[np.ndarray, np.ndarray]:
    """Activations [n, d_sae] and firing masks; cached per model version in this session."""
    _, f, active = run_model(_model.model, _model.hp, _model.data.x, _model.scale)
    return f.astype(np.float32), active


st.title("Feature explorer")
model = current_model()
if model is None:
    st.info("There is no model yet in this session. Train one on **Train an SAE** or **Sparsity trade-off** "
            "(button *Open in feature explorer*), load one on **Train an SAE**, or make a quick one here.",
            icon=":material/info:")
    st.button("Train a quick MNIST model", on_click=_quick_model, type="primary", key="fx_quick",
              icon=":material/bolt:")
    st.page_link("pages/train.py", label="Go to Train an SAE", icon=":material/model_training:")
    st.stop()

version = st.session_state.get("current_model_version", 0)
f, active = _activations(version, model)
data = model.data
density = active.mean(axis=0)
firing_sum = np.where(active, f, 0).sum(axis=0)
mean_when_firing = np.divide(firing_sum, active.sum(axis=0), out=np.zeros_like(firing_sum),
                             where=active.sum(axis=0) > 0)
dead = int((density == 0).sum())
decoder = model.model.W_dec.detach().cpu().numpy()

st.markdown(f"**{LABELS.get(model.model.architecture, model.model.architecture)}** with {model.model.d_sae} "
            f"latents, from {model.source}, on {data.name} ({len(data.x):,} inputs).")
cols = st.columns(4)
cols[0].metric("Latents", f"{model.model.d_sae}")
cols[1].metric("Dead (never fire)", f"{dead}", help="Fire on none of the dataset's inputs.")
cols[2].metric("L0 (mean active per input)", f"{active.sum(axis=1).mean():.1f}")
cols[3].metric("Median density", f"{np.median(density):.2%}", help="Fraction of inputs a typical latent fires on.")

left, right = st.columns([1, 1])
counts, edges = log_density_histogram(active)
left.plotly_chart(density_histogram(counts, edges, dead), key="fx_density")

st.subheader("Browse latents")
controls = st.columns([1.2, 1.5, 1])
sort = controls[0].selectbox("Sort", list(SORTS), format_func=SORTS.get, key="fx_sort")
low, high = controls[1].slider("Density between (log10)", -6.0, 0.0, (-6.0, 0.0), step=0.25, key="fx_density_range",
                               help="Dead latents sit at −6.")
hide_dead = controls[2].toggle("Hide dead latents", value=False, key="fx_hide_dead")
logd = np.log10(np.maximum(density, 1e-6))
keep = (logd >= low) & (logd <= high) & ~(hide_dead & (density == 0))
order = {"density": np.argsort(-density), "density_asc": np.argsort(density), "index": np.arange(len(density)),
         "max": np.argsort(-f.max(axis=0))}[sort]
shown = [int(i) for i in order if keep[i]]
st.caption(f"{len(shown)} latents match; the first {min(GRID, len(shown))} are shown.")

if st.session_state.get("fx_selected", 0) >= model.model.d_sae or "fx_selected" not in st.session_state:
    st.session_state["fx_selected"] = shown[0] if shown else 0
with right:
    event = st.plotly_chart(latent_scatter(density, mean_when_firing, st.session_state["fx_selected"]),
                            key="fx_scatter", on_select="rerun", selection_mode="points")
    points = event["selection"]["points"] if event else []
    picked = points[0].get("customdata") if points else None
    if picked is not None and picked != st.session_state.get("fx_last_pick"):
        st.session_state["fx_last_pick"] = picked
        st.session_state["fx_selected"] = int(picked[0] if isinstance(picked, list) else picked)
        st.rerun()
    st.caption("Click a point to inspect that latent.")

if data.image_shape and shown:
    st.image(tile(decoder[shown[:GRID]], data.image_shape, cols=16, signed=True, scale=2), width="stretch",
             caption="Decoder atoms in the order above (red positive, blue negative)")

st.number_input("Latent to inspect", 0, model.model.d_sae - 1, key="fx_selected")
j = st.session_state["fx_selected"]
st.subheader(f"Latent {j}")
status = "dead: it never fires on this dataset" if density[j] == 0 else \
    f"fires on {density[j]:.2%} of inputs, mean activation {mean_when_firing[j]:.3f} when it does"
st.markdown(status)
a, b = st.columns([1, 2])
with a:
    if data.image_shape:
        st.image(tile(decoder[j:j + 1], data.image_shape, cols=1, signed=True, scale=8), caption="decoder atom",
                 width=230)
    else:
        st.bar_chart(decoder[j], height=200)
        st.caption("decoder atom: one weight per input dimension")
with b:
    top = np.argsort(-f[:, j])[:12]
    top = top[f[top, j] > 0]
    if len(top) and data.image_shape:
        st.image(tile(data.x[top], data.image_shape, cols=6, scale=3, per_image=False), width="stretch",
                 caption="Top-activating inputs: " + ", ".join(f"{f[i, j]:.2f}" for i in top))
    elif len(top):
        st.dataframe({"input": top, "activation": f[top, j]}, hide_index=True)
    else:
        st.caption("No input activates this latent.")
    firing = f[active[:, j], j]
    if len(firing):
        st.plotly_chart(value_histogram(firing, "activation when firing"), key="fx_hist")
