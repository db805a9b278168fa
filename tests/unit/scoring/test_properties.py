"""Hypothesis properties of the scoring core."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from judging.scoring import (
    PENDING,
    ContestSpec,
    CriterionSpec,
    RoundSpec,
    TierDecision,
    TierSpec,
    compute_contest,
)

D = Decimal
CRITERIA = (
    CriterionSpec("c1", "필요성", D(10)),
    CriterionSpec("c2", "발표력", D(5), scale="half_points"),
)
TIER_KEYS = ("best", "excellent")
TIERS = (TierSpec("best", "최우수", 1, count=1), TierSpec("excellent", "우수", 2, count=2))
STEP = {"c1": D(1), "c2": D("0.5")}
MAX = {"c1": D(10), "c2": D(5)}
FAST = settings(max_examples=100, deadline=None)


@st.composite
def contests(draw, methods=("mean", "trimmed_mean", "median")):
    entries = [f"e{i}" for i in range(draw(st.integers(2, 6)))]
    judges = [f"j{i}" for i in range(draw(st.integers(3, 5)))]
    method = draw(st.sampled_from(methods))
    conflicts = draw(st.sets(st.tuples(st.sampled_from(judges), st.sampled_from(entries)), max_size=2))
    rows = []
    for entry in entries:
        for judge in judges:
            if (judge, entry) in conflicts:
                continue
            # narrow ranges on purpose: ties must be common
            rows.append(("live", judge, entry, "c1", D(draw(st.integers(7, 10)))))
            rows.append(("live", judge, entry, "c2", D(draw(st.integers(7, 10))) / 2))
    spec = ContestSpec(
        rounds=(
            RoundSpec(
                "live", "발표", CRITERIA, aggregation=method, trim=1 if method == "trimmed_mean" else 0
            ),
        ),
        judges=tuple(judges),
        entries=tuple(entries),
        tiers=TIERS,
        tie_break=["criterion:c1", "untrimmed_mean", "top_count"],
    )
    return spec, rows, sorted(conflicts)


def permuted(data, spec, rows, conflicts):
    return (
        ContestSpec(
            rounds=spec.rounds,
            judges=tuple(data.draw(st.permutations(spec.judges))),
            entries=tuple(data.draw(st.permutations(spec.entries))),
            tiers=tuple(reversed(spec.tiers)),
            tie_break=spec.tie_break,
        ),
        data.draw(st.permutations(rows)),
        data.draw(st.permutations(conflicts)),
    )


@FAST
@given(contests(methods=("mean", "trimmed_mean", "median", "zscore_mean")), st.data())
def test_results_do_not_depend_on_the_order_of_judges_entries_or_rows(contest, data):
    spec, rows, conflicts = contest
    first = compute_contest(spec, rows, conflicts=conflicts)
    other_spec, other_rows, other_conflicts = permuted(data, spec, rows, conflicts)
    second = compute_contest(other_spec, other_rows, conflicts=other_conflicts)
    assert first.to_dict() == second.to_dict()


def tier_level(result, entry):
    tier = result.entry(entry).tier
    if tier is None:
        return len(TIER_KEYS)
    if tier == PENDING:
        (tie,) = [t for t in result.unresolved_ties if t.kind == "tier" and entry in t.entries]
        return TIER_KEYS.index(tie.boundary) + 0.5
    return TIER_KEYS.index(tier)


@FAST
@given(contests(), st.data())
def test_raising_one_score_never_lowers_that_entrys_rank_or_tier(contest, data):
    spec, rows, conflicts = contest
    index = data.draw(st.integers(0, len(rows) - 1))
    rnd, judge, entry, crit, value = rows[index]
    if value == MAX[crit]:
        return
    raised = list(rows)
    raised[index] = (rnd, judge, entry, crit, value + STEP[crit])
    before = compute_contest(spec, rows, conflicts=conflicts)
    after = compute_contest(spec, raised, conflicts=conflicts)
    if before.entry(entry).rank is None:
        return
    assert after.entry(entry).rank <= before.entry(entry).rank
    assert tier_level(after, entry) <= tier_level(before, entry)


@FAST
@given(contests(methods=("mean", "trimmed_mean", "median", "zscore_mean")))
def test_every_entry_appears_exactly_once_in_the_final_ranking(contest):
    spec, rows, conflicts = contest
    result = compute_contest(spec, rows, conflicts=conflicts)
    assert sorted(f.entry for f in result.final) == sorted(spec.entries)
    ranked = [f.rank for f in result.final if f.rank is not None]
    assert ranked == sorted(ranked)
    assert ranked[:1] in ([], [1])


@FAST
@given(contests())
def test_tier_counts_hold_and_pending_places_are_counted_honestly(contest):
    spec, rows, conflicts = contest
    result = compute_contest(spec, rows, conflicts=conflicts)
    pending = [f.entry for f in result.final if f.tier == PENDING]
    tied = [e for t in result.unresolved_ties for e in t.entries]
    assert sorted(pending) == sorted(tied)
    for tier in TIERS:
        holders = sum(1 for f in result.final if f.tier == tier.key)
        held_for_ties = sum(t.places for t in result.unresolved_ties if t.boundary == tier.key)
        assert holders + held_for_ties <= tier.count


@FAST
@given(contests())
def test_only_a_recorded_decision_changes_a_tier_count(contest):
    spec, rows, conflicts = contest
    result = compute_contest(spec, rows, conflicts=conflicts)
    if not result.unresolved_ties:
        return
    tie = result.unresolved_ties[0]
    decision = TierDecision(tie.boundary, tie.entries, "공동 수상")
    decided = compute_contest(spec, rows, conflicts=conflicts, tier_decisions=[decision])
    before = sum(1 for f in result.final if f.tier == tie.boundary)
    after = sum(1 for f in decided.final if f.tier == tie.boundary)
    assert after == before + len(tie.entries)
    assert all(decided.entry(e).tier == tie.boundary for e in tie.entries)
    assert decision not in decided.unused_decisions


@FAST
@given(contests(methods=("mean", "trimmed_mean", "median", "zscore_mean")))
def test_aggregates_stay_within_zero_and_the_maximum(contest):
    spec, rows, conflicts = contest
    result = compute_contest(spec, rows, conflicts=conflicts)
    live = result.round("live")
    for item in live.entries:
        if item.exact is not None:
            assert D(0) <= item.exact <= live.max_total
        for crit in item.criteria:
            if crit.exact is not None:
                assert D(0) <= crit.exact <= MAX[crit.criterion]
