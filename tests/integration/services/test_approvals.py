"""Two-person approval (결재) before publishing; objections (이의신청) filed, answered and corrected into
a new version; an objection after the period refused; the result final (확정) once the period ends
with nothing open; an award revoked with its certificate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from judging.models import AuditEvent, Criterion, Entry, ResultSnapshot, Score, User
from judging.scoring import allowed_values
from judging.services import approvals, certificates, decisions, lifecycle, objections
from judging.services.errors import DomainError
from tests.support.demo import SPECIAL_REASON, complete_demo_scores, load_demo, publish_demo


def _actions(session, contest) -> list[str]:  # noqa: ANN001
    return list(session.scalars(sa.select(AuditEvent.action).where(AuditEvent.contest_id == contest.id)
                                .order_by(AuditEvent.seq)))


@pytest.fixture()
def locked(session):  # noqa: ANN001, ANN201
    contest = load_demo(session)
    complete_demo_scores(session, contest)
    decisions.designate_special(session, contest, "juyeop1", "special", SPECIAL_REASON)
    contest.approval_required = True
    lifecycle.lock(session, contest, confirm=True, actor_label="test")
    session.commit()
    return contest


def test_publishing_waits_for_a_second_organizers_approval(session, locked, make_user):
    contest = locked
    first, _ = make_user("organizer")
    second, _ = make_user("organizer")
    with pytest.raises(DomainError, match="결재"):
        lifecycle.publish(session, contest, actor=first)
    session.rollback()

    request = approvals.request(session, contest, actor=first, note="최종 결과 결재 바랍니다")
    with pytest.raises(DomainError, match="스스로"):
        approvals.approve(session, contest, request.id, actor=first)
    with pytest.raises(DomainError, match="반려 사유"):
        approvals.refuse(session, contest, request.id, "  ", actor=second)
    approvals.refuse(session, contest, request.id, "특별상 사유를 보완해 주세요", actor=second)
    session.commit()
    with pytest.raises(DomainError, match="결재"):
        lifecycle.publish(session, contest, actor=first)
    session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(ResultSnapshot)
                          .where(ResultSnapshot.contest_id == contest.id)) == 0
    assert contest.status == "locked"

    again = approvals.request(session, contest, actor=first)
    approvals.approve(session, contest, again.id, actor=second)
    snapshot = lifecycle.publish(session, contest, actor=first)
    session.commit()
    assert snapshot.version == 1 and contest.status == "published"
    assert approvals.for_version(session, contest, 1).decided_by == second.id
    actions = _actions(session, contest)
    assert actions.index("result.approval.refuse") < actions.index("result.approval.approve") \
        < actions.index("result.publish")


def test_an_approval_is_for_the_result_that_was_requested(session, locked, make_user):
    contest = locked
    first, _ = make_user("organizer")
    second, _ = make_user("organizer")
    request = approvals.request(session, contest, actor=first)
    # The result changes after the request (unlock, a score corrected, lock again).
    lifecycle.unlock(session, contest, "점수 정정", actor=first)
    score = session.scalar(sa.select(Score).join(Entry, Entry.id == Score.entry_id)
                           .where(Entry.contest_id == contest.id).order_by(Score.id).limit(1))
    score.value = Decimal(score.value) - 2
    lifecycle.lock(session, contest, confirm=True, actor=first)
    with pytest.raises(DomainError, match="바뀌었습니다"):
        approvals.approve(session, contest, request.id, actor=second)


def test_an_objection_is_answered_and_corrected_into_version_2(session, make_user):
    contest = publish_demo(session)
    organizer, _ = make_user("organizer")
    council = session.scalar(sa.select(User).where(User.login == "gobong"))
    objection = objections.file(session, contest, council, "발표력 점수 합산이 잘못되었습니다.")
    session.commit()
    assert objection.version == 1 and objection.status == "open"
    assert not objections.finality(session, contest, now=dt.datetime(2100, 1, 1)).final  # one is open

    objections.accept(session, contest, objection.id, "확인 결과 입력 오류가 있어 바로잡습니다.", actor=organizer)
    session.commit()
    assert contest.status == "judging"
    unlock = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "scores.unlock")
                            .order_by(AuditEvent.seq.desc()).limit(1))
    assert f"이의신청 #{objection.id} 인용" in unlock.after["reason"]

    entry = session.get(Entry, objection.entry_id)
    score = session.scalar(sa.select(Score).where(Score.entry_id == entry.id).order_by(Score.id).limit(1))
    criterion = session.get(Criterion, score.criterion_id)
    score.value = next(value for value in allowed_values(criterion.scale, criterion.max_points)
                       if value != Decimal(score.value))
    lifecycle.lock(session, contest, confirm=True, actor=organizer)
    snapshot = lifecycle.publish(session, contest, actor=organizer)
    session.commit()
    assert snapshot.version == 2
    seen = objections.for_entry(session, entry)
    assert [(o.status, o.answer, o.corrected_version) for o in seen] == [
        ("accepted", "확인 결과 입력 오류가 있어 바로잡습니다.", 2)]
    assert {"objection.file", "objection.accept", "scores.unlock", "result.publish"} <= set(_actions(session, contest))


def test_an_objection_after_the_period_is_refused_and_the_result_becomes_final(session, make_user):
    contest = publish_demo(session)
    organizer, _ = make_user("organizer")
    council = session.scalar(sa.select(User).where(User.login == "tanhyeon1"))
    end = objections.deadline(session, contest)
    assert end is not None
    with pytest.raises(DomainError, match="기간"):
        objections.file(session, contest, council, "늦은 이의", now=end + dt.timedelta(seconds=1))
    with pytest.raises(DomainError, match="사유"):
        objections.file(session, contest, council, "   ")
    late = objections.file(session, contest, council, "순위가 이상합니다.", now=end - dt.timedelta(hours=1))
    with pytest.raises(DomainError, match="답변"):
        objections.reject(session, contest, late.id, "", actor=organizer)
    objections.reject(session, contest, late.id, "재검토 결과 집계에 오류가 없습니다.", actor=organizer)
    session.commit()
    assert contest.status == "published"
    assert not objections.finality(session, contest, now=end - dt.timedelta(minutes=1)).final
    assert objections.finality(session, contest, now=end).final


def test_a_revoked_award_revokes_its_certificate_and_verification_says_so(session, make_user):
    contest = publish_demo(session)
    organizer, _ = make_user("organizer")
    issued = certificates.allocate(session, contest, actor=organizer)
    session.commit()
    cert = next(c for c in issued if c.award_key == "special")
    entry = session.get(Entry, cert.entry_id)
    with pytest.raises(DomainError, match="받지 않았습니다"):
        objections.revoke_award(session, contest, entry, "best", "잘못", actor=organizer)
    objections.revoke_award(session, contest, entry, "special", "제출 자료가 사실과 달랐습니다.", actor=organizer)
    session.commit()
    [found] = certificates.verify(session, cert.verify_token)
    assert found.revoked and found.award_revoked
    # the typed reason; the award's revocation is its own record, named by the pages in the reader's language
    assert session.get(type(cert), cert.id).revoke_reason == "제출 자료가 사실과 달랐습니다."
    with pytest.raises(DomainError, match="이미 취소"):
        objections.revoke_award(session, contest, entry, "special", "두 번", actor=organizer)


def test_an_organization_asks_approval_of_all_its_contests_and_only_its_managers_give_it(session, make_user):
    contest = load_demo(session)
    complete_demo_scores(session, contest)
    lifecycle.lock(session, contest, confirm=True, actor_label="test")
    assert not approvals.required(contest)
    contest.organization.approval_required = True
    assert approvals.required(contest)
    first, _ = make_user("organizer", contest=contest)
    staff, _ = make_user("organizer", contest=contest, org_role="staff")
    request = approvals.request(session, contest, actor=first)
    with pytest.raises(DomainError, match="관리자"):
        approvals.approve(session, contest, request.id, actor=staff)


def test_approval_settings_are_changed_by_a_manager_only_and_audited(session, make_user):
    contest = load_demo(session)
    manager, _ = make_user("organizer", contest=contest)
    staff, _ = make_user("organizer", contest=contest, org_role="staff")
    with pytest.raises(DomainError):
        approvals.update_settings(session, contest, actor=staff, approval_required=True,
                                  organization_approval=True, objection_days=3)
    session.rollback()
    approvals.update_settings(session, contest, actor=manager, approval_required=True,
                              organization_approval=False, objection_days=3)
    session.commit()
    assert (contest.approval_required, contest.organization.approval_required, contest.objection_days) == (True, False, 3)
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "contest.approval_settings"))
    assert event.after == {"approval_required": True, "objection_days": 3, "organization_approval": False}
