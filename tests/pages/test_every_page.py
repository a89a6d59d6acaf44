"""Every file in pages/ is routed by app.py and guarded against legacy pages/ mode."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_"))


def test_every_page_is_in_the_router_and_calls_the_guard():
    from app_core import registry

    routed = [page.path for page in registry.PAGES]
    assert sorted(routed) == sorted(f"pages/{page.name}" for page in PAGES), "the registry routes every page file"
    for page in PAGES:
        assert "\nensure_router()\n" in page.read_text(), f"{page.name} does not call ensure_router()"


def test_url_paths_match_file_names():
    # A url_path other than the file stem makes deep links log "page not found" in the browser.
    assert "url_path=" not in (ROOT / "app.py").read_text()


def test_pages_import_no_numerical_library():
    for page in PAGES:
        tree = ast.parse(page.read_text())
        imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not imported & {"numpy", "torch", "scipy"}, f"{page.name} imports {imported & {'numpy', 'torch', 'scipy'}}"


def test_no_function_in_pages_or_components_is_long():
    for path in sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "components").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                assert length <= 50, f"{path.name}:{node.lineno} {node.name} is {length} lines"


def _concept_pages() -> list[str]:
    from app_core.registry import CONCEPTS, path_sections
    return [page.path for page in path_sections()[CONCEPTS]]


@pytest.fixture(scope="module")
def first_visits():
    """Each concept page opened in a fresh process, app.py and the page as a first visitor gets them, printing
    whether torch was loaded; all started at once, as each spends seconds on its own imports. page -> process."""
    def code(path: str) -> str:
        return ("import sys; from streamlit.testing.v1 import AppTest; "
                f"at = AppTest.from_file({str(ROOT / 'app.py')!r}, default_timeout=60); "
                f"at.switch_page({path!r}); at.run(); assert not at.exception, at.exception; "
                "print('torch' in sys.modules)")
    visits = {path: subprocess.Popen([sys.executable, "-c", code(path)], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, cwd=ROOT) for path in _concept_pages()}
    yield visits
    for process in visits.values():
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize("path", _concept_pages())
def test_no_concept_page_loads_torch_before_it_trains(first_visits, path):
    # (The Autoencoders page loads torch at its first Play; the others never.)
    out, err = first_visits[path].communicate(timeout=300)
    assert first_visits[path].returncode == 0, err
    assert out.strip().endswith("False"), f"{path} loaded torch"


@pytest.mark.parametrize("path", _concept_pages())
def test_each_concept_page_links_the_next_stop_on_the_path(path):
    from streamlit.testing.v1 import AppTest

    from app_core.registry import next_stop
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(path)
    at.run()
    following = next_stop(path)
    links = [(link.proto.page, link.proto.label) for link in at.get("page_link")]
    expected = following.path.removeprefix("pages/").removesuffix(".py")
    assert (expected, f"Next: {following.title}") in links


def test_no_page_stops_the_script():
    # st.stop() ends the run before app.py's frame finishes it (presenter mode's scale report is drawn after the page).
    for page in PAGES:
        calls = [n for n in ast.walk(ast.parse(page.read_text())) if isinstance(n, ast.Call)
                 and isinstance(n.func, ast.Attribute) and n.func.attr == "stop"]
        assert not calls, f"{page.name} calls st.stop()"
