"""Every file in pages/ is routed by app.py and guarded against legacy pages/ mode."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_"))


def test_every_page_is_in_the_router_and_calls_the_guard():
    app = (ROOT / "app.py").read_text()
    assert PAGES
    for page in PAGES:
        assert f'"pages/{page.name}"' in app, f"{page.name} is not registered in app.py"
        assert "\nensure_router()\n" in page.read_text(), f"{page.name} does not call ensure_router()"


def test_url_paths_match_file_names():
    # A url_path other than the file stem makes deep links log "page not found" in the browser.
    assert "url_path=" not in (ROOT / "app.py").read_text()
