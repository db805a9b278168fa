"""The audience panel round in the core: the 1–5 mapping, the weighted combination and the
effective-weight check (covariance share), worked by hand."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from judging import scoring
from judging.scoring import (
    AudienceBallot,
    AudienceSpec,
    ContestSpec,
    CriterionSpec,
    RoundSpec,
    ScoreInputError,
    SpecError,
    combination_check,
    compute_contest,
    map_mean,
    tally_audience,
)

D = Decimal


def _spec(weight_judges=70, weight_audience=30, entries=("a", "b", "c")) -> ContestSpec:
    final = RoundSpec("final", "발표심사", (CriterionSpec("all", "종합", D(100), "points"),), order=1,
                      weight=D(weight_judges))
    return ContestSpec(
        rounds=(final,), judges=("j1", "j2"), entries=entries, final="weighted",
        audience=(AudienceSpec("crowd", "현장평가단", D(weight_audience), order=2),),
    )


def _scores(table: dict[str, tuple[int, int]]) -> list[tuple[str, str, str, str, Decimal]]:
    return [("final", judge, entry, "all", D(value)) for entry, pair in table.items()
            for judge, value in zip(("j1", "j2"), pair, strict=True)]


def _ballots(columns: dict[str, list[int]]) -> list[AudienceBallot]:
    count = len(next(iter(columns.values())))
    return [AudienceBallot("crowd", tuple((e, columns[e][i]) for e in columns)) for i in range(count)]


def test_the_mapping_puts_1_at_zero_and_5_at_full_marks():
    assert map_mean(Fraction(1), D(100)) == 0
    assert map_mean(Fraction(5), D(100)) == 100
    assert map_mean(Fraction(3), D(30)) == 15
    assert map_mean(Fraction(7, 2), D(100)) == Fraction(125, 2)


def test_worked_70_30_example_by_hand():
    # Judges (mean of two totals out of 100): a 90/80 → 85, b 80/70 → 75, c 70/60 → 65.
    # Audience, four ballots: a 5,4,4,3 → mean 4 → (4−1)/4 × 100 = 75
    #                         b 4,4,3,3 → mean 3.5 → 62.5
    #                         c 3,3,3,3 → mean 3 → 50
    # Final = 0.7 × judges + 0.3 × audience:
    #   a 59.5 + 22.5 = 82.00   b 52.5 + 18.75 = 71.25   c 45.5 + 15 = 60.50
    spec = _spec()
    result = compute_contest(
        spec, _scores({"a": (90, 80), "b": (80, 70), "c": (70, 60)}),
        audience=_ballots({"a": [5, 4, 4, 3], "b": [4, 4, 3, 3], "c": [3, 3, 3, 3]}),
    )
    crowd = result.audience_round("crowd")
    assert crowd.ballots == 4
    assert [(i.entry, i.mean, i.exact, i.counts) for i in crowd.entries] == [
        ("a", D(4), D(75), (0, 0, 1, 2, 1)),
        ("b", D("3.5"), D("62.5"), (0, 0, 2, 2, 0)),
        ("c", D(3), D(50), (0, 0, 4, 0, 0)),
    ]
    assert [(f.entry, f.rank, f.display) for f in result.final] == [
        ("a", 1, "82.00"), ("b", 2, "71.25"), ("c", 3, "60.50")]
    assert "현장평가단 30" in result.method

    # Contributions: judges a 59.5 b 52.5 c 45.5 (deviations from their mean 52.5: +7, 0, −7);
    # audience a 22.5 b 18.75 c 15 (deviations +3.75, 0, −3.75); final deviations +10.75, 0, −10.75.
    # Var(final) = 2 × 10.75² / 3; Cov(judges, final) = 2 × 7 × 10.75 / 3 → share 7 / 10.75 = 28/43;
    # audience 3.75 / 10.75 = 15/43. Announced 70 % and 30 %: 65.12 % and 34.88 %, within 10 %p.
    check = combination_check(spec, result)
    judges, audience = check.components
    assert (judges.key, audience.key) == ("final", "crowd")
    assert judges.announced == 70 and audience.announced == 30
    assert judges.effective == scoring.rounding.fraction_to_decimal(Fraction(2800, 43))
    assert audience.effective == scoring.rounding.fraction_to_decimal(Fraction(1500, 43))
    assert (judges.effective_display, audience.effective_display) == ("65.12", "34.88")
    assert not judges.warning and not audience.warning and check.warnings == ()
    parts = check.entry("b")
    assert [(p.key, p.score, p.normalised, p.contribution) for p in parts.parts] == [
        ("final", D(75), D(75), D("52.5")), ("crowd", D("62.5"), D("62.5"), D("18.75"))]
    assert parts.total == D("71.25")
    assert (audience.low, audience.high) == (D(15), D("22.5"))


def test_effective_weight_warning_when_the_audience_barely_moves_anyone():
    # The public's ratings hardly differ (4.0, 4.0, 3.75 on average), the judges' differ by 20
    # points: the audience's announced 30 % carries about 12 % of the spread.
    spec = _spec()
    result = compute_contest(
        spec, _scores({"a": (90, 80), "b": (80, 70), "c": (70, 60)}),
        audience=_ballots({"a": [4, 4, 4, 4], "b": [4, 4, 4, 4], "c": [4, 4, 4, 3]}),
    )
    check = combination_check(spec, result)
    audience = check.component("crowd")
    # by hand: audience contributions a 22.5 b 22.5 c 20.625 → deviations +0.625, +0.625, −1.25;
    # judges +7, 0, −7; final +7.625, +0.625, −8.25. Cov(aud, F) = (4.765625 + 0.390625 + 10.3125)/3,
    # Var(F) = (58.140625 + 0.390625 + 68.0625)/3 → share 15.46875 / 126.59375 = 495/4051.
    assert audience.effective == scoring.rounding.fraction_to_decimal(Fraction(49500, 4051))
    assert audience.warning and check.component("final").warning
    assert len(check.warnings) == 2
    assert "현장평가단" in check.warnings[1] and "12.22%만" in check.warnings[1]
    # a wider margin silences it
    assert combination_check(spec, result, D(25)).warnings == ()


def test_no_effective_weight_when_every_final_is_equal():
    spec = _spec()
    result = compute_contest(spec, _scores({"a": (80, 80), "b": (80, 80), "c": (80, 80)}),
                             audience=_ballots({"a": [3], "b": [3], "c": [3]}))
    check = combination_check(spec, result)
    assert check.reason is not None and all(c.effective is None and not c.warning for c in check.components)


def test_an_entry_without_ballots_is_not_ranked_and_says_why():
    spec = _spec()
    result = compute_contest(spec, _scores({"a": (90, 80), "b": (80, 70), "c": (70, 60)}),
                             audience=[AudienceBallot("crowd", (("a", 5), ("b", 4)))])
    c = result.entry("c")
    assert c.rank is None and "현장평가단" in c.message
    assert result.audience_round("crowd").entry("c").n == 0


def test_ballots_are_checked():
    spec = _spec()
    scores = _scores({"a": (90, 80), "b": (80, 70), "c": (70, 60)})
    for bad in ((("a", 6),), (("a", 0),), (("zz", 3),), (("a", 3), ("a", 4)), (("a", 2.5),)):
        with pytest.raises(ScoreInputError):
            compute_contest(spec, scores, audience=[AudienceBallot("crowd", bad)])
    with pytest.raises(ScoreInputError):
        compute_contest(spec, scores, audience=[AudienceBallot("other", (("a", 3),))])


def test_an_audience_round_needs_a_weighted_final_and_its_own_key():
    final = RoundSpec("final", "발표심사", (CriterionSpec("all", "종합", D(100), "points"),))
    with pytest.raises(SpecError, match="weighted"):
        ContestSpec((final,), ("j1",), ("a",), audience=(AudienceSpec("crowd", "현장평가단"),))
    with pytest.raises(SpecError, match="중복"):
        ContestSpec((final,), ("j1",), ("a",), final="weighted", audience=(AudienceSpec("final", "현장평가단"),))


def test_the_explanation_shows_the_audience_part():
    spec = _spec()
    result = compute_contest(spec, _scores({"a": (90, 80), "b": (80, 70), "c": (70, 60)}),
                             audience=_ballots({"a": [5, 4, 4, 3], "b": [4, 4, 3, 3], "c": [3, 3, 3, 3]}))
    lines = result.entry("a").explanation.lines()
    assert any(line.startswith("[현장평가단] 현장평가단 투표 4장") and "75.00" in line for line in lines)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(1, 5), min_size=3, max_size=3), min_size=1, max_size=30),
       st.permutations(range(30)))
def test_tally_and_shares_do_not_depend_on_ballot_order_and_shares_sum_to_100(rows, order):
    spec = _spec()
    ballots = [AudienceBallot("crowd", tuple(zip(("a", "b", "c"), row, strict=True))) for row in rows]
    shuffled = [ballots[i] for i in order if i < len(ballots)]
    scores = _scores({"a": (90, 80), "b": (80, 70), "c": (70, 61)})
    one = compute_contest(spec, scores, audience=ballots)
    two = compute_contest(spec, scores, audience=shuffled)
    assert one.audience == two.audience and one.final == two.final
    assert tally_audience(spec.audience[0], spec.entries, ballots) == one.audience[0]
    check = combination_check(spec, one)
    if check.reason is None:
        total = sum((c.effective for c in check.components), D(0))
        assert abs(total - 100) < D("1e-20")
