"""Every private name components/streamlit_internals.py uses exists in the pinned Streamlit, with the parameters it
passes; and no other module of the app reaches past Streamlit's public API."""

import ast
import inspect
import re
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import streamlit
from streamlit import runtime
from streamlit.runtime import Runtime, RuntimeConfig
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.memory_session_storage import MemorySessionStorage
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.session_manager import SessionInfo
from streamlit.runtime.websocket_session_manager import WebsocketSessionManager

ROOT = Path(__file__).resolve().parents[2]
ADAPTER = ROOT / "components" / "streamlit_internals.py"

# What the adapter may touch beyond `import streamlit as st`: the modules it imports and the attributes it reads or
# sets on Streamlit's objects. Each one is pinned by a test below.
PINNED_MODULES = {"streamlit.delta_generator", "streamlit.runtime", "streamlit.runtime.pages_manager"}
PINNED_ATTRIBUTES = {"uses_pages_directory", "exists", "get_instance", "_session_mgr", "_storage_lock",
                     "_session_storage", "_cache", "expire", "session", "shutdown", "list_sessions",
                     "_use_warning_has_been_displayed"}
# The adapter's own names and the public calls it makes (st.rerun; threading.local's attribute).
OWN_ATTRIBUTES = {"rerun", "routed", "local", "print_exc"}

PUBLIC_SUBMODULES = {"components", "column_config", "connections"}  # `st.<name>` documented in Streamlit's API
PUBLIC_MODULES = {"streamlit", "streamlit.components.v1", "streamlit.components.v2", "streamlit.column_config",
                  "streamlit.connections"}


def _required_parameters(function) -> list[str]:
    return [p.name for p in inspect.signature(function).parameters.values()
            if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


def test_the_installed_streamlit_is_the_pinned_one():
    pins = dict(line.split("==") for line in (ROOT / "requirements.txt").read_text().splitlines() if "==" in line)
    assert streamlit.__version__ == pins["streamlit"].strip()


def test_legacy_pages_mode_is_still_decided_by_the_class_flag_the_router_sets():
    assert "uses_pages_directory" in vars(PagesManager)
    assert "PagesManager.uses_pages_directory" in inspect.getsource(PagesManager)  # read per run, not copied once


def test_the_runtime_singleton_is_reached_as_the_adapter_does():
    assert _required_parameters(runtime.exists) == [] and _required_parameters(runtime.get_instance) == []
    assert "self._session_mgr =" in inspect.getsource(Runtime.__init__)
    assert RuntimeConfig.__dataclass_fields__["session_manager_class"].default is WebsocketSessionManager


def test_the_session_manager_keeps_its_lock_and_store_where_the_adapter_looks():
    source = inspect.getsource(WebsocketSessionManager.__init__)
    assert "self._storage_lock = threading.Lock()" in source
    assert "self._session_storage = session_storage" in source
    assert _required_parameters(WebsocketSessionManager.list_sessions) == ["self"]
    assert RuntimeConfig.__dataclass_fields__["session_storage"].default_factory is MemorySessionStorage


def test_the_session_store_expires_and_hands_back_what_it_forgot():
    storage = MemorySessionStorage(maxsize=4, ttl_seconds=1)
    info = SessionInfo(client=None, session=SimpleNamespace(id="gone"))
    storage.save(info)
    assert _required_parameters(storage._cache.expire) == []
    assert storage._cache.expire() == []  # not yet due
    assert storage._cache.expire(at_time=time.monotonic() + 5) == [("gone", info)]
    assert storage.get("gone") is None


def test_a_forgotten_session_is_shut_down_as_streamlit_shuts_a_closed_one():
    assert "session" in SessionInfo.__dataclass_fields__
    assert _required_parameters(AppSession.shutdown) == ["self"]


def test_the_direct_execution_check_still_hangs_on_the_flag_the_adapter_sets():
    import streamlit.delta_generator as delta_generator

    assert isinstance(vars(delta_generator)["_use_warning_has_been_displayed"], bool)
    assert "if not _use_warning_has_been_displayed:" in inspect.getsource(delta_generator._maybe_print_use_warning)


def test_the_first_element_of_a_process_does_not_walk_the_stack():
    # In a fresh process (the check runs once per process): with it skipped, drawing the first element never calls
    # inspect.stack().
    code = """
import inspect
from components.streamlit_internals import skip_direct_execution_check
skip_direct_execution_check()
def refuse(*a, **k):
    raise AssertionError("inspect.stack() was called")
inspect.stack = refuse
import streamlit as st
st.caption("first element")
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.stdout.strip().endswith("ok"), out.stderr


def _adapter_reaches() -> tuple[set[str], set[str]]:
    """(modules the adapter imports from Streamlit, attribute names it uses on anything)."""
    tree = ast.parse(ADAPTER.read_text())
    modules, attributes = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("streamlit"):
            modules |= {f"{node.module}.{a.name}" if node.module == "streamlit" else node.module for a in node.names}
        elif isinstance(node, ast.Import):
            modules |= {a.name for a in node.names if a.name.startswith("streamlit.")}
        elif isinstance(node, ast.Attribute):
            attributes.add(node.attr)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in ("getattr", "setattr", "hasattr")
              and len(node.args) > 1 and isinstance(node.args[1], ast.Constant)):
            attributes.add(node.args[1].value)
    return modules, attributes


def test_every_name_the_adapter_reaches_is_pinned_here():
    modules, attributes = _adapter_reaches()
    assert modules == PINNED_MODULES
    assert attributes - OWN_ATTRIBUTES == PINNED_ATTRIBUTES


# --- nobody else reaches in ----------------------------------------------------------------------------------------
def internal_reaches(source: str) -> list[str]:
    """Where `source` reaches past Streamlit's public API: an import of a private module, an `st.<private>`
    attribute, or a private module named in a string (importlib)."""
    found = []
    aliases = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "streamlit":
                    aliases.add(alias.asname or "streamlit")
                elif alias.name.startswith("streamlit.") and alias.name not in PUBLIC_MODULES:
                    found.append(f"line {node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "streamlit":
            if node.module not in PUBLIC_MODULES:
                found.append(f"line {node.lineno}: from {node.module} import ...")
            elif node.module == "streamlit":
                for alias in node.names:
                    if alias.name.startswith("_") or _is_private_submodule(alias.name):
                        found.append(f"line {node.lineno}: from streamlit import {alias.name}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                re.fullmatch(r"streamlit\.[\w.]+", node.value) and node.value not in PUBLIC_MODULES:
            found.append(f"line {node.lineno}: {node.value!r}")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            if node.attr.startswith("_") or _is_private_submodule(node.attr):
                found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


def _is_private_submodule(name: str) -> bool:
    return inspect.ismodule(getattr(streamlit, name, None)) and name not in PUBLIC_SUBMODULES


def _app_sources() -> list[Path]:
    paths = [ROOT / "app.py"]
    for folder in ("pages", "components", "app_core", "sae_core"):
        paths += sorted((ROOT / folder).rglob("*.py"))
    return [path for path in paths if path != ADAPTER]


def test_the_check_catches_each_way_of_reaching_in():
    assert internal_reaches("from streamlit.runtime.scriptrunner import get_script_run_ctx")
    assert internal_reaches("import streamlit.delta_generator as dg")
    assert internal_reaches("from streamlit import runtime")
    assert internal_reaches("import streamlit as st\nst.runtime.exists()")
    assert internal_reaches("import streamlit as s\ns._main")
    assert internal_reaches("import importlib\nimportlib.import_module('streamlit.commands.page_config')")
    public = ("import streamlit as st\nst.components.v2.component('x', html='')\nst.session_state.get('k')\n"
              "st.cache_resource(scope='session')\nimport streamlit.components.v2\n")
    assert internal_reaches(public) == []


def test_no_module_but_the_adapter_reaches_into_streamlit():
    offenders = {str(path.relative_to(ROOT)): found for path in _app_sources()
                 if (found := internal_reaches(path.read_text(encoding="utf-8")))}
    assert offenders == {}, f"only components/streamlit_internals.py may reach Streamlit's internals: {offenders}"


def test_the_walk_covers_the_app():
    walked = {str(path.relative_to(ROOT)) for path in _app_sources()}
    assert {"app.py", "pages/home.py", "components/session_reaper.py", "app_core/live/job_controller.py",
            "sae_core/models/persistence.py"} <= walked
    assert "components/streamlit_internals.py" not in walked
