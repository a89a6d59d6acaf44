"""Presenter mode (`?present=1`): the frame a talk is given in, its scenes, and its keyboard.

The frame (app.py calls `presenter_frame` before the page runs) hides the sidebar and secondary controls, shows
the scene's title and question, makes the scene a slide (only what it is about, scaled to the screen) and listens
to the keyboard: Space play/pause, → and ← next and previous scene, R reset, a scene by number (two digits past 9),
Esc leaves; in the browser alone, A the answer, F the scene's figure full screen, ↓ ↑ Home End scroll. A key
reaches Python as a command; scene changes are carried out here, Space and R by the page's live buttons
(`take_command`), and R on a page with nothing to train reloads the scene.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Mapping, Sequence

import streamlit as st

from app_core.registry import PAGES
from app_core.talk import FRAME_PARAMS, PRESENT, SCENE, TALK, scene_named
from app_core.talk.talk import Talk, scene_query, talk_for

_HERE = Path(__file__).parent
_KEYS = st.components.v2.component(
    "sae_playground.presenter_keys",
    html="",
    js=(_HERE / "presenter_keys.js").read_text(encoding="utf-8"),
    css=(_HERE / "presenter_keys.css").read_text(encoding="utf-8"),
    isolate_styles=True,
)
_SCALE_REPORT = st.components.v2.component(
    "sae_playground.presenter_scale",
    html="",
    js=(_HERE / "presenter_scale.js").read_text(encoding="utf-8"),
    isolate_styles=True,
)
_CSS = "\n".join((_HERE / name).read_text(encoding="utf-8") for name in ("presenter.css", "presenter_contrast.css"))
PRESENTING = "present_on"  # session flag, read by figures (projector style) and pages
_COMMAND = "presenter_command"
_SCENE_START = "presenter_scene_start"  # slug of a scene just loaded, until its page has set it up
_KEYS_KEY = "presenter_keys"
_TOGGLE_KEY = "presenter_toggle"
_PAGE = "presenter_page"  # URL path of the page this run draws
_LAST_KEY = "presenter_last_key"  # (number, time) of the last key press carried out
_SHOWN = "presenter_scene_shown"  # the scene last set up: a URL still naming it is not a new arrival
_ON_PAGE = "presenter_scene_on_page"  # the scene the page is drawn as, for the parts a component leaves out
_SCALE = "presenter_slide_scale"
_SLOT = "presenter_scale_slot"  # this run's place for the scale report, drawn after the page
_SCALE_KEY = "presenter_scale"
MIN_SCALE, MAX_SCALE = 0.4, 2.5  # a phone's width to a 4K screen


PAGE_FILES = {page.url_path: page.path for page in PAGES}
PAGE_TITLES = {page.url_path: page.title for page in PAGES}


def slide_scale() -> float:
    """The presenting screen's size against the 1920×1080 a scene is laid out for (1 until the browser says)."""
    return st.session_state.get(_SCALE, 1.0)


def _on_scale() -> None:
    value = st.session_state.get(_SCALE_KEY) or {}
    scale = value.get("scale") if isinstance(value, dict) else getattr(value, "scale", None)
    if isinstance(scale, (int, float)) and math.isfinite(scale):  # a tampered message changes nothing
        st.session_state[_SCALE] = min(max(float(scale), MIN_SCALE), MAX_SCALE)


def presenting() -> bool:
    return bool(st.session_state.get(PRESENTING))


def frame_query() -> dict[str, str]:
    """The frame's URL parameters now in the URL: a page writing its own state keeps them."""
    params = st.query_params.to_dict()
    return {name: params[name] for name in FRAME_PARAMS if name in params}


def _page_params() -> list[str]:
    return [name for name in st.query_params if name not in FRAME_PARAMS]


def _on_key() -> None:
    value = st.session_state.get(_KEYS_KEY) or {}
    command = value.get("command") if isinstance(value, dict) else getattr(value, "command", None)
    if not isinstance(command, dict) or not isinstance(command.get("name"), str):
        return
    # A trigger can be delivered to more than one run (a live page's fragment reruns in between): each key
    # press is carried out once, by its number and time.
    stamp = (command.get("n"), command.get("at"))
    last = st.session_state.get(_LAST_KEY)
    if last == stamp or (last and isinstance(last[0], int) and isinstance(stamp[0], int) and stamp[0] <= last[0]):
        return  # already carried out (the keyboard sends an unanswered command again)
    st.session_state[_LAST_KEY] = stamp
    st.session_state[_COMMAND] = command["name"]


def _on_toggle() -> None:
    if st.session_state[_TOGGLE_KEY]:
        st.query_params[PRESENT] = "1"
    else:
        _leave()


def _leave() -> None:
    for name in FRAME_PARAMS:
        if name in st.query_params:
            del st.query_params[name]
    st.session_state[PRESENTING] = False
    st.session_state.pop(_SHOWN, None)


def command_waiting() -> bool:
    """A key press arrived in a live fragment's rerun, which runs neither the frame nor the page's buttons: the
    fragment must ask for a whole rerun to carry it out."""
    return st.session_state.get(_COMMAND) is not None and presenting()


def take_command(*names: str) -> str | None:
    """A keyboard command meant for the page (e.g. "toggle", "reset"), taken once; None if there is none."""
    command = st.session_state.get(_COMMAND)
    if command in names:
        del st.session_state[_COMMAND]
        return command
    return None


def take_scene_start():
    """The scene just loaded on this page, so the page can start it afresh (and from its trained run) with
    `start_scene`, which marks it done: a run interrupted while setting it up (the slide's scale arriving, a key)
    leaves it for the next run."""
    slug = st.session_state.get(_SCENE_START)
    scene = scene_named(slug) if slug else None
    if scene is None or scene.page != st.session_state.get(_PAGE):
        return None
    return scene


def start_scene(controller, reset, scene) -> None:
    """Set `controller` to the start of `scene`: paused, afresh, from the scene's trained run if it names one."""
    controller.pause()
    reset()
    if scene.warm_steps and controller.has_run:
        # Here, not at the top: the background-work module brings in the live-training and frontier code, which a
        # server's first page does not need (app.py imports it after the page).
        from components.background_work import scene_runs

        bar = st.progress(0.0, text="Preparing this scene's trained model (once per server)…")
        controller.warm_start(scene_runs(), scene.warm_steps,
                              progress=lambda done, total: bar.progress(done / total, text=f"Preparing this scene's "
                                                                        f"trained model (once per server): step {done:,} of {total:,}"))
        bar.empty()
    st.session_state.pop(_SCENE_START, None)


def show_scene(scene, talk: Talk) -> None:
    """Go to `scene`: its page, its state in the URL, the frame around it."""
    st.session_state[_SCENE_START] = st.session_state[_SHOWN] = scene.slug
    st.session_state.pop(_COMMAND, None)
    query = scene_query(scene, talk)
    if scene.page == st.session_state.get(_PAGE):
        # switch_page (or st.rerun) to the page already shown runs it with the new parameters but leaves the
        # browser's address bar as it was: write them, and let this run draw the page from them.
        st.query_params.from_dict(query)
        return
    st.switch_page(PAGE_FILES[scene.page], query_params=query)


def presenter_frame(page: str) -> None:
    """Draw the frame for the page at URL path `page`, and carry out a scene change asked for by key."""
    ss = st.session_state
    ss[_PAGE] = page
    ss[PRESENTING] = st.query_params.get(PRESENT) == "1"
    if ss[PRESENTING] and ss.get(_COMMAND) == "leave":
        del ss[_COMMAND]
        _leave()  # and this run draws the page in its ordinary frame: a rerun would not reach the address bar
    if ss.get(_TOGGLE_KEY) != ss[PRESENTING]:
        ss[_TOGGLE_KEY] = ss[PRESENTING]
    st.sidebar.toggle("Presenter mode", key=_TOGGLE_KEY, on_change=_on_toggle,
                      help="Big type, no sidebar, scenes and keyboard control: Space play/pause, → ← scenes, "
                           "A the answer, R reset, a scene's number, F its figure full screen, Esc leave.")
    if not ss[PRESENTING]:
        ss.pop(_COMMAND, None)
        ss.pop(_ON_PAGE, None)
        return
    talk, problems = talk_for(page, st.query_params.get(TALK))
    current = st.query_params.get(SCENE)
    named = scene_named(current) if current else None
    if current and named is None:
        problems.append(f"There is no scene '{current[:40]}'; showing the page as its URL sets it.")
    elif named is not None and named.page == page and named.query and not _page_params():
        show_scene(named, talk)  # a link naming only a scene (`?present=1&scene=kl-disjoint`): set it up
    elif named is not None and named.page == page and ss.get(_SHOWN) != named.slug:
        ss[_SHOWN] = ss[_SCENE_START] = named.slug  # arrived by a whole scene link: the page starts it afresh
    command = ss.get(_COMMAND)
    target = None
    if command in ("next", "previous"):
        target = talk.step(current, 1 if command == "next" else -1)
    elif command and command.startswith("scene") and command[5:].isdigit():
        target = talk.number(int(command[5:]))
    elif command == "reset" and named is not None and named.page == page:
        target = named  # R starts the scene on screen over, exactly as it was defined
    if command and command != "toggle" and (command != "reset" or target is not None):
        ss.pop(_COMMAND, None)  # what is left ("toggle", or "reset" off any scene) is the page's to take
    if target is not None:
        show_scene(target, talk)  # on another page this does not return
        current = target.slug
    scene = scene_named(current) if current else None
    on_page = scene if scene is not None and scene.page == page else None
    ss[_ON_PAGE] = on_page.slug if on_page is not None else None
    st.html(f"<style>{_CSS}{slide_css(on_page)}</style>")
    _scene_header(talk, on_page, problems)


def scene_leaves_out(charts: Sequence[str], controls: Mapping[str, str]) -> list[str]:
    """Of a component's own parts (inside its shadow root, which the slide's rules cannot reach), those the scene
    on screen leaves out: its `charts` in the scene's `hides`, its controls ({element key: part name}) whose key is
    not in its `shows` (as the page's own controls step aside on a slide that does not name them)."""
    slug = st.session_state.get(_ON_PAGE) if presenting() else None
    scene = scene_named(slug) if slug else None
    if scene is None or not scene.shows:
        return []
    return [c for c in charts if c in scene.hides] + [part for key, part in controls.items() if key not in scene.shows]


def slide_css(scene) -> str:
    """The rules that make `scene` a slide: the page's top-level blocks that hold none of its elements step aside,
    and so do the elements it leaves out, with the blocks (rows, containers) around them that hold none of its
    elements (`Scene.shows`, `Scene.hides`)."""
    if scene is None or not scene.shows:
        return ""
    kept = ", ".join(f".st-key-{key}" for key in ("scene_header", *scene.shows))
    rules = [f"[data-testid='stMainBlockContainer'] > [data-testid='stVerticalBlock'] > "
             f":not(:is({kept}), :has({kept})) {{ display: none !important; }}"]
    if scene.hides:
        hidden = ", ".join(f".st-key-{key}" for key in scene.hides)
        rules.append(f":is({hidden}), [data-testid='stLayoutWrapper']:has({hidden}):not(:has({kept})) "
                     f"{{ display: none !important; }}")
    return "\n".join(rules)


def _keys(talk: Talk, scene) -> None:
    """The keyboard and the scene's answer (presenter_keys.js); and a place for the slide's scale, filled once
    the page has run (`finish_command`): the browser asks for a rerun when its screen's scale is not the one the
    charts were drawn for, and that rerun must not cut the page's first run short (a widget's value was lost)."""
    ss = st.session_state
    # The keyboard sends its next key once this says the last one is done; one the page has still to take
    # (Space, R) is done when a later run finds it taken.
    last = ss.get(_LAST_KEY)
    done = last[0] if last and isinstance(last[0], int) else 0
    _KEYS(key=_KEYS_KEY, on_command_change=_on_key,
          data={"presenting": True, "done": done if ss.get(_COMMAND) is None else done - 1, "count": len(talk.scenes),
                "figure": scene.shows[0] if scene is not None and scene.shows else None,
                "scene": None if scene is None else {"slug": scene.slug, "reveal": scene.reveal},
                "hint": _hint(talk, scene)})
    ss[_SLOT] = st.empty()


def _hint(talk: Talk, scene) -> str:
    if scene is None:
        return _position(talk, None) + " · → first scene · Esc leaves presenter mode"
    numbers = "1–9" if len(talk.scenes) < 10 else f"1–{len(talk.scenes)} (two digits)"
    return (_position(talk, scene.slug) + " · → next · ← previous · Space play/pause · A answer · R reset · "
            f"F figure · ↓ ↑ scroll · {numbers} a scene · Esc leave")


def _scene_header(talk: Talk, scene, problems: list[str]) -> None:
    if scene is None:
        with st.container(key="scene_bar"):  # no scene: the page keeps its own title (see presenter.css)
            for message in problems:
                st.warning(message, icon=":material/link_off:")
            _keys(talk, None)
        return
    with st.container(key="scene_header"):
        for message in problems:
            st.warning(message, icon=":material/link_off:")
        st.title(scene.title)
        st.markdown(f"**Predict:** {scene.prompt}")
        _keys(talk, scene)


def _position(talk: Talk, slug: str | None) -> str:
    at = talk.index(slug)
    where = "Talk" if talk.explicit else "This page's scenes"
    return f"{where}: scene {at + 1} of {len(talk.scenes)}" if at is not None else \
        f"{where}: {len(talk.scenes)} scene{'s' if len(talk.scenes) != 1 else ''}"


def finish_command() -> None:
    """After the page ran: a command it did not take (Space where nothing trains) is dropped, and the slide's
    scale is reported from the place kept for it in the header."""
    st.session_state.pop(_COMMAND, None)
    slot = st.session_state.pop(_SLOT, None)
    if slot is not None and presenting():
        with slot.container():
            _SCALE_REPORT(key=_SCALE_KEY, data={"scale": slide_scale()}, on_scale_change=_on_scale)
