"""The registry's pages as the router, the sidebar, the home page and each page's next-stop link take them.

Every page is declared once, in app_core/registry.py; this module only groups them as app.py's navigation does.
"""

from __future__ import annotations

from app_core.registry import HOME, PAGES, PATH_SECTIONS, START, Page, next_stop, path_sections, sections

PATH: dict[str, tuple[Page, ...]] = path_sections()
# Pages that serve the path rather than stand on it: the sidebar lists them after it.
TOOLS: dict[str, tuple[Page, ...]] = {name: pages for name, pages in sections().items()
                                      if name not in PATH_SECTIONS and name != START}


def all_stops() -> list[Page]:
    """Every routed page: home, the path, the tools."""
    return list(PAGES)


__all__ = ["HOME", "PATH", "TOOLS", "all_stops", "next_stop"]
