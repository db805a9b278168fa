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


# --- score arithmetic lives in the core -----------------------------------------------------------

import re  # noqa: E402

JUDGING = SCORING.parent
#: Names that carry scores, totals, maxima or weights: summing, averaging or rounding them outside
#: judging/scoring is a second copy of a rule the core owns.
SCORE_NAMES = re.compile(r"\b(value|values|score|scores|total|totals|weight|weights|max_points|points|mean)\b")
SQL_AGGREGATE = re.compile(r"\b(SUM|AVG)\s*\(", re.I)
#: Reviewed exceptions: (file, line text that matches, why it is not score arithmetic).
ALLOWED = {
    ("inputs.py", "quantize"): "checks how many decimal places a typed number has (input shape, not a score rule)",
}


def _score_arithmetic(path: Path, root: Path = JUDGING) -> list[str]:
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    found = []
    rel = path.relative_to(root).as_posix()
    for node in ast.walk(tree):
        where = f"{rel}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            # a dict's .values() is no score
            source = re.sub(r"\.values\(\)", "()", ast.get_source_segment(text, node) or "")
            if name == "quantize" and (path.name, "quantize") not in ALLOWED:
                found.append(f"{where}: quantize outside the core: {source[:80]}")
            elif name in ("sum", "avg") and isinstance(func, ast.Attribute) and SCORE_NAMES.search(source):
                found.append(f"{where}: SQL {name} of score values: {source[:80]}")
            elif name in ("sum", "fsum", "mean", "median", "fmean") and isinstance(func, ast.Name | ast.Attribute):
                args = node.args[0] if node.args else None
                counting = (isinstance(args, ast.GeneratorExp) and isinstance(args.elt, ast.Constant))
                if not counting and SCORE_NAMES.search(source):
                    found.append(f"{where}: {name}() of score values: {source[:80]}")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            right = node.right
            if isinstance(right, ast.Call) and isinstance(right.func, ast.Name) and right.func.id == "len":
                source = ast.get_source_segment(text, node) or ""
                if SCORE_NAMES.search(source):
                    found.append(f"{where}: a mean by hand: {source[:80]}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_AGGREGATE.search(node.value):
            if SCORE_NAMES.search(node.value) or "score" in node.value.lower():
                found.append(f"{where}: SQL adds scores up: {node.value[:80]}")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if "statistics" in modules:
                found.append(f"{where}: imports statistics")
    return found


def test_score_arithmetic_appears_only_in_the_scoring_core():
    offenders = []
    for path in sorted(JUDGING.rglob("*.py")):
        if SCORING in path.parents:
            continue
        offenders += _score_arithmetic(path)
    assert offenders == [], "\n".join(offenders)


def test_the_guard_catches_what_it_is_for(tmp_path):
    text = (
        "import statistics\n"
        "def total(values):\n"
        "    return sum(values, 0)\n"
        "def mean(scores):\n"
        "    return sum(scores) / len(scores)\n"
        "def shown(value):\n"
        "    return value.quantize(1)\n"
        "Q = 'SELECT SUM(value) FROM scores'\n"
        "def counted(rows):\n"
        "    return sum(1 for r in rows if r.total is None)\n"
    )
    copy = tmp_path / "judging" / "sample.py"
    copy.parent.mkdir()
    copy.write_text(text, encoding="utf-8")
    found = _score_arithmetic(copy, copy.parent)
    kinds = [f.split(": ", 1)[1].split(":")[0] for f in found]
    assert "imports statistics" in kinds and "a mean by hand" in kinds and "quantize outside the core" in kinds
    assert "SQL adds scores up" in kinds and any(k.startswith("sum()") for k in kinds)
    assert not any("r.total is None" in f for f in found)  # counting is not score arithmetic
