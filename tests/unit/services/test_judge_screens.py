"""The judge's view models and helpers, without a database: controls per scale, sheet progress,
lock reasons and material kinds."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from judging.models import Criterion
from judging.services import judge_screens
from judging.views.judge import criterion_widget


def criterion(scale: str, max_points: str) -> Criterion:
    return Criterion(id=7, key="k", title="항목", max_points=Decimal(max_points), scale=scale, guidance="")


def test_grades_become_five_labelled_buttons_best_first():
    view = judge_screens.criterion_view(criterion("grades", "15"), Decimal("13.50"), 3)
    assert criterion_widget(view).control == "grades"
    assert [(c.label, c.value) for c in view.choices] == [
        ("매우 우수", "15"), ("우수", "13.5"), ("보통", "12"), ("부족", "10.5"), ("매우 부족", "9")]
    assert (view.value, view.version, view.value_label) == ("13.5", 3, "우수")


@pytest.mark.parametrize(("scale", "top", "count", "columns"), [
    ("points", "5", 6, 6), ("points", "10", 11, 11), ("points", "20", 21, 11),
    ("half_points", "10", 21, 11), ("half_points", "5", 11, 11), ("points", "30", 31, 11),
])
def test_points_become_segments_in_even_rows(scale, top, count, columns):
    view = judge_screens.criterion_view(criterion(scale, top), None, 0)
    widget = criterion_widget(view)
    assert widget.control == "segments" and len(view.choices) == count and widget.columns == columns
    assert view.choices[0].value == "0" and view.choices[-1].value == top
    assert view.value is None and view.value_label is None


def test_long_scales_get_a_stepper_not_a_wall_of_buttons():
    view = judge_screens.criterion_view(criterion("points", "100"), Decimal(70), 1)
    assert criterion_widget(view).control == "stepper" and len(view.choices) == 101 and view.value == "70"


def row(state: str, missing: tuple[str, ...] = ()) -> judge_screens.EntryRow:
    return judge_screens.EntryRow(1, 1, 1, 1, "가동", "", "", state, 3 - len(missing), 3, None, missing)


def test_sheet_progress_counts_only_complete_entries():
    sheet = judge_screens.RoundSheet(1, "발표심사", "draft", None,
                              (row(judge_screens.COMPLETE), row(judge_screens.IN_PROGRESS, ("성과",)), row(judge_screens.NOT_STARTED,
                                                                                          ("a", "b", "c"))),
                              1, Decimal(50), None)
    assert (sheet.done, sheet.count, sheet.missing_total, sheet.complete, sheet.editable) == (1, 3, 4, False, True)
    assert judge_screens.RoundSheet(1, "r", "submitted", None, (row(judge_screens.COMPLETE),), 0, Decimal(50),
                             "제출").editable is False


@pytest.mark.parametrize(("contest", "round_", "sheet", "words"), [
    ("judging", "open", None, None),
    ("judging", "open", "draft", None),
    ("judging", "open", "submitted", "제출"),
    ("locked", "open", None, "심사 기간"),
    ("judging", "closed", None, "라운드"),
    ("published", "closed", "submitted", "제출"),
])
def test_lock_reason(contest, round_, sheet, words):
    reason = judge_screens.lock_reason(SimpleNamespace(status=contest), SimpleNamespace(status=round_),
                                None if sheet is None else SimpleNamespace(status=sheet))
    assert (reason is None) if words is None else (words in str(reason))


@pytest.mark.parametrize(("content_type", "kind"), [
    ("application/pdf", "pdf"), ("image/png", "image"), ("image/jpeg", "image"), ("image/webp", "image"),
    ("image/svg+xml", "file"),  # never inline: an SVG can carry script
    ("application/x-hwp", "file"), ("text/html", "file"), ("application/octet-stream", "file"),
])
def test_only_pdfs_and_raster_images_are_shown_inline(content_type, kind):
    assert judge_screens.material_kind(content_type) == kind
