"""A judge's sheet of a round: submitting it (read-only for the judge from then on), the organizer's
reopening of it, and the signature that vouches for its content (drawn on the tablet, or on paper).

Every function takes the session first, flushes, never commits, never imports flask, and raises
``DomainError`` subclasses (``details["code"]`` names the refusal for the page).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from judging.messages import N_
from judging.models import EntryComment, Round, Score, Sheet, SheetSignature, User, utcnow
from judging.scoring.rounding import plain
from judging.services import audit
from judging.services.declarations import MAX_REASON_CHARS, require_judge
from judging.services.errors import DomainError, Forbidden, Invalid, NotFound
from judging.services.judge_screens import active_signature, judge_round, round_sheet, sheet_of


def submit_sheet(session: orm.Session, judge: User, round_id: int, *, signature: object = None,
                 address: str = "", now: dt.datetime | None = None) -> Sheet:
    """Submit the judge's sheet for a round: it becomes read-only for the judge. Every visible entry
    must be complete. ``signature``: the strokes drawn on the tablet (see ``check_strokes``), stored
    with the SHA-256 of the sheet's content; None submits without (the page without JavaScript; the
    sheet is then signed on paper). Raises Forbidden (already submitted, round or contest not open),
    Invalid (a signature that is not one) or DomainError (missing scores, listed by count)."""
    require_judge(judge)
    strokes = None if signature is None else check_strokes(signature)
    rnd = judge_round(session, judge, round_id)
    sheet_view = round_sheet(session, judge, rnd)
    if sheet_view.status == "submitted":
        raise Forbidden(N_("이미 제출한 채점표입니다."), details={"code": "submitted"})
    if sheet_view.lock_reason:
        raise Forbidden(sheet_view.lock_reason, details={"code": "locked"})
    if not sheet_view.rows:
        raise DomainError(N_("제출할 채점 대상이 없습니다."), details={"code": "empty"})
    if not sheet_view.complete:
        raise DomainError(
            N_("채점하지 않은 항목이 {n}개 남아 있습니다. 빠진 항목을 채운 뒤 제출해 주세요."), n=sheet_view.missing_total,
            details={"code": "incomplete", "missing": sheet_view.missing_total})
    now = now or utcnow()
    sheet = sheet_of(session, judge, rnd)
    if sheet is None:
        sheet = Sheet(judge_id=judge.id, round_id=rnd.id)
        session.add(sheet)
    sheet.status = "submitted"
    sheet.submitted_at = now
    session.flush()
    totals = {str(r.entry_id): plain(r.total) for r in sheet_view.rows if r.total is not None}
    audit.record(session, "sheet.submitted", actor=judge, contest_id=judge.contest_id, target_type="sheet",
                 target_id=sheet.id, before={"status": "draft"},
                 after={"status": "submitted", "round_id": rnd.id, "judge_id": judge.id, "totals": totals},
                 address=address)
    if strokes is not None:
        _sign(session, sheet, judge, rnd, "tablet", strokes, now, address=address)
    return sheet


def reopen_sheet(session: orm.Session, target: Sheet | User | int, round_: Round | int | None, reason: str,
                 actor: User | None, *, address: str = "", now: dt.datetime | None = None,
                 actor_label: str | None = None) -> Sheet:
    """Reopen a submitted sheet so the judge can edit it again (organizers only, with a reason).

    ``target`` is the Sheet (``round_`` may then be None), or the judge (User or id) with ``round_``
    (Round or id). ``actor`` is the organizer, or None with an ``actor_label`` for the command line.
    Raises Forbidden (not an organizer), DomainError (no reason, sheet not submitted) or NotFound.
    The contest's state is checked by ``lifecycle.reopen_sheet``, which is what the views and CLI call.
    """
    if (actor is None and not actor_label) or (actor is not None and actor.role != "organizer"):
        raise Forbidden(N_("채점표는 담당자만 다시 열 수 있습니다."), details={"code": "forbidden"})
    text = " ".join((reason or "").split())
    if not text:
        raise DomainError(N_("다시 여는 사유를 적어 주세요."), field="reason", details={"code": "reason_required"})
    if len(text) > MAX_REASON_CHARS:
        raise DomainError(N_("사유는 {limit}자 이내로 적어 주세요."), limit=MAX_REASON_CHARS, field="reason",
                          details={"code": "reason_too_long"})
    sheet: Sheet | None
    if isinstance(target, Sheet):
        sheet = target
    else:
        judge_id = target.id if isinstance(target, User) else int(target)
        round_id = round_.id if isinstance(round_, Round) else round_
        sheet = session.scalar(sa.select(Sheet).where(Sheet.judge_id == judge_id, Sheet.round_id == round_id))
    if sheet is None:
        raise NotFound(N_("채점표를 찾을 수 없습니다."), details={"code": "not_found"})
    if sheet.status != "submitted":
        raise DomainError(N_("제출되지 않은 채점표는 다시 열 필요가 없습니다."), details={"code": "not_submitted"})
    rnd = session.get(Round, sheet.round_id)
    now = now or utcnow()
    before: dict[str, Any] = {"status": "submitted",
                              "submitted_at": sheet.submitted_at.isoformat() if sheet.submitted_at else None}
    sheet.status = "draft"
    sheet.submitted_at = None
    sheet.reopened_at = now
    sheet.reopen_reason = text
    signature = active_signature(session, sheet.id)
    if signature is not None:
        # The signed content may now change: the signature no longer stands for the sheet.
        signature.voided_at = now
        signature.void_reason = text
        before["signature"] = {"method": signature.method, "content_hash": signature.content_hash}
    session.flush()
    audit.record(session, "sheet.reopened", actor=actor, actor_label=actor_label,
                 contest_id=rnd.contest_id if rnd else None,
                 target_type="sheet", target_id=sheet.id, before=before,
                 after={"status": "draft", "reason": text, "round_id": sheet.round_id, "judge_id": sheet.judge_id},
                 address=address)
    return sheet


# --- signatures -------------------------------------------------------------------------------

#: A drawn signature is kept in a box of this size (the pad's own size does not matter).
SIGNATURE_BOX = (1000, 400)
MAX_STROKES = 60
MAX_POINTS = 6000


def check_strokes(strokes: object) -> list[list[list[int]]]:
    """A drawn signature: a list of strokes, each a list of ``[x, y]`` points inside ``SIGNATURE_BOX``.
    Returns it with whole-number points. Raises Invalid when it is not one, or is too small to be a
    signature (fewer than 10 points in all) or too large."""
    bad = Invalid(N_("서명을 읽을 수 없습니다. 서명 칸에 다시 서명해 주세요."), details={"code": "bad_signature"})
    if not isinstance(strokes, list) or not strokes or len(strokes) > MAX_STROKES:
        raise bad
    out: list[list[list[int]]] = []
    total = 0
    width, height = SIGNATURE_BOX
    for stroke in strokes:
        if not isinstance(stroke, list) or not stroke:
            raise bad
        points = []
        for point in stroke:
            if (not isinstance(point, list) or len(point) != 2
                    or not all(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in point)):
                raise bad
            x, y = (round(float(v)) for v in point)
            if not (0 <= x <= width and 0 <= y <= height):
                raise bad
            points.append([x, y])
        total += len(points)
        out.append(points)
    if total > MAX_POINTS:
        raise bad
    if total < 10:
        raise Invalid(N_("서명이 너무 짧습니다. 서명 칸에 이름을 써 주세요."), details={"code": "bad_signature"})
    return out


def sheet_content(session: orm.Session, judge: User, rnd: Round) -> dict:
    """What a signature vouches for: the judge's scores (with their versions) and comments on every
    entry of the round the judge scores, the judge and the round. Plain JSON values in a fixed order."""
    sheet = round_sheet(session, judge, rnd)
    entry_ids = [r.entry_id for r in sheet.rows]
    criteria = list(rnd.criteria)
    scores = {(s.entry_id, s.criterion_id): s for s in session.scalars(
        sa.select(Score).where(Score.judge_id == judge.id, Score.entry_id.in_(entry_ids)))} if entry_ids else {}
    comments = {c.entry_id: c for c in session.scalars(sa.select(EntryComment).where(
        EntryComment.judge_id == judge.id, EntryComment.round_id == rnd.id))}
    entries = []
    for entry_id in entry_ids:
        given = []
        for c in criteria:
            score = scores.get((entry_id, c.id))
            given.append({"criterion": c.key, "value": None if score is None or score.value is None else plain(score.value),
                          "version": 0 if score is None else score.version})
        comment = comments.get(entry_id)
        entries.append({"entry": entry_id, "scores": given, "comment": comment.body if comment else "",
                        "comment_version": comment.version if comment else 0})
    return {"contest": rnd.contest.slug, "round": {"id": rnd.id, "key": rnd.key},
            "judge": {"id": judge.id, "key": judge.judge_key or "", "name": judge.name}, "entries": entries}


def content_hash(content: dict) -> str:
    """SHA-256 (hex) of ``sheet_content``, over its canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()



def _sign(session: orm.Session, sheet: Sheet, judge: User, rnd: Round, method: str, strokes: list | None,
          now: dt.datetime, *, actor: User | None = None, actor_label: str | None = None,
          address: str = "") -> SheetSignature:
    digest = content_hash(sheet_content(session, judge, rnd))
    signature = SheetSignature(sheet_id=sheet.id, method=method, strokes=strokes, content_hash=digest, signed_at=now)
    session.add(signature)
    session.flush()
    audit.record(session, "sheet.signed", actor=actor if actor or actor_label else judge, actor_label=actor_label,
                 contest_id=judge.contest_id, target_type="sheet",
                 target_id=sheet.id, after={"method": method, "content_hash": digest, "round_id": rnd.id,
                                            "judge_id": judge.id}, address=address)
    return signature


def record_paper_signature(session: orm.Session, sheet: Sheet, *, actor: User | None = None,
                           actor_label: str | None = None, now: dt.datetime | None = None) -> SheetSignature | None:
    """Mark a sheet imported from paper as signed on paper (the judge signed the printed sheet),
    with the hash of its content as imported. Nothing when the sheet already has a signature."""
    if active_signature(session, sheet.id) is not None:
        return None
    judge = session.get_one(User, sheet.judge_id)
    rnd = session.get_one(Round, sheet.round_id)
    return _sign(session, sheet, judge, rnd, "paper", None, now or utcnow(), actor=actor, actor_label=actor_label)
