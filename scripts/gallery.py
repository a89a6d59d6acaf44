"""The README's gallery: every page, and presenter mode, screenshotted from the real app in Chromium.

Run `make screenshots` (or `.venv/bin/python scripts/gallery.py`). It starts the app on a free port with the
frontier worker on and the project's own cache (so a computed Frontier is reused), drives each page as a visitor
would (Play, a few seconds of training, a scene's keys), writes `docs/gallery/*.png` and rewrites the README's
gallery section between its markers.
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_for_app  # noqa: E402

OUT = ROOT / "docs" / "gallery"
README = ROOT / "README.md"
DESKTOP, PROJECTOR = (1440, 900), (1920, 1080)
FRONTIER_WAIT_S = 600  # a fresh cache computes the toy frontier first: minutes on a small machine


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    caption: str
    size: tuple[int, int] = DESKTOP
    steps: tuple = field(default_factory=tuple)  # ("click", button) · ("key", key) · ("wait", s) · ("see" / "scroll", selector)


SHOTS = (
    Shot("home", "", "Start here: the path through the concepts to the SAE pages"),
    Shot("autoencoders", "autoencoders", "Autoencoders: a bottleneck and a sparse autoencoder trained side by side",
         steps=(("click", "Play"), ("wait", 8), ("click", "Pause"))),
    Shot("norms", "norms", "Sparsity and the L1 norm: L0, L1 and L2 of a vector you drag, and the L1 ball's corners"),
    Shot("kl", "kl_divergence", "KL vs Jensen–Shannon: drag P and Q"),
    Shot("kl-loss", "kl_loss?dir=reverse", "KL as a loss: reverse KL picks one mode",
         steps=(("click", "Play"), ("wait", 6))),
    Shot("superposition", "superposition?p=0.01&decay=1", "Superposition: five sparse features form a pentagon",
         steps=(("click", "Play"), ("wait", 8))),
    Shot("sparsity", "sparsity?data=toy&latents=64", "Sparsity trade-off: an SAE trained live on toy data",
         steps=(("click", "Play"), ("wait", 6), ("click", "Pause"))),
    Shot("train", "train?arch=topk&k=8&epochs=3", "Train an SAE: TopK on toy data with known features",
         steps=(("click", "Train"), ("wait", 10), ("scroll", ".st-key-tr_curves"))),
    Shot("features", "features", "Feature explorer: atoms, densities and top inputs of a quick MNIST SAE",
         steps=(("click", "Train a quick"), ("see", "[data-testid=stImage]"), ("wait", 2))),
    Shot("frontier", "frontier", "Frontier: L0 against MSE for every SAE family and dictionary learning",
         steps=(("see", ".st-key-fr_chart .js-plotly-plot"),)),
    Shot("present-kl", "kl_divergence?present=1&scene=kl-disjoint",
         "Presenter mode at 1920×1080: a scene's question, big type, no sidebar", size=PROJECTOR),
    Shot("present-kl-loss", "kl_loss?present=1&scene=kl-forward",
         "Presenter mode: a scene is a slide (its question, its controls, its figures) and A reveals the answer",
         size=PROJECTOR, steps=(("key", "Space"), ("wait", 6), ("key", "a"), ("wait", 1))),
    Shot("build-talk", "talks", "Build a talk: every scene with its question; pick, order, present or copy the link"),
    Shot("present-sparsity", "sparsity?present=1&scene=so-too-much-l1",
         "Presenter mode: a scene resumes a trained run; Space plays it", size=PROJECTOR,
         steps=(("key", "Space"), ("wait", 4), ("key", "Space"))),
    Shot("present-superposition", "superposition?present=1&scene=sp-pentagon",
         "Presenter mode: → walks the scenes, here the pentagon", size=PROJECTOR,
         steps=(("key", "Space"), ("wait", 8))),
)


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


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    env = {"SAE_PLAYGROUND_BACKGROUND": "1"}
    with streamlit_server(env=env) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for shot in SHOTS:
            width, height = shot.size
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{url}/{shot.path}")
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
    rows = "\n".join(f"**{s.caption}**\n\n![{s.caption}](docs/gallery/{s.name}.png)\n" for s in SHOTS)
    block = (f"<!-- gallery:start -->\n*Made by `make screenshots` from the running app in Chromium "
             f"({time.strftime('%Y-%m-%d')}).*\n\n{rows}<!-- gallery:end -->")
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(r"<!-- gallery:start -->.*?<!-- gallery:end -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + f"\n\n## Gallery\n\n{block}\n"
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
