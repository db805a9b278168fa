"""The judge's pledge (impartiality and confidentiality) and conflict-of-interest declaration, which
come before any scoring. Services take the session first, flush, never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from judging.messages import N_
from judging.models import AuditEvent, Conflict, User, utcnow
from judging.services import audit
from judging.services.errors import DomainError, Forbidden, NotFound
from judging.services.judge_screens import judge_entries, open_rounds

MAX_REASON_CHARS = 500


@dataclass(frozen=True)
class DeclarationRow:
    entry_id: int
    entrant_name: str
    district: str
    title: str
    declared: bool  # already covered by an earlier declaration
    conflict_reason: str | None  # the judge's own declared conflict


@dataclass(frozen=True)
class Declaration:
    rows: tuple[DeclarationRow, ...]
    hidden: int  # conflicts recorded by the organizer or the contest file: not named to the judge

    @property
    def pending(self) -> tuple[DeclarationRow, ...]:
        return tuple(r for r in self.rows if not r.declared)


def pledge(session: orm.Session, judge: User, *, address: str = "", now: dt.datetime | None = None) -> None:
    """Record the impartiality and confidentiality pledge (once; later calls change nothing)."""
    if judge.pledged_at is not None:
        return
    judge.pledged_at = now or utcnow()
    audit.record(session, "judge.pledged", actor=judge, contest_id=judge.contest_id, target_type="user",
                 target_id=judge.id, after={"pledged_at": judge.pledged_at.isoformat()}, address=address)


def _declared_entry_ids(session: orm.Session, judge: User) -> set[int] | None:
    """Entries covered by the judge's declarations (from their audit events); None when the judge was
    marked as declared without any (the demo, an organizer's import): then everything counts as declared."""
    declared: set[int] = set()
    found = False
    after: dict[str, Any] | None
    for after in session.scalars(sa.select(AuditEvent.after).where(
            AuditEvent.action == "judge.conflicts_declared", AuditEvent.actor_id == judge.id)):
        found = True
        entries: list[Any] = (after or {}).get("entries", [])
        declared.update(int(i) for i in entries)
    return declared if found else None


def declaration(session: orm.Session, judge: User) -> Declaration:
    """Every entry of the judge's open rounds, marked as already declared or still to declare.

    Conflicts recorded by the organizer or the contest file are not named to the judge: they are
    counted in ``hidden`` only.
    """
    own = {c.entry_id: c for c in session.scalars(sa.select(Conflict).where(Conflict.judge_id == judge.id))}
    declared: set[int] | None = set()
    if judge.conflicts_declared_at is not None:
        declared = _declared_entry_ids(session, judge)
    rows: dict[int, DeclarationRow] = {}
    hidden: set[int] = set()
    for rnd in open_rounds(session, judge):
        for entry, entrant, _pos in judge_entries(session, judge, rnd):
            conflict = own.get(entry.id)
            if conflict is not None and conflict.source != "judge":
                hidden.add(entry.id)
                continue
            if entry.id not in rows:
                rows[entry.id] = DeclarationRow(
                    entry.id, entrant.name, entrant.district, entry.title,
                    declared=declared is None or entry.id in declared or conflict is not None,
                    conflict_reason=conflict.reason if conflict is not None else None)
    return Declaration(tuple(rows.values()), len(hidden))


def needs_pledge(judge: User) -> bool:
    return judge.pledged_at is None


def needs_declaration(session: orm.Session, judge: User) -> bool:
    """True until the judge has declared on every entry of their open rounds (new entries reopen it)."""
    if judge.conflicts_declared_at is None:
        return True
    return bool(declaration(session, judge).pending)


def declare_conflicts(session: orm.Session, judge: User, choices: Mapping[int, str | None], *,
                      address: str = "", now: dt.datetime | None = None) -> list[Conflict]:
    """Record the judge's declaration: ``choices`` maps every pending entry id to None (no conflict)
    or the conflict's reason. Adds Conflict(source="judge") rows, tells the organizer (audit events
    ``conflict.declared``) and marks the judge as declared.

    Raises DomainError when the pledge is missing, an entry is not the judge's, a pending entry has no
    choice, or a conflict has no reason.
    """
    if judge.pledged_at is None:
        raise Forbidden(N_("먼저 공정·비밀유지 서약을 해 주세요."), details={"code": "pledge_required"})
    current = declaration(session, judge)
    pending = {r.entry_id: r for r in current.pending}
    known = {r.entry_id for r in current.rows}
    unknown = [i for i in choices if i not in known]
    if unknown:
        raise NotFound(N_("심사 대상이 아닌 사업이 들어 있습니다."), details={"code": "not_assigned"})
    missing = [r for i, r in pending.items() if i not in choices]
    if missing:
        raise DomainError(N_("모든 사업에 대해 이해충돌 여부를 골라 주세요 ({n}건 남음)."), n=len(missing),
                          details={"code": "incomplete"})
    cleaned: dict[int, str] = {}
    for entry_id, reason in choices.items():
        if reason is None or entry_id not in pending:
            continue
        text = " ".join(str(reason).split())
        if not text:
            raise DomainError(N_("'{name}'의 이해충돌 사유를 적어 주세요."), name=pending[entry_id].entrant_name,
                              field=f"reason-{entry_id}", details={"code": "reason_required"})
        if len(text) > MAX_REASON_CHARS:
            raise DomainError(N_("이해충돌 사유는 {limit}자 이내로 적어 주세요."), limit=MAX_REASON_CHARS,
                              field=f"reason-{entry_id}", details={"code": "reason_too_long"})
        cleaned[entry_id] = text
    now = now or utcnow()
    created = []
    for entry_id, reason in cleaned.items():
        conflict = Conflict(judge_id=judge.id, entry_id=entry_id, source="judge", declared_by=judge.id,
                            reason=reason, created_at=now)
        session.add(conflict)
        created.append(conflict)
    judge.conflicts_declared_at = now
    session.flush()
    for conflict in created:
        audit.record(session, "conflict.declared", actor=judge, contest_id=judge.contest_id, target_type="entry",
                     target_id=conflict.entry_id, after={"judge_id": judge.id, "entry_id": conflict.entry_id,
                                                         "source": "judge", "reason": conflict.reason},
                     address=address)
    audit.record(session, "judge.conflicts_declared", actor=judge, contest_id=judge.contest_id, target_type="user",
                 target_id=judge.id, after={"entries": sorted(pending), "conflicts": sorted(cleaned)},
                 address=address)
    return created


def require_judge(judge: User) -> None:
    """Refuse (Forbidden) anyone but a judge who has made the pledge and the conflict declaration."""
    if judge.role != "judge" or judge.contest_id is None:
        raise Forbidden(N_("심사위원만 점수를 매길 수 있습니다."), details={"code": "forbidden"})
    if judge.pledged_at is None or judge.conflicts_declared_at is None:
        raise Forbidden(N_("먼저 서약과 이해충돌 신고를 마쳐 주세요."), details={"code": "pledge_required"})
