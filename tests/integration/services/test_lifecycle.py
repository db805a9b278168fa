"""The life-cycle service: each transition's preconditions, its audit event, the readiness check
before judging starts, and the correction path (the published version stays public)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from judging.messages import Message, message_from_json
from judging.models import AuditEvent, Conflict, RoundEntry, Score, User
from judging.services import contest_file, lifecycle, published, setup, snapshots
from judging.services.errors import DomainError
from tests.support.lifecycle import READY_CONTEST, contest_in, fingerprint, judge


def _new(session, slug="new-2025"):  # noqa: ANN001, ANN202
    return setup.create_contest(session, slug=slug, title="2025년 성과보고회", organizer="고양특례시",
                                issuer="고양특례시장", held_on=dt.date(2025, 12, 3))


def test_opening_intake_lists_what_is_missing(session):
    contest = _new(session)
    check = lifecycle.check(session, contest, "open")
    assert not check.ok
    assert any("라운드" in str(p) for p in check.problems)
    assert any("상 등급" in str(p) for p in check.problems)
    assert any("참가자" in str(p) for p in check.problems)
    with pytest.raises(lifecycle.Refused, match="라운드") as info:
        lifecycle.open_intake(session, contest)
    assert info.value.details["code"] == "precondition"
    assert contest.status == "draft"
    with pytest.raises(lifecycle.Refused, match="심사 중인 공모전만") as info:
        lifecycle.lock(session, contest)
    assert info.value.details == {"code": "state", "action": "lock", "problems": [
        lifecycle.refusal(contest, "lock")]}


def test_starting_judging_fills_an_empty_first_round_with_the_accepted_entries(session, make_contest):
    contest = make_contest(text=READY_CONTEST.format(slug="fill-2024"))
    lifecycle.open_intake(session, contest, confirm=True)
    rnd = contest.rounds[0]
    rnd.round_entries.clear()
    session.flush()
    lifecycle.start_judging(session, contest, confirm=True)
    listed = [re.entry.entrant.key for re in session.scalars(sa.select(RoundEntry).where(RoundEntry.round_id == rnd.id)
                                                              .order_by(RoundEntry.position))]
    assert sorted(listed) == ["alpha", "beta", "gamma"]
    assert contest.status == "judging"


def test_locking_with_unsubmitted_sheets_needs_confirmation_and_closes_rounds(session):
    contest = contest_in(session, "judging")
    check = lifecycle.check(session, contest, "lock")
    assert check.ok and any("심사위원 셋" in str(w) and "제출하지 않았습니다" in str(w) for w in check.warnings)
    with pytest.raises(DomainError, match="확인이 필요합니다"):
        lifecycle.lock(session, contest)
    assert contest.status == "judging"
    lifecycle.lock(session, contest, confirm=True)
    assert contest.status == "locked" and contest.rounds[0].status == "closed"
    with pytest.raises(DomainError, match="사유"):
        lifecycle.unlock(session, contest, " ")
    lifecycle.unlock(session, contest, "심사위원 점수 오기 정정")
    assert contest.status == "judging"
    events = list(session.scalars(sa.select(AuditEvent).where(AuditEvent.contest_id == contest.id,
                                                              AuditEvent.action.in_(("scores.lock", "scores.unlock")))
                                  .order_by(AuditEvent.id)))
    assert [(e.action, e.before["status"], e.after["status"]) for e in events] == [
        ("scores.lock", "judging", "locked"), ("scores.unlock", "locked", "judging")]
    assert events[1].after["reason"] == "심사위원 점수 오기 정정"
    # The warnings the lock went ahead despite: their Korean text, and their messages kept beside it
    # (ids and parameters as JSON, read back after a round trip through the database).
    session.expire_all()
    warnings, kept = events[0].after["warnings"], events[0].after["messages"]["warnings"]
    assert any("제출하지 않았습니다" in w for w in warnings) and len(kept) == len(warnings)
    assert {m["id"] for m in kept} >= {"{judge} 심사위원이 '{round}' 점수표({count}건)를 제출하지 않았습니다."}
    assert [str(message_from_json(m)) for m in kept] == warnings
    assert "messages" not in events[1].after  # a typed reason is data: nothing to translate


def test_an_unlock_reason_the_app_gives_is_kept_as_a_message(session):
    contest = contest_in(session, "judging")
    lifecycle.lock(session, contest, confirm=True)
    reason = Message("이의신청 #{id} 인용: {answer}", {"id": 7, "answer": "합산 오류 정정"})
    lifecycle.unlock(session, contest, reason)
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "scores.unlock")).one()
    assert event.after["reason"] == "이의신청 #7 인용: 합산 오류 정정"
    assert event.after["messages"] == {"reason": {"id": "이의신청 #{id} 인용: {answer}",
                                                  "params": {"id": 7, "answer": "합산 오류 정정"}}}


def test_rounds_open_only_while_judging(session):
    contest = contest_in(session, "open")
    rnd = contest.rounds[0]
    with pytest.raises(DomainError, match="심사 중에만"):
        lifecycle.open_round(session, rnd)
    lifecycle.start_judging(session, contest, confirm=True)
    lifecycle.open_round(session, rnd)
    assert rnd.status == "open"
    with pytest.raises(DomainError, match="이미 열려"):
        lifecycle.open_round(session, rnd)
    lifecycle.close_round(session, rnd)
    assert rnd.status == "closed"


def test_publish_only_from_locked_and_the_published_version_stays_public_through_a_correction(session):
    contest = contest_in(session, "judging")
    with pytest.raises(lifecycle.Refused, match="확정\\(잠금\\)한 뒤에만"):
        lifecycle.publish(session, contest)
    lifecycle.lock(session, contest, confirm=True)
    first = lifecycle.publish(session, contest, note="최초 발표")
    assert (contest.status, first.version) == ("published", 1)
    lifecycle.unlock(session, contest, "원신동 점수 오기 정정")
    assert contest.status == "judging"
    # While the correction is under way the public still sees version 1.
    assert published.published_snapshot(session, contest).version == 1
    score = session.scalar(sa.select(Score).where(Score.judge_id == judge(session, contest, "j1").id)
                           .order_by(Score.id))
    score.value = Decimal(score.value) - 1
    session.flush()
    lifecycle.lock(session, contest, confirm=True)
    second = lifecycle.publish(session, contest, note="점수 정정")
    assert (contest.status, second.version) == ("published", 2)
    assert published.published_snapshot(session, contest).version == 2


def test_a_correction_that_changes_nothing_returns_to_the_same_version(session):
    contest = contest_in(session, "published")
    lifecycle.unlock(session, contest, "확인차 확정 해제")
    lifecycle.lock(session, contest, confirm=True)
    again = lifecycle.publish(session, contest)
    assert (contest.status, again.version) == ("published", 1)
    assert len(snapshots.snapshots(session, contest)) == 1
    assert session.scalar(sa.select(AuditEvent.action).where(AuditEvent.contest_id == contest.id)
                          .order_by(AuditEvent.id.desc()).limit(1)) == "result.republish"


def test_reopen_sheet_only_while_judging(session):
    contest = contest_in(session, "locked")
    j1 = judge(session, contest, "j1")
    before = fingerprint(session, contest)
    with pytest.raises(lifecycle.Refused, match="확정을 풀어"):
        lifecycle.reopen_sheet(session, contest, j1, contest.rounds[0], "서명 누락", actor_label="test")
    assert fingerprint(session, contest) == before


# --- the readiness check before judging starts ----------------------------------------------

def _ready_text(**changes: str) -> str:
    text = READY_CONTEST.format(slug="ready-2024")
    for old, new in changes.items():
        text = text.replace(old, new)
    return text


def test_a_ready_contest_has_no_readiness_problems(session):
    contest = contest_file.load(session, _ready_text())
    check = lifecycle.readiness(session, contest)
    assert check.problems == [] and check.warnings == []


def test_trimming_with_too_few_judges_blocks_the_start_and_says_how_to_fix_it(session):
    # Drop 1 high and 1 low with 2 judges: every entry would end "insufficient".
    text = _ready_text().replace('[[judges]]\nkey = "j3"\nname = "심사위원 셋"\n', "")
    contest = contest_file.load(session, text)
    before = fingerprint(session, contest)
    with pytest.raises(lifecycle.Refused) as info:
        lifecycle.start_judging(session, contest, confirm=True)
    message = info.value.message
    assert "3명 이상 필요" in message and "2명뿐" in message and "제외 개수를 줄이거나" in message
    assert fingerprint(session, contest) == before
    # The organizer fixes the set-up (averages instead) and judging starts.
    rnd = contest.rounds[0]
    setup.update_round(session, rnd, title=rnd.title, aggregation="mean", trim=0, weight=rnd.weight,
                       advance=rnd.advance)
    lifecycle.start_judging(session, contest, confirm=True)
    assert contest.status == "judging"


def test_a_known_conflict_counts_against_the_judges_an_entry_has(session):
    contest = contest_file.load(session, _ready_text())
    gamma = next(e for e in contest.entrants if e.key == "gamma").entry
    session.add(Conflict(judge_id=judge(session, contest, "j3").id, entry_id=gamma.id, source="organizer",
                         reason="협력기관 관계"))
    session.flush()
    problems = lifecycle.readiness(session, contest).problems
    assert len(problems) == 1 and "다동 지역사회보장협의체" in str(problems[0]) and "2명뿐" in str(problems[0])


def test_tier_places_beyond_the_finalists_and_a_round_without_criteria(session):
    text = _ready_text().replace('key = "excellence"\ntitle = "우수"\ncount = 1', 'key = "excellence"\ntitle = "우수"\ncount = 5')
    contest = contest_file.load(session, text)
    check = lifecycle.readiness(session, contest)
    assert check.problems == []
    assert any("등급 자리 수 합계(6)" in str(w) and "(3)" in str(w) for w in check.warnings)
    rnd = contest.rounds[0]
    for crit in list(rnd.criteria):
        rnd.criteria.remove(crit)
    session.flush()
    assert any("심사 기준이 없습니다" in str(p) for p in lifecycle.check(session, contest, "start_judging").problems)


def test_no_judges_blocks_the_start(session):
    contest = contest_file.load(session, _ready_text())
    for user in session.scalars(sa.select(User).where(User.contest_id == contest.id, User.role == "judge")):
        session.delete(user)
    session.flush()
    assert any("심사위원이 없습니다" in str(p) for p in lifecycle.check(session, contest, "start_judging").problems)
