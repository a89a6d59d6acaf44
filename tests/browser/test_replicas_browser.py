"""Two replicas behind nginx, in Chromium: each visitor stays on its replica through reruns, media included, and
both replicas serve (the proxy's own rules are tested in tests/deploy/test_replicas.py)."""

from __future__ import annotations

import os

import pytest

from deploy.serve import NGINX
from tests.deploy.test_replicas import _keys_for_each_replica, proxy  # noqa: F401 - the fixture, shared

from .server import is_harmless, wait_for_app

pytestmark = pytest.mark.skipif(not os.path.exists(NGINX), reason="nginx is missing: `make test` installs Debian's nginx")


def test_each_visitor_stays_on_its_replica_through_reruns_and_both_serve(proxy, browser):
    # The session's browser: Playwright's sync API allows one instance per process at a time.
    keys = _keys_for_each_replica(proxy)
    for replica, key in keys.items():
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.add_cookies([{"name": "sae_replica", "value": key, "domain": "127.0.0.1", "path": "/"}])
        page = context.new_page()
        answered, errors = [], []
        # Only what went over the network: a custom component's script is a blob: URL the page made itself.
        page.on("response", lambda r: answered.append(r.headers.get("x-replica")) if r.url.startswith("http") else None)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and not is_harmless(m.text)
                else None)
        page.goto(f"http://127.0.0.1:{proxy.port}/autoencoders")
        wait_for_app(page)
        image = page.locator("[data-testid=stImage] img").first  # a media file: its own HTTP request
        image.wait_for()
        assert page.evaluate("(img) => img.naturalWidth", image.element_handle()) > 0
        slider = page.locator(".st-key-ae_sizes input[type=range]")  # the interactive figure's own slider
        slider.focus()
        page.keyboard.press("ArrowRight")  # a rerun over the same websocket
        page.wait_for_function("() => location.search.includes('width=24')", timeout=20_000)
        wait_for_app(page)
        assert page.locator("[data-testid=stException]").count() == 0
        assert errors == []
        assert set(answered) == {replica}, answered  # every request of this visitor, one replica
        context.close()


