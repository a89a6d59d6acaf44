"""The boundaries: the science (`sae_core`) imports neither the app's core nor Streamlit, directly or through
another module, and the app's core (`app_core`) does not import Streamlit."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # imports every module in fresh interpreters

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, pkgutil, sys
package = importlib.import_module(sys.argv[1])
names = [m.name for m in pkgutil.walk_packages(package.__path__, sys.argv[1] + ".") if not m.name.endswith("__main__")]
for name in names:
    importlib.import_module(name)
for outsider in sys.argv[2:]:
    print(outsider, sorted(m for m in sys.modules if m == outsider or m.startswith(outsider + "."))[:3])
print(len(names))
"""


@pytest.mark.parametrize("package, outsiders", [("sae_core", ["streamlit", "app_core", "components", "pages"]),
                                                ("app_core", ["streamlit", "components", "pages"])])
def test_importing_every_module_of_a_package_never_imports_what_lies_outside_it(package, outsiders):
    out = subprocess.run([sys.executable, "-c", PROBE, package, *outsiders], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    *found, count = out.stdout.splitlines()
    assert int(count) >= 20, "the walk found too few modules to mean anything"
    assert found == [f"{outsider} []" for outsider in outsiders]
