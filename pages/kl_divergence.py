"""KL vs Jensen–Shannon: drag P and Q, read KL both ways and JS, and slide them apart."""

from __future__ import annotations

import time
from dataclasses import replace

import streamlit as st

from components.distribution_canvas import distribution_canvas
from components.figure_view import show_figure
from components.live_view import pacer_key
from components.mirrored_widgets import MirroredWidgets
from components.page_state import PageState
from components.path_nav import next_step_link
from components.presenter import presenting
from components.streamlit_internals import ensure_router
from sae_core.divergence import FAMILIES
from app_core.wire import canvas_wire, sequence
from app_core.readout import divergences, infinity_reasons, separation_curves
from app_core.figures.divergence_figures import separation_figure
from app_core.live.redraw_pacing import shared_pacer
from app_core.state import kl as kv

ensure_router()
_run_started = time.perf_counter()

LOC_STEP, SD_STEP, SEP_STEP, BAR_STEP = 0.05, 0.05, 0.1, 0.01
CANVAS = "kl_canvas"
FAMILY_LABELS = {"gaussian": "Gaussian", "laplace": "Laplace", "uniform": "Uniform", "mixture": "Two-bump mixture"}
SHADE_LABELS = {"kl_pq": "KL(P‖Q)", "kl_qp": "KL(Q‖P)", "js": "JS"}
DRAG_SEND_S = 0.1  # a drag's positions reach Python ten times a second while the server has time
page = PageState.of(__file__)


def _state() -> kv.KLState:
    return page.value


def _set(state: kv.KLState, dragging: bool = False) -> None:
    page.mark_move()
    page.set(state)
    st.session_state["kl_dragging"] = dragging


def _on_grid(value: float, step: float) -> float:
    """The slider position nearest to `value`. A slider given a value off its grid snaps it and sends
    the snapped value back as a change; setting it off-grid again on every run would loop forever."""
    return round(round(value / step) * step, 6)


def _mirror() -> MirroredWidgets:
    return MirroredWidgets(st.session_state)


def _sync_widgets(state: kv.KLState) -> None:
    """Make every widget show the canonical state; runs before any widget is drawn."""
    mirror = _mirror()
    mirror.write("kl_mode", state.mode)
    mirror.write("kl_units", state.units)
    mirror.write("kl_shade", state.shade)
    for name, d in (("p", state.p), ("q", state.q)):
        mirror.write(f"kl_{name}_family", d.family)
        mirror.write(f"kl_{name}_loc", _on_grid(d.loc, LOC_STEP))
        mirror.write(f"kl_{name}_sd", _on_grid(d.sd, SD_STEP))
    for name, bars in (("p", state.p_bars), ("q", state.q_bars)):
        for i, v in enumerate(bars):
            mirror.write(f"kl_{name}b_{i}", _on_grid(v, BAR_STEP))
    mirror.write("kl_sep", _on_grid(state.separation, SEP_STEP))


# --- callbacks: each turns one widget's new value into a new canonical state ---------------------
# Widgets show the canonical state rounded to their step grid (see _on_grid): a value within half a step
# of the canonical one is that rounding, and a value the page wrote a moment ago is an echo (see
# components/mirrored_widgets.py). Neither is a move by the person, and each is ignored.


def _on_choice(attr: str, key: str) -> None:
    if _mirror().moved(key, getattr(_state(), attr)):
        _set(replace(_state(), **{attr: st.session_state[key]}))


def _on_density(name: str) -> None:
    ss, mirror = st.session_state, _mirror()
    current = getattr(_state(), name)
    family_key, loc_key, sd_key = f"kl_{name}_family", f"kl_{name}_loc", f"kl_{name}_sd"
    family = ss[family_key] if mirror.moved(family_key, current.family) else current.family
    loc = ss[loc_key] if mirror.moved(loc_key, current.loc, LOC_STEP / 2) else current.loc
    sd = ss[sd_key] if mirror.moved(sd_key, current.sd, SD_STEP / 2) else current.sd
    if (family, loc, sd) != (current.family, current.loc, current.sd):
        _set(replace(_state(), **{name: kv.clamp_density(family, loc, sd)}))


def _on_bar(name: str, index: int) -> None:
    state, key = _state(), f"kl_{name}b_{index}"
    attr = f"{name}_bars"
    if _mirror().moved(key, getattr(state, attr)[index], BAR_STEP / 2):
        new = kv.set_probability(getattr(state, attr), index, st.session_state[key])
        _set(replace(state, **{attr: new}))


def _on_separation() -> None:
    state = _state()
    if _mirror().moved("kl_sep", state.separation, SEP_STEP / 2):
        _set(kv.with_separation(state, st.session_state["kl_sep"]))


def _on_canvas() -> None:
    """Apply the canvas's latest value once; also reached without the callback (AppTest sets it)."""
    value = (st.session_state.get(CANVAS) or {}).get("value")
    if not sequence.is_new(value, st.session_state.get("kl_canvas_applied")):
        return
    st.session_state["kl_canvas_applied"] = value
    st.session_state["kl_canvas_run"] = True
    try:
        _set(canvas_wire.from_canvas(_state(), value), dragging=canvas_wire.is_dragging(value))
    except ValueError as err:
        st.session_state["kl_problem"] = f"The drag was ignored: {err}."


def _drag_send_ms() -> int:
    """How often a drag in progress sends its position: ten times a second, less often when many visitors'
    drags and live pages keep the server busy (app_core/live/redraw_pacing.py), and only on release when even
    that is too much. The canvas draws its own estimate of the numbers during a drag either way."""
    pacer = shared_pacer()
    return 0 if pacer.saturated() else round(1000 * pacer.period(DRAG_SEND_S))


def _on_preset(name: str) -> None:
    _set(kv.apply_preset(_state(), name))


_sweep = st.cache_data(max_entries=256, show_spinner=False)(separation_curves)


@st.cache_resource(max_entries=64, show_spinner=False)
def _sweep_figure(p_family: str, p_sd: float, q_family: str, q_sd: float, separation: float, units: str):
    """Built once per view and reused by every rerun that shows it (drags rerun the page at 10 Hz).
    Streamlit only reads the figure, so sharing one object between sessions is safe."""
    return separation_figure(_sweep(p_family, p_sd, q_family, q_sd), separation, units)


def _fmt(value: float) -> str:
    return "∞" if value == float("inf") else f"{value:.3f}"


def _choices() -> None:
    top = st.columns([1.1, 0.8, 1.4])
    top[0].radio("Distributions", kv.MODES, key="kl_mode", horizontal=True, format_func=str.capitalize,
                 on_change=_on_choice, args=("mode", "kl_mode"))
    top[1].radio("Units", kv.UNITS, key="kl_units", horizontal=True, on_change=_on_choice, args=("units", "kl_units"),
                 help="nats use the natural log; 1 bit = ln 2 ≈ 0.693 nats.")
    top[2].radio("Shade the contributions to", kv.SHADES, key="kl_shade", horizontal=True,
                 format_func=SHADE_LABELS.get, on_change=_on_choice, args=("shade", "kl_shade"))
    preset_cols = st.columns(len(kv.PRESETS))
    for col, (name, label) in zip(preset_cols, kv.PRESETS.items()):
        col.button(label, key=f"kl_preset_{name}", on_click=_on_preset, args=(name,), width="stretch")


def _numbers(state: kv.KLState) -> None:
    result = divergences(state)
    unit = state.units
    metric_cols = st.container(key="kl_readout").columns(3)  # a scene's slide names it
    metric_cols[0].metric(f"KL(P‖Q) · {unit}", _fmt(result.kl_pq))
    metric_cols[0].caption("Extra cost of coding samples from P with a code built for Q. Zero only when P = Q.")
    metric_cols[1].metric(f"KL(Q‖P) · {unit}", _fmt(result.kl_qp))
    metric_cols[1].caption("The same question the other way round: usually a different number, because KL is not "
                           "symmetric.")
    metric_cols[2].metric(f"JS · {unit}", _fmt(result.js))
    metric_cols[2].caption(
        f"Average KL of P and Q to their mixture M = ½(P+Q): symmetric, always finite, "
        f"never above ln 2 = {result.js_ceiling:.3f} {unit} ({result.js / result.js_ceiling:.0%} of it now)."
    )
    for reason in infinity_reasons(state):
        st.warning(reason, icon=":material/all_inclusive:")


def _continuous_controls(state: kv.KLState) -> None:
    st.subheader("Set them precisely")
    for col, name in zip(st.columns(2), ("p", "q")):
        with col:
            st.markdown(f"**{name.upper()}**")
            st.selectbox("Family", FAMILIES, key=f"kl_{name}_family", format_func=FAMILY_LABELS.get,
                         on_change=_on_density, args=(name,))
            st.slider("Mean", *kv.LOC_RANGE, step=LOC_STEP, key=f"kl_{name}_loc", on_change=_on_density, args=(name,))
            st.slider("Width (standard deviation)", *kv.SD_RANGE, step=SD_STEP, key=f"kl_{name}_sd",
                      on_change=_on_density, args=(name,))

    st.subheader("Slide them apart: KL grows without bound, JS saturates")
    st.slider("Separation (mean of Q − mean of P)", -kv.MAX_SEPARATION, kv.MAX_SEPARATION, step=SEP_STEP,
              key="kl_sep", on_change=_on_separation)
    # While a drag is in progress the chart keeps its last figure (an unchanged element costs the
    # browser nothing); it catches up on release, so the numbers above stay quick.
    if not st.session_state.get("kl_dragging") or "kl_chart_inputs" not in st.session_state:
        st.session_state["kl_chart_inputs"] = (state.p.family, state.p.sd, state.q.family, state.q.sd,
                                               state.separation, state.units)
    show_figure(_sweep_figure(*st.session_state["kl_chart_inputs"]), "kl_sweep_chart")
    st.caption(
        "Each point recomputes all three divergences with Q's mean moved. Gaps in a KL curve mean KL is "
        "infinite there (one support leaves the other's)."
    )


def _discrete_controls() -> None:
    with st.expander("Set each probability (keyboard-friendly)"):
        st.caption("Setting one outcome rescales the others so each distribution still sums to 1.")
        for col, name in zip(st.columns(2), ("p", "q")):
            with col:
                st.markdown(f"**{name.upper()}**")
                for i in range(kv.N_OUTCOMES):
                    st.slider(f"{name.upper()}({i})", 0.0, 1.0, step=BAR_STEP, key=f"kl_{name}b_{i}",
                              on_change=_on_bar, args=(name, i))


# --- page ----------------------------------------------------------------------------------------

page.load()
_on_canvas()
state = _state()
_sync_widgets(state)

st.title("KL vs Jensen–Shannon")
st.markdown(
    "Two distributions, **P** (blue) and **Q** (orange). Drag a round handle to move a curve, a diamond to "
    "change its width, or a bar's top in discrete mode. The shaded strip shows *where* the divergence comes from."
)
page.warn_problems()
if problem := st.session_state.pop("kl_problem", None):
    st.error(problem)
_choices()
distribution_canvas(state, key=CANVAS, on_change=_on_canvas,
                    applied_seq=sequence.sequence_number(st.session_state.get("kl_canvas_applied")),
                    large=presenting(), send_ms=_drag_send_ms())
_numbers(state)
if state.mode == "continuous":
    _continuous_controls(state)
else:
    _discrete_controls()
next_step_link("pages/kl_divergence.py")
# Each change of the URL adds a browser-history entry, so a drag writes it once, on release: Back then
# undoes a whole drag rather than one tenth of a second of it.
page.publish(hold=bool(st.session_state.get("kl_dragging")))
if st.session_state.pop("kl_canvas_run", False):  # what a drag costs the server, for the pacer
    shared_pacer().record(pacer_key(), time.perf_counter() - _run_started, DRAG_SEND_S)
