"""Train an SAE: pick data and architecture, train with progress, inspect recovery, download or load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import streamlit as st

from components.router_guard import ensure_router
from components.sae_session import (DATASET_LABELS, current_model, give_back_slot, set_current_model,
                                    runner_for, shared_dataset, take_slot)
from sae_core.background import BackgroundRunner
from sae_core.data import Dataset, ToyConfig
from sae_core.data.arrays import load_array_bytes
from sae_core.data.toy import MAGNITUDES
from sae_core.figures.images import tile
from sae_core.figures.sae_figures import cosine_heatmap, live_curves, mmcs_curve
from sae_core.live import LiveRun, TrainedModel
from sae_core.models import ARCHITECTURES, LABELS
from sae_core.persistence import from_zip, to_zip
from sae_core.presets import default_hparams
from sae_core.train import steps_for_epochs

ensure_router()

RUN, RUNNER, RUNNING, TARGET = "train_run", "train_runner", "train_running", "train_target_steps"
REFRESH_SECONDS = 1.0
SOURCES = {"toy": DATASET_LABELS["toy"], "mnist": DATASET_LABELS["mnist"], "digits": DATASET_LABELS["digits"],
           "idx": "MNIST from a folder of IDX files", "upload": "Upload a .npy or .csv array"}
LR_VALUES = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2]
FOUND_COSINE = 0.9  # a true feature counts as found when its matched atom's cosine reaches this


def _toy_config() -> ToyConfig:
    ss = st.session_state
    return ToyConfig(n_features=ss["tr_toy_features"], d=ss["tr_toy_d"], n_samples=ss["tr_toy_samples"],
                     feature_prob=ss["tr_toy_prob"], prob_decay=ss["tr_toy_prob_decay"],
                     importance_decay=ss["tr_toy_importance"], magnitude=ss["tr_toy_magnitude"],
                     correlated_groups=ss["tr_toy_groups"], noise=ss["tr_toy_noise"], seed=ss.get("tr_seed", 0))


def _dataset() -> Dataset:
    """The chosen dataset; raises ValueError with a message meant for people."""
    source = st.session_state["tr_source"]
    if source == "toy":
        cfg = _toy_config()
        cfg.validate()
        return shared_dataset("toy", cfg)
    if source in ("mnist", "digits"):
        return shared_dataset(source)
    if source == "idx":
        folder = (st.session_state.get("tr_idx_folder") or "").strip()
        if not folder:
            raise ValueError("type the path of a folder holding *-images-idx3-ubyte[.gz] files")
        if not Path(folder).is_dir():
            raise ValueError(f"{folder} is not a folder on the server")
        return shared_dataset(folder)
    upload = st.session_state.get("tr_upload")
    if upload is None:
        raise ValueError("choose a .npy or .csv file of shape (samples, features) first")
    x = load_array_bytes(upload.getvalue(), upload.name)
    return Dataset(upload.name, x)


def _start() -> None:
    ss = st.session_state
    try:
        data = _dataset()
    except ValueError as err:
        ss["tr_problem"] = f"Nothing was started: {err}."
        return
    arch = ss["tr_arch"]
    hp, _ = default_hparams(arch, "toy" if ss["tr_source"] == "toy" else "images")
    hp.lr, hp.batch_size = ss["tr_lr"], ss["tr_batch"]
    if arch == "relu":
        hp.l1 = ss["tr_l1"]
    elif arch == "kl":
        hp.rho, hp.beta = ss["tr_rho"], ss["tr_beta"]
    elif arch == "topk":
        hp.k = min(ss["tr_k"], ss["tr_latents"])
    elif arch == "jumprelu":
        hp.l0_coef = ss["tr_l0"]
    ss[RUN] = LiveRun(data, arch, ss["tr_latents"], hp, seed=ss["tr_seed"])
    runner_for(RUNNER, ss[RUN])
    ss[TARGET] = steps_for_epochs(len(data.x), hp.batch_size, ss["tr_epochs"])
    ss[RUNNING] = True


def _stop() -> None:
    st.session_state[RUNNING] = False
    if RUNNER in st.session_state:
        st.session_state[RUNNER].pause(wait=True)  # Stop means stopped: no step after the click
    give_back_slot()


def _load_model() -> None:
    ss = st.session_state
    upload = ss.get("tr_model_upload")
    if upload is None:
        return
    try:
        model, hp, cfg = from_zip(upload.getvalue())
        data = _dataset()
        if data.d != model.d_in:
            raise ValueError(f"the model expects {model.d_in} input dimensions but {data.name} has {data.d}; "
                             "choose matching data above, then load again")
    except ValueError as err:
        ss["tr_problem"] = f"The model was not loaded: {err}."
        return
    set_current_model(TrainedModel(model, hp, 1.0, data, f"the uploaded file {upload.name}"))
    ss["tr_loaded"] = f"Loaded {upload.name}: {LABELS[cfg['architecture']]}, {model.d_sae} latents, for {data.name}."


st.title("Train an SAE")
st.markdown("Choose data and an architecture, then train. Toy data come with their true features, so you can "
            "check which ones the SAE found.")
if problem := st.session_state.pop("tr_problem", None):
    st.error(problem, icon=":material/error:")
if loaded := st.session_state.pop("tr_loaded", None):
    st.success(loaded, icon=":material/check_circle:")

data_col, model_col = st.columns(2)
with data_col:
    st.subheader("Data")
    source = st.selectbox("Source", list(SOURCES), format_func=SOURCES.get, key="tr_source", bind="query-params")
    if source == "toy":
        a, b = st.columns(2)
        a.number_input("True features", 2, 512, 64, key="tr_toy_features")
        b.number_input("Dimensions d", 2, 256, 32, key="tr_toy_d")
        a.number_input("Samples", 1000, 200_000, 20_000, step=1000, key="tr_toy_samples")
        b.slider("Firing probability", 0.005, 0.5, 0.05, step=0.005, key="tr_toy_prob")
        a.slider("Probability decay per feature", 0.9, 1.0, 1.0, step=0.005, key="tr_toy_prob_decay",
                 help="Feature i fires with probability p·decayⁱ.")
        b.slider("Importance decay per feature", 0.9, 1.0, 1.0, step=0.005, key="tr_toy_importance")
        a.selectbox("Magnitudes", MAGNITUDES, key="tr_toy_magnitude")
        b.number_input("Correlated pairs", 0, 64, 0, key="tr_toy_groups",
                       help="The first 2·n features fire together in pairs.")
        a.slider("Noise (standard deviation)", 0.0, 0.5, 0.0, step=0.01, key="tr_toy_noise")
    elif source == "idx":
        st.text_input("Folder on the server", key="tr_idx_folder", placeholder="/path/to/mnist",
                      help="A folder holding train-/t10k-images-idx3-ubyte[.gz] (labels optional).")
    elif source == "upload":
        st.file_uploader("Array file", type=["npy", "csv"], key="tr_upload",
                         help="Shape (samples, features), numbers only, at most 50 MiB.")
    try:
        data = _dataset()
        st.caption(f"{data.name}: {len(data.x):,} samples × {data.d} features"
                   + (f", {data.image_shape[0]}×{data.image_shape[1]} images" if data.image_shape else ""))
    except ValueError as err:
        data = None
        message = str(err)
        st.warning(message[:1].upper() + message[1:] + ".", icon=":material/info:")

with model_col:
    st.subheader("Model")
    arch = st.selectbox("Architecture", list(ARCHITECTURES), index=0, format_func=LABELS.get, key="tr_arch",
                        bind="query-params")
    a, b = st.columns(2)
    a.number_input("Latents", 2, 4096, 128, key="tr_latents",
                   help="Dictionary size. More than the input dimension makes the SAE overcomplete; "
                        "fewer makes a bottleneck.")
    b.number_input("Epochs", 0.5, 500.0, 30.0, step=5.0, key="tr_epochs")
    a.select_slider("Learning rate", LR_VALUES, value=3e-3, key="tr_lr", format_func=lambda v: f"{v:g}")
    b.selectbox("Batch size", [64, 128, 256, 512, 1024, 4096], index=2, key="tr_batch")
    if arch == "relu":
        a.select_slider("L1 coefficient", [0.03, 0.1, 0.3, 1.0, 3.0, 10.0], value=1.0, key="tr_l1")
    elif arch == "kl":
        a.slider("Target firing rate ρ", 0.01, 0.3, 0.05, step=0.01, key="tr_rho")
        b.select_slider("KL weight β", [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0], value=20.0, key="tr_beta")
    elif arch == "topk":
        a.number_input("k (active latents per input)", 1, 512, 16, key="tr_k")
    elif arch == "jumprelu":
        a.select_slider("L0 coefficient", [0.1, 0.3, 1.0, 3.0, 10.0], value=1.0, key="tr_l0")
    b.number_input("Seed", 0, 10_000, 0, key="tr_seed")

running = st.session_state.get(RUNNING, False)
cols = st.columns([1, 1, 3])
cols[0].button("Train", key="tr_start", on_click=_start, type="primary", disabled=running or data is None,
               width="stretch", icon=":material/play_arrow:")
cols[1].button("Stop", key="tr_stop", on_click=_stop, disabled=not running, width="stretch",
               icon=":material/stop:")


@st.fragment(run_every=REFRESH_SECONDS if running else None)
def progress_view() -> None:
    run: LiveRun | None = st.session_state.get(RUN)
    if run is None:
        st.info("Set things up above and press **Train**.", icon=":material/arrow_upward:")
        return
    runner: BackgroundRunner = st.session_state[RUNNER]
    target = st.session_state[TARGET]
    if st.session_state.get(RUNNING):
        runner.touch()
        if runner.finished or runner.error:
            st.session_state[RUNNING] = False
            give_back_slot()
            if runner.finished:
                set_current_model(TrainedModel.from_run(run, "the Train page"))
            st.rerun()  # redraw the buttons and stop the timer
        if take_slot():
            if not runner.running:
                runner.start(max_steps=target)
                runner.wait_for_first_view()
        else:
            runner.pause()
    if runner.error:
        st.error(f"Training diverged: {runner.error}.", icon=":material/error:")
    view = runner.view()
    now = view.now
    rate = run.steps / run.trainer.seconds if run.trainer.seconds > 0 else 0.0
    left = max(0, target - run.steps)
    eta = f", about {left / rate:.0f} s left" if rate > 0 and left else ""
    st.progress(min(1.0, now.step / target), text=f"Step {now.step:,} of {target:,}{eta}")
    cols = st.columns(5)
    cols[0].metric("L0", f"{now.l0:.1f}")
    cols[1].metric("Explained variance", f"{now.fve:.1%}")
    cols[2].metric("MSE", f"{now.mse:.4g}")
    cols[3].metric("Dead latents", f"{now.dead_fraction:.0%}")
    if now.mmcs is not None:
        cols[4].metric("MMCS", f"{now.mmcs:.3f}")
    else:
        cols[4].metric("Steps per second", f"{rate:,.0f}")
    st.plotly_chart(live_curves(run.curve, show_mmcs=now.mmcs is not None), key="tr_curves")
    if run.data.true_features is not None:
        st.subheader("Ground-truth recovery")
        cos, sims, latent = view.matched
        found = np.flatnonzero(sims >= FOUND_COSINE)
        missed = np.flatnonzero(~(sims >= FOUND_COSINE))
        st.markdown(f"**{len(found)} of {len(sims)}** true features found (matched atom cosine ≥ {FOUND_COSINE}).")
        a, b = st.columns([1.4, 1])
        a.plotly_chart(cosine_heatmap(cos), key="tr_cos")
        b.plotly_chart(mmcs_curve(run.curve), key="tr_mmcs")
        if len(missed):
            b.caption("Not found yet: " + ", ".join(f"#{i} (best {sims[i]:.2f})" for i in missed[:30])
                      + (" …" if len(missed) > 30 else ""))
    elif run.data.image_shape:
        x, x_hat = view.x, view.x_hat
        st.image(tile(list(x) + list(x_hat), run.data.image_shape, cols=len(x), scale=3, per_image=False),
                 caption="Inputs (top) and their reconstructions (bottom)", width="stretch")


progress_view()

st.subheader("Save or load a model")
run = st.session_state.get(RUN)
cols = st.columns(2)
with cols[0]:
    if run is not None and not running:
        zip_bytes = to_zip(run.trainer.model, run.hp, run.trainer.scale, name=f"sae-{run.arch}-{run.latents}",
                           extra={"dataset": run.data.name, "seed": run.seed})
        st.download_button("Download (SAELens folder, zipped)", zip_bytes, file_name=f"sae-{run.arch}-{run.latents}.zip",
                           mime="application/zip", key="tr_download", icon=":material/download:")
        st.caption("cfg.json + sae_weights.safetensors, weights folded back into the original input units.")
    else:
        st.caption("Train a model (and let it finish or stop it) to download it.")
with cols[1]:
    st.file_uploader("Load a model (.zip holding cfg.json and sae_weights.safetensors)", type=["zip"],
                     key="tr_model_upload", on_change=_load_model,
                     help="Only safetensors weights are read; nothing in the file is executed.")
    if (model := current_model()) is not None:
        st.page_link("pages/features.py", label=f"Explore the features of the model from {model.source}",
                     icon=":material/travel_explore:")
