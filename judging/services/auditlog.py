"""Reading the append-only audit log: filter by contest, action, actor and date. Read only: there
is no function here (or anywhere) that edits or deletes an event; the database refuses it too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import orm

from judging.models import AuditEvent, Contest, User

LOCAL_ZONE = ZoneInfo("Asia/Seoul")
PAGE_SIZE = 100

# Korean labels for the actions the organizer filters by most; unknown actions show as is.
ACTION_LABELS = {
    "auth.sign_in": "로그인",
    "auth.sign_in_failed": "로그인 실패",
    "auth.code_failed": "코드 로그인 실패",
    "auth.link_failed": "링크 로그인 실패",
    "credentials.revoke": "로그인 정보 회수",
    "contest.create": "공모전 만들기",
    "contest.load": "공모전 파일 불러오기",
    "contest.replace": "공모전 파일 교체",
    "contest.update": "공모전 정보 수정",
    "contest.tie_break": "동점 처리 순서",
    "round.add": "라운드 추가",
    "round.update": "라운드 수정",
    "round.delete": "라운드 삭제",
    "round.open": "라운드 열기",
    "round.close": "라운드 닫기",
    "round.entries": "심사 대상 지정",
    "criterion.add": "심사 기준 추가",
    "criterion.update": "심사 기준 수정",
    "criterion.delete": "심사 기준 삭제",
    "tier.add": "상 등급 추가",
    "tier.update": "상 등급 수정",
    "tier.delete": "상 등급 삭제",
    "intake.open": "접수 시작",
    "intake.deadline": "접수 마감 변경",
    "judging.start": "심사 시작",
    "scores.lock": "점수 확정",
    "scores.unlock": "점수 확정 해제",
    "entrants.import": "참가자 불러오기",
    "council.accounts": "협의체 계정 만들기",
    "council.invitation": "협의체 초대 다시 발급",
    "council.password": "협의체 비밀번호 설정",
    "entry.save": "참가작 임시 저장",
    "entry.submit": "참가작 제출",
    "entry.accept": "접수 확인",
    "entry.return": "반려",
    "attachment.upload": "첨부 올리기",
    "attachment.delete": "첨부 삭제",
    "judge.create": "심사위원 등록",
    "conflict.add": "이해충돌 기록",
    "conflict.remove": "이해충돌 삭제",
    "assignment.balanced": "자동 균형 배정",
    "assignment.set": "배정 수정",
    "assignment.clear": "배정 초기화",
    "score.saved": "점수 입력",
    "comment.saved": "심사 의견 저장",
    "sheet.submitted": "채점표 제출",
    "sheet.reopened": "채점표 다시 열기",
    "result.decision.tier": "등급 경계 동점 결정",
    "result.decision.order": "순서 결정",
    "result.decision.advance": "진출 결정",
    "result.decision.withdraw": "결정 철회",
    "result.special": "특별상 지정",
    "result.publish": "결과 공개",
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
