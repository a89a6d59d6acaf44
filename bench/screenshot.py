"""Screenshot app pages in headless Chromium: `python bench/screenshot.py OUT_DIR [path ...]`."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_for_app  # noqa: E402


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    paths = sys.argv[2:] or [""]
    with streamlit_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": int(__import__("os").environ.get("SHOT_HEIGHT", "1000"))})
        for path in paths:
            page.goto(f"{url}/{path}")
            wait_for_app(page)
            page.wait_for_timeout(1500)
            base, _, query = path.partition("?")
            name = (base.strip("/") or "home") + (f"-{abs(hash(query)) % 10_000}" if query else "")
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            print(out / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
