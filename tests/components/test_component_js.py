"""Product JavaScript under components/ owns its DOM: it selects none of Streamlit's elements by data-testid and
touches neither a global plotly.js nor Plotly's private attributes (issue 26: a Streamlit or Plotly upgrade broke
those silently). The files still on the old path are listed by name until their pages have moved."""

import re
from pathlib import Path

COMPONENTS = Path(__file__).resolve().parents[2] / "components"
VENDORED = {COMPONENTS / "web" / "plotly.min.js"}  # the installed plotly package's bundle, served as it is
FORBIDDEN = re.compile(r"data-testid|window\.Plotly|_fullLayout|\._context\b|nsewdrag")
# Still on the old path (issue 26, item 2): each leaves this list, and the tree, when its last page has moved.
NOT_YET_MOVED = {"slider_preview.js", "marker_drag.js"}


def product_js() -> list[Path]:
    return sorted(p for p in COMPONENTS.rglob("*.js") if p not in VENDORED)


def offences(path: Path) -> list[str]:
    return sorted(set(FORBIDDEN.findall(path.read_text(encoding="utf-8"))))


def test_no_product_js_reaches_into_streamlit_or_plotly_internals():
    found = {p.relative_to(COMPONENTS).as_posix(): offences(p) for p in product_js()}
    assert "web/interactive_figure.js" in found and "web/lifecycle.js" in found  # the scan sees the new folder
    reaching = {name: hits for name, hits in found.items() if hits and name not in NOT_YET_MOVED}
    assert reaching == {}


def test_the_files_not_yet_moved_still_exist_and_still_need_to():
    # Once one is rewritten or deleted, it leaves NOT_YET_MOVED, so that the list cannot hide a new offence.
    for name in NOT_YET_MOVED:
        assert offences(COMPONENTS / name), f"{name} no longer reaches in: take it off NOT_YET_MOVED"


def test_the_pattern_catches_each_kind_of_reach(tmp_path):
    for line in ("document.querySelector('[data-testid=\"stMain\"]')", "window.Plotly.react(gd)",
                 "gd._fullLayout.xaxis", "gd._context.toImageButtonOptions", "gd.querySelector('.nsewdrag')"):
        sample = tmp_path / "sample.js"
        sample.write_text(line, encoding="utf-8")
        assert offences(sample), line
    sample.write_text("plotly().then((Plotly) => Plotly.react(chart, data, layout))", encoding="utf-8")
    assert offences(sample) == []


def test_every_component_mounts_through_the_shared_lifecycle_and_numbers_what_it_sends():
    # One instance scheme and one sequence/ack protocol (issue 26, item 2), not one per component.
    entries = {p.name: p.read_text(encoding="utf-8") for p in (COMPONENTS / "web").glob("*.js")
               if p not in VENDORED and "export default function" in p.read_text(encoding="utf-8")}
    assert {"interactive_figure.js", "figure_images.js", "distribution_canvas.js", "vector_editor.js"} <= set(entries)
    for name, text in entries.items():
        assert 'from "./lifecycle.js"' in text and "mounted(component" in text, name
        if "setStateValue(" in text or "this.send(" in text:
            assert "new Sequence()" in text and ".next()" in text, name
