"""The append-only audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import orm

from judging.models import AuditEvent, User
from judging.services import audit_chain  # noqa: F401 - the hook that seals each event into the chain


def record(
    session: orm.Session,
    action: str,
    *,
    actor: User | None = None,
    actor_label: str | None = None,
    contest_id: int | None = None,
    target_type: str = "",
    target_id: object = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    address: str = "",
) -> AuditEvent:
    """Add one audit event, sealed into the hash chain as it is inserted (flushes, never commits)."""
    label = actor_label
    if label is None:
        label = "" if actor is None else f"{actor.role}:{actor.login or actor.judge_key or actor.id} {actor.name}"
    event = AuditEvent(
        action=action,
        actor_id=None if actor is None else actor.id,
        actor_label=label[:160],
        contest_id=contest_id,
        target_type=target_type,
        target_id=str(target_id)[:80],
        before=before,
        after=after,
        address=address[:64],
    )
    session.add(event)
    session.flush()
    return event
