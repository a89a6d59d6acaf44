"""The browser tab: the app's own icon and title, on the home page and on a deep link, with nothing fetched."""

import base64
from pathlib import Path

import pytest

FAVICON = Path(__file__).resolve().parents[2] / "assets" / "favicon.png"
ICON_HREFS = "() => [...document.querySelectorAll('link[rel~=icon]')].map(l => l.href)"


@pytest.mark.parametrize("path,heading", [("", "SAE Playground"), ("kl_divergence", "KL vs Jensen–Shannon")])
def test_the_tab_shows_the_apps_icon_and_title(app_page, path, heading):
    # app_page fails the test on a console error: an icon fetched from the internet (a page's Material icon,
    # shown when the app sets none) fails offline and would be one.
    page = app_page.goto_app(path)
    page.get_by_role("heading", name=heading).first.wait_for()
    hrefs = page.evaluate(ICON_HREFS)
    assert any(h.startswith("data:image/png;base64,") and base64.b64decode(h.split(",", 1)[1]) == FAVICON.read_bytes()
               for h in hrefs), hrefs
    assert page.title() == "SAE Playground"
