"""Reading the append-only audit log: filter by contest, action, actor and date. Read only: there
is no function here (or anywhere) that edits or deletes an event; the database refuses it too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from judging.formatting import LOCAL_ZONE
from judging.models import AuditEvent, Contest, User

PAGE_SIZE = 100


def N_(message: str) -> str:  # noqa: N802 - gettext_noop: marks a label for the English catalogue
    return message


# Korean labels (message ids, translated by the view) for the actions; unknown actions show as is.
ACTION_LABELS = {
    "auth.sign_in": N_("로그인"),
    "auth.sign_in_failed": N_("로그인 실패"),
    "auth.code_failed": N_("코드 로그인 실패"),
    "auth.link_failed": N_("링크 로그인 실패"),
    "credentials.revoke": N_("로그인 정보 회수"),
    "contest.create": N_("공모전 만들기"),
    "contest.load": N_("공모전 파일 불러오기"),
    "contest.replace": N_("공모전 파일 교체"),
    "contest.update": N_("공모전 정보 수정"),
    "contest.tie_break": N_("동점 처리 순서"),
    "round.add": N_("라운드 추가"),
    "round.update": N_("라운드 수정"),
    "round.delete": N_("라운드 삭제"),
    "round.open": N_("라운드 열기"),
    "round.close": N_("라운드 닫기"),
    "round.entries": N_("심사 대상 지정"),
    "criterion.add": N_("심사 기준 추가"),
    "criterion.update": N_("심사 기준 수정"),
    "criterion.delete": N_("심사 기준 삭제"),
    "tier.add": N_("상 등급 추가"),
    "tier.update": N_("상 등급 수정"),
    "tier.delete": N_("상 등급 삭제"),
    "intake.open": N_("접수 시작"),
    "intake.deadline": N_("접수 마감 변경"),
    "judging.start": N_("심사 시작"),
    "scores.lock": N_("점수 확정"),
    "scores.unlock": N_("점수 확정 해제"),
    "entrants.import": N_("참가자 불러오기"),
    "council.accounts": N_("협의체 계정 만들기"),
    "council.invitation": N_("협의체 초대 다시 발급"),
    "council.password": N_("협의체 비밀번호 설정"),
    "entry.save": N_("참가작 임시 저장"),
    "entry.submit": N_("참가작 제출"),
    "entry.accept": N_("접수 확인"),
    "entry.return": N_("반려"),
    "attachment.upload": N_("첨부 올리기"),
    "attachment.delete": N_("첨부 삭제"),
    "judge.create": N_("심사위원 등록"),
    "conflict.add": N_("이해충돌 기록"),
    "conflict.remove": N_("이해충돌 삭제"),
    "assignment.balanced": N_("자동 균형 배정"),
    "assignment.set": N_("배정 수정"),
    "assignment.clear": N_("배정 초기화"),
    "score.saved": N_("점수 입력"),
    "comment.saved": N_("심사 의견 저장"),
    "sheet.submitted": N_("채점표 제출"),
    "sheet.reopened": N_("채점표 다시 열기"),
    "result.decision.tier": N_("등급 경계 동점 결정"),
    "result.decision.order": N_("순서 결정"),
    "result.decision.advance": N_("진출 결정"),
    "result.decision.withdraw": N_("결정 철회"),
    "result.special": N_("특별상 지정"),
    "result.publish": N_("결과 공개"),
    "result.approval.request": N_("결재 요청"),
    "result.approval.approve": N_("결재 승인"),
    "result.approval.refuse": N_("결재 반려"),
    "contest.approval_settings": N_("결재·이의신청 설정"),
    "objection.file": N_("이의신청 접수"),
    "objection.attach": N_("이의신청 첨부"),
    "objection.accept": N_("이의신청 인용"),
    "objection.reject": N_("이의신청 기각"),
    "award.revoke": N_("수상 취소"),
}


@dataclass(frozen=True)
class AuditFilter:
    contest_id: int | None = None
    #: Only events of this organization: its contests', and its organizers' own (sign-ins and the like).
    organization_id: int | None = None
    action: str = ""
    actor: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: int = 1


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    total: int
    page: int
    pages: int


def _utc_start(day: dt.date) -> dt.datetime:
    """Local (KST) midnight of ``day`` as naive UTC, the way times are stored."""
    local = dt.datetime.combine(day, dt.time(), tzinfo=LOCAL_ZONE)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def of_organization(organization_id: int) -> sa.ColumnElement[bool]:
    """Events of one organization: about its contests, or by its organizers outside any contest."""
    contests = sa.select(Contest.id).where(Contest.organization_id == organization_id)
    members = sa.select(User.id).where(User.organization_id == organization_id)
    return sa.or_(AuditEvent.contest_id.in_(contests),
                  sa.and_(AuditEvent.contest_id.is_(None), AuditEvent.actor_id.in_(members)))


def query(session: orm.Session, flt: AuditFilter) -> AuditPage:
    """Events matching the filter, newest first, one page at a time. ``action`` matches an exact action
    or a prefix ending in "." (e.g. "result."); ``actor`` matches part of the actor's label; dates are
    local (KST) days, both ends included."""
    conditions = []
    if flt.organization_id is not None:
        conditions.append(of_organization(flt.organization_id))
    if flt.contest_id is not None:
        conditions.append(AuditEvent.contest_id == flt.contest_id)
    if flt.action:
        if flt.action.endswith("."):
            conditions.append(AuditEvent.action.startswith(flt.action, autoescape=True))
        else:
            conditions.append(AuditEvent.action == flt.action)
    if flt.actor:
        conditions.append(AuditEvent.actor_label.contains(flt.actor.strip(), autoescape=True))
    if flt.date_from:
        conditions.append(AuditEvent.at >= _utc_start(flt.date_from))
    if flt.date_to:
        conditions.append(AuditEvent.at < _utc_start(flt.date_to + dt.timedelta(days=1)))
    total = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(*conditions)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, flt.page), pages)
    events = list(session.scalars(
        sa.select(AuditEvent).where(*conditions).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ))
    return AuditPage(events, total, page, pages)


def actions(session: orm.Session, contest_id: int | None = None,
            organization_id: int | None = None) -> list[tuple[str, str]]:
    """The actions present in the log (for the filter's choices), with labels."""
    q = sa.select(AuditEvent.action).distinct()
    if organization_id is not None:
        q = q.where(of_organization(organization_id))
    if contest_id is not None:
        q = q.where(AuditEvent.contest_id == contest_id)
    found = sorted(set(session.scalars(q)))
    return [(a, ACTION_LABELS.get(a, a)) for a in found]


def label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
