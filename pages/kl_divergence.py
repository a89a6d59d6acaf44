"""KL vs Jensen–Shannon: drag P and Q, read KL both ways and JS, and slide them apart."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st

from components.distribution_canvas import distribution_canvas
from components.mirrored_widgets import MirroredWidgets
from components.router_guard import ensure_router
from sae_core import kl_view as kv
from sae_core.divergence import FAMILIES, Density, separation_sweep
from sae_core.figures.divergence_figures import separation_figure

ensure_router()

STATE = "kl_view"
LOC_STEP, SCALE_STEP, SEP_STEP, BAR_STEP = 0.05, 0.05, 0.1, 0.01
CANVAS = "kl_canvas"
FAMILY_LABELS = {"gaussian": "Gaussian", "laplace": "Laplace", "uniform": "Uniform", "mixture": "Two-bump mixture"}
SHADE_LABELS = {"kl_pq": "KL(P‖Q)", "kl_qp": "KL(Q‖P)", "js": "JS"}
MAX_SEP = 2 * kv.LOC_RANGE[1]


def _state() -> kv.KLViewState:
    return st.session_state[STATE]


def _set(state: kv.KLViewState, dragging: bool = False) -> None:
    st.session_state[STATE] = state
    st.session_state["kl_dragging"] = dragging


def _separation(state: kv.KLViewState) -> float:
    return round(state.q.loc - state.p.loc, 2)


def _on_grid(value: float, step: float) -> float:
    """The slider position nearest to `value`. A slider given a value off its grid snaps it and sends
    the snapped value back as a change; setting it off-grid again on every run would loop forever."""
    return round(round(value / step) * step, 6)


def _mirror() -> MirroredWidgets:
    return MirroredWidgets(st.session_state)


def _sync_widgets(state: kv.KLViewState) -> None:
    """Make every widget show the canonical state; runs before any widget is drawn."""
    mirror = _mirror()
    mirror.write("kl_mode", state.mode)
    mirror.write("kl_units", state.units)
    mirror.write("kl_shade", state.shade)
    for name, d in (("p", state.p), ("q", state.q)):
        mirror.write(f"kl_{name}_family", d.family)
        mirror.write(f"kl_{name}_loc", _on_grid(d.loc, LOC_STEP))
        mirror.write(f"kl_{name}_scale", _on_grid(d.scale, SCALE_STEP))
    for name, bars in (("p", state.p_bars), ("q", state.q_bars)):
        for i, v in enumerate(bars):
            mirror.write(f"kl_{name}b_{i}", _on_grid(v, BAR_STEP))
    mirror.write("kl_sep", _on_grid(_separation(state), SEP_STEP))


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
    family_key, loc_key, scale_key = f"kl_{name}_family", f"kl_{name}_loc", f"kl_{name}_scale"
    family = ss[family_key] if mirror.moved(family_key, current.family) else current.family
    loc = ss[loc_key] if mirror.moved(loc_key, current.loc, LOC_STEP / 2) else current.loc
    scale = ss[scale_key] if mirror.moved(scale_key, current.scale, SCALE_STEP / 2) else current.scale
    if (family, loc, scale) != (current.family, current.loc, current.scale):
        _set(replace(_state(), **{name: kv.clamp_density(family, loc, scale)}))


def _on_bar(name: str, index: int) -> None:
    state, key = _state(), f"kl_{name}b_{index}"
    attr = f"{name}_bars"
    if _mirror().moved(key, getattr(state, attr)[index], BAR_STEP / 2):
        new = kv.set_probability(getattr(state, attr), index, st.session_state[key])
        _set(replace(state, **{attr: new}))


def _on_separation() -> None:
    state = _state()
    if not _mirror().moved("kl_sep", _separation(state), SEP_STEP / 2):
        return
    half = st.session_state["kl_sep"] / 2
    centre = (state.p.loc + state.q.loc) / 2
    lo, hi = kv.LOC_RANGE
    centre = min(max(centre, lo + abs(half)), hi - abs(half))
    p = kv.clamp_density(state.p.family, centre - half, state.p.scale)
    q = kv.clamp_density(state.q.family, centre + half, state.q.scale)
    _set(replace(state, p=p, q=q))


def _on_canvas() -> None:
    """Apply the canvas's latest value once; also reached without the callback (AppTest sets it)."""
    value = (st.session_state.get(CANVAS) or {}).get("value")
    if value is None or value == st.session_state.get("kl_canvas_applied"):
        return
    st.session_state["kl_canvas_applied"] = value
    try:
        # from_canvas rejects anything but a well-formed dict, so value.get is safe after it
        _set(kv.from_canvas(_state(), value), dragging=bool(value.get("dragging")))
    except ValueError as err:
        st.session_state["kl_problem"] = f"The drag was ignored: {err}."


def _on_preset(name: str) -> None:
    _set(kv.apply_preset(_state(), name))


@st.cache_data(max_entries=256, show_spinner=False)
def _sweep(p_family: str, p_scale: float, q_family: str, q_scale: float):
    """Divergence against separation; shift-invariant, so only families and widths matter."""
    seps = np.round(np.linspace(-MAX_SEP, MAX_SEP, 97), 4)
    return separation_sweep(Density(p_family, 0.0, p_scale), Density(q_family, 0.0, q_scale), seps)


@st.cache_resource(max_entries=64, show_spinner=False)
def _sweep_figure(p_family: str, p_scale: float, q_family: str, q_scale: float, separation: float, units: str):
    """Built once per view and reused by every rerun that shows it (drags rerun the page at 10 Hz).
    Streamlit only reads the figure, so sharing one object between sessions is safe."""
    return separation_figure(_sweep(p_family, p_scale, q_family, q_scale), separation, units)


def _fmt(value: float) -> str:
    return "∞" if value == float("inf") else f"{value:.3f}"


# --- page ----------------------------------------------------------------------------------------

url = st.query_params.to_dict()
written = st.session_state.get("kl_url_written")
# A URL other than the one this page last wrote comes from outside: a pasted link, or Back/Forward
# through the history the page built. It becomes the view. A bare URL (arriving from another page)
# keeps the view this session already had.
if STATE not in st.session_state or (url and written is not None and url != written):
    initial, url_problems = kv.from_query(url)
    _set(initial)
    st.session_state["kl_url_problems"] = url_problems

_on_canvas()
state = _state()
_sync_widgets(state)

st.title("KL vs Jensen–Shannon")
st.markdown(
    "Two distributions, **P** (blue) and **Q** (orange). Drag a round handle to move a curve, a diamond to "
    "change its width, or a bar's top in discrete mode. The shaded strip shows *where* the divergence comes from."
)
for message in st.session_state.pop("kl_url_problems", []):
    st.warning(message)
if problem := st.session_state.pop("kl_problem", None):
    st.error(problem)

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

applied = st.session_state.get("kl_canvas_applied")
applied_seq = applied.get("seq") if isinstance(applied, dict) else None
distribution_canvas(state, key=CANVAS, on_change=_on_canvas,
                    applied_seq=applied_seq if isinstance(applied_seq, int) else 0)

result = kv.divergences(state)
unit = state.units
metric_cols = st.columns(3)
metric_cols[0].metric(f"KL(P‖Q) · {unit}", _fmt(result.kl_pq))
metric_cols[0].caption("Extra cost of coding samples from P with a code built for Q. Zero only when P = Q.")
metric_cols[1].metric(f"KL(Q‖P) · {unit}", _fmt(result.kl_qp))
metric_cols[1].caption("The same question the other way round: usually a different number, because KL is not symmetric.")
metric_cols[2].metric(f"JS · {unit}", _fmt(result.js))
metric_cols[2].caption(
    f"Average KL of P and Q to their mixture M = ½(P+Q): symmetric, always finite, "
    f"never above ln 2 = {result.js_ceiling:.3f} {unit} ({result.js / result.js_ceiling:.0%} of it now)."
)
for reason in kv.infinity_reasons(state):
    st.warning(reason, icon=":material/all_inclusive:")

if state.mode == "continuous":
    st.subheader("Set them precisely")
    cols = st.columns(2)
    for col, name in zip(cols, ("p", "q")):
        with col:
            st.markdown(f"**{name.upper()}**")
            st.selectbox("Family", FAMILIES, key=f"kl_{name}_family", format_func=FAMILY_LABELS.get,
                         on_change=_on_density, args=(name,))
            st.slider("Mean", *kv.LOC_RANGE, step=LOC_STEP, key=f"kl_{name}_loc", on_change=_on_density, args=(name,))
            st.slider("Width (standard deviation)", *kv.SCALE_RANGE, step=SCALE_STEP, key=f"kl_{name}_scale",
                      on_change=_on_density, args=(name,))

    st.subheader("Slide them apart: KL grows without bound, JS saturates")
    st.slider("Separation (mean of Q − mean of P)", -MAX_SEP, MAX_SEP, step=SEP_STEP, key="kl_sep",
              on_change=_on_separation)
    # While a drag is in progress the chart keeps its last figure (an unchanged element costs the
    # browser nothing); it catches up on release, so the numbers above stay quick.
    if not st.session_state.get("kl_dragging") or "kl_chart_inputs" not in st.session_state:
        st.session_state["kl_chart_inputs"] = (state.p.family, state.p.scale, state.q.family, state.q.scale,
                                               _separation(state), unit)
    st.plotly_chart(_sweep_figure(*st.session_state["kl_chart_inputs"]), key="kl_sweep_chart")
    st.caption(
        "Each point recomputes all three divergences with Q's mean moved. Gaps in a KL curve mean KL is "
        "infinite there (one support leaves the other's)."
    )
else:
    with st.expander("Set each probability (keyboard-friendly)"):
        st.caption("Setting one outcome rescales the others so each distribution still sums to 1.")
        cols = st.columns(2)
        for col, name in zip(cols, ("p", "q")):
            with col:
                st.markdown(f"**{name.upper()}**")
                for i in range(kv.N_OUTCOMES):
                    st.slider(f"{name.upper()}({i})", 0.0, 1.0, step=BAR_STEP, key=f"kl_{name}b_{i}",
                              on_change=_on_bar, args=(name, i))

# Each change of the URL adds a browser-history entry, so a drag writes it once, on release: Back then
# undoes a whole drag rather than one tenth of a second of it.
wanted = kv.to_query(state)
if not st.session_state.get("kl_dragging"):
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
    st.session_state["kl_url_written"] = wanted
