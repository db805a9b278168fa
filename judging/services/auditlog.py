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
            organization_id: int | None = None) -> list[str]:
    """The actions present in the log (for the filter's choices), in order; the view names them
    (``judging.labels.audit_action``)."""
    q = sa.select(AuditEvent.action).distinct()
    if organization_id is not None:
        q = q.where(of_organization(organization_id))
    if contest_id is not None:
        q = q.where(AuditEvent.contest_id == contest_id)
    return sorted(set(session.scalars(q)))
