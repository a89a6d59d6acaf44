"""Feature explorer: every latent's atom, density and top-activating inputs."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from components.figure_view import show_figure
from components.image_view import show_image
from components.page_state import PageState
from components.streamlit_internals import ensure_router
from components.sae_session import current_model, current_model_version, live_controller, set_current_model, \
    shared_dataset
from sae_core.evaluation.evaluate import run_model
from sae_core.evaluation.metrics import HELP
from sae_core.evaluation.features import DENSITY_FLOOR, SORTS, FeatureStats, feature_stats, firing_values, \
    top_activations
from app_core.figures.atom_figures import atom_grid
from app_core.figures.images import tile
from app_core.figures.sae_figures import density_histogram, latent_scatter, value_histogram
from app_core.live import RunSetup, TrainedModel
from sae_core.models import LABELS
from sae_core.training.presets import default_hparams

ensure_router()

QUICK_STEPS = 600
GRID = 48
page = PageState.of(__file__)
state = page.load()


def _quick_model() -> None:
    """A small ReLU SAE on MNIST-5k, so the explorer has something to show straight away."""
    data = shared_dataset("mnist")
    hp, _ = default_hparams("relu", data.kind)
    controller = live_controller("explorer")
    controller.reset(RunSetup("mnist", "relu", 128), data, hp)
    with st.spinner("Training a 128-latent ReLU SAE on MNIST-5k (a few seconds)…"):
        controller.step(QUICK_STEPS)
    set_current_model(controller.trained_model("a quick MNIST-5k run"))


@st.cache_data(max_entries=4, show_spinner="Running the model over the dataset…", scope="session")
def _analysis(version: int, _model: TrainedModel):
    """Activations, firing masks and per-latent statistics; cached per model version in this session."""
    _, f, active = run_model(_model.model, _model.hp, _model.data.x, _model.input_scale)
    return f.astype("float32"), active, feature_stats(f, active)


def _summary(model: TrainedModel, stats: FeatureStats) -> None:
    st.markdown(f"**{LABELS.get(model.model.architecture, model.model.architecture)}** with {model.model.d_sae} "
                f"latents, from {model.source}, on {model.data.name} ({len(model.data.x):,} inputs).")
    cols = st.columns(4)
    cols[0].metric("Latents", f"{model.model.d_sae}")
    cols[1].metric("Dead (never fire)", f"{stats.dead}", help="Latents that fire on none of the dataset's inputs.")
    cols[2].metric("L0 (mean active per input)", f"{stats.l0:.1f}", help=HELP["l0"])
    cols[3].metric("Median density", f"{stats.median_density:.2%}", help=HELP["density"] + " The median over latents.")


def _pick(event, chart: str) -> None:
    """A click on a point of `chart` (the scatter, or an atom) selects its latent. A chart's selection stays in
    its event on later runs, so each chart's last pick is kept apart: an older pick on one chart must not undo a
    newer one on the other."""
    points = event["selection"]["points"] if event else []
    picked = points[0].get("customdata") if points else None
    if picked is not None and picked != st.session_state.get(f"{chart}_last_pick"):
        st.session_state[f"{chart}_last_pick"] = picked
        page.set(replace(page.value, latent=int(picked[0] if isinstance(picked, list) else picked)))
        st.rerun()


def _browser(model: TrainedModel, stats: FeatureStats, decoder) -> None:
    st.subheader("Browse latents")
    controls = st.columns([1.2, 1.5, 1])
    controls[0].selectbox("Sort", list(SORTS), format_func=SORTS.get, **page.widget("sort"))
    wanted = (page.value.density_low, page.value.density_high)
    if st.session_state.get("fx_density_range") != wanted:
        st.session_state["fx_density_range"] = wanted
    controls[1].slider("Density between (log10)", DENSITY_FLOOR, 0.0, step=0.25, key="fx_density_range",
                       on_change=_on_density_range,
                       help=f"Dead latents sit at {DENSITY_FLOOR:g}.")
    controls[2].toggle("Hide dead latents", **page.widget("hide_dead"))
    s = page.value
    shown = stats.select(s.sort, s.density_low, s.density_high, s.hide_dead)
    st.caption(f"{len(shown)} latents match; the first {min(GRID, len(shown))} are shown.")
    if shown:
        ids = shown[:GRID]
        _pick(show_figure(atom_grid(decoder[ids], ids, model.data.image_shape, selected=s.latent), "fx_atoms",
                          on_select="rerun", selection_mode="points"), "fx_atoms")
        st.caption("Decoder atoms in the order above, each numbered by its latent (red positive, blue negative"
                   + ("" if model.data.image_shape else "; one row per atom, one cell per input dimension")
                   + "). Click an atom to inspect its latent.")


def _on_density_range() -> None:
    low, high = st.session_state["fx_density_range"]
    page.mark_move()
    page.set(replace(page.value, density_low=low, density_high=high))


def _latent(model: TrainedModel, stats: FeatureStats, f, active, decoder) -> None:
    j = page.value.latent
    st.number_input("Latent to inspect", 0, model.model.d_sae - 1, **page.widget("latent"))
    st.subheader(f"Latent {j}")
    st.markdown("dead: it never fires on this dataset" if stats.is_dead(j) else
                f"fires on {stats.density[j]:.2%} of inputs, mean activation {stats.mean_when_firing[j]:.3f} "
                "when it does")
    shape = model.data.image_shape
    a, b = st.columns([1, 2])
    with a:
        if shape:
            show_image(tile(decoder[j:j + 1], shape, cols=1, signed=True, zoom=8), "fx_atom", caption="decoder atom",
                       width=230, name=f"latent_{j}_atom")
        else:
            st.bar_chart(decoder[j], height=200)
            st.caption("decoder atom: one weight per input dimension")
    with b:
        top, values = top_activations(f, j)
        if len(top) and shape:
            show_image(tile(model.data.x[top], shape, cols=6, zoom=3, per_image=False), "fx_top", width="stretch",
                       caption="Top-activating inputs: " + ", ".join(f"{v:.2f}" for v in values),
                       name=f"latent_{j}_top_inputs")
        elif len(top):
            st.dataframe({"input": top, "activation": values}, hide_index=True)
        else:
            st.caption("No input activates this latent.")
        firing = firing_values(f, active, j)
        if len(firing):
            show_figure(value_histogram(firing, "activation when firing"), "fx_hist")


def _explore(model) -> None:
    f, active, stats = _analysis(current_model_version(), model)
    decoder = model.model.W_dec.detach().cpu().numpy()
    if page.value.latent >= model.model.d_sae:
        page.set(replace(page.value, latent=0))
        st.warning(f"This model has {model.model.d_sae} latents; showing latent 0.", icon=":material/info:")
    _summary(model, stats)
    left, right = st.columns([1, 1])
    counts, edges = stats.histogram
    show_figure(density_histogram(counts, edges, stats.dead), "fx_density", where=left)
    with right:
        _pick(show_figure(latent_scatter(stats.density, stats.mean_when_firing, page.value.latent),
                          "fx_scatter", on_select="rerun", selection_mode="points"), "fx_scatter")
        st.caption("Click a point to inspect that latent.")
    _browser(model, stats, decoder)
    _latent(model, stats, f, active, decoder)


st.title("Feature explorer")
page.warn_problems()
model = current_model()
if model is None:  # not st.stop(): what app.py draws after the page (presenter mode's keyboard) must still run
    st.info("There is no model yet in this session. Train one on **Train an SAE** or **Sparsity trade-off** "
            "(button *Open in feature explorer*), load one on **Train an SAE**, or make a quick one here.",
            icon=":material/info:")
    st.button("Train a quick MNIST model", on_click=_quick_model, type="primary", key="fx_quick",
              icon=":material/bolt:")
    st.page_link("pages/train.py", label="Go to Train an SAE", icon=":material/model_training:")
else:
    _explore(model)
page.publish()
