"""Rooms match the screens: a newcomer who sees an organizer or council page finds its code by name.
Each page template (``templates/<role>/<page>.html``) is rendered by exactly one view module, the one
named after the page, or after the tab the page belongs to (listed here)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

# Pages that belong to another page's tab: the module of that tab renders them.
TAB_OF = {
    "organizer": {"entry": "intake", "invitations": "entrants", "judge_cards": "judges",
                  "publish_confirm": "results"},
    "council": {"password": "home", "receipt": "entry"},
}


def _rendered(module: Path, role: str) -> set[str]:
    """The page names a module renders (first argument of ``render_template``)."""
    names = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "render_template" and node.args:
            first = node.args[0]
            if (isinstance(first, ast.Constant) and str(first.value).startswith(f"{role}/")
                    and str(first.value).endswith(".html")):  # pages, not a mail's text
                names.add(Path(first.value).stem)
    return names


@pytest.mark.parametrize("role", ["organizer", "council"])
def test_each_page_is_rendered_by_the_module_of_its_tab(role: str) -> None:
    package = ROOT / "judging" / "views" / role
    modules = {p.stem: p for p in package.glob("*.py") if not p.stem.startswith("_")}
    rendered_by: dict[str, set[str]] = {}
    for name, path in modules.items():
        for page in _rendered(path, role):
            rendered_by.setdefault(page, set()).add(name)
    pages = {p.stem for p in (ROOT / "templates" / role).glob("*.html") if not p.stem.startswith("_")}
    expected = {page: {TAB_OF[role].get(page, page)} for page in pages}
    assert rendered_by == expected
    assert all(module in modules for owners in expected.values() for module in owners)
