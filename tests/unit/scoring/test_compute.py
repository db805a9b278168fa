"""Worked examples through ``compute_contest``."""

from decimal import Decimal

import pytest

from judging.scoring import (
    PENDING,
    RECUSED,
    AdvanceDecision,
    AwardConflictError,
    Conflict,
    ContestSpec,
    CriterionSpec,
    OrderDecision,
    RoundSpec,
    ScoreInputError,
    SpecError,
    SpecialAward,
    TierDecision,
    TierSpec,
    compute_contest,
    parse_tie_break,
)

D = Decimal
ONE = (CriterionSpec("score", "점수", D(100)),)
TIERS = (TierSpec("best", "최우수", 1, count=1), TierSpec("excellent", "우수", 2, count=2))


def one_round(totals, *, aggregation="mean", trim=0, tiers=(), tie_break=(), judges=None, advance=None):
    """A contest with one round and one 100-point criterion, so a judge's score is their total."""
    judges = judges or sorted({j for row in totals.values() for j in row})
    spec = ContestSpec(
        rounds=(RoundSpec("live", "발표", ONE, aggregation=aggregation, trim=trim, advance=advance),),
        judges=tuple(judges),
        entries=tuple(totals),
        tiers=tiers,
        tie_break=tie_break,
    )
    rows = [("live", j, e, "score", D(v)) for e, row in totals.items() for j, v in row.items()]
    return spec, rows


def ranks(result):
    return {f.entry: f.rank for f in result.final}


def tiers_of(result):
    return {f.entry: f.tier for f in result.final}


def test_entries_still_tied_share_a_rank_competition_style():
    spec, rows = one_round({"a": {"j1": 90}, "b": {"j1": 80}, "c": {"j1": 80}, "d": {"j1": 70}})
    result = compute_contest(spec, rows)
    assert [(f.entry, f.rank) for f in result.final] == [("a", 1), ("b", 2), ("c", 2), ("d", 4)]
    assert result.entry("b").explanation.rank == 2


def test_a_recused_judge_leaves_the_entry_with_n_minus_one():
    spec, rows = one_round(
        {"a": {"j1": 90, "j2": 80, "j3": 70, "j4": 60}, "b": {"j1": 70, "j2": 70, "j3": 70, "j4": 70}}
    )
    result = compute_contest(spec, rows, conflicts=[Conflict("j4", "a")])
    a = result.round("live").entry("a")
    assert a.n == 3
    assert a.exact == D(80)
    assert a.recused == ("j4",)
    assert any(d.judge == "j4" and d.reason == RECUSED for d in a.dropped)
    assert a.complete  # a recused judge is not a missing score
    assert "이해충돌 회피" in "\n".join(result.entry("a").explanation.lines())


def test_unequal_judge_counts_are_ranked_by_mean_not_sum():
    spec, rows = one_round(
        {"a": {"j1": 90, "j2": 90, "j3": 90}, "b": {"j1": 80, "j2": 80, "j3": 80, "j4": 80}},
        judges=["j1", "j2", "j3", "j4"],
    )
    rows = [r for r in rows if not (r[1] == "j4" and r[2] == "a")]
    result = compute_contest(spec, rows, conflicts=[("j4", "a")])
    assert ranks(result) == {"a": 1, "b": 2}
    assert (result.entry("a").n, result.entry("b").n) == (3, 4)


def test_missing_scores_are_reported_and_never_zero():
    criteria = (CriterionSpec("need", "필요성", D(20)), CriterionSpec("coop", "민관협력", D(20)))
    spec = ContestSpec(rounds=(RoundSpec("live", "발표", criteria),), judges=("j1", "j2"), entries=("a", "b"))
    rows = [
        ("live", "j1", "a", "need", D(18)),
        ("live", "j1", "a", "coop", D(16)),
        ("live", "j2", "a", "need", D(20)),
        ("live", "j2", "a", "coop", D(20)),
        ("live", "j1", "b", "need", D(10)),
        ("live", "j1", "b", "coop", D(10)),
        ("live", "j2", "b", "coop", D(20)),  # j2 has not scored b's "need"
    ]
    result = compute_contest(spec, rows)
    b = result.round("live").entry("b")
    assert not b.complete
    assert [(m.judge, m.entry, m.criterion) for m in b.missing] == [("j2", "b", "need")]
    assert b.n == 1 and b.exact == D(20)  # j2's incomplete sheet is left out, not zero-filled
    assert result.round("live").missing == b.missing
    assert not result.is_final


def test_too_few_totals_for_trimming_leaves_the_entry_unranked_with_the_reason():
    spec, rows = one_round(
        {"a": {"j1": 90, "j2": 80, "j3": 70}, "b": {"j1": 95, "j2": 95}},
        aggregation="trimmed_mean",
        trim=1,
        judges=["j1", "j2", "j3"],
    )
    result = compute_contest(spec, rows, conflicts=[("j3", "b")])
    b = result.entry("b")
    assert (b.rank, b.tier, b.status, b.exact) == (None, None, "insufficient", None)
    assert "최소 3개" in b.message
    assert result.final[-1].entry == "b"


def test_trimmed_round_reports_the_dropped_judges_and_method():
    spec, rows = one_round(
        {"a": {"j1": 95, "j2": 88, "j3": 85, "j4": 70}}, aggregation="trimmed_mean", trim=1
    )
    result = compute_contest(spec, rows)
    assert result.method == "trimmed_mean k=1"
    assert result.entry("a").display == "86.50"
    assert set(result.entry("a").dropped) == {"j1", "j4"}
    data = result.to_dict()
    assert data["final"][0]["display"] == "86.50"
    assert data["final"][0]["exact"] == "86.5"


# --- tie-break cascade: every step decides a case ------------------------------------------------


def test_round_step_breaks_a_tie_in_the_weighted_final():
    spec = ContestSpec(
        rounds=(
            RoundSpec("doc", "서류", ONE, order=1, weight=D(50)),
            RoundSpec("live", "발표", ONE, order=2, weight=D(50)),
        ),
        judges=("j1",),
        entries=("a", "b"),
        tie_break=["round:live"],
        final="weighted",
    )
    rows = [
        ("doc", "j1", "a", "score", D(80)),
        ("live", "j1", "a", "score", D(90)),
        ("doc", "j1", "b", "score", D(90)),
        ("live", "j1", "b", "score", D(80)),
    ]
    result = compute_contest(spec, rows)
    assert ranks(result) == {"a": 1, "b": 2}
    step = result.entry("a").tie_breaks[0]
    assert step.step == "round:live" and step.outcome == "decided"
    assert dict(step.values) == {"a": D(90), "b": D(80)}


def test_criterion_step_breaks_a_tie():
    criteria = (CriterionSpec("need", "필요성", D(50)), CriterionSpec("coop", "민관협력", D(50)))
    spec = ContestSpec(
        rounds=(RoundSpec("live", "발표", criteria),),
        judges=("j1",),
        entries=("a", "b"),
        tie_break=["criterion:need"],
    )
    rows = [
        ("live", "j1", "a", "need", D(40)),
        ("live", "j1", "a", "coop", D(30)),
        ("live", "j1", "b", "need", D(30)),
        ("live", "j1", "b", "coop", D(40)),
    ]
    result = compute_contest(spec, rows)
    assert ranks(result) == {"a": 1, "b": 2}
    assert [c.exact for c in result.round("live").entry("a").criteria] == [D(40), D(30)]


def test_untrimmed_mean_step_breaks_a_tie_of_trimmed_means():
    spec, rows = one_round(
        {"a": {"j1": 60, "j2": 80, "j3": 90}, "b": {"j1": 70, "j2": 80, "j3": 100}},
        aggregation="trimmed_mean",
        trim=1,
        tie_break=["untrimmed_mean"],
    )
    result = compute_contest(spec, rows)
    assert ranks(result) == {"b": 1, "a": 2}
    assert result.entry("b").tie_breaks[0].outcome == "decided"


def test_top_count_step_breaks_a_tie():
    spec, rows = one_round(
        {"a": {"j1": 90, "j2": 70}, "b": {"j1": 80, "j2": 80}, "c": {"j1": 50, "j2": 85}},
        tie_break=["top_count"],
    )
    result = compute_contest(spec, rows)
    # j1's highest total went to a; j2's to c; b has none
    assert ranks(result) == {"a": 1, "b": 2, "c": 3}
    assert dict(result.entry("a").tie_breaks[0].values) == {"a": 1, "b": 0}


def test_decision_step_applies_a_recorded_order_and_says_why():
    spec, rows = one_round({"a": {"j1": 80}, "b": {"j1": 80}}, tie_break=["top_count", "decision"])
    undecided = compute_contest(spec, rows)
    assert ranks(undecided) == {"a": 1, "b": 1}
    assert [t.outcome for t in undecided.entry("a").tie_breaks] == ["tied", "not_applicable"]
    decided = compute_contest(
        spec, rows, order_decisions=[OrderDecision(("b", "a"), "심사위원 협의 (회의록 3)")]
    )
    assert ranks(decided) == {"b": 1, "a": 2}
    last = decided.entry("a").tie_breaks[-1]
    assert (last.step, last.outcome, last.note) == ("decision", "decided", "심사위원 협의 (회의록 3)")
    assert dict(last.values) == {"a": 2, "b": 1}


def test_a_tie_is_never_broken_by_input_order_or_key():
    spec, rows = one_round({"b": {"j1": 80}, "a": {"j1": 80}})
    assert ranks(compute_contest(spec, rows)) == {"a": 1, "b": 1}
    assert ranks(compute_contest(spec, list(reversed(rows)))) == {"a": 1, "b": 1}


def test_unknown_tie_break_steps_are_refused():
    with pytest.raises(SpecError, match="알 수 없는"):
        parse_tie_break(["coin_flip"])
    with pytest.raises(SpecError, match="키가 없습니다"):
        parse_tie_break(["round:"])
    with pytest.raises(SpecError, match="마지막"):
        parse_tie_break(["decision", "top_count"])


# --- tiers ---------------------------------------------------------------------------------------

BOUNDARY = {"a": {"j1": 90}, "b": {"j1": 90}, "c": {"j1": 80}, "d": {"j1": 70}, "e": {"j1": 60}}


def test_a_tie_across_a_tier_boundary_is_left_pending_and_reported():
    spec, rows = one_round(BOUNDARY, tiers=TIERS)
    result = compute_contest(spec, rows)
    assert tiers_of(result) == {"a": PENDING, "b": PENDING, "c": "excellent", "d": None, "e": None}
    (tie,) = result.unresolved_ties
    assert (tie.kind, tie.boundary, tie.next_tier, tie.entries, tie.places, tie.rank) == (
        "tier",
        "best",
        "excellent",
        ("a", "b"),
        1,
        1,
    )
    assert "결정 대기" in result.entry("a").tier_rule


def test_a_decision_can_give_both_tied_entries_the_higher_tier():
    spec, rows = one_round(BOUNDARY, tiers=TIERS)
    decision = TierDecision("best", ("a", "b"), "공동 수상 결정")
    result = compute_contest(spec, rows, tier_decisions=[decision])
    assert tiers_of(result) == {"a": "best", "b": "best", "c": "excellent", "d": "excellent", "e": None}
    assert result.unresolved_ties == ()
    assert "공동 수상 결정" in result.entry("a").tier_rule


def test_a_decision_can_give_one_tied_entry_the_higher_tier():
    spec, rows = one_round(BOUNDARY, tiers=TIERS)
    result = compute_contest(spec, rows, tier_decisions=[TierDecision("best", ("b",), "발표 점수 우위")])
    assert tiers_of(result) == {"a": "excellent", "b": "best", "c": "excellent", "d": None, "e": None}
    assert result.unused_decisions == ()


def test_fixed_counts_in_rank_order():
    totals = {f"e{i:02d}": {"j1": 100 - i} for i in range(13)}
    tiers = (
        TierSpec("best", "최우수", 1, count=1),
        TierSpec("excellent", "우수", 2, count=3),
        TierSpec("merit", "장려", 3, count=7),
    )
    spec, rows = one_round(totals, tiers=tiers)
    result = compute_contest(spec, rows)
    counts = {}
    for f in result.final:
        counts[f.tier] = counts.get(f.tier, 0) + 1
    assert counts == {"best": 1, "excellent": 3, "merit": 7, None: 2}
    assert result.entry("e00").tier_rule == "순위 1위 → 최우수 (정원 1)"


def test_score_thresholds_place_entries():
    tiers = (TierSpec("gold", "금상", 1, threshold=D(90)), TierSpec("silver", "은상", 2, threshold=D(80)))
    spec, rows = one_round({"a": {"j1": 95}, "b": {"j1": 90}, "c": {"j1": 85}, "d": {"j1": 79}}, tiers=tiers)
    result = compute_contest(spec, rows)
    assert tiers_of(result) == {"a": "gold", "b": "gold", "c": "silver", "d": None}


def test_a_stale_decision_is_reported_as_unused():
    spec, rows = one_round({"a": {"j1": 90}, "b": {"j1": 80}}, tiers=TIERS)
    decision = TierDecision("best", ("a", "b"), "예전 동점")
    result = compute_contest(spec, rows, tier_decisions=[decision])
    assert tiers_of(result) == {"a": "best", "b": "excellent"}
    assert result.unused_decisions == (decision,)


# --- rounds --------------------------------------------------------------------------------------


def screening_spec(**final):
    return ContestSpec(
        rounds=(
            RoundSpec("doc", "서류", ONE, order=1, advance=2, weight=D(60)),
            RoundSpec("live", "발표", (CriterionSpec("talk", "발표", D(50)),), order=2, weight=D(40)),
        ),
        judges=("j1",),
        entries=("a", "b", "c", "d"),
        **final,
    )


def test_a_tie_at_the_screening_cut_is_reported_not_silently_cut():
    spec = screening_spec()
    rows = [("doc", "j1", e, "score", D(v)) for e, v in {"a": 90, "b": 80, "c": 80, "d": 70}.items()]
    result = compute_contest(spec, rows)
    doc = result.round("doc")
    assert doc.advanced == ("a",)
    assert {e.entry: e.advancement for e in doc.entries} == {
        "a": "advanced",
        "b": "tied_at_cut",
        "c": "tied_at_cut",
        "d": "not_advanced",
    }
    (tie,) = doc.cut_ties
    assert (tie.kind, tie.boundary, tie.entries, tie.places) == ("cut", "doc", ("b", "c"), 1)
    assert result.unresolved_ties == (tie,)
    decided = compute_contest(spec, rows, advance_decisions=[AdvanceDecision("doc", ("c",), "현장 확인")])
    assert decided.round("doc").advanced == ("a", "c")
    assert {e.entry: e.advancement for e in decided.round("doc").entries}["b"] == "not_advanced"
    assert {f.entry for f in decided.final} == {"a", "c"}
    assert decided.unresolved_ties == ()


def test_weighted_rounds_doc_60_live_40():
    spec = screening_spec(final="weighted")
    rows = [("doc", "j1", e, "score", D(v)) for e, v in {"a": 80, "b": 90, "c": 50, "d": 40}.items()]
    rows += [("live", "j1", "a", "talk", D(45)), ("live", "j1", "b", "talk", D(35))]
    result = compute_contest(spec, rows)
    # a: 60% × 80 + 40% × (45/50 × 100) = 48 + 36 = 84; b: 54 + 28 = 82
    assert [(f.entry, f.rank, f.display) for f in result.final] == [("a", 1, "84.00"), ("b", 2, "82.00")]
    assert result.final_max == D(100)
    assert "서류 60" in result.method and "발표 40" in result.method


def test_last_round_alone_ranks_only_finalists():
    spec = screening_spec()
    rows = [("doc", "j1", e, "score", D(v)) for e, v in {"a": 80, "b": 90, "c": 50, "d": 40}.items()]
    rows += [("live", "j1", "a", "talk", D(45)), ("live", "j1", "b", "talk", D(35))]
    result = compute_contest(spec, rows)
    assert [(f.entry, f.display) for f in result.final] == [("a", "45.00"), ("b", "35.00")]
    assert len(result.entry("a").explanation.rounds) == 2


# --- special awards and input errors -------------------------------------------------------------


def test_a_special_award_may_go_to_a_non_finalist_with_its_reason():
    spec = screening_spec()
    rows = [("doc", "j1", e, "score", D(v)) for e, v in {"a": 80, "b": 90, "c": 50, "d": 40}.items()]
    award = SpecialAward("special", "d", "주민 주도 나눔 활동")
    result = compute_contest(spec, rows, special_awards=[award])
    assert result.special_awards == (award,)
    assert "d" not in {f.entry for f in result.final}


def test_one_entry_receives_at_most_one_award():
    spec, rows = one_round({"a": {"j1": 90}, "b": {"j1": 80}, "c": {"j1": 70}, "d": {"j1": 60}}, tiers=TIERS)
    with pytest.raises(AwardConflictError, match="특별상"):
        compute_contest(spec, rows, special_awards=[SpecialAward("special", "a", "사유")])
    twice = [SpecialAward("special", "d", "사유"), SpecialAward("creative", "d", "사유")]
    with pytest.raises(AwardConflictError):
        compute_contest(spec, rows, special_awards=twice)
    ok = compute_contest(spec, rows, special_awards=[SpecialAward("special", "d", "사유")])
    assert ok.entry("d").explanation.special_award == "special"


def test_off_scale_or_unknown_score_rows_are_refused_naming_the_row():
    spec, rows = one_round({"a": {"j1": 90}})
    with pytest.raises(ScoreInputError, match="2행.*최대 100점"):
        compute_contest(spec, rows + [("live", "j2", "a", "score", D(101))])
    with pytest.raises(ScoreInputError, match="두 번"):
        compute_contest(spec, rows + rows)
    with pytest.raises(ScoreInputError, match="없는 참가팀"):
        compute_contest(spec, [("live", "j1", "zz", "score", D(1))])


def test_rules_that_judge_ties_on_the_displayed_figure_can_say_so():
    criteria = (
        CriterionSpec("main", "본 점수", D(100)),
        CriterionSpec("cents", "소수점", D(100), weight=D("0.01")),
    )
    rows = [
        ("live", "j0", "a", "main", D(90)),
        ("live", "j0", "a", "cents", D(33)),  # a: 90.33 exactly, one assigned judge
        ("live", "j0", "b", "main", D(90)),
        ("live", "j1", "b", "main", D(90)),
        ("live", "j2", "b", "main", D(91)),  # b: 90.3333...
    ] + [("live", j, "b", "cents", D(0)) for j in ("j0", "j1", "j2")]
    assignments = [("live", "j0", "a")] + [("live", j, "b") for j in ("j0", "j1", "j2")]

    def run(basis):
        spec = ContestSpec(
            rounds=(RoundSpec("live", "발표", criteria),),
            judges=("j0", "j1", "j2"),
            entries=("a", "b"),
            rank_basis=basis,
        )
        return compute_contest(spec, rows, assignments=assignments)

    exact = run("exact")
    assert ranks(exact) == {"b": 1, "a": 2}
    assert exact.entry("a").display == exact.entry("b").display == "90.33"
    assert exact.round("live").missing == ()  # assignments define who is expected
    assert ranks(run("displayed")) == {"a": 1, "b": 1}


def test_the_result_is_json_friendly():
    import json

    spec, rows = one_round(BOUNDARY, tiers=TIERS, aggregation="median")
    data = json.loads(json.dumps(compute_contest(spec, rows).to_dict(), ensure_ascii=False))
    assert data["final"][0]["display"] == "90.00"
    assert data["final"][0]["tier"] == "pending"
    assert data["unresolved_ties"][0]["entries"] == ["a", "b"]
    assert data["final"][0]["explanation"]["lines"][-1].endswith("결정 대기")
