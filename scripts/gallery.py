"""The README's gallery: every page, and presenter mode, screenshotted from the real app in Chromium.

Run `make screenshots` (or `.venv/bin/python scripts/gallery.py [NAME ...]`, which retakes only the shots named,
e.g. `lm-features`). It starts the app on a free port with the
frontier worker on and the project's own cache (so a computed Frontier is reused), drives each page as a visitor
would (Play, a few seconds of training, a scene's keys), writes `docs/gallery/*.png` and rewrites the README's
gallery section between its markers.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app_core.registry import PAGES, Shot  # noqa: E402
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_for_app  # noqa: E402

OUT = ROOT / "docs" / "gallery"
README = ROOT / "README.md"
FRONTIER_WAIT_S = 600  # a fresh cache computes the toy frontier first: minutes on a small machine


def shots() -> list[tuple[str, Shot]]:
    """(URL path and query, shot) for every page's shots, in the registry's order."""
    return [(page.shot_path(shot), shot) for page in PAGES for shot in page.shots]


def _run(page, steps) -> None:
    for kind, arg in steps:
        if kind == "click":
            page.get_by_role("button", name=re.compile(arg)).first.click()
        elif kind == "key":
            page.evaluate("document.activeElement && document.activeElement.blur()")
            page.keyboard.press(arg)
        elif kind == "wait":
            page.wait_for_timeout(arg * 1000)
        elif kind == "scroll":
            page.locator(arg).first.scroll_into_view_if_needed()
        elif kind == "see":
            page.locator(arg).first.wait_for(timeout=FRONTIER_WAIT_S * 1000)
        wait_for_app(page, timeout_ms=FRONTIER_WAIT_S * 1000)


def main(names: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    taken = [(path, shot) for path, shot in shots() if not names or shot.name in names]
    unknown = set(names) - {shot.name for _, shot in taken}
    if unknown:
        raise SystemExit(f"no gallery shot named {', '.join(sorted(unknown))}; the registry's: "
                         + ", ".join(shot.name for _, shot in shots()))
    OUT.mkdir(parents=True, exist_ok=True)
    env = {"SAE_PLAYGROUND_BACKGROUND": "1"}
    with streamlit_server(env=env) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path, shot in taken:
            width, height = shot.size
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{url}/{path}")
            wait_for_app(page)
            page.wait_for_timeout(1500)
            _run(page, shot.steps)
            page.wait_for_timeout(1200)  # the last redraw's images and charts settle
            page.screenshot(path=str(OUT / f"{shot.name}.png"))
            page.close()
            print(f"{shot.name}.png", flush=True)
        browser.close()
    _write_readme()


def _write_readme() -> None:
    rows = "\n".join(f"**{s.caption}**\n\n![{s.caption}](docs/gallery/{s.name}.png)\n" for _, s in shots())
    block = (f"<!-- gallery:start -->\n*Made by `make screenshots` from the running app in Chromium "
             f"({time.strftime('%Y-%m-%d')}).*\n\n{rows}<!-- gallery:end -->")
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(r"<!-- gallery:start -->.*?<!-- gallery:end -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + f"\n\n## Gallery\n\n{block}\n"
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
