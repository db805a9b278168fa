"""Objections (이의신청) and corrections, and revoking an award.

After a publication a council may object to its own entry's result within the contest's objection
period (``Contest.objection_days`` days from the latest publication). The organizer answers:
*accepted* — the correction path: the contest is unlocked with the objection as the reason
(``lifecycle.unlock``), fixed, locked and published as a new version, which the objection then
names (``lifecycle.publish``) — or *rejected* with a reason. The council sees the answer. The result
is final (확정) once the period has ended with no open objection (:func:`finality`).

An award can be revoked with a reason (:func:`revoke_award`): its certificates are revoked with it
and the verification page says so. Services flush, never commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from judging.messages import N_, Message
from judging.models import (
    AwardRevocation,
    Certificate,
    Contest,
    Entry,
    Objection,
    ObjectionAttachment,
    ResultSnapshot,
    User,
    utcnow,
)
from judging.services import audit, certificates, lifecycle, published, uploads
from judging.services.errors import NotFound, WrongState


class ObjectionRefused(WrongState):
    """The objection period or the objection's state does not allow the action."""


MAX_GROUNDS = 5000


def _latest(session: orm.Session, contest: Contest) -> ResultSnapshot | None:
    return session.scalar(sa.select(ResultSnapshot).where(ResultSnapshot.contest_id == contest.id)
                          .order_by(ResultSnapshot.version.desc()).limit(1))


def deadline(session: orm.Session, contest: Contest) -> dt.datetime | None:
    """When the objection period of the latest publication ends (naive UTC), None before one."""
    latest = _latest(session, contest)
    if latest is None:
        return None
    return latest.published_at + dt.timedelta(days=contest.objection_days)


@dataclass(frozen=True)
class Finality:
    published: bool
    deadline: dt.datetime | None
    open_objections: int
    final: bool          # 확정: published, period over, nothing open


def finality(session: orm.Session, contest: Contest, now: dt.datetime | None = None) -> Finality:
    now = now or utcnow()
    end = deadline(session, contest)
    open_count = session.scalar(sa.select(sa.func.count()).select_from(Objection).where(
        Objection.contest_id == contest.id, Objection.status == "open")) or 0
    if contest.status != "published" or end is None:
        return Finality(False, end, open_count, False)
    return Finality(True, end, open_count, now >= end and open_count == 0)


def file(session: orm.Session, contest: Contest, council: User, grounds: str, *, now: dt.datetime | None = None,
         address: str = "") -> Objection:
    """A council objects to its own entry's published result. Refused before publication, after the
    objection period, or without grounds."""
    text = (grounds or "").strip()
    if not text:
        raise ObjectionRefused(N_("이의신청 사유를 적어 주세요."), field="grounds")
    if len(text) > MAX_GROUNDS:
        raise ObjectionRefused(N_("이의신청 사유는 {limit}자까지 적을 수 있습니다."), field="grounds", limit=MAX_GROUNDS)
    if council.role != "council" or council.contest_id != contest.id:
        raise ObjectionRefused(N_("이의신청은 참가 협의체만 할 수 있습니다."))
    entry = session.scalar(sa.select(Entry).where(Entry.contest_id == contest.id,
                                                  Entry.entrant_id == council.entrant_id))
    if entry is None:
        raise ObjectionRefused(N_("이 협의체의 참가작이 없습니다."))
    latest = _latest(session, contest)
    if latest is None or contest.status != "published":
        raise ObjectionRefused(N_("결과가 공개된 뒤에 이의신청할 수 있습니다."))
    end = latest.published_at + dt.timedelta(days=contest.objection_days)
    if (now or utcnow()) >= end:
        raise ObjectionRefused(N_("이의신청 기간(공개 후 {days}일)이 지났습니다."), days=contest.objection_days,
                               details={"code": "period_over"})
    objection = Objection(contest_id=contest.id, entry_id=entry.id, version=latest.version, grounds=text,
                          status="open", filed_by=council.id, filed_at=now or utcnow())
    session.add(objection)
    session.flush()
    audit.record(session, "objection.file", actor=council, contest_id=contest.id, target_type="entry",
                 target_id=entry.id, after={"objection": objection.id, "version": latest.version, "grounds": text},
                 address=address)
    return objection


MAX_ATTACHMENTS = 5


def attach(session: orm.Session, objection: Objection, stream: Any, filename: str | None, *, folder: str,
           max_file: int, actor: User | None = None) -> ObjectionAttachment:
    """Store one file filed with an objection, checked like an entry's attachments (name, type by
    content, size). The caller commits; if that fails it deletes the stored file."""
    if len(objection.attachments) >= MAX_ATTACHMENTS:
        raise ObjectionRefused(N_("이의신청 첨부 파일은 {limit}개까지입니다."), limit=MAX_ATTACHMENTS)
    name = uploads.display_name(filename)
    kind = uploads.kind_of_name(name)
    used = sum(a.size for a in objection.attachments)
    stored, size, sha256 = uploads.store_stream(stream, name, kind, folder=folder, max_file=max_file,
                                                room=max_file * MAX_ATTACHMENTS - used, whole=Message(N_("이의신청 첨부 한도")))
    item = ObjectionAttachment(original_name=name, stored_name=stored, content_type=kind.content_type, size=size,
                               sha256=sha256)
    objection.attachments.append(item)
    session.flush()
    audit.record(session, "objection.attach", actor=actor, contest_id=objection.contest_id, target_type="entry",
                 target_id=objection.entry_id, after={"objection": objection.id, "name": name, "size": size,
                                                      "sha256": sha256})
    return item


def attachment_for(session: orm.Session, user: User, attachment_id: int) -> ObjectionAttachment:
    """An objection's file, for an organizer of the contest's organization or the council that filed it."""
    item = session.get(ObjectionAttachment, attachment_id)
    if item is None:
        raise NotFound(N_("첨부 파일을 찾을 수 없습니다."))
    objection = item.objection
    contest = session.get(Contest, objection.contest_id)
    if user.role == "organizer" and contest is not None and user.organization_id == contest.organization_id:
        return item
    if user.role == "council" and objection.filed_by == user.id:
        return item
    raise NotFound(N_("첨부 파일을 찾을 수 없습니다."))


def get(session: orm.Session, contest: Contest, objection_id: int) -> Objection:
    objection = session.get(Objection, objection_id)
    if objection is None or objection.contest_id != contest.id:
        raise NotFound(N_("이의신청을 찾을 수 없습니다."))
    return objection


def for_contest(session: orm.Session, contest: Contest) -> list[Objection]:
    return list(session.scalars(sa.select(Objection).where(Objection.contest_id == contest.id)
                                .order_by(Objection.id.desc())))


def for_entry(session: orm.Session, entry: Entry) -> list[Objection]:
    return list(session.scalars(sa.select(Objection).where(Objection.entry_id == entry.id)
                                .order_by(Objection.id.desc())))


def _answer(session: orm.Session, objection: Objection, status: str, answer: str, actor: User | None,
            address: str) -> None:
    text = " ".join((answer or "").split())
    if not text:
        raise ObjectionRefused(N_("답변(사유)을 적어 주세요."), field="answer")
    if objection.status != "open":
        raise ObjectionRefused(N_("이미 답변한 이의신청입니다."))
    objection.status, objection.answer = status, text
    objection.answered_by, objection.answered_at = (None if actor is None else actor.id), utcnow()
    session.flush()
    audit.record(session, f"objection.{'accept' if status == 'accepted' else 'reject'}", actor=actor,
                 contest_id=objection.contest_id, target_type="entry", target_id=objection.entry_id,
                 before={"status": "open"}, after={"objection": objection.id, "status": status, "answer": text},
                 address=address)


def reject(session: orm.Session, contest: Contest, objection_id: int, answer: str, *, actor: User | None,
           address: str = "") -> Objection:
    """Reject (기각) with a reason the council will read."""
    objection = get(session, contest, objection_id)
    _answer(session, objection, "rejected", answer, actor, address)
    return objection


def accept(session: orm.Session, contest: Contest, objection_id: int, answer: str, *, actor: User | None,
           address: str = "") -> Objection:
    """Accept (인용): the answer is recorded and the contest unlocked for the correction, with the
    objection as the reason; the next publication is the corrected version."""
    objection = get(session, contest, objection_id)
    _answer(session, objection, "accepted", answer, actor, address)
    if contest.status in ("locked", "published"):
        lifecycle.unlock(session, contest, Message(N_("이의신청 #{id} 인용: {answer}"),
                                                  {"id": objection.id, "answer": objection.answer}), actor=actor)
    return objection


def revocations(session: orm.Session, contest: Contest) -> list[AwardRevocation]:
    return list(session.scalars(sa.select(AwardRevocation).where(AwardRevocation.contest_id == contest.id)
                                .order_by(AwardRevocation.id)))


def revoke_award(session: orm.Session, contest: Contest, entry: Entry, award_key: str, reason: str, *,
                 actor: User | None, address: str = "") -> AwardRevocation:
    """Take back an award of the published result with a reason; every certificate issued for it is
    revoked with the same reason (the award's revocation is the :class:`AwardRevocation` beside it). Raises when the entry does not hold that award."""
    text = " ".join((reason or "").split())
    if not text:
        raise ObjectionRefused(N_("상을 취소하는 사유를 적어 주세요."), field="reason")
    result = published.load(session, contest, public=False)
    if result is None:
        raise ObjectionRefused(N_("공개된 결과가 없습니다."))
    held = [a for a in result.awards if a.entry.entry_id == entry.id and a.key == award_key]
    if not held:
        raise ObjectionRefused(N_("이 참가작은 그 상을 받지 않았습니다."))
    exists = session.scalar(sa.select(AwardRevocation).where(
        AwardRevocation.contest_id == contest.id, AwardRevocation.entry_id == entry.id,
        AwardRevocation.award_key == award_key))
    if exists is not None:
        raise ObjectionRefused(N_("이미 취소된 상입니다."))
    revocation = AwardRevocation(contest_id=contest.id, entry_id=entry.id, award_key=award_key,
                                 award_title=held[0].award_name or held[0].title, reason=text,
                                 revoked_by=None if actor is None else actor.id, revoked_at=utcnow())
    session.add(revocation)
    session.flush()
    audit.record(session, "award.revoke", actor=actor, contest_id=contest.id, target_type="entry",
                 target_id=entry.id, before={"award": award_key},
                 after={"award": award_key, "revoked": True, "reason": text}, address=address)
    for cert in session.scalars(sa.select(Certificate).where(
            Certificate.contest_id == contest.id, Certificate.entry_id == entry.id,
            Certificate.award_key == award_key, Certificate.revoked_at.is_(None))):
        # the typed reason: pages name the award's revocation themselves (``revoked_keys``), in the reader's language
        certificates.revoke(session, contest, cert.id, text, actor=actor, address=address)
    return revocation


def revoked_keys(session: orm.Session, contest: Contest) -> dict[tuple[int, str], AwardRevocation]:
    """(entry id, award key) -> revocation, for pages that show the published awards."""
    return {(r.entry_id, r.award_key): r for r in revocations(session, contest)}
