"""A judge's sheet added up: each score times its weight, the highest total a judge can give, and the
running total a judge sees while scoring (the criteria scored so far), which is the sheet's total once
the sheet is complete."""

from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from judging.scoring import CriterionSpec, RoundSpec, allowed_values, max_total, running_total, sheet_total
from judging.scoring.rounding import CONTEXT
from judging.scoring.sheet import weighted_score

D = Decimal
NEED = CriterionSpec("need", "사업의 필요성", D(20), "grades")
WIDE = CriterionSpec("wide", "확산 가능성", D(10), "points", weight=D("1.5"))
TINY = CriterionSpec("tiny", "발표", D(4), "half_points", weight=D("0.25"))
RUBRIC = RoundSpec("final", "발표심사", (NEED, WIDE, TINY))


def total(sheet: dict[str, Decimal]) -> Decimal:
    with localcontext(CONTEXT):
        return sheet_total(RUBRIC, sheet)


def test_a_score_counts_times_its_weight_and_a_weight_of_one_keeps_the_score_as_entered():
    assert str(weighted_score(NEED, D("13.50"))) == "13.50"
    assert weighted_score(WIDE, D(7)) == D("10.5")
    assert weighted_score(TINY, D("3.5")) == D("0.875")


def test_the_total_of_a_complete_sheet_is_the_weighted_sum_exactly():
    assert total({"need": D(18), "wide": D(7), "tiny": D("3.5")}) == D("29.375")  # 18 + 10.5 + 0.875
    assert total({"need": D(0), "wide": D(0), "tiny": D(0)}) == 0


def test_a_sheet_missing_a_score_has_no_total():
    with pytest.raises(KeyError):
        total({"need": D(18), "wide": D(7)})


def test_the_highest_total_is_each_maximum_times_its_weight():
    assert max_total(RUBRIC.criteria) == D(36)  # 20 + 10 × 1.5 + 4 × 0.25
    assert max_total(RUBRIC.criteria) == RUBRIC.max_total
    assert total({"need": D(20), "wide": D(10), "tiny": D(4)}) == max_total(RUBRIC.criteria)
    assert max_total(()) == 0


def test_the_running_total_adds_the_scores_given_so_far():
    assert running_total(RUBRIC.criteria, {}) is None  # nothing scored: no total, not zero
    assert running_total(RUBRIC.criteria, {"need": None, "wide": None}) is None
    assert running_total(RUBRIC.criteria, {"wide": D(7)}) == D("10.5")
    assert running_total(RUBRIC.criteria, {"need": D(0)}) == 0  # a zero is a score
    assert running_total(RUBRIC.criteria, {"need": D(18), "wide": None, "tiny": D("3.5")}) == D("18.875")
    assert running_total(RUBRIC.criteria, {"need": D(18), "other": D(9)}) == D(18)  # another round's key


@given(st.tuples(*(st.sampled_from(allowed_values(c.scale, c.max_points)) for c in RUBRIC.criteria)),
       st.sets(st.sampled_from([c.key for c in RUBRIC.criteria])))
def test_the_running_total_grows_to_the_sheets_total_and_never_passes_the_highest(values, scored):
    sheet = {c.key: v for c, v in zip(RUBRIC.criteria, values, strict=True)}
    partial = running_total(RUBRIC.criteria, {k: v for k, v in sheet.items() if k in scored})
    complete = running_total(RUBRIC.criteria, sheet)
    assert complete == total(sheet) <= max_total(RUBRIC.criteria)
    assert (partial is None) == (not scored)
    assert partial is None or 0 <= partial <= complete
