"""Train an SAE: pick data and architecture, train with progress, inspect recovery, download or load."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components.figure_view import show_figure
from components.image_view import show_image
from components.live_view import live_fragment, live_status
from components.page_state import ECHO_SECONDS, PageState
from components.streamlit_internals import ensure_router
from components.presenter import start_scene, take_command, take_scene_start
from components.sae_session import current_model, live_controller, set_current_model, shared_dataset
from sae_core.data import Dataset
from sae_core.data.arrays import load_array_bytes
from sae_core.data.toy import MAGNITUDES
from sae_core.evaluation.metrics import DEAD_HELP, FOUND_COSINE, HELP
from app_core.figures.images import tile
from app_core.figures.sae_figures import cosine_heatmap, live_curves, mmcs_curve
from app_core.live import LiveSnapshot, TrainedModel
from sae_core.models import LABELS, SPECS, spec_of
from sae_core.models.persistence import from_zip
from app_core.page_jobs import train_data_key, train_setup
from app_core.state.hparams import LEARNING_RATES
from app_core.state.training import BATCH_SIZES, SOURCES, TrainState

ensure_router()

page = PageState.of(__file__)
controller = live_controller("train")
state = page.load(echo_window=ECHO_SECONDS if controller.playing else 0.0)
HANDED_OVER = "tr_handed_over"  # the run whose finished model went to the feature explorer


def _dataset(s: TrainState) -> tuple[Dataset, str]:
    """The chosen dataset and a key naming it; raises ValueError with a message meant for people."""
    if s.source == "toy":
        cfg = s.toy_config()
        cfg.validate()
        return shared_dataset("toy", cfg), train_data_key(s)
    if s.source in ("mnist", "digits"):
        return shared_dataset(s.source), train_data_key(s)
    if s.source == "idx":
        folder = s.idx_folder.strip()
        if not folder:
            raise ValueError("type the path of a folder holding *-images-idx3-ubyte[.gz] files")
        try:
            is_folder = Path(folder).is_dir()
        except OSError as err:  # a name the file system cannot even look up (longer than 255 bytes)
            raise ValueError(f"'{folder[:40]}' is not a usable folder path ({err.strerror})") from None
        if not is_folder:
            raise ValueError(f"{folder[:200]} is not a folder on the server")
        return shared_dataset(folder), f"idx:{folder}"
    upload = st.session_state.get("tr_upload")
    if upload is None:
        raise ValueError("choose a .npy or .csv file of shape (samples, features) first")
    return Dataset(upload.name, load_array_bytes(upload.getvalue(), upload.name)), f"upload:{upload.file_id}"


def _start(play: bool = True) -> None:
    s = page.value
    try:
        data, data_key = _dataset(s)
    except ValueError as err:
        st.session_state["tr_problem"] = f"Nothing was started: {err}."
        return
    setup, hp = train_setup(s, data, data_key)
    controller.reset(setup, data, hp)
    if play:
        controller.play()


def _scene_start(data: Dataset | None) -> None:
    """A scene just shown that names a trained run starts from it, paused, as on the pages with a Play button."""
    scene = take_scene_start()
    if scene is not None and scene.warm_steps and data is not None:
        start_scene(controller, lambda: _start(play=False), scene)


def _keyboard(data: Dataset | None) -> None:
    """Presenter mode's Space (train, stop, go on) and R (a fresh run, paused at step 0)."""
    command = take_command("toggle", "reset")
    if command is None or data is None:
        return
    if command == "reset":
        _start(play=False)  # paused at step 0: play() would train a chunk at once
    elif controller.playing:
        controller.pause()
    elif controller.has_run and controller.snapshot().status not in ("finished", "failed") \
            and controller.snapshot().step > 0:
        controller.play()
    else:
        _start()


def _load_model() -> None:
    ss = st.session_state
    upload = ss.get("tr_model_upload")
    if upload is None:
        return
    try:
        model, hp, cfg = from_zip(upload.getvalue())
        data, _ = _dataset(page.value)
        if data.d != model.d_in:
            raise ValueError(f"the model expects {model.d_in} input dimensions but {data.name} has {data.d}; "
                             "choose matching data above, then load again")
    except ValueError as err:
        ss["tr_problem"] = f"The model was not loaded: {err}."
        return
    set_current_model(TrainedModel(model, hp, 1.0, data, f"the uploaded file {upload.name}"))
    notes = "".join(f" Note: {note}." for note in cfg["load_notes"])
    ss["tr_loaded"] = (f"Loaded {upload.name}: {LABELS[model.architecture]}, {model.d_sae} latents, for {data.name}."
                       + notes)


def _toy_settings() -> None:
    a, b = st.columns(2)
    a.number_input("True features", 2, 512, **page.widget("toy_features"))
    b.number_input("Dimensions d", 2, 256, **page.widget("toy_d"))
    a.number_input("Samples", 1000, 200_000, step=1000, **page.widget("toy_samples"))
    b.slider("Firing probability", 0.005, 0.5, step=0.005, **page.widget("toy_prob"))
    a.slider("Probability decay per feature", 0.9, 1.0, step=0.005, help="Feature i fires with probability p·decayⁱ.",
             **page.widget("toy_prob_decay"))
    b.slider("Importance decay per feature", 0.9, 1.0, step=0.005, **page.widget("toy_importance"))
    a.selectbox("Magnitudes", MAGNITUDES, **page.widget("toy_magnitude"))
    b.number_input("Correlated pairs", 0, 64, help="The first 2·n features fire together in pairs.",
                   **page.widget("toy_groups"))
    a.slider("Noise (standard deviation)", 0.0, 0.5, step=0.01, **page.widget("toy_noise"))


def _data_settings() -> Dataset | None:
    st.subheader("Data")
    source = st.selectbox("Source", list(SOURCES), format_func=SOURCES.get, **page.widget("source"))
    if source == "toy":
        _toy_settings()
    elif source == "idx":
        st.text_input("Folder on the server", placeholder="/path/to/mnist",
                      help="A folder holding train-/t10k-images-idx3-ubyte[.gz] (labels optional).",
                      **page.widget("idx_folder"))
    elif source == "upload":
        st.file_uploader("Array file", type=["npy", "csv"], key="tr_upload",
                         help="Shape (samples, features), numbers only, at most 50 MiB.")
    try:
        data, _ = _dataset(page.value)
    except ValueError as err:
        message = str(err)
        st.warning(message[:1].upper() + message[1:] + ".", icon=":material/info:")
        return None
    st.caption(f"{data.name}: {len(data.x):,} samples × {data.d} features"
               + (f", {data.image_shape[0]}×{data.image_shape[1]} images" if data.image_shape else ""))
    return data


def _model_settings() -> None:
    st.subheader("Model")
    arch = st.selectbox("Architecture", list(SPECS), format_func=LABELS.get, **page.widget("arch"))
    a, b = st.columns(2)
    a.number_input("Latents", 2, 4096, help="Dictionary size. More than the input dimension makes the SAE "
                   "overcomplete; fewer makes a bottleneck.", **page.widget("latents"))
    b.number_input("Epochs", 0.5, 500.0, step=5.0, **page.widget("epochs"))
    a.select_slider("Learning rate", (None, *LEARNING_RATES), **page.widget("lr"),
                    format_func=lambda v: "preset for the data" if v is None else f"{v:g}")
    b.selectbox("Batch size", BATCH_SIZES, **page.widget("batch"))
    for col, knob in zip((a, b), spec_of(arch).knobs):
        col.select_slider(knob.label, knob.values, help=knob.help, format_func=lambda v: f"{v:g}",
                          **page.widget(knob.param))
    b.number_input("Seed", 0, 10_000, **page.widget("seed"))


st.title("Train an SAE")
st.markdown("Choose data and an architecture, then train. Toy data come with their true features, so you can "
            "check which ones the SAE found.")
page.warn_problems()
if problem := st.session_state.pop("tr_problem", None):
    st.error(problem, icon=":material/error:")
if loaded := st.session_state.pop("tr_loaded", None):
    st.success(loaded, icon=":material/check_circle:")

data_col, model_col = st.columns(2)
with data_col:
    data = _data_settings()
with model_col:
    _model_settings()

_scene_start(data)
_keyboard(data)
running = controller.playing
cols = st.columns([1, 1, 3])
cols[0].button("Train", key="tr_start", on_click=_start, type="primary", disabled=running or data is None,
               width="stretch", icon=":material/play_arrow:")
cols[1].button("Stop", key="tr_stop", on_click=controller.pause, disabled=not running, width="stretch",
               icon=":material/stop:")


def _progress(snap: LiveSnapshot) -> None:
    now = snap.now
    eta = f", about {snap.seconds_left:.0f} s left" if snap.seconds_left and snap.status == "training" else ""
    st.progress(snap.progress or 0.0, text=f"Step {now.step:,} of {snap.target_steps:,}{eta}")
    cols = st.columns(5)
    cols[0].metric("L0", f"{now.l0:.1f}",
                   help=f"{HELP['l0']} A latent fires when {spec_of(snap.arch).firing}.")
    cols[1].metric("Explained variance", f"{now.fve:.1%}", help=HELP["fve"])
    cols[2].metric("MSE per dimension", f"{now.mse:.4g}", help=HELP["mse"] + f" Here: {now.mse_per_sample:.4g} per sample.")
    cols[3].metric("Dead latents", "—" if now.dead_fraction is None else f"{now.dead_fraction:.0%}", help=DEAD_HELP)
    cols[4].metric("Steps per second", f"{snap.steps_per_second:,.0f}", help=HELP["steps_per_second"])
    show_figure(live_curves(snap.curve, show_mmcs=now.mmcs is not None), "tr_curves")


def _recovery(snap: LiveSnapshot) -> None:
    st.subheader("Ground-truth recovery")
    m = snap.matching
    st.markdown(f"**{len(m.found)} of {len(m.sims)}** true features found (matched atom cosine ≥ {FOUND_COSINE}).")
    cols = st.columns(3)
    cols[0].metric("MMCS", f"{snap.now.mmcs:.3f}", help=HELP["mmcs"])
    cols[1].metric("MCC", f"{m.mcc:.3f}", help=HELP["mcc"])
    a, b = st.columns([1.4, 1])
    show_figure(cosine_heatmap(m.cosines), "tr_cos", where=a)
    show_figure(mmcs_curve(snap.curve), "tr_mmcs", where=b)
    if m.missed:
        b.caption("Not found yet: " + ", ".join(f"#{i} (best {m.sims[i]:.2f})" for i in m.missed[:30])
                  + (" …" if len(m.missed) > 30 else ""))


@live_fragment(controller)
def progress_panel(ticking: bool) -> None:
    if not controller.has_run:
        st.info("Set things up above and press **Train**.", icon=":material/arrow_upward:")
        return
    snap = controller.tick()
    if snap.status == "finished" and st.session_state.get(HANDED_OVER) != snap.run_id:
        st.session_state[HANDED_OVER] = snap.run_id
        set_current_model(controller.trained_model("the Train page"))
    live_status(controller, snap, ticking, "Lower the learning rate and press Train again.")
    _progress(snap)
    if snap.matching is not None:
        _recovery(snap)
    elif snap.image_shape:
        show_image(tile(list(snap.x) + list(snap.x_hat), snap.image_shape, cols=len(snap.x), per_image=False),
                   "tr_recon", caption="Inputs (top) and their reconstructions (bottom)", live=True)


progress_panel(running)

st.subheader("Save or load a model")
cols = st.columns(2)
with cols[0]:
    snap = controller.snapshot() if controller.has_run and not running else None
    if snap is not None and snap.status == "failed":
        st.caption("This run diverged, so its weights are not worth keeping: train again to download a model.")
    elif snap is not None:
        name = f"sae-{snap.arch}-{snap.latents}"
        st.download_button("Download (SAELens folder, zipped)", controller.export_zip(name), file_name=f"{name}.zip",
                           mime="application/zip", key="tr_download", icon=":material/download:")
        saelens_name = SPECS[snap.arch].saelens_name
        st.caption(f"A SAELens 6 folder (cfg.json, sae_weights.safetensors, sparsity.safetensors) for raw inputs in "
                   f"their own units: `SAE.load_from_disk` reads it as a '{saelens_name}' SAE."
                   if saelens_name else "No SAELens architecture computes this model: the file loads here only.")
    else:
        st.caption("Train a model (and let it finish or stop it) to download it.")
with cols[1]:
    st.file_uploader("Load a model (.zip holding cfg.json and sae_weights.safetensors)", type=["zip"],
                     key="tr_model_upload", on_change=_load_model,
                     help="Saved here or by SAELens (standard, TopK, JumpReLU and BatchTopK SAEs). Only safetensors "
                          "weights are read; nothing in the file is executed.")
    if (model := current_model()) is not None:
        st.page_link("pages/features.py", label=f"Explore the features of the model from {model.source}",
                     icon=":material/travel_explore:")
page.publish()
