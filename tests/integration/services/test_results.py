"""The results service against a real database: compute, decisions, special awards, snapshots."""

from __future__ import annotations

import copy
import json

import pytest
import sqlalchemy as sa

from judging.models import AuditEvent, Decision, ResultSnapshot
from judging.services import decisions, published, publishing, results, snapshots
from judging.services.errors import DomainError, NotFound
from tests.support.scores import TIED, UNTIED, put_pairs, put_scores, ready_contest, tie_contest_text


def audit_actions(session, contest) -> list[str]:  # noqa: ANN001
    return list(session.scalars(sa.select(AuditEvent.action).where(AuditEvent.contest_id == contest.id)
                                .order_by(AuditEvent.id)))


# --- compute and the spec mapping -------------------------------------------------------------


def test_compute_ranks_by_mean_and_fills_tiers(make_contest, session):
    contest = ready_contest(make_contest, session)
    result = results.compute(session, contest)
    assert [(f.entry, f.rank, f.tier, f.display) for f in result.final] == [
        ("a", 1, "best", "38.00"), ("b", 2, "excellence", "35.00"), ("c", 3, "encouragement", "34.00"),
        ("d", 4, None, "26.00"),
    ]
    assert result.unresolved_ties == ()


def test_a_conflicted_judge_is_left_out_and_n_shows_it(make_contest, session):
    contest = make_contest()
    rows = []
    for judge in ("j1", "j2", "j3"):
        for entry in ("alpha", "beta", "gamma"):
            if (judge, entry) == ("j3", "gamma"):
                continue
            rows += [("final", judge, entry, "need", 18), ("final", judge, entry, "partnership", 15),
                     ("final", judge, entry, "outcome", 8)]
    put_scores(session, contest, rows)
    t = results.tally(session, contest)
    gamma = next(r for r in t.rows if r.entry == "gamma")
    assert gamma.n == 2 and gamma.recused == ("j3",)
    # trimmed mean k=1 needs 3 totals: gamma is not ranked, and the reason says so
    assert gamma.rank is None and gamma.score is None and gamma.message


# --- tier decisions -----------------------------------------------------------------------------


def test_a_boundary_tie_stays_pending_until_a_recorded_decision(make_contest, session):
    contest = ready_contest(make_contest, session, table=TIED)
    result = results.compute(session, contest)
    assert {f.entry: f.tier for f in result.final}["b"] == "pending"
    assert {f.entry: f.tier for f in result.final}["c"] == "pending"
    (tie,) = result.unresolved_ties
    assert (tie.kind, tie.boundary, tie.entries, tie.places) == ("tier", "excellence", ("b", "c"), 1)

    decision = decisions.record_tier_decision(session, contest, "excellence", ["c"], "발표 내용의 파급력",
                                            minutes="심사위원 2인 합의")
    session.commit()
    result = results.compute(session, contest)
    tiers = {f.entry: f.tier for f in result.final}
    assert (tiers["c"], tiers["b"]) == ("excellence", "encouragement")
    assert result.unresolved_ties == ()
    assert "발표 내용의 파급력" in result.entry("c").tier_rule
    stored = session.get(Decision, decision.id)
    assert (stored.kind, stored.reason, stored.minutes) == ("tier", "발표 내용의 파급력", "심사위원 2인 합의")
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "result.decision.tier"))
    assert event.contest_id == contest.id and event.after["entries"] == ["c"] and event.after["tie"] == ["b", "c"]


def test_a_tier_decision_listing_every_tied_entry_gives_all_the_higher_tier(make_contest, session):
    contest = ready_contest(make_contest, session, table=TIED)
    decisions.record_tier_decision(session, contest, "excellence", ["b", "c"], "공동 수상")
    tiers = {f.entry: f.tier for f in results.compute(session, contest).final}
    # both take the higher tier; the rest go on to the next tier with its full count
    assert tiers == {"a": "best", "b": "excellence", "c": "excellence", "d": "encouragement"}


@pytest.mark.parametrize(("tier", "entries", "reason", "expected"), [
    ("excellence", ["b"], "  ", "사유"),
    ("gold", ["b"], "사유", "수상 등급 'gold'"),
    ("excellence", ["zzz"], "사유", "없는 참가팀"),
    ("excellence", ["a"], "사유", "들어 있지 않습니다"),
    ("best", ["a"], "사유", "'최우수' 경계에 결정을 기다리는 동점이 없습니다"),
    ("excellence", ["b", "b"], "사유", "두 번"),
])
def test_a_tier_decision_is_refused_with_the_reason(make_contest, session, tier, entries, reason, expected):
    contest = ready_contest(make_contest, session, table=TIED)
    with pytest.raises(DomainError) as caught:
        decisions.record_tier_decision(session, contest, tier, entries, reason)
    assert expected in caught.value.message
    assert session.scalar(sa.select(sa.func.count()).select_from(Decision)) == 0


def test_a_tier_decision_without_any_tie_is_refused(make_contest, session):
    contest = ready_contest(make_contest, session)
    with pytest.raises(DomainError, match="동점이 없습니다"):
        decisions.record_tier_decision(session, contest, "excellence", ["b"], "사유")


# --- order decisions (the cascade's decision step) ------------------------------------------------


def test_an_order_decision_separates_entries_still_tied_after_the_cascade(make_contest, session):
    contest = ready_contest(make_contest, session, table=TIED)
    decisions.record_order_decision(session, contest, ["c", "b"], "회의록 제3호: 발표 내용으로 판단", minutes="…")
    t = results.tally(session, contest)
    rows = {r.entry: r for r in t.rows}
    assert (rows["c"].rank, rows["b"].rank) == (2, 3)
    assert (rows["c"].tier, rows["b"].tier) == ("excellence", "encouragement")
    assert "심사위원회 결정" in str(rows["c"].tie_break) and "회의록 제3호" in str(rows["c"].tie_break)
    assert "result.decision.order" in audit_actions(session, contest)


def test_an_order_decision_must_name_exactly_a_tied_group(make_contest, session):
    contest = ready_contest(make_contest, session, table=TIED)
    with pytest.raises(DomainError, match="동점으로 남은 참가팀 전부"):
        decisions.record_order_decision(session, contest, ["a", "b"], "사유")


def test_an_order_decision_needs_a_decision_step_in_the_cascade(make_contest, session):
    contest = ready_contest(make_contest, session, table=TIED, tie_break='["criterion:partnership"]')
    with pytest.raises(DomainError, match="decision"):
        decisions.record_order_decision(session, contest, ["b", "c"], "사유")


def test_the_criterion_step_breaks_a_tie_and_says_which_step(make_contest, session):
    table = dict(TIED, c=(20, 15))  # c totals 35 like b, but partnership 15 < b's 17
    contest = ready_contest(make_contest, session, table=table)
    t = results.tally(session, contest)
    rows = {r.entry: r for r in t.rows}
    assert (rows["b"].rank, rows["c"].rank) == (2, 3)
    assert str(rows["b"].tie_break).startswith("'민관협력' 점수") and "b 17.00" in str(rows["b"].tie_break)


# --- special awards ---------------------------------------------------------------------------------


def test_a_special_award_goes_to_a_non_finalist_with_its_reason(make_contest, session):
    contest = ready_contest(make_contest, session)
    decisions.designate_special(session, contest, "e", "special", "주민 발굴단 활동이 돋보임")
    result = results.compute(session, contest)
    assert [(s.entry, s.award, s.reason) for s in result.special_awards] == [("e", "special", "주민 발굴단 활동이 돋보임")]
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "result.special"))
    assert event.after == {"award": "special", "entry": "e", "finalist": False, "reason": "주민 발굴단 활동이 돋보임"}


def test_an_entry_holding_a_tier_cannot_also_get_a_special_award(make_contest, session):
    contest = ready_contest(make_contest, session)
    with pytest.raises(DomainError) as caught:
        decisions.designate_special(session, contest, "b", "special", "사유")
    assert "'우수' 등급" in caught.value.message and "한 성과에 한 포상" in caught.value.message


def test_an_entry_pending_a_tier_cannot_get_a_special_award_either(make_contest, session):
    contest = ready_contest(make_contest, session, table=TIED)
    with pytest.raises(DomainError, match="결정을 기다리는 수상 등급"):
        decisions.designate_special(session, contest, "c", "special", "사유")


def test_a_second_special_award_is_refused_until_the_first_is_withdrawn(make_contest, session):
    contest = ready_contest(make_contest, session)
    first = decisions.designate_special(session, contest, "e", "special", "첫 사유")
    with pytest.raises(DomainError, match="이미 특별상"):
        decisions.designate_special(session, contest, "e", "special", "둘째 사유")
    decisions.withdraw_decision(session, contest, first.id, "사유 정정")
    decisions.designate_special(session, contest, "e", "special", "둘째 사유")
    assert [s.reason for s in results.compute(session, contest).special_awards] == ["둘째 사유"]
    with pytest.raises(DomainError, match="이미 철회"):
        decisions.withdraw_decision(session, contest, first.id, "또")
    assert audit_actions(session, contest).count("result.decision.withdraw") == 1


@pytest.mark.parametrize(("entry", "award", "reason", "expected"), [
    ("e", "gold", "사유", "특별상 'gold'"),
    ("nope", "special", "사유", "없는 참가팀"),
    ("e", "special", "", "사유"),
])
def test_a_special_award_is_refused_with_the_reason(make_contest, session, entry, award, reason, expected):
    contest = ready_contest(make_contest, session)
    with pytest.raises(DomainError) as caught:
        decisions.designate_special(session, contest, entry, award, reason)
    assert expected in caught.value.message


def test_a_special_award_that_no_longer_fits_makes_compute_say_why(make_contest, session):
    contest = ready_contest(make_contest, session, table=dict(UNTIED, d=(12, 0)))
    decisions.designate_special(session, contest, "d", "special", "사유")
    # d's scores are corrected upward: it now holds a tier, and the special award conflicts
    put_pairs(session, contest, {"d": (20, 20)})
    with pytest.raises(DomainError, match="특별상 지정을 철회"):
        results.compute(session, contest)


def test_withdrawing_a_decision_of_another_contest_is_not_found(make_contest, session):
    one = ready_contest(make_contest, session, slug="one-2024")
    two = ready_contest(make_contest, session, slug="two-2024")
    decision = decisions.designate_special(session, one, "e", "special", "사유")
    with pytest.raises(NotFound):
        decisions.withdraw_decision(session, two, decision.id, "사유")


# --- publishing and snapshots -------------------------------------------------------------------------


def test_publish_v1_then_a_change_publishes_v2_and_v1_stays_as_it_was(make_contest, session):
    contest = ready_contest(make_contest, session)
    decisions.designate_special(session, contest, "e", "special", "주민 발굴단")
    v1 = publishing.publish(session, contest, note="최초 발표")
    session.commit()
    assert v1.version == 1  # the status moves in lifecycle.publish (tests/integration/services/test_lifecycle.py)
    frozen = copy.deepcopy(v1.payload)
    digest = v1.digest
    assert digest == snapshots.payload_digest(frozen)

    # a corrected score (c 34 → 37) swaps b and c; the service never writes to the existing snapshot
    updates: list[object] = []
    listener = lambda _m, _c, target: updates.append(target)  # noqa: E731
    sa.event.listen(ResultSnapshot, "before_update", listener)
    try:
        put_pairs(session, contest, {"c": (20, 17)})
        v2 = publishing.publish(session, contest, note="점수 정정")
        session.commit()
    finally:
        sa.event.remove(ResultSnapshot, "before_update", listener)
    assert updates == []
    assert v2.version == 2 and v2.digest != digest

    session.expire_all()
    old = snapshots.snapshot(session, contest, 1)
    assert old.payload == frozen and old.digest == digest and old.note == "최초 발표"
    assert published.latest_snapshot(session, contest).version == 2
    assert [s.version for s in snapshots.snapshots(session, contest)] == [2, 1]

    diff = snapshots.snapshot_diff(old, published.latest_snapshot(session, contest))
    changed = {c.entry: c for c in diff.entries}
    assert set(changed) == {"b", "c"}
    assert changed["c"].fields == ("rank", "tier", "score")
    assert (changed["c"].old_score, changed["c"].new_score, changed["c"].old_rank, changed["c"].new_rank) == (
        "34.00", "37.00", 3, 2)
    assert changed["b"].fields == ("rank", "tier")
    assert (changed["b"].old_tier, changed["b"].new_tier) == ("excellence", "encouragement")
    assert not diff.unchanged and not diff.same_digest
    publishes = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "result.publish")
                                .order_by(AuditEvent.id)).all()
    assert [e.after["version"] for e in publishes] == [1, 2]


def test_publishing_again_without_a_change_is_refused(make_contest, session):
    contest = ready_contest(make_contest, session)
    publishing.publish(session, contest)
    with pytest.raises(DomainError, match="바뀐 결과가 없어"):
        publishing.publish(session, contest)
    assert len(snapshots.snapshots(session, contest)) == 1


def test_the_snapshot_payload_follows_the_documented_schema(make_contest, session):
    contest = ready_contest(make_contest, session)
    decisions.designate_special(session, contest, "e", "special", "주민 발굴단")
    payload = publishing.publish(session, contest).payload
    json.dumps(payload)  # plain JSON values only
    assert payload["schema"] == 1
    assert payload["contest"]["slug"] == contest.slug and payload["contest"]["held_on"] == "2024-12-04"
    assert payload["contest"]["method"] == "mean" and payload["contest"]["method_text"]
    assert [t["key"] for t in payload["tiers"]] == ["best", "excellence", "encouragement"]
    first = payload["entries"][0]
    assert {"entry", "name", "district", "project_title", "rank", "tier", "tier_title", "award_name", "score", "n",
            "criteria", "explanation", "disclosure", "tie_break", "tier_rule"} <= set(first)
    assert (first["entry"], first["rank"], first["tier"], first["tier_title"], first["score"], first["n"]) == (
        "a", 1, "best", "최우수", "38.00", 2)
    assert first["project_title"] == "가동 나눔" and first["award_name"] == "최우수상"
    assert [(c["key"], c["score"]) for c in first["criteria"]] == [("need", "20.00"), ("partnership", "18.00")]
    assert payload["special_awards"] == [{
        "entry": "e", "name": "마동 지역사회보장협의체", "district": "", "project_title": "마동 발굴단",
        "award": "special", "title": "특별상", "award_name": "특별상", "reason": "주민 발굴단", "finalist": False,
    }]
    assert payload["unresolved_ties"] == []
    # judges' names and analytics only in the organizer-only part; the disclosure names no judge
    assert payload["organizer_only"]["judges"] == [{"key": "j1", "name": "심사위원 하나"},
                                                   {"key": "j2", "name": "심사위원 둘"}]
    assert "심사위원 하나" not in json.dumps({k: v for k, v in payload.items() if k != "organizer_only"},
                                          ensure_ascii=False)
    assert not any("j1" in line or "j2" in line for e in payload["entries"] for line in e["disclosure"])


def test_publish_is_refused_while_a_tie_is_unresolved(make_contest, session):
    contest = ready_contest(make_contest, session, table=TIED)
    with pytest.raises(DomainError) as caught:
        publishing.publish(session, contest)
    assert "'우수' 경계 동점" in caught.value.message and "동점 결정이 필요합니다" in caught.value.message
    assert published.latest_snapshot(session, contest) is None
    assert contest.status == "judging"


def test_publish_is_refused_while_scores_are_missing_unless_the_contest_is_locked(make_contest, session):
    contest = make_contest(slug="gap-2024", text=tie_contest_text("gap-2024"), status="judging")
    put_pairs(session, contest, UNTIED, judges=("j1",))
    put_pairs(session, contest, {k: v for k, v in UNTIED.items() if k != "d"}, judges=("j2",))
    with pytest.raises(DomainError) as caught:
        publishing.publish(session, contest)
    message = caught.value.message
    assert "입력되지 않은 점수 2개 (심사위원 j2)" in message
    assert "채점표를 제출하지 않은 심사위원 j1, j2" in message
    contest.status = "locked"
    snapshot = publishing.publish(session, contest)
    d = next(e for e in snapshot.payload["entries"] if e["entry"] == "d")
    assert (d["n"], d["score"]) == (1, "26.00")


def test_snapshot_diff_against_nothing_lists_every_entry_as_added(make_contest, session):
    contest = ready_contest(make_contest, session)
    diff = snapshots.snapshot_diff(None, publishing.publish(session, contest))
    assert [c.change for c in diff.entries] == ["added"] * 4
    assert diff.old_version is None and diff.new_version == 1


def test_an_unknown_snapshot_version_is_not_found(make_contest, session):
    contest = ready_contest(make_contest, session)
    with pytest.raises(NotFound):
        snapshots.snapshot(session, contest, 3)


# --- screening rounds and advance decisions ---------------------------------------------------------------

SCREENING = """
[contest]
slug = "cut-2024"
title = "서면·발표 공모전"
organizer = "테스트시"
issuer = "테스트시장"
held_on = 2024-12-04
tie_break = ["untrimmed_mean", "decision"]

[[rounds]]
key = "paper"
title = "서면심사"
advance = 2
criteria = [{ key = "plan", title = "계획", max = 10, scale = "points" }]

[[rounds]]
key = "final"
title = "발표심사"
criteria = [{ key = "talk", title = "발표", max = 10, scale = "points" }]

[[tiers]]
key = "best"
title = "최우수"
count = 1

[[entrants]]
key = "p"
name = "가 협의체"
title = "가"

[[entrants]]
key = "q"
name = "나 협의체"
title = "나"

[[entrants]]
key = "r"
name = "다 협의체"
title = "다"

[[judges]]
key = "j1"
name = "심사위원"
"""


def test_a_cut_tie_in_a_screening_round_waits_for_an_advance_decision(make_contest, session):
    contest = make_contest(slug="cut-2024", text=SCREENING, status="judging")
    put_scores(session, contest, [("paper", "j1", "p", "plan", 9), ("paper", "j1", "q", "plan", 7),
                                  ("paper", "j1", "r", "plan", 7)])
    result = results.compute(session, contest)
    (tie,) = result.unresolved_ties
    assert (tie.kind, tie.boundary, tie.entries, tie.places) == ("cut", "paper", ("q", "r"), 1)
    assert results.tally(session, contest, "paper").unresolved_ties == (tie,)
    with pytest.raises(DomainError, match="진출 경계 동점"):
        decisions.record_advance_decision(session, contest, "paper", ["p"], "사유")
    decisions.record_advance_decision(session, contest, "paper", ["r"], "서면 보완 자료 우수")
    result = results.compute(session, contest)
    assert result.unresolved_ties == ()
    assert result.round("paper").advanced == ("p", "r")
    assert sorted(f.entry for f in result.final) == ["p", "r"]
    assert "result.decision.advance" in audit_actions(session, contest)
    with pytest.raises(NotFound):
        results.tally(session, contest, "semi")


def test_an_attempt_to_change_a_published_snapshot_is_refused(make_contest, session):
    contest = ready_contest(make_contest, session)
    snapshot = publishing.publish(session, contest)
    session.commit()
    snapshot.note = "고쳐 쓰기"
    with pytest.raises(DomainError, match="바꿀 수 없습니다"):
        session.flush()
    session.rollback()
    assert published.latest_snapshot(session, contest).note == ""


def test_no_code_outside_the_publishing_service_creates_or_updates_snapshots():
    import pathlib
    import re

    root = pathlib.Path(results.__file__).resolve().parent.parent
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "publishing.py" and path.parent.name == "services":
            continue
        text = path.read_text(encoding="utf-8")
        pattern = (r"(?<!class )ResultSnapshot\(|update\(\s*ResultSnapshot"
                   r"|snap\w*\.(payload|digest|version|note|published_at)\s*(\[[^\]]*\]\s*)*=(?!=)")
        if re.search(pattern, text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
