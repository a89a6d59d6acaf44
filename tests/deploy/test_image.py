"""The container image (Dockerfile; no container runtime on the development machines) holds what the app runs."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_image_copies_every_package_and_folder_the_app_imports():
    # The image copies folders one by one: a new top-level package (app_core, after the split) must be among them.
    dockerfile = (ROOT / "Dockerfile").read_text()
    packages = [p.name for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.name not in ("tests", "bench")]
    assert {"sae_core", "app_core", "components"} <= set(packages)
    missing = [name for name in [*packages, "pages", "assets", ".streamlit"] if f"COPY {name} ./{name}" not in dockerfile]
    assert not missing, f"the Dockerfile copies no {missing}"
