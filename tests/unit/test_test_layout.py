"""The tests mirror the code. Every module of judging/ has a test file named after it, in the folder
that mirrors its own under one of the layers (``judging/scoring/aggregate.py`` ->
``tests/unit/scoring/test_aggregate.py``; ``judging/views/judge.py`` -> ``tests/functional/views/
test_judge.py`` or ``test_judge_<aspect>.py``), unless the allowance below says where it is tested and
why it has no file of its own. Every test file names the module it tests the same way, or is one of
the listed tests that cut across modules. No test file or helper is named after a work item."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "judging"
TESTS = ROOT / "tests"
LAYERS = ("unit", "integration", "functional", "browser")

#: Modules without a test file of their own: where they are tested, and why.
UNMIRRORED = {
}

#: Test files that check a behaviour across many modules, so no single module names them.
CROSS_CUTTING = {
}

#: Names of work items the first builds used for tests; a test is named after the code it tests.
WORK_ITEM = re.compile(r"^(test_)?(found|cer|org|doc|scoring)_|_support$")


def modules() -> list[Path]:
    """Every module of the package as a path relative to judging/ (a package's __init__ as the package)."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if path.name == "__init__.py":
            if not path.read_text(encoding="utf-8").strip():
                continue  # an empty package marker
            relative = relative.parent.with_suffix(".py") if relative.parent != Path(".") else Path("__init__.py")
        out.append(relative)
    return out


def test_files() -> list[Path]:
    """Every test file, relative to tests/."""
    return sorted(p.relative_to(TESTS) for p in TESTS.rglob("test_*.py"))


def names(stem: str, module: str) -> bool:
    """Whether a test file's stem names a module: test_<module> or test_<module>_<aspect>."""
    return stem == f"test_{module}" or stem.startswith(f"test_{module}_")


def mirrors(test: Path, module: Path) -> bool:
    """Whether ``test`` (relative to tests/) sits in the folder mirroring ``module`` and names it."""
    layer, *folders = test.parent.parts
    return layer in LAYERS and tuple(folders) == module.parent.parts and names(test.stem, module.stem)


def test_every_module_has_a_test_file_mirroring_it():
    tests = test_files()
    missing = [str(m) for m in modules()
               if str(m) not in UNMIRRORED and not any(mirrors(t, m) for t in tests)]
    assert missing == [], ("modules without a mirroring test file (tests/<layer>/<same folders>/test_<module>.py); "
                           f"add one, or say in UNMIRRORED where they are tested: {missing}")


def test_every_test_file_names_the_module_it_tests():
    found = modules()
    strays = [str(t) for t in test_files()
              if str(t) not in CROSS_CUTTING and not any(mirrors(t, m) for m in found)]
    assert strays == [], f"test files that name no module in their mirrored folder: {strays}"


def test_the_allowances_are_still_true():
    found = {str(m) for m in modules()}
    tests = {str(t) for t in test_files()}
    assert sorted(set(UNMIRRORED) - found) == [], "UNMIRRORED lists modules that are gone"
    assert sorted(set(CROSS_CUTTING) - tests) == [], "CROSS_CUTTING lists test files that are gone"
    tested = [m for m in UNMIRRORED if any(mirrors(t, Path(m)) for t in test_files())]
    assert tested == [], f"these have a mirroring test file now; drop them from UNMIRRORED: {tested}"


def test_no_test_or_helper_is_named_after_a_work_item():
    named = [str(p.relative_to(TESTS)) for p in TESTS.rglob("*.py") if WORK_ITEM.search(p.stem)]
    assert named == [], f"name these after the code or the behaviour they test: {named}"
