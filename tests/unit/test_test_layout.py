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
    # The app factory and package markers that only gather their package's names.
    "__init__.py": "create_app: tests/unit/test_config.py (configuration layers), and every app-using test",
    "scoring.py": "judging/scoring/__init__.py re-exports the core's names; each is tested in tests/unit/scoring/",
    "views.py": "judging/views/__init__.py registers the blueprints; tests/functional/test_access.py walks them",
    "documents.py": "judging/documents/__init__.py re-exports the renderers; tests/unit/documents/ test each",
    "cli.py": "judging/cli/__init__.py gathers the command groups; tests/functional/cli/ run each",
    "cli/__main__.py": "`python -m judging.cli` runs the same group the runner tests in tests/functional/cli/",
    # The scoring core: one entry point (compute_contest), worked examples and properties through it.
    "scoring/combination.py": "tests/unit/scoring/test_compute.py (weighted finals) and test_audience.py",
    "scoring/errors.py": "every refusal test in tests/unit/scoring/ (ScoringError and its kinds)",
    "scoring/explain.py": "tests/unit/scoring/test_compute.py (explanation lines of worked examples)",
    "scoring/final.py": "tests/unit/scoring/test_compute.py and test_properties.py, through compute_contest",
    "scoring/inputs.py": "tests/unit/scoring/test_compute_sheets.py (score rows and sheets as the core's input)",
    "scoring/model.py": "the specs every test in tests/unit/scoring/ builds",
    "scoring/rank.py": "tests/unit/scoring/test_compute.py, test_rounding.py and test_properties.py (ranks, ties)",
    "scoring/result.py": "tests/unit/scoring/test_compute.py (the result read back: round, entry, to_dict)",
    "scoring/round_work.py": "tests/unit/scoring/test_compute.py, through compute_contest",
    "scoring/screening.py": "tests/unit/scoring/test_compute.py and test_rounding.py (screening cuts)",
    "scoring/serialize.py": "tests/unit/scoring/test_properties.py (to_dict) and the published snapshots",
    "scoring/specials.py": "tests/unit/scoring/test_compute.py (special awards), tests/integration/services/test_results.py",
    "scoring/steps.py": "tests/unit/scoring/test_compute.py (every tie-break cascade step)",
    "scoring/tiers.py": "tests/unit/scoring/test_compute.py and test_properties.py (a higher score never a lower tier)",
    # Charts: the SVG renderers are tested together, the data through the services.
    "charts/data.py": "tests/integration/services/test_charts.py (every mark against the core's result)",
    "charts/day.py": "tests/unit/test_charts.py and tests/browser/test_organizer_charts.py",
    "charts/judges.py": "tests/unit/test_charts.py and tests/integration/services/test_charts.py",
    "charts/ranking.py": "tests/unit/test_charts.py and tests/integration/services/test_charts.py",
    "charts/scale.py": "tests/unit/test_charts.py (axes keep values inside the plot)",
    "charts/svg.py": "tests/unit/test_charts.py (valid SVG, title and description)",
    "charts/weights.py": "tests/unit/test_charts.py and tests/functional/views/organizer/test_results_charts.py",
    # Commands without a file of their own.
    "cli/audit.py": "tests/integration/services/test_audit_chain.py (the verify command)",
    "cli/database.py": "tests/functional/cli/test_contest.py (db upgrade) and tests/integration/test_migrate.py",
    "cli/demo.py": "tests/functional/cli/test_contest.py (the demo command)",
    "cli/people.py": "tests/functional/cli/test_contest.py and the organizations tests",
    # The data model: one module per aggregate, all through judging.models (tests/integration/test_models.py:
    # autogenerate finds no difference from the migrations) and every database test.
    "models/audience.py": "tests/integration/test_models.py and every database test",
    "models/audit.py": "tests/integration/test_models.py and every database test",
    "models/base.py": "tests/integration/test_models.py and every database test",
    "models/contests.py": "tests/integration/test_models.py and every database test",
    "models/entries.py": "tests/integration/test_models.py and every database test",
    "models/people.py": "tests/integration/test_models.py and every database test",
    "models/publication.py": "tests/integration/test_models.py and every database test",
    "models/results.py": "tests/integration/test_models.py and every database test",
    "models/sheets.py": "tests/integration/test_models.py and every database test",
    # Infrastructure every test goes through.
    "db.py": "every database test (tests/conftest.py); the unit of work in tests/integration/services/",
    "forms.py": "tests/functional/test_hostile_inputs.py (every form field) and the page tests",
    "inputs.py": "tests/functional/test_hostile_inputs.py (ids, JSON bodies, sizes on every route)",
    "labels.py": "tests/functional/test_english_crawl.py and test_i18n_pages.py (state and step words)",
    "patterns.py": "tests/integration/services/test_contest_file.py and test_setup.py (keys and slugs)",
    "request_log.py": "tests/functional/views/test_health.py (one log line per request)",
    "steps.py": "tests/unit/cli/test_progress.py",
    # Documents: helpers of the renderers, tested through them.
    "documents/_flow.py": "tests/unit/documents/test_report.py and test_score_sheet.py (page flow)",
    "documents/chart.py": "tests/integration/services/test_charts.py (the report's reportlab drawing)",
    "documents/data.py": "the dataclasses every test in tests/unit/documents/ builds",
    "documents/fonts.py": "tests/unit/documents/test_text.py",
    "documents/hwpx.py": "tests/unit/documents/test_report_hwpx.py",
    # Services tested inside another service's file or through the pages.
    "services/audit_story.py": "tests/functional/views/organizer/test_audit.py (events read as sentences)",
    "services/auditlog.py": "tests/functional/views/organizer/test_audit.py and tests/integration/services/",
    "services/autosave.py": "tests/integration/services/test_sheets.py and tests/functional/views/test_judge_api.py",
    "services/backup.py": "tests/functional/cli/test_backup.py",
    "services/contest_file_dump.py": "tests/integration/services/test_contest_file.py (a contest written back and read)",
    "services/contest_file_format.py": "tests/integration/services/test_contest_file.py (every problem with its place)",
    "services/decisions.py": "tests/integration/services/test_results.py and organizer/test_results_stale_decisions.py",
    "services/declarations.py": "tests/integration/services/test_sheets.py (the pledge and conflict declaration)",
    "services/demo.py": "tests/functional/cli/test_contest.py and every test on the demo (tests/support/demo.py)",
    "services/errors.py": "every refusal test; tests/functional/test_hostile_inputs.py maps kinds to statuses",
    "services/health.py": "tests/functional/views/test_health.py",
    "services/objections.py": "tests/integration/services/test_approvals.py (objections filed, answered, corrected)",
    "services/organizations.py": "tests/functional/views/organizer/test__shared_access.py",
    "services/progress.py": "tests/integration/services/test_intake.py and test_sheets_signatures.py (the day board)",
    "services/publishing.py": "tests/integration/services/test_lifecycle.py and test_results.py (publish, versions)",
    "services/rate_limit.py": "tests/integration/services/test_sheets.py and tests/functional/views/test_judge_api.py",
    "services/reports.py": "tests/integration/services/test_sheets_signatures.py and test_certificates.py",
    "services/rubric.py": "tests/functional/views/test_judge.py (the criteria and guidance a judge reads)",
    "services/states.py": "tests/functional/test_lifecycle_table.py (every state x every action) and test_lifecycle.py",
    "services/snapshots.py": "tests/integration/services/test_results.py and test_lifecycle.py (published versions)",
    # Views tested through the pages of their role.
    "views/chart_text.py": "tests/functional/views/organizer/test_results_charts.py (text beside each chart)",
    "views/common.py": "every page test; tests/functional/test_hostile_inputs.py (statuses of refusals)",
    "views/council/_shared.py": "every council page test in tests/functional/views/council/",
    "views/council/home.py": "tests/functional/views/council/test_entry.py",
    "views/organizer/approvals.py": "tests/browser/test_organizer_approvals.py and tests/functional/views/organizer/test_day.py",
    "views/organizer/audience.py": "tests/functional/views/test_vote.py and tests/functional/cli/test_ballots.py",
    "views/organizer/objections.py": "tests/functional/views/council/test_result_objections.py",
}

#: Test files that check a behaviour across many modules, so no single module names them.
CROSS_CUTTING = {
    "unit/test_dependencies.py": "every import declared in pyproject, every declaration bounded and locked",
    "unit/test_stylesheet_contrast.py": "the stylesheet's colour pairs (judging/static/css, not a module)",
    "unit/test_test_layout.py": "this file: the tests' own layout",
    "unit/scoring/test_properties.py": "Hypothesis properties of the whole core",
    "unit/scoring/test_purity.py": "the core imports the standard library only",
    "integration/test_audience_burst.py": "300 ballots at once through gunicorn",
    "integration/test_judge_burst.py": "50 judges signing in at once through gunicorn",
    "functional/test_access.py": "every route x every role",
    "functional/test_english_crawl.py": "every page of every role in English",
    "functional/test_hostile_inputs.py": "every bad input on every route",
    "functional/test_lifecycle_table.py": "every state x every action, on the pages and the command line",
    "functional/test_no_get_writes.py": "no GET of any page writes",
    "functional/test_rank_precision.py": "the ranking precision where it is entered and where it is stated",
    "functional/test_refusals_english.py": "life-cycle refusals on the pages in English",
    "functional/test_routes_documented.py": "every route has a docstring",
    "functional/test_security_headers.py": "headers and the content policy on every route",
    "functional/test_server.py": "the server `make run` starts (gunicorn.conf.py)",
    "functional/test_service_refusals_english.py": "service refusals on the pages in English",
    "functional/test_weighted_totals.py": "every surface that shows a judge's total",
    "functional/views/test_published_language.py": "published words on the council, public and ceremony pages",
    "unit/views/test_rooms.py": "every page template is rendered by the view module named after it",
    "browser/test_csp.py": "the content policy with the scripts of every role running",
    "browser/test_fonts.py": "the shipped Korean font on every page",
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


def all_test_files() -> list[Path]:
    """Every test file, relative to tests/."""
    return sorted(p.relative_to(TESTS) for p in TESTS.rglob("test_*.py"))


def names(stem: str, module: str) -> bool:
    """Whether a test file's stem names a module: test_<module> or test_<module>_<aspect>."""
    return stem == f"test_{module}" or stem.startswith(f"test_{module}_")


def mirrors(test: Path, module: Path) -> bool:
    """Whether ``test`` (relative to tests/) sits in the folder mirroring ``module`` and names it."""
    layer, *folders = test.parent.parts
    if layer == "browser":
        folders = ["views", *folders]  # a browser test is named after the screens (views) it drives
    return layer in LAYERS and tuple(folders) == module.parent.parts and names(test.stem, module.stem)


def test_every_module_has_a_test_file_mirroring_it():
    tests = all_test_files()
    missing = [str(m) for m in modules()
               if str(m) not in UNMIRRORED and not any(mirrors(t, m) for t in tests)]
    assert missing == [], ("modules without a mirroring test file (tests/<layer>/<same folders>/test_<module>.py); "
                           f"add one, or say in UNMIRRORED where they are tested: {missing}")


def test_every_test_file_names_the_module_it_tests():
    found = modules()
    strays = [str(t) for t in all_test_files()
              if str(t) not in CROSS_CUTTING and not any(mirrors(t, m) for m in found)]
    assert strays == [], f"test files that name no module in their mirrored folder: {strays}"


def test_the_allowances_are_still_true():
    found = {str(m) for m in modules()}
    tests = {str(t) for t in all_test_files()}
    assert sorted(set(UNMIRRORED) - found) == [], "UNMIRRORED lists modules that are gone"
    assert sorted(set(CROSS_CUTTING) - tests) == [], "CROSS_CUTTING lists test files that are gone"
    tested = [m for m in UNMIRRORED if any(mirrors(t, Path(m)) for t in all_test_files())]
    assert tested == [], f"these have a mirroring test file now; drop them from UNMIRRORED: {tested}"


def test_no_test_or_helper_is_named_after_a_work_item():
    named = [str(p.relative_to(TESTS)) for p in TESTS.rglob("*.py") if WORK_ITEM.search(p.stem)]
    assert named == [], f"name these after the code or the behaviour they test: {named}"
