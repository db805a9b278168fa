"""Analytics numbers checked against values computed by hand."""

from decimal import Decimal

from judging.scoring import analyse_round, icc_2_1, kendall_w

D = Decimal


def matrix(rows):
    return {e: {j: D(v) for j, v in row.items()} for e, row in rows.items()}


CONSISTENT = matrix(
    {"e1": {"j1": 9, "j2": 8}, "e2": {"j1": 7, "j2": 7}, "e3": {"j1": 5, "j2": 6}, "e4": {"j1": 3, "j2": 3}}
)


def test_icc_2_1_matches_the_hand_computed_value():
    # grand mean 6; SSR 33 -> MSR 11; SSC 0; SSE 1 -> MSE 1/3
    # ICC = (11 - 1/3) / (11 + 1/3 + 2(0 - 1/3)/4) = 64/67
    assert icc_2_1(CONSISTENT, ["j1", "j2"]) == D(64) / D(67)


def test_icc_penalises_a_judge_who_is_systematically_higher():
    biased = matrix({"a": {"j1": 10, "j2": 20}, "b": {"j1": 20, "j2": 30}, "c": {"j1": 30, "j2": 40}})
    # MSR 200, MSC 150, MSE 0 -> 200 / (200 + 2·150/3) = 2/3
    assert icc_2_1(biased, ["j1", "j2"]) == D(2) / D(3)
    # the order agrees perfectly
    assert kendall_w(biased, ["j1", "j2"]) == D(1)


def test_kendall_w_with_ties_in_one_judges_ranking():
    rows = matrix(
        {
            "a": {"j1": 10, "j2": 30, "j3": 20},
            "b": {"j1": 20, "j2": 20, "j3": 20},
            "c": {"j1": 30, "j2": 10, "j3": 20},
        }
    )
    # rank sums all 6 -> S = 0 -> W = 0
    assert kendall_w(rows, ["j1", "j2", "j3"]) == D(0)
    partial = matrix({"a": {"j1": 1, "j2": 1}, "b": {"j1": 2, "j2": 1}, "c": {"j1": 3, "j2": 3}})
    # j1 ranks 1,2,3; j2 ranks 1.5,1.5,3 -> R = 2.5, 3.5, 6; mean 4; S = 2.25 + 0.25 + 4 = 6.5
    # W = 12·6.5 / (4·24 − 2·6) = 78 / 84
    assert kendall_w(partial, ["j1", "j2"]) == D(78) / D(84)


def test_round_analytics_compare_each_judge_with_the_panel():
    result = analyse_round(CONSISTENT, ["j2", "j1"], spread_alert=D(0))
    j1, j2 = result.judges
    assert (j1.judge, j1.n, j1.mean, j1.std) == ("j1", 4, D(6), D(5).sqrt())
    assert (j2.judge, j2.mean, j2.std) == ("j2", D(6), D("3.5").sqrt())
    assert j1.panel_mean == D(6) and j1.panel_std == D("4.25").sqrt()
    assert j1.offset == D(0)
    assert [(d.entry, d.spread) for d in result.disagreements] == [("e1", D(1)), ("e3", D(1))]
    agreement = result.agreement
    assert agreement.icc == D(64) / D(67) and agreement.icc_band == "매우 좋음 (excellent)"
    assert agreement.kendall_w == D(1) and agreement.kendall_band == "매우 강함 (very strong)"


def test_disagreement_alert_uses_the_configured_points():
    result = analyse_round(CONSISTENT, ["j1", "j2"], spread_alert=D(1))
    assert result.disagreements == ()


def test_agreement_with_a_recusal_uses_the_entries_every_judge_scored():
    # j2 recused from e4: complete-case analysis over e1..e3 (Little & Rubin's listwise deletion)
    rows = dict(CONSISTENT)
    rows["e4"] = {"j1": D(3)}
    agreement = analyse_round(rows, ["j1", "j2"], spread_alert=D(10)).agreement
    complete = {e: CONSISTENT[e] for e in ("e1", "e2", "e3")}
    assert agreement.icc == icc_2_1(complete, ["j1", "j2"]) and agreement.icc is not None
    assert agreement.kendall_w == kendall_w(complete, ["j1", "j2"])
    assert (agreement.judges, agreement.entries, agreement.excluded) == (2, 3, 1)
    assert "참가팀 3곳" in agreement.method and "1곳 제외" in agreement.method
    # by hand: MSR 9/2, MSC 0, MSE 1/2 -> ICC = 4 / (5 - 1/3) = 6/7 = 0.857…
    assert agreement.icc == D(6) / D(7) and agreement.icc_display == "0.86" and agreement.kendall_w_display == "1.00"


def test_a_judge_with_no_counted_total_is_left_out_of_the_agreement():
    agreement = analyse_round(CONSISTENT, ["j1", "j2", "j3"], spread_alert=D(10))
    j3 = next(j for j in agreement.judges if j.judge == "j3")
    assert j3.n == 0 and j3.mean is None  # shown as "—", never "None"
    assert agreement.agreement.judges == 2 and agreement.agreement.icc == D(64) / D(67)


def test_agreement_needs_two_entries_every_judge_scored():
    rows = {"e1": {"j1": D(9), "j2": D(8)}, "e2": {"j1": D(7)}, "e3": {"j2": D(6)}}
    agreement = analyse_round(rows, ["j1", "j2"], spread_alert=D(10)).agreement
    assert agreement.icc is None and agreement.kendall_w is None
    assert "2곳 이상" in agreement.reason and agreement.excluded == 2
