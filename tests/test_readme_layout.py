"""README's layout table names every part of the tree a newcomer would look for, in short rows."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LONGEST_ROW = 200  # characters: a row a glance can read


def _layout() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme[readme.index("## Layout"):readme.index("## Gallery")]


def test_layout_table_names_every_subpackage_and_top_level_folder():
    layout = _layout()
    for top in ("sae_core", "app_core"):
        packages = [p for p in (ROOT / top).iterdir() if (p / "__init__.py").exists()]
        assert len(packages) >= 4
        for package in packages:
            assert f"`{top}/{package.name}/`" in layout, f"README's layout table lacks {top}/{package.name}/"
    for folder in ("pages", "components", "tests", "bench", "deploy", "scripts"):
        assert f"`{folder}/`" in layout, f"README's layout table lacks {folder}/"
    assert "`components/streamlit_internals.py`" in layout  # the adapter, where a Streamlit upgrade is checked


def test_layout_rows_are_short():
    rows = [line for line in _layout().splitlines() if line.startswith("| `")]
    assert len(rows) >= 20
    long = [row[:60] for row in rows if len(row) > LONGEST_ROW]
    assert not long, f"rows over {LONGEST_ROW} characters: {long}"
