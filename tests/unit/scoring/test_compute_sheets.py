"""Sheets added up before the core (``RoundSheets``) give exactly the result of the score rows: the
ranking, the explanations, the criterion averages, the tie-breaks and the missing scores."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from judging.scoring import (
    AdvanceDecision,
    ContestSpec,
    CriterionSpec,
    OrderDecision,
    RoundSheets,
    RoundSpec,
    ScoreInputError,
    TierDecision,
    TierSpec,
    allowed_values,
    compute_contest,
)

D = Decimal
# key, max, scale, weight: whole and fractional grades (15 -> 13.5, 10.5), half points, a weighted pair
POOL = (
    ("need", D(20), "grades", D(1)),
    ("coop", D(15), "grades", D(1)),
    ("talk", D(5), "half_points", D(1)),
    ("plan", D(10), "points", D(1)),
    ("wide", D(10), "points", D("1.5")),
    ("tiny", D(4), "half_points", D("0.25")),
)
TIERS = (TierSpec("best", "최우수", 1, count=1), TierSpec("good", "우수", 2, count=2))


@st.composite
def contests(draw):
    """One or two rounds (a screening cut), any method, gaps and conflicts, every cascade step,
    recorded decisions that may or may not apply, last-round or weighted finals."""
    entries = [f"e{i}" for i in range(draw(st.integers(2, 7)))]
    judges = [f"j{i}" for i in range(draw(st.integers(1, 5)))]
    keys = ["doc", "live"] if draw(st.booleans()) else ["live"]
    weighted_criteria = draw(st.booleans())
    rounds = []
    for index, key in enumerate(keys):
        picked = draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=3, unique=True))
        if not weighted_criteria:
            picked = [c for c in picked if c[3] == 1] or [POOL[0]]
        method = draw(st.sampled_from(["mean", "trimmed_mean", "median", "zscore_mean"]))
        rounds.append(RoundSpec(
            key, key.upper(),
            tuple(CriterionSpec(k, k.upper(), top, scale, weight, n) for n, (k, top, scale, weight) in enumerate(picked)),
            order=index, aggregation=method, trim=1 if method == "trimmed_mean" else 0,
            advance=draw(st.integers(1, len(entries))) if key == "doc" else None,
            weight=D(draw(st.sampled_from([40, 50, 60]))),
        ))
    steps = (["round:doc"] if len(keys) == 2 else []) + [
        f"criterion:{draw(st.sampled_from(sorted({c.key for r in rounds for c in r.criteria})))}",
        "untrimmed_mean", "top_count",
    ]
    steps = list(draw(st.permutations(steps)))[draw(st.integers(0, len(steps))):] + ["decision"]
    spec = ContestSpec(
        rounds=tuple(rounds), judges=tuple(judges), entries=tuple(entries), tiers=TIERS, tie_break=steps,
        final=draw(st.sampled_from(["last", "weighted"])), rank_basis=draw(st.sampled_from(["exact", "displayed"])),
    )
    conflicts = sorted(draw(st.sets(st.tuples(st.sampled_from(judges), st.sampled_from(entries)), max_size=3)))
    rows = []
    for rnd in rounds:
        for entry in entries:
            for judge in judges:
                if draw(st.integers(0, 9)) == 0:
                    continue  # the judge has not opened this sheet
                for crit in rnd.criteria:
                    if draw(st.integers(0, 40)) == 0:
                        continue  # an incomplete sheet
                    # near the top of the scale, so that ties are common
                    top_three = sorted(allowed_values(crit.scale, crit.max_points))[-3:]
                    rows.append((rnd.key, judge, entry, crit.key, draw(st.sampled_from(top_three))))
    decisions = {}
    if draw(st.booleans()):
        scope = draw(st.sampled_from(["final", *keys]))
        decisions["order_decisions"] = [OrderDecision(tuple(draw(st.permutations(entries))), "회의록", scope)]
    if draw(st.booleans()):
        decisions["tier_decisions"] = [TierDecision("best", tuple(draw(st.permutations(entries))[:2]), "공동")]
    if len(keys) == 2 and draw(st.booleans()):
        decisions["advance_decisions"] = [AdvanceDecision("doc", (draw(st.sampled_from(entries)),), "회의록")]
    return spec, rows, conflicts, decisions


def added_up(spec, rows, *, with_column=True, reverse=False):
    """The rows as ``RoundSheets``, added up the way a database would: Σ score × weight per sheet (a
    weight of 1 adds the score itself), the count of scores, the scores on demand."""
    sheets = []
    for rnd in spec.rounds:
        by_sheet = {}
        for r, judge, entry, crit, value in rows:
            if r == rnd.key:
                by_sheet.setdefault((judge, entry), {})[crit] = value
        totals = {}
        for key, scores in by_sheet.items():
            total = None
            if len(scores) == len(rnd.criteria):
                total = D(0)
                for c in rnd.criteria:
                    total += scores[c.key] if c.weight == 1 else scores[c.key] * c.weight
            totals[key] = (total, len(scores))
        if reverse:
            totals = dict(reversed(totals.items()))

        def column(key, by_sheet=by_sheet):
            return {k: s[key] for k, s in by_sheet.items() if key in s}

        sheets.append(RoundSheets(rnd.key, totals, lambda j, e, by_sheet=by_sheet: by_sheet[(j, e)],
                                  column if with_column else None))
    return sheets


def outcome(spec, conflicts, decisions, **scores):
    try:
        return compute_contest(spec, conflicts=conflicts, **scores, **decisions).to_dict()
    except ScoreInputError:
        raise
    except Exception as exc:  # a refusal (decision, award) must be the same refusal
        return (type(exc).__name__, str(exc))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contests(), st.booleans(), st.booleans())
def test_sheets_added_up_upstream_give_exactly_the_result_of_the_score_rows(contest, with_column, reverse):
    spec, rows, conflicts, decisions = contest
    from_rows = outcome(spec, conflicts, decisions, scores=rows)
    from_sheets = outcome(spec, conflicts, decisions,
                          sheets=added_up(spec, rows, with_column=with_column, reverse=reverse))
    assert from_sheets == from_rows


CRITERIA = (CriterionSpec("need", "필요성", D(20)), CriterionSpec("coop", "민관협력", D(20)))


def small(tie_break=("criterion:coop", "untrimmed_mean")):
    spec = ContestSpec(rounds=(RoundSpec("live", "발표", CRITERIA),), judges=("j1", "j2"), entries=("a", "b", "c"),
                       tie_break=tie_break)
    rows = [("live", j, e, c, D(v)) for (j, e), pair in {
        ("j1", "a"): (20, 20), ("j2", "a"): (18, 18), ("j1", "b"): (20, 18), ("j2", "b"): (16, 16),
        ("j1", "c"): (12, 12), ("j2", "c"): (14, 14),
    }.items() for c, v in zip(("need", "coop"), pair, strict=True)]
    return spec, rows


def test_totals_alone_rank_and_explain_and_criterion_averages_come_from_the_sheets():
    spec, rows = small()
    result = compute_contest(spec, sheets=added_up(spec, rows))
    assert [(f.entry, f.rank, f.display) for f in result.final] == [("a", 1, "38.00"), ("b", 2, "35.00"),
                                                                     ("c", 3, "26.00")]
    assert "38.00" in result.entry("a").explanation.lines()[0]
    a = result.round("live").entry("a")
    assert [(c.criterion, c.display) for c in a.criteria] == [("need", "19.00"), ("coop", "19.00")]
    assert result.to_dict() == compute_contest(spec, rows).to_dict()


def test_a_tie_is_broken_by_the_criterion_its_cascade_step_names():
    spec = ContestSpec(rounds=(RoundSpec("doc", "서류", CRITERIA, advance=1), RoundSpec("live", "발표", CRITERIA,
                                                                                      order=1)),
                       judges=("j1", "j2"), entries=("a", "b", "c"), tie_break=("criterion:coop",))
    doc = [("doc", j, e, c, D(v)) for j in ("j1", "j2") for e, (need, coop) in
           {"a": (20, 18), "b": (18, 20), "c": (12, 12)}.items() for c, v in (("need", need), ("coop", coop))]
    (doc_sheets,) = added_up(ContestSpec(rounds=spec.rounds[:1], judges=spec.judges, entries=spec.entries), doc)
    result = compute_contest(spec, sheets=[doc_sheets])
    assert result.round("doc").advanced == ("b",)  # a and b tie on 38, b's coop 20 beats 18
    assert result.round("doc").entry("a").tie_breaks[0].values == (("a", D(18)), ("b", D(20)))
    assert result.to_dict() == compute_contest(spec, doc).to_dict()


def test_an_incomplete_sheet_lists_its_missing_scores():
    spec, rows = small()
    rows = [r for r in rows if r[1:4] != ("j2", "c", "coop")]
    result = compute_contest(spec, sheets=added_up(spec, rows))
    assert [(m.judge, m.entry, m.criterion) for m in result.round("live").missing] == [("j2", "c", "coop")]
    assert result.to_dict() == compute_contest(spec, rows).to_dict()


@pytest.mark.parametrize(("change", "message"), [
    (lambda s: RoundSheets("nope", s.totals, s.scores), "없는 라운드"),
    (lambda s: RoundSheets(s.round, {**s.totals, ("j9", "a"): (D(40), 2)}, s.scores), "없는 심사위원"),
    (lambda s: RoundSheets(s.round, {**s.totals, ("j1", "zz"): (D(40), 2)}, s.scores), "없는 참가팀"),
    (lambda s: RoundSheets(s.round, {**s.totals, ("j1", "a"): (D(40), 3)}, s.scores), "점수 수"),
    (lambda s: RoundSheets(s.round, {**s.totals, ("j1", "a"): (None, 2)}, s.scores), "합계"),
    (lambda s: RoundSheets(s.round, {**s.totals, ("j1", "a"): (D(20), 1)}, s.scores), "합계"),
])
def test_sheets_that_cannot_be_right_are_refused_with_the_reason(change, message):
    spec, rows = small()
    (sheets,) = added_up(spec, rows)
    with pytest.raises(ScoreInputError, match=message):
        compute_contest(spec, sheets=[change(sheets)])


def test_a_round_given_both_as_rows_and_as_sheets_is_refused():
    spec, rows = small()
    with pytest.raises(ScoreInputError, match="두 번"):
        compute_contest(spec, rows, sheets=added_up(spec, rows))
    with pytest.raises(ScoreInputError, match="두 번"):
        compute_contest(spec, sheets=added_up(spec, rows) * 2)
