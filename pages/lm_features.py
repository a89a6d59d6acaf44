"""A language model's features: a byte-level transformer trained on Python's standard library, an SAE on its MLP,
and the payoff of the path — neurons that fire for many things, latents that fire for one, and steering."""

from __future__ import annotations

import time
from dataclasses import replace

import streamlit as st

from app_core.figures.context_html import contexts_html
from app_core.figures.lm_figures import purity_histograms, training_curve, unit_histogram
from app_core.lm_journal import read_journal
from app_core.state.lm_features import EXAMPLE_MAX, PROMPT_MAX, STEER_HI, STEER_LO, STEER_STEP, UNIT_KINDS
from components.background_work import background_enabled
from components.figure_view import show_figure
from components.lm_session import LoadedLM, lm_folder, loaded_lm, start_training, training_worker
from components.page_state import PageState
from components.streamlit_internals import ensure_router

ensure_router()

STAGE_NAMES = {"waiting": "waiting for the training process", "starting": "starting its process",
               "corpus": "reading the standard library", "lm": "training the language model",
               "activations": "collecting the MLP's activations", "sae": "training the SAE",
               "done": "saving", "browse": "indexing every unit's activations", "ready": "ready"}
STAGE_ORDER = ("starting", "corpus", "lm", "activations", "sae", "browse")
EXAMPLE_CHARS = EXAMPLE_MAX  # example text kept and searched: the rest of a paste is cut, and the page says so
STEER_CHARS = 200
CONTEXTS = 8

page = PageState.of(__file__)
state = page.load()


def _char(c: str) -> str:
    """A next character as code shows it: quoted, a line break as '\\n'; a byte of a UTF-8 character as \\xNN."""
    return repr(c) if len(c) == 1 else c


def _name(kind: str, unit: int) -> str:
    return f"{kind.capitalize()} {unit}"


# --- while the model trains -----------------------------------------------------------------------------------
@st.fragment(run_every=1.0)
def _progress() -> None:
    """What the background trains and how far it is, from the journal every replica reads; the page reruns once
    the model is ready."""
    journal = read_journal(lm_folder())
    if journal.stage == "ready":
        st.rerun()
    worker = training_worker()
    if journal.error:
        st.error(f"Training stopped: {journal.error}", icon=":material/error:")
    elif journal.stage == "waiting" and worker is None:
        st.info("Nothing is training the model on this server yet.", icon=":material/info:")
    else:
        step = STAGE_ORDER.index(journal.stage) + 1 if journal.stage in STAGE_ORDER else 1
        st.progress(journal.fraction if journal.stage in ("lm", "sae") else 0.0,
                    text=f"Stage {step} of {len(STAGE_ORDER)}: {STAGE_NAMES.get(journal.stage, journal.stage)} — "
                         f"{journal.message}" + (f" ({journal.seconds:.0f} s so far)" if journal.seconds else ""))
        if journal.stale():
            st.caption("The process training it has not reported for a minute; this server starts another.")
            start_training()
    if journal.curve:
        show_figure(training_curve(journal.curve), "lm_curve_live")
    if journal.samples:
        last = journal.samples[-1]
        st.markdown(f"What it writes after **{last['step']:,}** steps (prompt `def `):")
        st.code(last["text"], language=None, wrap_lines=True)


def _waiting(problem: str | None) -> None:
    if problem:
        st.warning(problem, icon=":material/build:")
    st.markdown("The model trains once per server, in the background, at a low priority, and is kept on disk: "
                "every later visit opens straight away.")
    if not background_enabled() and training_worker() is None and read_journal(lm_folder()).stage != "ready":
        st.button("Train the model now", key="lm_train", type="primary", icon=":material/model_training:",
                  on_click=start_training)
    _progress()


# --- the model's story ----------------------------------------------------------------------------------------
def _overview(m: LoadedLM) -> None:
    journal = read_journal(m.folder)
    facts = m.index.facts
    cfg = m.lm.cfg
    st.markdown(f"A byte-level transformer ({cfg.n_layers} layer, d_model {cfg.d_model}, {cfg.n_heads} heads, "
                f"{cfg.d_mlp} MLP neurons, context {cfg.context}) trained on "
                f"{m.meta.get('corpus', {}).get('train_chars', 0):,} characters of Python's own standard library; then an "
                f"SAE with {m.index.d_sae:,} latents on its MLP's activations.")
    cols = st.columns(4)
    bpc = m.meta.get("heldout_bits_per_char")
    cols[0].metric("Held-out bits per character", f"{bpc:.2f}" if bpc is not None else "—",
                   help="Cross-entropy on files the model never trained on, in bits: 8 is a blind guess.")
    cols[1].metric("SAE explained variance", f"{facts['fve']:.3f}", help="FVE on held-out characters' activations.")
    cols[2].metric("SAE L0", f"{facts['l0']:.1f}", help="Mean number of latents active per character.")
    cols[3].metric("Dead latents", f"{facts['dead_fraction']:.1%}", help="Latents that fire on no held-out character.")
    with st.container(key="lm_story"):
        left, right = st.columns([3, 2])
        with left:
            if journal.curve:
                show_figure(training_curve(journal.curve, bpc), "lm_curve")
            else:
                st.caption("This model was trained elsewhere (the command line): its curve was not recorded here.")
        with right:
            if journal.samples:
                picks = sorted({0, len(journal.samples) // 2, len(journal.samples) - 1})
                st.markdown("**Its writing as it learned** (prompt `def `, same seed)")
                for i in picks:
                    s = journal.samples[i]
                    st.caption(f"after {s['step']:,} steps" + (f" ({s['bits']:.2f} bits/char)" if s["bits"] else ""))
                    st.code(s["text"], language=None, wrap_lines=True)


# --- picking a unit -------------------------------------------------------------------------------------------
def _pick(kind: str, unit: int) -> None:
    page.mark_move()
    page.set(replace(page.value, kind=kind, unit=int(unit)))


def _effective_unit(m: LoadedLM) -> int:
    """The unit shown: the state's, or where it says "auto" the one whose top characters most often carry the label
    searched."""
    from sae_core.lm import search_by_label

    s = page.value
    if s.unit is not None:
        return s.unit
    best = search_by_label(m.index.purity(s.kind), s.label, k=1, min_support=5)
    return best[0]["unit"] if best else 0


def _on_kind() -> None:
    page.mark_move()
    page.set(replace(page.value, kind=st.session_state["lm_kind_pick"], unit=None))


def _on_unit_input() -> None:
    _pick(page.value.kind, st.session_state["lm_unit_pick"])


def _on_result(key: str, kind: str) -> None:
    picked = st.session_state.get(key)
    if picked is not None:
        _pick(kind, picked)


def _on_text(name: str, limit: int, what: str) -> None:
    """Typed or pasted text, kept as the link can carry it: control characters as spaces, cut at its limit."""
    key = f"lm_{name}"
    raw = st.session_state[key]
    clean = "".join(" " if ord(c) < 32 or c == "\x7f" else c for c in raw)[:limit]
    if len(raw) > limit:
        st.session_state[f"{key}_note"] = (f"Only the first {limit:,} of the {len(raw):,} characters pasted are "
                                           f"{what} (and kept in the link).")
    st.session_state[key] = clean
    page.mark_move()
    page.set(replace(page.value, **{name: clean}))


def _text_note(name: str) -> None:
    note = st.session_state.pop(f"lm_{name}_note", None)
    if note:
        st.warning(note, icon=":material/content_cut:")


def _result_pills(label: str, key: str, results: list[dict], kind: str, describe) -> None:
    if not results:
        st.caption("No unit matches.")
        return
    units = [r["unit"] for r in results]
    text = {r["unit"]: describe(r) for r in results}
    current = st.session_state.get("lm_shown_unit")
    current = current if page.value.kind == kind and current in units else None
    if st.session_state.get(key) != current:
        st.session_state[key] = current
    st.pills(label, units, format_func=text.get, key=key, on_change=_on_result, args=(key, kind))


def _search(m: LoadedLM) -> None:
    from sae_core.lm import search_by_label, search_by_text
    from sae_core.lm.labels import LABELS

    s = page.value
    kind = s.kind
    purity = m.index.purity(kind)
    by_label, by_text = st.columns(2)
    with by_label:
        st.selectbox("Find units by what they fire on", LABELS, format_func=lambda x: x.replace("_", " "),
                     **page.widget("label"))
        results = search_by_label(purity, page.value.label, k=8, min_support=5)
        _result_pills(f"{kind.capitalize()}s whose top characters are most often {page.value.label.replace('_', ' ')}",
                      "lm_label_hits", results, kind,
                      lambda r: f"{r['unit']} · {r['share']:.0%}")
    with by_text:
        page.bind("example")
        st.text_input("…or by example text: type some code", key="lm_example", on_change=_on_text,
                      args=("example", EXAMPLE_CHARS, "searched"))
        _text_note("example")
        text = page.value.example
        try:
            hits, _ = search_by_text(m.lm, text, m.sae if kind == "latent" else None, k=8)
        except ValueError as err:
            st.warning(str(err), icon=":material/error:")
            hits = []
        _result_pills(f"{kind.capitalize()}s most active over that text, on average", "lm_text_hits", hits, kind,
                      lambda r: f"{r['unit']} · {r['value']:.2f}")


def _unit(m: LoadedLM) -> None:
    from sae_core.lm import promoted_chars

    s = page.value
    unit = _effective_unit(m)
    idx = m.index
    started = time.perf_counter()
    contexts = idx.contexts(s.kind, unit, k=CONTEXTS)
    p = idx.purity(s.kind)
    best = p.best_label(unit)
    name = _name(s.kind, unit)
    with st.container(key="lm_unit_view"):
        st.subheader(name)
        shares = idx.label_shares(s.kind, unit)
        if best is None:
            st.markdown(f"Too few strong activations on held-out files to measure its purity "
                        f"({int(p.support[unit])} counted).")
        else:
            st.markdown(f"Best label **{best}**, purity **{p.purity[unit]:.0%}** of its top "
                        f"{int(p.support[unit])} held-out characters — "
                        + ", ".join(f"{label} {share:.0%}" for label, share in shares))
        st.html(contexts_html(contexts, name))
        st.caption(f"Its {len(contexts)} strongest activations in {sum(len(t) for t in idx.texts):,} held-out "
                   "characters; each character shaded by the activation there (hover for the number), the one it "
                   "fired on outlined. ↵ is a line break, · a space.")
        st.session_state["lm_contexts_ms"] = (time.perf_counter() - started) * 1000
        left, right = st.columns([3, 2])
        show_figure(unit_histogram(idx.histogram(s.kind, unit), name), "lm_hist", where=left)
        with right:
            pushed = promoted_chars(m.lm, unit, m.sae if s.kind == "latent" else None, k=8)
            shown = lambda pairs: " ".join(f"`{_char(c)}`" for c, _ in pairs)  # noqa: E731
            st.markdown(f"**Next characters it pushes up:** {shown(pushed['promoted'])}")
            st.markdown(f"**…and down:** {shown(pushed['suppressed'])}")
            st.caption("Through the MLP's output and the unembedding, leaving out the final LayerNorm's scaling: "
                       "the order is meaningful, not the size. The model predicts bytes: `\\x..` is a byte that is "
                       "not a character on its own (a piece of a multi-byte character such as é).")


@st.fragment
def _browser(m: LoadedLM) -> None:
    """A fragment: a pick reruns only this, so its contexts come at once; then, if the state moved, the whole page
    follows (steering reads the unit, and the URL is written at the end of a full run)."""
    st.header("Browse the features")
    s = page.value
    width = m.index.width(s.kind)
    if s.unit is not None and s.unit >= width:
        page.set(replace(s, unit=None))
        st.warning(f"There are {width} {s.kind}s; {s.kind} {s.unit} does not exist.", icon=":material/info:")
    unit = _effective_unit(m)
    st.session_state["lm_shown_unit"] = unit
    for key, value in (("lm_kind_pick", page.value.kind), ("lm_unit_pick", unit)):
        if st.session_state.get(key) != value:
            st.session_state[key] = value
    cols = st.columns([1, 1, 3])
    cols[0].segmented_control("Units", UNIT_KINDS, format_func=lambda k: k.capitalize() + "s", key="lm_kind_pick",
                              on_change=_on_kind, required=True)
    cols[1].number_input(f"{page.value.kind.capitalize()} number", 0, width - 1, key="lm_unit_pick",
                         on_change=_on_unit_input)
    search = st.container()  # drawn after the unit, above it: a pick's contexts wait for no search
    _unit(m)
    with search:
        _search(m)
    if not st.session_state.get("lm_full_run") and page.value != st.session_state.get("lm_drawn_state"):
        st.rerun()


# --- neurons against latents -------------------------------------------------------------------------------------
def _compare(m: LoadedLM) -> None:
    st.header("Neurons against latents")
    c = m.index.facts["comparison"]
    n_share, l_share = c["neurons"]["pure_share"], c["latents"]["pure_share"]
    cols = st.columns(3)
    cols[0].metric("Monosemantic neurons", f"{n_share:.1%}", help=f"Purity ≥ {c['threshold']:g} on held-out files.")
    cols[1].metric("Monosemantic latents", f"{l_share:.1%}")
    ratio = c["ratio"]
    cols[2].metric("Latents against neurons", f"{ratio:.1f}×" if ratio is not None else "no pure neuron",
                   help="How many times more often a latent is monosemantic than a neuron.")
    with st.container(key="lm_compare"):
        show_figure(purity_histograms(c), "lm_purity")
        st.caption(_purity_rule(m.index.facts["chars"], c))
    _split(m)


def _purity_rule(chars: int, c: dict) -> str:
    """Exactly what the figures above measure (sae_core/lm/monosemanticity.py), in words."""
    from sae_core.lm.labels import KINDS
    from sae_core.lm.monosemanticity import MIN_SUPPORT, TOP_FRACTION, top_k_for

    return (f"Over {chars:,} held-out characters, every unit counted: {c['neurons']['units']} neurons and "
            f"{c['latents']['units']} latents, dead and rare ones included. A unit's purity: of its "
            f"{top_k_for(chars):,} strongest activations (its top {TOP_FRACTION:.1%} of these characters, positive "
            "ones only, so a latent firing on fewer is judged on all it fires on), the share on characters of its "
            f"commonest tokenize kind, one of {len(KINDS)} ({', '.join(k for k in KINDS)}). Monosemantic: purity "
            f"≥ {c['threshold']:g}; a unit with fewer than {MIN_SUPPORT} positive activations counts as not "
            "monosemantic. The same rule for neurons and latents.")


def _split(m: LoadedLM) -> None:
    idx = m.index
    neuron = idx.polysemantic_neuron()
    latents = idx.splitting_latents(neuron)
    with st.container(key="lm_split"):
        st.subheader(f"One neuron, many things: neuron {neuron}")
        shares = idx.label_shares("neuron", neuron, n=4)
        st.markdown("Its top characters: " + ", ".join(f"**{label}** {share:.0%}" for label, share in shares))
        st.html(contexts_html(idx.contexts("neuron", neuron, k=4), f"Neuron {neuron}"))
        if latents:
            st.markdown(f"The SAE latents that make up most of neuron {neuron}'s strongest activations, the largest "
                        "share of each kind first: the neuron's mixture, taken apart.")
            for j in latents:
                p = idx.latent_purity
                st.markdown(f"**Latent {j}** — {p.best_label(j)}, purity {p.purity[j]:.0%}")
                st.html(contexts_html(idx.contexts("latent", j, k=2), f"Latent {j}"))
                st.button(f"Inspect latent {j}", key=f"lm_inspect_{j}", on_click=_pick, args=("latent", j))


# --- steering -------------------------------------------------------------------------------------------------
@st.cache_data(max_entries=64, show_spinner=False)
def _generate(version: str, kind: str, unit: int, value: float | None, prompt: str, seed: int, _m: LoadedLM) -> str:
    from sae_core.lm import Steer

    steer = None if value is None else Steer(unit, value, "clamp", _m.sae if kind == "latent" else None)
    return _m.lm.generate(prompt, STEER_CHARS, 0.8, seed=seed, steer=steer)


def _steer(m: LoadedLM) -> None:
    st.header("Turn a feature up")
    s = page.value
    unit = _effective_unit(m)
    name = _name(s.kind, unit)
    column_max = float(m.index.column(s.kind, unit).max())
    scale = column_max if column_max > 0 else 1.0
    cols = st.columns([2, 2, 1])
    cols[0].slider(f"Clamp {name.lower()} to this many times its largest activation", STEER_LO, STEER_HI,
                   step=STEER_STEP, **page.widget("steer"))
    page.bind("prompt")
    cols[1].text_input("Prompt", key="lm_prompt", on_change=_on_text, args=("prompt", PROMPT_MAX, "used"))
    cols[2].number_input("Seed", 0, 9_999, **page.widget("seed"))
    _text_note("prompt")
    s = page.value
    value = s.steer * scale
    st.caption(f"{name} is held at {value:.2f} at every character the model reads or writes "
               + (f"({s.steer:g} × {column_max:.2f}, its largest activation on held-out text)." if column_max > 0 else
                  "(it never fired on held-out text, so the strength is in raw units)."))
    try:
        with st.spinner(f"Writing {STEER_CHARS} characters twice…"):
            plain = _generate(m.version, s.kind, unit, None, s.prompt, s.seed, m)
            steered = _generate(m.version, s.kind, unit, value, s.prompt, s.seed, m)
    except ValueError as err:
        st.warning(f"Could not steer: {err}", icon=":material/error:")
        return
    with st.container(key="lm_steered"):
        left, right = st.columns(2)
        with left:
            st.markdown("**As trained**")
            st.code(s.prompt + plain, language=None, wrap_lines=True)
        with right:
            st.markdown(f"**With {name.lower()} clamped to {value:.2f}**")
            st.code(s.prompt + steered, language=None, wrap_lines=True)
        differ = next((i for i, (a, b) in enumerate(zip(plain, steered)) if a != b), None)
        st.caption("Same prompt, seed and temperature (0.8); " + (
            f"the texts part at character {differ + 1}." if differ is not None else
            "the texts are the same: this strength does not change what it writes."))


# --- your own SAE ---------------------------------------------------------------------------------------------
OWN_STEP_STEPS = 50
OWN_PENDING = "lm_own_pending_press"  # a press the script carries out, where it can show progress: (name, args)
OWN_BROWSE_WANTED = "lm_own_browse_wanted"
OWN_BROWSE = "lm_own_browse"  # the job registry's entry: the visitor's SAE as the browser reads it
BROWSE_OWN = "lm_browse_own"  # whether the browser and steering read the visitor's SAE


@st.cache_resource(max_entries=2, show_spinner=False)
def _own_data(version: str, _m: LoadedLM):
    """Activation rows to train on, the browsed characters' labels and the neurons' purity over them: once per model
    per server."""
    from app_core.lm_own_sae import OWN_SAMPLES, browse_labels, neuron_pure_share
    from sae_core.lm import load_corpus
    from sae_core.lm.sae import sample_activations

    cap = (_m.meta.get("run") or {}).get("corpus_cap")
    corpus = load_corpus(int(cap)) if cap else load_corpus()
    labels = browse_labels(_m.index.texts)
    return (sample_activations(_m.lm, corpus.train_bytes(), OWN_SAMPLES, seed=0), labels,
            neuron_pure_share(_m.index, labels))


def _own_controller():
    """This visitor's one live SAE run on this page, in the job registry (the model, optimiser and curve)."""
    from app_core.live import LiveController
    from components.live_session import job_controller

    return job_controller("lm_own", LiveController)


def _own_knob_value(s) -> float:
    return s.own_k if s.own_arch == "topk" else s.own_l1


def _own_what(m: LoadedLM) -> tuple:
    """(setup, data, hyperparameters) the page's state asks for: a new run for another model or architecture, the
    same run with the knob moved otherwise."""
    from app_core.lm_own_sae import own_dataset, own_hparams, own_setup

    s = page.value
    return (own_setup(m.version, s.own_arch), own_dataset(_own_data(m.version, m)[0]),
            own_hparams(s.own_arch, _own_knob_value(s)))


def _own_press(m: LoadedLM, controller, name: str, args: tuple = ()) -> None:
    """Carry out Play/Pause or Step, making the run first if there is none (its first time on a server samples the
    model's activations: seconds)."""
    if not controller.has_run:
        with st.spinner("Sampling the model's activations on the training files (once per server)…"):
            controller.configure(*_own_what(m))
    if name == "step":
        with st.spinner(f"Training {args[0]} steps…"):
            controller.step(*args)
    else:
        getattr(controller, name)(*args)


def _own_browse(m: LoadedLM, controller) -> None:
    """Pause the run, measure its SAE on the browsed characters, index its latents and show them in the browser."""
    from app_core.lm_own_sae import browse_own, lm_sae_of
    from components.live_session import job_registry, owner_id

    controller.pause()
    _, labels, neurons_pure = _own_data(m.version, m)
    with st.spinner("Measuring your SAE on the browsed characters…"):
        snap = controller.snapshot()
        value = getattr(snap.hp, _own_knob(snap.arch).param)  # the knob it was last trained with
        sae = lm_sae_of(controller.trained_model("the language model's page"))
        own = browse_own(sae, m.index, labels, neurons_pure, snap.arch, value, snap.now.step,
                         f"{m.version}:own:{snap.run_id}:{snap.now.step}:{value}")
    job_registry().put(owner_id(), OWN_BROWSE, own)
    st.session_state[BROWSE_OWN] = True
    page.mark_move()
    page.set(replace(page.value, kind="latent", unit=None))  # its best latent for the label searched
    st.rerun()  # the browser, above, reads it


def _browse_model() -> None:
    st.session_state[BROWSE_OWN] = False
    page.mark_move()
    page.set(replace(page.value, kind="latent", unit=None))


def _browsed(m: LoadedLM) -> LoadedLM:
    """The model as the browser and steering read it: with the visitor's own SAE where they chose to browse it."""
    from components.live_session import job_registry, owner_id

    if not st.session_state.get(BROWSE_OWN):
        return m
    own = job_registry().get(owner_id(), OWN_BROWSE)
    if own is None or not own.version.startswith(f"{m.version}:"):  # let go, or trained on a model since replaced
        st.session_state[BROWSE_OWN] = False
        return m
    r = own.result
    knob = _own_knob(r.arch)
    cols = st.columns([4, 1], vertical_alignment="center")
    cols[0].info(f"The browser and steering below read **your SAE**: {_arch_label(r.arch)}, {knob.symbol} = "
                 f"{r.value:g}, {own.sae.d_sae} latents after {r.step:,} steps.", icon=":material/science:")
    cols[1].button("Back to the model's SAE", key="lm_browse_model", on_click=_browse_model)
    return replace(m, sae=own.sae, index=own.index, version=own.version)


def _own_knob(arch: str):
    from app_core.lm_own_sae import knob_of

    return knob_of(arch)


def _arch_label(arch: str) -> str:
    from sae_core.models import SPECS

    return SPECS[arch].label


def _own_live(controller) -> None:
    from app_core.figures.sae_figures import live_curves
    from app_core.live.run import EVAL_SAMPLES
    from components.live_view import live_fragment, live_status
    from sae_core.evaluation.metrics import DEAD_HELP, HELP

    @live_fragment(controller)
    def panel(ticking: bool) -> None:
        if not controller.has_run:
            st.caption("Press **Play**: its loss, L0 and explained variance are drawn as it learns. Move the knob "
                       "while it plays, then **Browse its latents**.")
            return
        snap = controller.tick()
        live_status(controller, snap, ticking, "Press Reset, then choose a gentler setting of the knob.")
        now = snap.now
        with st.container(key="lm_own_live"):
            cols = st.columns(5)
            cols[0].metric("Step", f"{now.step:,}")
            cols[1].metric("L0 · active latents", f"{now.l0:.1f}", help=HELP["l0"])
            cols[2].metric("Explained variance", f"{now.fve:.1%}", help=HELP["fve"])
            cols[3].metric("MSE per dimension", f"{now.mse:.4f}", help=HELP["mse"])
            cols[4].metric("Dead latents", "—" if now.dead_fraction is None else f"{100 * now.dead_fraction:.0f}%",
                           help=DEAD_HELP)
            show_figure(live_curves(snap.curve), "lm_own_curves")
            st.caption(f"Measured as it trains on {EVAL_SAMPLES:,} of the activation rows it learns from; **Browse its "
                       "latents** measures it on held-out text.")

    panel(controller.playing)


def _own(m: LoadedLM) -> None:
    from app_core.lm_own_sae import ARCHS, OWN_LATENTS
    from components.live_view import live_buttons

    st.header("Train your own SAE on these activations")
    st.markdown(f"An SAE of {OWN_LATENTS} latents on the model's MLP activations, with the sparsity knob you choose, "
                "trained live: press **Play**, move the knob while it learns and watch L0 and explained variance "
                "answer. Then **Browse its latents** in the browser above: how does the knob change how often its "
                "latents are monosemantic?")
    controller = _own_controller()
    cols = st.columns([1, 2])
    cols[0].segmented_control("Architecture", ARCHS, format_func=_arch_label, required=True,
                              **page.widget("own_arch"))
    knob = _own_knob(page.value.own_arch)
    field = "own_k" if page.value.own_arch == "topk" else "own_l1"
    cols[1].select_slider(knob.label + (" (log scale)" if knob.log else ""), knob.values, help=knob.help,
                          format_func=lambda v: f"{v:g}", **page.widget(field))
    pending = st.session_state.pop(OWN_PENDING, None)
    if pending is not None:
        _own_press(m, controller, *pending)
    elif controller.has_run:
        controller.configure(*_own_what(m))  # the knob moved: the same run goes on with it

    def prepare(action, *args):
        if controller.has_run and action != controller.step:
            return True
        st.session_state[OWN_PENDING] = ("step" if action == controller.step else action.__name__, args)
        return False

    def reset():
        if controller.has_run:
            controller.reset(*_own_what(m))

    live_buttons(controller, "lm_own", OWN_STEP_STEPS, on_reset=reset, prepare=prepare, extra=[
        dict(label="Browse its latents", key="lm_own_browse", icon=":material/travel_explore:",
             disabled=not controller.has_run, on_click=st.session_state.__setitem__, args=(OWN_BROWSE_WANTED, True),
             help="Pause, measure it on the browsed held-out characters and show its latents in the browser above.")])
    if st.session_state.pop(OWN_BROWSE_WANTED, False) and controller.has_run:
        _own_browse(m, controller)
    _own_live(controller)
    _own_browsed(m)


def _own_browsed(m: LoadedLM) -> None:
    """Your SAE's numbers as last browsed, where it was browsed on this model."""
    from components.live_session import job_registry, owner_id

    own = job_registry().get(owner_id(), OWN_BROWSE)
    if own is None or not own.version.startswith(f"{m.version}:"):
        return
    r = own.result
    with st.container(key="lm_own_view"):
        st.markdown(f"**Your SAE as last browsed** — {_arch_label(r.arch)}, {_own_knob(r.arch).symbol} = {r.value:g}, "
                    f"after {r.step:,} steps:")
        c = st.columns(4)
        c[0].metric("Explained variance", f"{r.fve:.3f}", help="On the browsed held-out characters.")
        c[1].metric("L0", f"{r.l0:.1f}", help="Mean number of its latents active per browsed character.")
        c[2].metric("Its monosemantic latents", f"{r.pure_share:.1%}")
        c[3].metric("Monosemantic neurons, same characters", f"{r.neuron_pure_share:.1%}",
                    help="The model's neurons, on the same characters.")
        st.caption(f"Purity over the {len(m.index.neurons[0]):,} browsed characters (the page's other figures use "
                   "more held-out text, so they differ).")


st.title("A language model's features")
page.warn_problems()
st.markdown("Everything so far, on a real model: a small transformer that reads and writes Python one byte at a "
            "time. Its MLP neurons each fire for many unrelated things; an SAE's latents, trained on those neurons' "
            "activations, each fire for one — and every character's kind (inside a string, a comment, a number…) "
            "is known from Python's `tokenize`, so how *monosemantic* a unit is can be measured, not guessed.")
model, problem = loaded_lm()
if model is None:
    _waiting(problem)
else:
    _overview(model)
    st.session_state["lm_drawn_state"] = page.value  # what this full run draws: the fragment's reference
    st.session_state["lm_full_run"] = True
    browsed = _browsed(model)  # the model's SAE, or the visitor's own where they chose to browse it
    _browser(browsed)
    st.session_state["lm_full_run"] = False
    _compare(model)
    with st.container(key="lm_steer_view"):  # the steering scene's slide: its controls and both texts
        _steer(browsed)
    _own(model)
page.publish()
