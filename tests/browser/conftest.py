"""Real-browser fixtures: one Streamlit server and one Chromium per test session."""

from __future__ import annotations

import os

import pytest

from .server import CHROMIUM, CHROMIUM_ARGS, is_harmless, streamlit_server, wait_for_app

playwright_api = pytest.importorskip("playwright.sync_api")

if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium", allow_module_level=True)


@pytest.fixture(scope="session")
def app_url():
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def app_page(browser, app_url):
    """A fresh page that fails the test on any console error or Streamlit exception box."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and not is_harmless(m.text) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def goto(path: str = ""):
        page.goto(f"{app_url}/{path}")
        wait_for_app(page)
        return page

    page.goto_app = goto
    yield page
    exceptions = page.locator("[data-testid=stException]").all_inner_texts()
    context.close()
    assert not exceptions, f"Streamlit exception on the page: {exceptions}"
    assert not errors, f"console errors: {errors}"
