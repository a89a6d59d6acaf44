"""The science/UI boundary: no module of sae_core imports Streamlit, directly or through another."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, pkgutil, sys
import sae_core
names = [m.name for m in pkgutil.walk_packages(sae_core.__path__, "sae_core.") if not m.name.endswith("__main__")]
for name in names:
    importlib.import_module(name)
print(len(names), "streamlit" in sys.modules, sorted(m for m in sys.modules if m.startswith("streamlit"))[:3])
"""


def test_importing_every_sae_core_module_never_imports_streamlit():
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    count, imported, which = out.stdout.split(" ", 2)
    assert int(count) >= 30, "the walk found too few modules to mean anything"
    assert imported == "False", f"streamlit was imported: {which}"
