"""README's layout table names every part of the tree a newcomer would look for."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_layout_table_names_every_subpackage_and_top_level_folder():
    readme = (ROOT / "README.md").read_text()
    layout = readme[readme.index("## Layout"):]
    packages = [p for p in (ROOT / "sae_core").iterdir() if (p / "__init__.py").exists()]
    assert len(packages) >= 5
    for package in packages:
        assert f"`sae_core/{package.name}/`" in layout, f"README's layout table lacks sae_core/{package.name}/"
    for folder in ("pages", "components", "tests", "bench"):
        assert f"`{folder}/`" in layout, f"README's layout table lacks {folder}/"
