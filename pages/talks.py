"""Build a talk: every scene with its question and page; pick and order scenes, then copy or open the talk's URL."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from components.presenter import PAGE_TITLES
from components.streamlit_internals import ensure_router
from app_core.talk import PRESENT, SCENES, TALK, parse_talk, scene_named, talk_text
from app_core.talk.scenes import DEFAULT_TALK

ensure_router()

PICK = "tk_scenes"
SLUGS = [scene.slug for scene in SCENES]


def _label(slug: str) -> str:
    scene = scene_named(slug)
    return f"{scene.title} — {PAGE_TITLES[scene.page]}"


def _chosen_from_url() -> tuple[list[str], list[str]]:
    """The talk the URL names (strictly parsed: unknown scenes are named and left out), else the default talk."""
    text = st.query_params.get(TALK)
    if not text:
        return [scene.slug for scene in DEFAULT_TALK], []
    scenes, problems = parse_talk(text)
    return [scene.slug for scene in scenes], problems


def _write_url() -> None:
    chosen = st.session_state[PICK]
    if chosen:
        st.query_params[TALK] = talk_text([scene_named(slug) for slug in chosen])
    elif TALK in st.query_params:
        del st.query_params[TALK]


def _use(slugs: list[str]) -> None:
    st.session_state[PICK] = slugs
    _write_url()


st.title("Build a talk")
st.markdown("A **talk** is a list of scenes, each a page set up to ask the room one question before its figure "
            "answers it. Pick the scenes in the order you will present them (each one you add goes to the end), "
            "then open the talk: **→** and **←** walk it, **Space** plays, **A** reveals the answer, **Esc** leaves.")

# The URL's talk is the widget's default, not written into session state ahead of it: a first run cut short by a
# rerun (presenter mode's scale arriving) left the browser's widget empty while the state held the talk.
first, problems = _chosen_from_url() if PICK not in st.session_state else (None, [])
for problem in problems:
    st.warning(problem, icon=":material/link_off:")
st.multiselect("Scenes, in the order you will present them", SLUGS, key=PICK, format_func=_label,
               on_change=_write_url, placeholder="Pick the first scene",
               **({"default": first} if first is not None else {}))
cols = st.columns(2)
cols[0].button("The default talk (the text's path)", key="tk_default", width="stretch",
               on_click=_use, args=([scene.slug for scene in DEFAULT_TALK],),
               help="From an autoencoder through sparsity, the L1 norm, KL and JS, and KL as a loss, to "
                    "superposition and a live SAE.")
cols[1].button("Every scene", key="tk_all", width="stretch", on_click=_use, args=(SLUGS,))

chosen = st.session_state[PICK]
if chosen:
    query = urlencode({PRESENT: "1", TALK: talk_text([scene_named(slug) for slug in chosen])}, safe="~")
    st.link_button(f"Present this talk ({len(chosen)} scene{'s' if len(chosen) != 1 else ''})", f"./?{query}",
                   type="primary", icon=":material/slideshow:")
    st.caption("The talk's link, to copy into your notes or slides (the button at its right copies it):")
    base = st.context.url.split("?")[0].rsplit("/", 1)[0] if st.context.url else ""
    st.code(f"{base}/?{query}", language=None, wrap_lines=True)
else:
    st.info("Pick at least one scene to make a talk.", icon=":material/playlist_add:")

st.subheader("Every scene")
st.dataframe(
    [{"#": number, "scene": scene.title, "page": PAGE_TITLES[scene.page], "question": scene.prompt,
      "in your talk": chosen.index(scene.slug) + 1 if scene.slug in chosen else None}
     for number, scene in enumerate(SCENES, 1)],
    hide_index=True, width="stretch",
    column_config={"in your talk": st.column_config.NumberColumn(help="Its place in the talk above, if picked")})
