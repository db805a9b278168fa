"""Every import is declared, every declaration is bounded, and the lock files hold what pyproject asks."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME = [Requirement(line) for line in PROJECT["dependencies"]]
DEV = [Requirement(line) for line in PROJECT["optional-dependencies"]["dev"]]
BUILD = [Requirement(line) for line in
         tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]]


def _imports(paths: list[Path]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"judging", "tests", "__future__"}


def _distributions(modules: set[str]) -> set[str]:
    mapping = packages_distributions()
    missing = sorted(m for m in modules if m not in mapping)
    assert not missing, f"imported but not installed: {missing}"
    return {canonicalize_name(dist) for m in modules for dist in mapping[m]}


def _locked(name: str) -> dict[str, Version]:
    pins = re.findall(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", (ROOT / name).read_text(encoding="utf-8"), re.M)
    return {canonicalize_name(package): Version(version) for package, version in pins}


def test_every_import_of_the_app_is_a_declared_dependency():
    sources = [*ROOT.joinpath("judging").rglob("*.py"), ROOT / "wsgi.py", *ROOT.joinpath("migrations").rglob("*.py")]
    declared = {canonicalize_name(r.name) for r in RUNTIME}
    assert _distributions(_imports(sources)) - declared == set()


def test_every_import_of_the_tests_and_tools_is_declared():
    sources = [*ROOT.joinpath("tests").rglob("*.py"), *ROOT.joinpath("bench").glob("*.py"),
               *ROOT.joinpath("scripts").glob("*.py")]
    local = {path.stem for path in sources}  # helpers imported by their sibling name
    declared = {canonicalize_name(r.name) for r in RUNTIME + DEV}
    assert _distributions(_imports(sources) - local) - declared == set()


def test_every_dependency_is_bounded_below_its_next_major_version():
    unbounded = [str(r) for r in RUNTIME + DEV if r.name != "packaging"
                 and not any(spec.operator in ("<", "<=", "~=", "==") for spec in r.specifier)]
    assert unbounded == []


def test_the_lock_files_pin_every_declared_dependency_within_its_bounds():
    for lock, requirements in (("requirements.lock", RUNTIME), ("requirements-dev.lock", RUNTIME + DEV)):
        pins = _locked(lock)
        for requirement in requirements:
            name = canonicalize_name(requirement.name)
            assert name in pins, f"{lock} lacks {name}: run `make lock`"
            assert requirement.specifier.contains(pins[name], prereleases=True), \
                f"{lock} pins {name}=={pins[name]} outside {requirement.specifier}: run `make lock`"
        assert "psycopg-binary" in pins  # the [binary] extra resolved too
        for requirement in BUILD:  # installed from the lock, then the project builds in place
            assert requirement.specifier.contains(pins[canonicalize_name(requirement.name)]), lock


def test_every_locked_pin_carries_hashes():
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / lock).read_text(encoding="utf-8")
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
        pinned = [b for b in blocks if re.match(r"[A-Za-z0-9._-]+==", b)]
        assert pinned and all("--hash=sha256:" in b for b in pinned)
