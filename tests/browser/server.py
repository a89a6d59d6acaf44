"""Start `streamlit run app.py` on a free localhost port and wait for it like Streamlit's e2e suite."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Awaitable, Callable
from contextlib import contextmanager
from pathlib import Path

from deploy.serve import SERVER_ENV, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]
# Deep links first probe `<path>/_stcore/health` and `host-config`, get 404 and fall back: harmless.
HARMLESS_CONSOLE = ("_stcore/health", "_stcore/host-config", "Failed to load resource: the server responded with a status of 404")


def run_visits(visits: Callable[[], Awaitable], timeout_s: float):
    """`asyncio.run(visits())` on a thread of its own, and its result: in the whole suite the browser tests'
    Playwright keeps an event loop running on the test's thread, and asyncio.run refuses to start inside it."""
    done, failed = [], []

    def work():
        try:
            done.append(asyncio.run(visits()))
        except BaseException as err:  # noqa: BLE001 - raised again on the test's thread
            failed.append(err)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(timeout_s)
    if failed:
        raise failed[0]
    assert done, f"the visits did not finish within {timeout_s:.0f} s"
    return done[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(app: str = "app.py", timeout: float = 60.0, env: dict[str, str] | None = None):
    port = free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", app, "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    env = {**SERVER_ENV, **os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    log = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_healthy(url, timeout, proc=proc)
        except RuntimeError:
            log.seek(0)
            raise RuntimeError(f"streamlit exited early:\n{log.read()}") from None
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_for_app(page, timeout_ms: int = 30_000) -> None:
    """Wait until the script has finished and no skeleton placeholders remain; in presenter mode, until the charts
    are drawn for the screen's scale too (a first visit reruns once when the browser reports it)."""
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout_ms)
    page.wait_for_function("() => !document.querySelector('[data-testid=stSkeleton]')", timeout=timeout_ms)
    page.wait_for_function("() => !document.querySelector('.st-key-presenter_keys') "
                           "|| document.documentElement.dataset.slideSettled === 'true'", timeout=timeout_ms)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout_ms)


def is_harmless(text: str) -> bool:
    return any(marker in text for marker in HARMLESS_CONSOLE)


def centre_of(page, selector: str, attempts: int = 20) -> tuple[float, float]:
    """Centre of an element in the canvas, which redraws (replaces) its SVG nodes every frame."""
    for _ in range(attempts):
        box = page.locator(selector).bounding_box()
        if box:
            return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.wait_for_timeout(50)
    raise AssertionError(f"{selector} never became visible")
