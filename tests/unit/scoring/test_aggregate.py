from decimal import Decimal

import pytest

from judging.scoring import DROP_HIGH, DROP_LOW, Status, aggregate, aggregate_matrix

D = Decimal


def totals(**values):
    return {judge: D(str(v)) for judge, v in values.items()}


def test_a_shared_highest_total_loses_only_one_copy():
    result = aggregate("trimmed_mean", totals(j1=90, j2=90, j3=80, j4=70), trim=1)
    assert result.exact == D(85)  # (90 + 80) / 2: one 90 stays
    assert sorted(d.reason for d in result.dropped) == sorted([DROP_HIGH, DROP_LOW])
    assert [d.total for d in result.dropped if d.reason == DROP_HIGH] == [D(90)]
    assert result.n == 4 and result.used == 2


def test_a_shared_lowest_total_loses_only_one_copy():
    result = aggregate("trimmed_mean", totals(j1=90, j2=70, j3=80, j4=70), trim=1)
    assert result.exact == D(75)  # (80 + 70) / 2


def test_four_judges_with_and_without_trimming():
    four = totals(j1=95, j2=88, j3=85, j4=70)
    assert aggregate("mean", four).exact == D("84.5")
    trimmed = aggregate("trimmed_mean", four, trim=1)
    assert trimmed.exact == D("86.5")
    assert {(d.judge, d.reason) for d in trimmed.dropped} == {("j1", DROP_HIGH), ("j4", DROP_LOW)}
    assert aggregate("median", four).exact == D("86.5")


def test_too_few_totals_for_trimming_is_reported_not_guessed():
    result = aggregate("trimmed_mean", totals(j1=90, j2=80), trim=1)
    assert result.status is Status.INSUFFICIENT
    assert result.exact is None
    assert "최소 3개" in result.message


def test_a_mean_keeps_full_precision_and_displays_half_up():
    result = aggregate("mean", totals(j1=90, j2=91, j3=92.5))
    assert result.exact == D("91.16666666666666666666666667")
    assert result.display == "91.17"


def test_no_totals_means_no_scores():
    assert aggregate("mean", {}).status is Status.NO_SCORES


def test_zscore_puts_a_lenient_and_a_harsh_judge_on_one_scale():
    # j1 is lenient on A and B; j2 is harsh on C and D; each ranks their pair the same way
    matrix = {"A": totals(j1=90), "B": totals(j1=80), "C": totals(j2=60), "D": totals(j2=50)}
    result = aggregate_matrix("zscore_mean", matrix, max_value=D(100))
    assert result["A"].exact == result["C"].exact
    assert result["B"].exact == result["D"].exact
    # panel mean 70, panel std sqrt(250); z = +1 / -1
    assert result["A"].display == "85.81"
    assert result["B"].display == "54.19"


def test_zscore_judge_without_spread_maps_to_the_panel_mean():
    matrix = {"A": totals(j1=90, j2=70), "B": totals(j1=80), "C": totals(j1=70)}
    result = aggregate_matrix("zscore_mean", matrix, max_value=D(100))
    # panel mean (90+70+80+70)/4 = 77.5; j2 scored one entry -> 77.5; j1's A is z=+sqrt(1.5)
    assert result["A"].n == 2
    assert D(0) <= result["C"].exact <= D(100)
    panel_std = (sum((v - D("77.5")) ** 2 for v in (D(90), D(70), D(80), D(70))) / 4).sqrt()
    j1_std = (sum((v - D(80)) ** 2 for v in (D(90), D(80), D(70))) / 3).sqrt()
    expected_a = (D("77.5") + (D(10) / j1_std) * panel_std + D("77.5")) / 2
    assert abs(result["A"].exact - expected_a) < D("1e-20")


def test_zscore_needs_the_scale_maximum():
    with pytest.raises(ValueError):
        aggregate_matrix("zscore_mean", {"A": totals(j1=1)})
