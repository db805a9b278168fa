"""Ranking precision (``rank_precision``): ranks, ties, tier thresholds, screening cuts and every
cascade step compare the figure rounded half-up to the announced decimals; "exact" (None) keeps the
exact aggregates apart. Worked examples."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from judging.scoring import (
    ContestSpec,
    CriterionSpec,
    RoundSpec,
    SpecError,
    TierSpec,
    compute_contest,
)
from judging.scoring.rounding import parse_rank_precision, rank_key, rank_rule_text

# A judge's total is main + fine / 100 (the "fine" criterion weighs 0.01), so totals have cents.
CRITERIA = (CriterionSpec("main", "주요 항목", D(100), "points"),
            CriterionSpec("fine", "세부 항목", D(100), "points", D("0.01")))
JUDGES = ("j1", "j2", "j3")


def rows(round_key: str, entry: str, totals: list[str]) -> list[tuple]:
    out = []
    for judge, total in zip(JUDGES, totals, strict=True):
        main, fine = D(total).quantize(D(1), rounding="ROUND_FLOOR"), (D(total) % 1) * 100
        out += [(round_key, judge, entry, "main", main), (round_key, judge, entry, "fine", fine)]
    return out


def final_spec(precision, tiers=(), tie_break=("criterion:fine",), entries=("a", "b")) -> ContestSpec:
    return ContestSpec(rounds=(RoundSpec("final", "발표심사", CRITERIA),), judges=JUDGES, entries=entries,
                       tiers=tiers, tie_break=tie_break, rank_precision=precision)


def test_aggregates_that_differ_after_the_second_decimal_tie_and_go_to_the_cascade():
    # a: 83.33, 83.33, 83.33 -> 83.33 exactly; b: 83.33, 83.33, 83.34 -> 83.3333… (both shown 83.33)
    scores = rows("final", "a", ["83.33"] * 3) + rows("final", "b", ["83.33", "83.33", "83.34"])
    result = compute_contest(final_spec(2), scores)
    a, b = result.entry("a"), result.entry("b")
    assert a.display == b.display == "83.33"
    # tied on the announced figure: the cascade decides, and says so for both entries
    assert [t.step for t in a.tie_breaks] == [t.step for t in b.tie_breaks] == ["criterion:fine"]
    assert b.tie_breaks[0].outcome == "decided"
    # the step compares at the announced precision too: fine 33.00 vs 33.33
    assert dict(b.tie_breaks[0].values) == {"a": D(33), "b": D("33.33333333333333333333333333")}
    assert (b.rank, a.rank) == (1, 2)


def test_exact_keeps_them_apart_without_a_cascade():
    scores = rows("final", "a", ["83.33"] * 3) + rows("final", "b", ["83.33", "83.33", "83.34"])
    result = compute_contest(final_spec(None), scores)
    a, b = result.entry("a"), result.entry("b")
    assert (b.rank, a.rank) == (1, 2)
    assert a.tie_breaks == () and b.tie_breaks == ()


def test_still_tied_after_the_cascade_at_the_announced_precision_share_the_rank():
    scores = rows("final", "a", ["83.33"] * 3) + rows("final", "b", ["83.33", "83.33", "83.34"])
    result = compute_contest(final_spec(1, tie_break=("criterion:main",)), scores)
    assert result.entry("a").rank == result.entry("b").rank == 1


@pytest.mark.parametrize(("precision", "tier"), [(2, "good"), (None, None)])
def test_79_996_reaches_a_threshold_of_80_at_two_decimals(precision, tier):
    # 80 + 80 + 79.99 = 239.99 / 3 = 79.99666… shown 80.00
    spec = final_spec(precision, tiers=(TierSpec("good", "우수", 1, None, D(80)),), entries=("a",))
    result = compute_contest(spec, rows("final", "a", ["80", "80", "79.99"]))
    entry = result.entry("a")
    assert entry.display == "80.00" and str(entry.exact).startswith("79.996")
    assert entry.tier == tier


@pytest.mark.parametrize(("precision", "advanced", "cut_tie"), [(2, (), ("x", "y")), (None, ("x",), ())])
def test_a_screening_cut_at_the_rounded_figure(precision, advanced, cut_tie):
    spec = ContestSpec(
        rounds=(RoundSpec("doc", "서면심사", CRITERIA, order=1, advance=1),
                RoundSpec("final", "발표심사", CRITERIA, order=2)),
        judges=JUDGES, entries=("x", "y"), rank_precision=precision)
    # x 80.00, y 79.99666… (shown 80.00): one place at the cut
    result = compute_contest(spec, rows("doc", "x", ["80"] * 3) + rows("doc", "y", ["80", "80", "79.99"]))
    doc = result.round("doc")
    assert doc.advanced == advanced
    assert tuple(t.entries for t in doc.cut_ties) == ((cut_tie,) if cut_tie else ())


def test_the_rule_is_parsed_and_stated_in_words():
    assert parse_rank_precision("exact") is None and parse_rank_precision(0) == 0 and parse_rank_precision("3") == 3
    for bad in (5, -1, "two", 2.5, True):
        with pytest.raises(ValueError, match="0~4"):
            parse_rank_precision(bad)
    with pytest.raises(SpecError):
        final_spec(7)
    assert rank_key(0)(D("79.5")) == D(80) and rank_key(2)(D("79.995")) == D("80.00")
    assert "소수 셋째 자리에서 반올림한 소수 둘째 자리까지" in rank_rule_text(2)
    assert "정수" in rank_rule_text(0) and "정확한 점수" in rank_rule_text(None)
