"""The scoring core stays pure: standard library only."""

import ast
import subprocess
import sys
from pathlib import Path

import judging.scoring

SCORING = Path(judging.scoring.__file__).parent
FORBIDDEN = {"flask", "sqlalchemy", "flask_sqlalchemy", "flask_login", "flask_wtf", "wtforms", "reportlab"}


def test_importing_the_scoring_core_loads_neither_flask_nor_sqlalchemy():
    # judging/__init__.py is the app factory and imports Flask; stand in an empty parent package so
    # the check covers what judging.scoring itself pulls in.
    code = (
        "import sys, types\n"
        "parent = types.ModuleType('judging')\n"
        f"parent.__path__ = [{str(SCORING.parent)!r}]\n"
        "sys.modules['judging'] = parent\n"
        "import judging.scoring\n"
        "judging.scoring.compute_contest\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy'))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_no_scoring_module_imports_a_framework_or_a_clock():
    for path in SCORING.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top not in FORBIDDEN, f"{path.name} imports {name}"
                assert top not in {"random", "time", "datetime"}, f"{path.name} imports {name}"
