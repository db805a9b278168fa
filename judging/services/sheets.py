"""Judge-side services: what a judge scores, the pledge and conflict declaration, autosaved scores
and comments with optimistic versions, submitting a sheet and the organizer's reopening of it.

Which entries a judge scores: the open rounds of the judge's contest; in a round with Assignment rows,
the entries assigned to the judge; in a round without any, every entry of the round. Presentation
order is ``RoundEntry.position``. An entry the judge is conflicted with (any source) is hidden from
the judge and left out of the progress count.

Every function takes the session first, flushes, never commits, never imports flask, and raises
``DomainError`` subclasses with a Korean message (``details["code"]`` names the refusal for the page).
A judge only ever reads their own scores and comments here: nothing returns another judge's values
or any aggregate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects import postgresql, sqlite

from judging import scoring
from judging.models import (
    Assignment,
    Attachment,
    AuditEvent,
    Conflict,
    Contest,
    Criterion,
    Entrant,
    Entry,
    EntryComment,
    RateCounter,
    Round,
    RoundEntry,
    Score,
    Sheet,
    SheetSignature,
    User,
    utcnow,
)
from judging.scoring.errors import ScaleError
from judging.scoring.rounding import plain
from judging.scoring.scales import allowed_values, check_score, grade_labels
from judging.services import audit, audit_chain, rubric
from judging.services.errors import DomainError, Forbidden, Invalid, NotFound, StaleWrite, Throttled

MAX_COMMENT_CHARS = 4000
MAX_REASON_CHARS = 500
RATE_WINDOW_SECONDS = 60
_clock = time.time  # the rate window's clock (tests pin it)
#: Above this many allowed values a criterion gets a stepper instead of a segmented control.
SEGMENT_LIMIT = 31
#: At most this many segments in a row (0..10 fits one row; 0..20 makes two of 11 and 10).
SEGMENT_ROW = 11



NOT_STARTED, IN_PROGRESS, COMPLETE = "not_started", "in_progress", "complete"
STATE_LABELS = {NOT_STARTED: "시작 전", IN_PROGRESS: "작성 중", COMPLETE: "완료"}


# --- view models ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Choice:
    value: str  # plain decimal text, e.g. "18" or "13.5"
    label: str  # "매우 우수" for grades, "" for points


@dataclass(frozen=True)
class CriterionView:
    id: int
    key: str
    title: str
    max_points: str
    scale: str
    guidance: str
    weight: str  # plain decimal text: what one point of this criterion counts in the total
    choices: tuple[Choice, ...]
    value: str | None
    version: int
    control: str  # "grades" | "segments" | "stepper"
    columns: int  # segments per row, so rows come out even (0-10 / 11-20)

    @property
    def value_label(self) -> str | None:
        for choice in self.choices:
            if choice.value == self.value:
                return choice.label or None
        return None


@dataclass(frozen=True)
class EntryRow:
    round_id: int
    entry_id: int
    number: int  # 1-based place among the judge's visible entries
    position: int  # presentation order in the round
    entrant_name: str
    district: str
    title: str
    state: str
    scored: int
    criteria: int
    total: Decimal | None
    missing: tuple[str, ...]

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class SignatureView:
    method: str  # "tablet" | "paper"
    signed_at: dt.datetime
    content_hash: str


@dataclass(frozen=True)
class RoundSheet:
    round_id: int
    round_title: str
    status: str  # "draft" | "submitted"
    submitted_at: dt.datetime | None
    rows: tuple[EntryRow, ...]
    conflicted: int
    max_total: Decimal
    lock_reason: str | None
    signature: SignatureView | None = None

    @property
    def done(self) -> int:
        return sum(1 for r in self.rows if r.state == COMPLETE)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def editable(self) -> bool:
        return self.lock_reason is None

    @property
    def complete(self) -> bool:
        return all(r.state == COMPLETE for r in self.rows)

    @property
    def missing_total(self) -> int:
        return sum(len(r.missing) for r in self.rows)


@dataclass(frozen=True)
class Material:
    id: int
    name: str
    kind: str  # "pdf" | "image" | "file"
    content_type: str
    size: int


@dataclass(frozen=True)
class EntryScreen:
    sheet: RoundSheet
    row: EntryRow
    summary: str
    materials: tuple[Material, ...]
    criteria: tuple[CriterionView, ...]
    comment: str
    comment_version: int
    previous: EntryRow | None
    next: EntryRow | None


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


@dataclass(frozen=True)
class SaveResult:
    version: int
    value: str | None
    total: Decimal  # the judge's running total of the entry in this round (the core's, weights included)
    saved_at: dt.datetime
    max_total: Decimal | None = None


# --- reading ------------------------------------------------------------------------------------

def open_rounds(session: orm.Session, judge: User) -> list[Round]:
    """The rounds of the judge's contest that are open for scoring, in order."""
    return list(session.scalars(sa.select(Round).where(Round.contest_id == judge.contest_id, Round.status == "open")
                                .order_by(Round.position)))


def _round_entry_rows(session: orm.Session, judge: User, rnd: Round) -> list[tuple[Entry, Entrant, int]]:
    """(entry, entrant, position) the judge is to score in ``rnd``, conflicts included, in order."""
    has_assignments = session.scalar(sa.select(sa.exists().where(Assignment.round_id == rnd.id)))
    query = (sa.select(Entry, Entrant, RoundEntry.position)
             .join(RoundEntry, RoundEntry.entry_id == Entry.id)
             .join(Entrant, Entrant.id == Entry.entrant_id)
             .where(RoundEntry.round_id == rnd.id)
             .order_by(RoundEntry.position))
    if has_assignments:
        query = query.join(Assignment, sa.and_(Assignment.round_id == rnd.id, Assignment.entry_id == Entry.id,
                                               Assignment.judge_id == judge.id))
    return [(e, en, pos) for e, en, pos in session.execute(query)]


def conflicted_entry_ids(session: orm.Session, judge: User) -> set[int]:
    return set(session.scalars(sa.select(Conflict.entry_id).where(Conflict.judge_id == judge.id)))


def lock_reason(contest: Contest, rnd: Round, sheet: Sheet | None) -> str | None:
    """Why the judge cannot change this round's sheet now, or None when they can."""
    if sheet is not None and sheet.status == "submitted":
        return "채점표를 제출해 더 이상 바꿀 수 없습니다. 고쳐야 하면 담당자에게 재개를 요청해 주세요."
    if contest.status != "judging":
        return "지금은 심사 기간이 아니어서 점수를 바꿀 수 없습니다."
    if rnd.status != "open":
        return "이 라운드는 채점이 열려 있지 않아 점수를 바꿀 수 없습니다."
    return None


def _sheet(session: orm.Session, judge: User, rnd: Round) -> Sheet | None:
    return session.scalar(sa.select(Sheet).where(Sheet.judge_id == judge.id, Sheet.round_id == rnd.id))


def round_sheet(session: orm.Session, judge: User, rnd: Round) -> RoundSheet:
    """The judge's sheet for a round: visible entries in presentation order with state and own totals."""
    entries = _round_entry_rows(session, judge, rnd)
    conflicts = conflicted_entry_ids(session, judge)
    visible = [(e, en, pos) for e, en, pos in entries if e.id not in conflicts]
    criteria = list(rnd.criteria)
    values: dict[tuple[int, int], Decimal | None] = {}
    if visible and criteria:
        for entry_id, criterion_id, value in session.execute(
                sa.select(Score.entry_id, Score.criterion_id, Score.value)
                .where(Score.judge_id == judge.id, Score.entry_id.in_([e.id for e, _, _ in visible]),
                       Score.criterion_id.in_([c.id for c in criteria]))):
            values[(entry_id, criterion_id)] = value
    rows = []
    for number, (entry, entrant, position) in enumerate(visible, start=1):
        given = [values.get((entry.id, c.id)) for c in criteria]
        scored = sum(1 for v in given if v is not None)
        missing = tuple(c.title for c, v in zip(criteria, given, strict=True) if v is None)
        state = NOT_STARTED if scored == 0 else COMPLETE if scored == len(criteria) else IN_PROGRESS
        total = rubric.judge_total(criteria, {c.id: v for c, v in zip(criteria, given, strict=True)})
        rows.append(EntryRow(rnd.id, entry.id, number, position, entrant.name, entrant.district, entry.title,
                             state, scored, len(criteria), total, missing))
    sheet = _sheet(session, judge, rnd)
    signed = active_signature(session, sheet.id) if sheet is not None and sheet.status == "submitted" else None
    return RoundSheet(
        round_id=rnd.id, round_title=rnd.title, status=sheet.status if sheet else "draft",
        submitted_at=sheet.submitted_at if sheet else None, rows=tuple(rows),
        conflicted=len(entries) - len(visible),
        max_total=rubric.max_total(criteria),
        lock_reason=lock_reason(rnd.contest, rnd, sheet),
        signature=SignatureView(signed.method, signed.signed_at, signed.content_hash) if signed else None,
    )


def overview(session: orm.Session, judge: User) -> list[RoundSheet]:
    """The judge's home: one sheet per open round."""
    return [round_sheet(session, judge, rnd) for rnd in open_rounds(session, judge)]


def judge_round(session: orm.Session, judge: User, round_id: int) -> Round:
    """An open round of the judge's contest, or NotFound."""
    rnd = session.get(Round, round_id)
    if rnd is None or rnd.contest_id != judge.contest_id:
        raise NotFound("심사 라운드를 찾을 수 없습니다.", details={"code": "not_found"})
    if rnd.status != "open":
        raise NotFound("이 라운드는 지금 채점할 수 없습니다.", details={"code": "round_closed"})
    return rnd


def material_kind(content_type: str) -> str:
    if content_type == "application/pdf":
        return "pdf"
    if content_type in ("image/png", "image/jpeg", "image/gif", "image/webp"):
        return "image"
    return "file"


def _criterion_view(criterion: Criterion, value: Decimal | None, version: int) -> CriterionView:
    if criterion.scale == "grades":
        choices = tuple(Choice(plain(v), label) for label, v in grade_labels(criterion.max_points))
        control = "grades"
    else:
        choices = tuple(Choice(plain(v), "") for v in allowed_values(criterion.scale, criterion.max_points))
        control = "segments" if len(choices) <= SEGMENT_LIMIT else "stepper"
    rows = -(-len(choices) // SEGMENT_ROW)
    return CriterionView(
        id=criterion.id, key=criterion.key, title=criterion.title, max_points=plain(criterion.max_points),
        scale=criterion.scale, guidance=criterion.guidance or "", weight=plain(criterion.weight) if criterion.weight is not None else "1", choices=choices,
        value=None if value is None else plain(value), version=version, control=control,
        columns=-(-len(choices) // rows),
    )


def entry_screen(session: orm.Session, judge: User, round_id: int, entry_id: int) -> EntryScreen:
    """Everything the entry screen shows. Raises NotFound (not the judge's) or Forbidden (conflict)."""
    rnd = judge_round(session, judge, round_id)
    sheet = round_sheet(session, judge, rnd)
    rows = sheet.rows
    index = next((i for i, r in enumerate(rows) if r.entry_id == entry_id), None)
    if index is None:
        if entry_id in conflicted_entry_ids(session, judge):
            raise Forbidden("이해충돌로 제외된 사업이라 볼 수 없습니다.", details={"code": "conflict"})
        raise NotFound("심사 대상 사업을 찾을 수 없습니다.", details={"code": "not_assigned"})
    row = rows[index]
    entry = session.get(Entry, entry_id)
    scores = {s.criterion_id: s for s in session.scalars(
        sa.select(Score).where(Score.judge_id == judge.id, Score.entry_id == entry_id))}
    criteria = tuple(
        _criterion_view(c, scores[c.id].value if c.id in scores else None, scores[c.id].version if c.id in scores else 0)
        for c in rnd.criteria)
    comment = session.scalar(sa.select(EntryComment).where(
        EntryComment.judge_id == judge.id, EntryComment.round_id == rnd.id, EntryComment.entry_id == entry_id))
    materials = tuple(Material(a.id, a.original_name, material_kind(a.content_type), a.content_type, a.size)
                      for a in entry.attachments)
    return EntryScreen(
        sheet=sheet, row=row, summary=entry.summary or "", materials=materials, criteria=criteria,
        comment=comment.body if comment else "", comment_version=comment.version if comment else 0,
        previous=rows[index - 1] if index > 0 else None, next=rows[index + 1] if index + 1 < len(rows) else None,
    )


def attachment_for_judge(session: orm.Session, judge: User, attachment_id: int) -> Attachment:
    """An attachment of an entry the judge scores in an open round and is not conflicted with."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound("자료를 찾을 수 없습니다.", details={"code": "not_found"})
    if attachment.entry_id in conflicted_entry_ids(session, judge):
        raise Forbidden("이해충돌로 제외된 사업의 자료는 볼 수 없습니다.", details={"code": "conflict"})
    for rnd in open_rounds(session, judge):
        if any(e.id == attachment.entry_id for e, _, _ in _round_entry_rows(session, judge, rnd)):
            return attachment
    raise Forbidden("심사 대상이 아닌 사업의 자료는 볼 수 없습니다.", details={"code": "not_assigned"})


@dataclass(frozen=True)
class OfflinePlan:
    """What a judge's tablet keeps for working offline: the open rounds with the judge's entries in
    running order, and the materials to store (in running order, within the byte budget)."""

    rounds: tuple[tuple[int, tuple[int, ...]], ...]  # (round id, entry ids in presentation order)
    materials: tuple[Material, ...]  # stored, in running order
    skipped: tuple[Material, ...]  # over the budget: opened online only
    budget: int

    @property
    def material_bytes(self) -> int:
        return sum(m.size for m in self.materials)


def offline_plan(session: orm.Session, judge: User, budget: int) -> OfflinePlan:
    """The judge's offline copy: every visible entry of every open round, and their materials in
    running order (round order, then presentation order, then upload order); a file that does not fit
    in what is left of ``budget`` bytes is skipped and later, smaller files may still fit."""
    rounds = []
    materials: list[Material] = []
    skipped: list[Material] = []
    seen: set[int] = set()
    left = budget
    for rnd in open_rounds(session, judge):
        sheet = round_sheet(session, judge, rnd)
        entry_ids = tuple(r.entry_id for r in sheet.rows)
        rounds.append((rnd.id, entry_ids))
        if not entry_ids:
            continue
        attachments = session.scalars(sa.select(Attachment).where(Attachment.entry_id.in_(entry_ids))
                                      .order_by(Attachment.id)).all()
        by_entry: dict[int, list[Attachment]] = {}
        for a in attachments:
            by_entry.setdefault(a.entry_id, []).append(a)
        for entry_id in entry_ids:
            for a in by_entry.get(entry_id, []):
                if a.id in seen:
                    continue
                seen.add(a.id)
                m = Material(a.id, a.original_name, material_kind(a.content_type), a.content_type, a.size or 0)
                if m.size <= left:
                    materials.append(m)
                    left -= m.size
                else:
                    skipped.append(m)
    return OfflinePlan(tuple(rounds), tuple(materials), tuple(skipped), budget)


# --- pledge and conflicts ---------------------------------------------------------------------

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
    for after in session.scalars(sa.select(AuditEvent.after).where(
            AuditEvent.action == "judge.conflicts_declared", AuditEvent.actor_id == judge.id)):
        found = True
        declared.update(int(i) for i in (after or {}).get("entries", []))
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
        for entry, entrant, _pos in _round_entry_rows(session, judge, rnd):
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
        raise Forbidden("먼저 공정·비밀유지 서약을 해 주세요.", details={"code": "pledge_required"})
    current = declaration(session, judge)
    pending = {r.entry_id: r for r in current.pending}
    known = {r.entry_id for r in current.rows}
    unknown = [i for i in choices if i not in known]
    if unknown:
        raise NotFound("심사 대상이 아닌 사업이 들어 있습니다.", details={"code": "not_assigned"})
    missing = [r for i, r in pending.items() if i not in choices]
    if missing:
        raise DomainError(f"모든 사업에 대해 이해충돌 여부를 골라 주세요 ({len(missing)}건 남음).",
                          details={"code": "incomplete"})
    cleaned: dict[int, str] = {}
    for entry_id, reason in choices.items():
        if reason is None or entry_id not in pending:
            continue
        text = " ".join(str(reason).split())
        if not text:
            raise DomainError(f"'{pending[entry_id].entrant_name}'의 이해충돌 사유를 적어 주세요.",
                              field=f"reason-{entry_id}", details={"code": "reason_required"})
        if len(text) > MAX_REASON_CHARS:
            raise DomainError(f"이해충돌 사유는 {MAX_REASON_CHARS}자 이내로 적어 주세요.",
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


# --- writing ------------------------------------------------------------------------------------

_rate_upserts: dict[str, sa.Insert] = {}


def _rate_upsert(dialect: str) -> sa.Insert:
    if dialect not in _rate_upserts:
        table = RateCounter.__table__
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        index = sa.bindparam("b_index", type_=table.c.window_index.type)
        _rate_upserts[dialect] = (
            insert(table).values(key=sa.bindparam("b_key", type_=table.c.key.type), window_index=index, count=1)
            .on_conflict_do_update(index_elements=[table.c.key], set_={
                "count": sa.case((table.c.window_index == index, table.c.count + 1), else_=1),
                "window_index": index})
            .returning(table.c.count))
    return _rate_upserts[dialect]


def hit_rate(session: orm.Session, key: str, limit: int, *, window: int = RATE_WINDOW_SECONDS,
             now: float | None = None) -> int:
    """Count one request for ``key`` in the current fixed window; raise Throttled over ``limit``.

    One UPSERT in the database, so the count holds across worker processes. The count is written
    even when the request is then refused: a flood of bad requests is a flood too.
    """
    now = _clock() if now is None else now
    index = int(now) // window
    stmt = _rate_upsert(session.connection().dialect.name)
    count = session.connection().execute(stmt, {"b_key": key, "b_index": index}).scalar_one()
    if count > limit:
        retry = window - int(now) % window
        raise Throttled(f"저장 요청이 너무 많습니다. {retry}초 뒤에 다시 보냅니다.",
                        details={"code": "throttled", "retry_after": retry})
    return count


def _require_judge(judge: User) -> None:
    if judge.role != "judge" or judge.contest_id is None:
        raise Forbidden("심사위원만 점수를 매길 수 있습니다.", details={"code": "forbidden"})
    if judge.pledged_at is None or judge.conflicts_declared_at is None:
        raise Forbidden("먼저 서약과 이해충돌 신고를 마쳐 주세요.", details={"code": "pledge_required"})


def _check_version(version: object) -> int:
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise DomainError("버전 값이 올바르지 않습니다.", details={"code": "malformed"})
    return version


def _refuse_write(ctx: sa.Row) -> None:
    """Raise the refusal for a write the context forbids (None when it is allowed)."""
    if ctx.conflicted:
        raise Forbidden("이해충돌로 제외된 사업이라 점수를 매길 수 없습니다.", details={"code": "conflict"})
    if ctx.has_assignments and not ctx.assigned:
        raise Forbidden("배정되지 않은 사업이라 점수를 매길 수 없습니다.", details={"code": "not_assigned"})
    if ctx.sheet_status == "submitted":
        raise Forbidden("채점표를 제출해 더 이상 바꿀 수 없습니다. 고쳐야 하면 담당자에게 재개를 요청해 주세요.",
                        details={"code": "submitted"})
    if ctx.contest_status != "judging":
        raise Forbidden("지금은 심사 기간이 아니어서 점수를 바꿀 수 없습니다.", details={"code": "not_judging"})
    if ctx.round_status != "open":
        raise Forbidden("이 라운드는 채점이 열려 있지 않아 점수를 바꿀 수 없습니다.", details={"code": "round_closed"})


def _entry_in_contest(session: orm.Session, judge: User, entry_id: int) -> bool:
    return session.scalar(sa.select(sa.exists().where(Entry.id == entry_id, Entry.contest_id == judge.contest_id)))


def _as_value(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


# The autosave hot path runs prebuilt Core statements (compiled once, cached by SQLAlchemy), because a
# judge's tablet calls it on every tap and 50 judges share two worker processes.
_scores, _criteria, _rounds, _contests = Score.__table__, Criterion.__table__, Round.__table__, Contest.__table__
_round_entries, _assignments, _conflicts, _sheets = (RoundEntry.__table__, Assignment.__table__,
                                                     Conflict.__table__, Sheet.__table__)
_JID, _EID, _CID = sa.bindparam("b_judge"), sa.bindparam("b_entry"), sa.bindparam("b_criterion")

_SCORE_CONTEXT = (
    sa.select(
        _criteria.c.id, _criteria.c.round_id, _criteria.c.max_points, _criteria.c.scale,
        _rounds.c.status.label("round_status"), _rounds.c.contest_id, _contests.c.status.label("contest_status"),
        sa.exists().where(_round_entries.c.round_id == _criteria.c.round_id, _round_entries.c.entry_id == _EID)
        .label("in_round"),
        sa.exists().where(_assignments.c.round_id == _criteria.c.round_id).label("has_assignments"),
        sa.exists().where(_assignments.c.round_id == _criteria.c.round_id, _assignments.c.judge_id == _JID,
                          _assignments.c.entry_id == _EID).label("assigned"),
        sa.exists().where(_conflicts.c.judge_id == _JID, _conflicts.c.entry_id == _EID).label("conflicted"),
        sa.select(_sheets.c.status).where(_sheets.c.judge_id == _JID, _sheets.c.round_id == _criteria.c.round_id)
        .scalar_subquery().label("sheet_status"),
        _scores.c.id.label("score_id"), _scores.c.value, _scores.c.version,
    )
    .join(_rounds, _rounds.c.id == _criteria.c.round_id)
    .join(_contests, _contests.c.id == _rounds.c.contest_id)
    .outerjoin(_scores, sa.and_(_scores.c.judge_id == _JID, _scores.c.entry_id == _EID,
                                _scores.c.criterion_id == _criteria.c.id))
    .where(_criteria.c.id == _CID)
)

# What may have changed between the check and the write is asserted again inside the write itself.
_STILL_WRITABLE = sa.and_(
    ~sa.exists().where(_sheets.c.judge_id == _JID, _sheets.c.round_id == sa.bindparam("b_round"),
                       _sheets.c.status == "submitted"),
    ~sa.exists().where(_conflicts.c.judge_id == _JID, _conflicts.c.entry_id == _EID),
    sa.exists().where(_rounds.c.id == sa.bindparam("b_round"), _rounds.c.status == "open",
                      _contests.c.id == _rounds.c.contest_id, _contests.c.status == "judging"),
)
_SCORE_UPDATE = (
    sa.update(_scores)
    .where(_scores.c.id == sa.bindparam("b_score"), _scores.c.version == sa.bindparam("b_expected"), _STILL_WRITABLE)
    .values(value=sa.bindparam("b_value", type_=_scores.c.value.type), version=_scores.c.version + 1,
            updated_at=sa.bindparam("b_now", type_=_scores.c.updated_at.type))
    .returning(_scores.c.version)
)
_SCORE_INSERT_FROM = sa.select(
    _JID, _EID, _CID, sa.bindparam("b_value", type_=_scores.c.value.type), sa.literal(1),
    sa.bindparam("b_now", type_=_scores.c.updated_at.type),
).where(_STILL_WRITABLE)
_score_inserts: dict[str, sa.Insert] = {}
_SHEET_RUBRIC = (
    sa.select(_criteria.c.id, _criteria.c.key, _criteria.c.title, _criteria.c.max_points, _criteria.c.scale,
              _criteria.c.weight, _criteria.c.position, _scores.c.value)
    .outerjoin(_scores, sa.and_(_scores.c.criterion_id == _criteria.c.id, _scores.c.judge_id == _JID,
                                _scores.c.entry_id == _EID))
    .where(_criteria.c.round_id == sa.bindparam("b_round"))
    .order_by(_criteria.c.position, _criteria.c.id)
)


def _score_insert(dialect: str) -> sa.Insert:
    if dialect not in _score_inserts:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        cols = [_scores.c.judge_id, _scores.c.entry_id, _scores.c.criterion_id, _scores.c.value, _scores.c.version,
                _scores.c.updated_at]
        _score_inserts[dialect] = (
            insert(_scores).from_select(cols, _SCORE_INSERT_FROM)
            .on_conflict_do_nothing(index_elements=[_scores.c.judge_id, _scores.c.entry_id, _scores.c.criterion_id])
            .returning(_scores.c.version))
    return _score_inserts[dialect]


@dataclass(frozen=True)
class PreparedScore:
    """A checked score change, ready to write (``apply_score``)."""

    entry_id: int
    criterion_id: int
    round_id: int
    score_id: int | None
    version: int
    old_value: Decimal | None
    new_value: Decimal | None
    #: the round's rubric and the judge's other scores of this entry in the round, for the total
    criteria: tuple[scoring.CriterionSpec, ...]
    others: Mapping[str, Decimal]
    criterion_key: str


def _score_context(session: orm.Session, judge_id: int, entry_id: int, criterion_id: int) -> sa.Row | None:
    return session.connection().execute(
        _SCORE_CONTEXT, {"b_judge": judge_id, "b_entry": entry_id, "b_criterion": criterion_id}).one_or_none()


def prepare_score(session: orm.Session, judge: User, *, entry_id: int, criterion_id: int, value: object,
                  version: int) -> PreparedScore:
    """Check a score change without writing (one read). Raises as ``save_score``."""
    _require_judge(judge)
    version = _check_version(version)
    ctx = _score_context(session, judge.id, entry_id, criterion_id)
    if ctx is None or ctx.contest_id != judge.contest_id:
        raise NotFound("평가 항목을 찾을 수 없습니다.", details={"code": "not_found"})
    if not ctx.in_round:
        if _entry_in_contest(session, judge, entry_id):
            raise Invalid("이 평가 항목은 이 사업이 심사받는 라운드의 항목이 아닙니다.",
                          details={"code": "other_round"})
        raise NotFound("심사 대상 사업을 찾을 수 없습니다.", details={"code": "not_found"})
    _refuse_write(ctx)
    new_value: Decimal | None = None
    if value is not None:
        try:
            new_value = check_score(ctx.scale, ctx.max_points, value)
        except ScaleError as exc:
            raise Invalid(f"{exc}.", details={"code": "invalid_value"}) from None
    if (ctx.score_id is None and version != 0) or (ctx.score_id is not None and version != ctx.version):
        raise _stale({"value": _as_value(ctx.value), "version": ctx.version or 0})
    criteria, others, key = _sheet_rubric(session, judge.id, entry_id, ctx.round_id, criterion_id)
    return PreparedScore(entry_id, criterion_id, ctx.round_id, ctx.score_id, version, ctx.value, new_value,
                         criteria, others, key)


def _sheet_rubric(session: orm.Session, judge_id: int, entry_id: int, round_id: int, criterion_id: int
                  ) -> tuple[tuple[scoring.CriterionSpec, ...], dict[str, Decimal], str]:
    """The round's criteria as the core sees them and the judge's other scores of the entry in this
    round only (by criterion key), in one query."""
    rows = session.connection().execute(
        _SHEET_RUBRIC, {"b_judge": judge_id, "b_entry": entry_id, "b_round": round_id}).all()
    criteria = tuple(scoring.CriterionSpec(r.key, r.title, r.max_points, r.scale, r.weight, r.position) for r in rows)
    others = {r.key: _decimal(r.value) for r in rows if r.value is not None and r.id != criterion_id}
    key = next(r.key for r in rows if r.id == criterion_id)
    return criteria, others, key


def _decimal(value: object) -> Decimal:
    # SQLite hands back NUMERIC scores as int or float; a score has at most two decimals
    return value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else str(value))


def apply_score(session: orm.Session, judge: User, change: PreparedScore, *, address: str = "",
                now: dt.datetime | None = None) -> SaveResult:
    """Write a prepared change: one guarded UPDATE (or INSERT) and, when the value changed, one audit row.

    The write itself re-checks the version and that the sheet, round and contest are still open and no
    conflict appeared since ``prepare_score``; if not, nothing is written and the refusal is raised.
    """
    now = now or utcnow()
    params = {"b_judge": judge.id, "b_entry": change.entry_id, "b_criterion": change.criterion_id,
              "b_round": change.round_id, "b_value": change.new_value, "b_now": now}
    conn = session.connection()
    if change.score_id is not None:
        written = conn.execute(_SCORE_UPDATE, {**params, "b_score": change.score_id,
                                                  "b_expected": change.version}).scalar_one_or_none()
    else:
        written = conn.execute(_score_insert(conn.dialect.name), params).scalar_one_or_none()
    if written is None:
        # Find out why: someone else wrote first, or the sheet, round or contest closed meanwhile.
        prepare_score(session, judge, entry_id=change.entry_id, criterion_id=change.criterion_id,
                      value=change.new_value, version=change.version)
        raise _stale(_current_score(session, judge.id, change.entry_id, change.criterion_id))
    new_version = change.version + 1
    if change.old_value != change.new_value or change.score_id is None:
        audit_chain.append(conn, {
            "at": now, "actor_id": judge.id, "actor_label": _actor_label(judge), "contest_id": judge.contest_id,
            "action": "score.saved", "target_type": "score", "target_id": f"{change.entry_id}:{change.criterion_id}",
            "before": {"value": _as_value(change.old_value), "version": change.version},
            "after": {"value": _as_value(change.new_value), "version": new_version}, "address": address[:64]})
    scores = dict(change.others)
    if change.new_value is not None:
        scores[change.criterion_key] = change.new_value
    total = scoring.running_total(change.criteria, scores)
    return SaveResult(new_version, _as_value(change.new_value), Decimal(0) if total is None else total, now,
                      scoring.max_total(change.criteria))


def _actor_label(user: User) -> str:
    # The same label ``audit.record`` writes.
    return f"{user.role}:{user.login or user.judge_key or user.id} {user.name}"[:160]


def save_score(session: orm.Session, judge: User, *, entry_id: int, criterion_id: int, value: object,
               version: int, address: str = "", now: dt.datetime | None = None) -> SaveResult:
    """Set (or, with ``value`` None, clear) the judge's score for one criterion of one entry.

    ``version`` is the version the judge's page last saw (0: no score yet). The write is one
    ``UPDATE ... WHERE version = :expected`` (or an insert that yields to a concurrent one), so of two
    concurrent writers only one wins; the other gets StaleWrite (409) with ``details["current"]``.
    Every accepted write bumps the version by one and is audited when the value changed.

    Raises NotFound (unknown entry or criterion), Invalid 422 (criterion of another round, value off
    the scale), Forbidden (conflict, not assigned, submitted sheet, round or contest not open, no pledge),
    StaleWrite (version mismatch). Nothing is written when it raises.

    Views on SQLite may call ``prepare_score`` and ``apply_score`` in two transactions (read, then
    write) so that the write lock is held only for the writes; the result is the same.
    """
    change = prepare_score(session, judge, entry_id=entry_id, criterion_id=criterion_id, value=value,
                           version=version)
    return apply_score(session, judge, change, address=address, now=now)


def _current_score(session: orm.Session, judge_id: int, entry_id: int, criterion_id: int) -> dict:
    row = session.execute(sa.select(Score.value, Score.version).where(
        Score.judge_id == judge_id, Score.entry_id == entry_id, Score.criterion_id == criterion_id)).one_or_none()
    return {"value": None, "version": 0} if row is None else {"value": _as_value(row.value), "version": row.version}


def _stale(current: dict) -> StaleWrite:
    shown = "비어 있음" if current["value"] is None else f"{current['value']}점"
    return StaleWrite(f"다른 기기나 창에서 먼저 바뀌었습니다. 지금 저장된 값({shown})을 보여 드립니다. "
                      "필요하면 다시 골라 주세요.", details={"code": "stale", "current": current})


def save_comment(session: orm.Session, judge: User, *, round_id: int, entry_id: int, body: object,
                 version: int, address: str = "", now: dt.datetime | None = None) -> SaveResult:
    """Set the judge's comment on an entry in a round, with the same checks and versioning as scores.

    The organizers read it (audit log, score sheet); entrants and other judges never see it. Raises as
    ``save_score``; a body over ``MAX_COMMENT_CHARS`` is refused (422).
    """
    _require_judge(judge)
    version = _check_version(version)
    if not isinstance(body, str):
        raise DomainError("의견은 글자로 보내야 합니다.", details={"code": "malformed"})
    text = body.replace("\r\n", "\n").strip()
    if len(text) > MAX_COMMENT_CHARS:
        raise Invalid(f"의견은 {MAX_COMMENT_CHARS}자 이내로 적어 주세요 (지금 {len(text)}자).",
                      details={"code": "too_long"})
    jid = judge.id
    ctx = session.execute(
        sa.select(
            Round.id, Round.status.label("round_status"), Round.contest_id, Contest.status.label("contest_status"),
            sa.exists().where(RoundEntry.round_id == Round.id, RoundEntry.entry_id == entry_id).label("in_round"),
            sa.exists().where(Assignment.round_id == Round.id).label("has_assignments"),
            sa.exists().where(Assignment.round_id == Round.id, Assignment.judge_id == jid,
                              Assignment.entry_id == entry_id).label("assigned"),
            sa.exists().where(Conflict.judge_id == jid, Conflict.entry_id == entry_id).label("conflicted"),
            sa.select(Sheet.status).where(Sheet.judge_id == jid, Sheet.round_id == Round.id)
            .scalar_subquery().label("sheet_status"),
            EntryComment.id.label("comment_id"), EntryComment.body, EntryComment.version,
        )
        .join(Contest, Contest.id == Round.contest_id)
        .outerjoin(EntryComment, sa.and_(EntryComment.judge_id == jid, EntryComment.round_id == Round.id,
                                         EntryComment.entry_id == entry_id))
        .where(Round.id == round_id)
    ).one_or_none()
    if ctx is None or ctx.contest_id != judge.contest_id or not ctx.in_round:
        raise NotFound("심사 대상 사업을 찾을 수 없습니다.", details={"code": "not_found"})
    _refuse_write(ctx)
    current = {"value": ctx.body if ctx.comment_id is not None else "", "version": ctx.version or 0}
    stale = StaleWrite("다른 기기나 창에서 의견이 먼저 바뀌었습니다. 지금 저장된 의견을 보여 드립니다.",
                       details={"code": "stale", "current": current})
    if (ctx.comment_id is None and version != 0) or (ctx.comment_id is not None and version != ctx.version):
        raise stale
    now = now or utcnow()
    if ctx.comment_id is not None:
        done = session.execute(
            sa.update(EntryComment).where(EntryComment.id == ctx.comment_id, EntryComment.version == version)
            .values(body=text, version=EntryComment.version + 1, updated_at=now).returning(EntryComment.version)
            .execution_options(synchronize_session=False)).scalar_one_or_none() is not None
    else:
        table = EntryComment.__table__
        insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        done = session.execute(
            insert(table).values(judge_id=jid, round_id=round_id, entry_id=entry_id, body=text, version=1,
                                 updated_at=now)
            .on_conflict_do_nothing(index_elements=[table.c.judge_id, table.c.round_id, table.c.entry_id])
            .returning(table.c.version)
        ).scalar_one_or_none() is not None
    if not done:
        row = session.execute(sa.select(EntryComment.body, EntryComment.version).where(
            EntryComment.judge_id == jid, EntryComment.round_id == round_id,
            EntryComment.entry_id == entry_id)).one()
        stale.details["current"] = {"value": row.body, "version": row.version}
        raise stale
    if current["value"] != text:
        audit.record(session, "comment.saved", actor=judge, contest_id=judge.contest_id, target_type="comment",
                     target_id=f"{round_id}:{entry_id}", before=current,
                     after={"value": text, "version": version + 1}, address=address)
    return SaveResult(version + 1, text, Decimal(0), now)


# --- submitting and reopening -------------------------------------------------------------------

def submit_sheet(session: orm.Session, judge: User, round_id: int, *, signature: object = None,
                 address: str = "", now: dt.datetime | None = None) -> Sheet:
    """Submit the judge's sheet for a round: it becomes read-only for the judge. Every visible entry
    must be complete. ``signature``: the strokes drawn on the tablet (see ``check_strokes``), stored
    with the SHA-256 of the sheet's content; None submits without (the page without JavaScript; the
    sheet is then signed on paper). Raises Forbidden (already submitted, round or contest not open),
    Invalid (a signature that is not one) or DomainError (missing scores, listed by count)."""
    _require_judge(judge)
    strokes = None if signature is None else check_strokes(signature)
    rnd = judge_round(session, judge, round_id)
    sheet_view = round_sheet(session, judge, rnd)
    if sheet_view.status == "submitted":
        raise Forbidden("이미 제출한 채점표입니다.", details={"code": "submitted"})
    if sheet_view.lock_reason:
        raise Forbidden(sheet_view.lock_reason, details={"code": "locked"})
    if not sheet_view.rows:
        raise DomainError("제출할 채점 대상이 없습니다.", details={"code": "empty"})
    if not sheet_view.complete:
        raise DomainError(
            f"채점하지 않은 항목이 {sheet_view.missing_total}개 남아 있습니다. 빠진 항목을 채운 뒤 제출해 주세요.",
            details={"code": "incomplete", "missing": sheet_view.missing_total})
    now = now or utcnow()
    sheet = _sheet(session, judge, rnd)
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
        raise Forbidden("채점표는 담당자만 다시 열 수 있습니다.", details={"code": "forbidden"})
    text = " ".join((reason or "").split())
    if not text:
        raise DomainError("다시 여는 사유를 적어 주세요.", field="reason", details={"code": "reason_required"})
    if len(text) > MAX_REASON_CHARS:
        raise DomainError(f"사유는 {MAX_REASON_CHARS}자 이내로 적어 주세요.", field="reason",
                          details={"code": "reason_too_long"})
    if isinstance(target, Sheet):
        sheet = target
    else:
        judge_id = target.id if isinstance(target, User) else int(target)
        round_id = round_.id if isinstance(round_, Round) else round_
        sheet = session.scalar(sa.select(Sheet).where(Sheet.judge_id == judge_id, Sheet.round_id == round_id))
    if sheet is None:
        raise NotFound("채점표를 찾을 수 없습니다.", details={"code": "not_found"})
    if sheet.status != "submitted":
        raise DomainError("제출되지 않은 채점표는 다시 열 필요가 없습니다.", details={"code": "not_submitted"})
    rnd = session.get(Round, sheet.round_id)
    now = now or utcnow()
    before = {"status": "submitted", "submitted_at": sheet.submitted_at.isoformat() if sheet.submitted_at else None}
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
    bad = Invalid("서명을 읽을 수 없습니다. 서명 칸에 다시 서명해 주세요.", details={"code": "bad_signature"})
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
        raise Invalid("서명이 너무 짧습니다. 서명 칸에 이름을 써 주세요.", details={"code": "bad_signature"})
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
            given.append({"criterion": c.key, "value": None if score is None else _as_value(score.value),
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


def active_signature(session: orm.Session, sheet_id: int) -> SheetSignature | None:
    """The sheet's signature that is not void, if any."""
    return session.scalar(sa.select(SheetSignature).where(SheetSignature.sheet_id == sheet_id,
                                                          SheetSignature.voided_at.is_(None)))


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
    judge = session.get(User, sheet.judge_id)
    rnd = session.get(Round, sheet.round_id)
    return _sign(session, sheet, judge, rnd, "paper", None, now or utcnow(), actor=actor, actor_label=actor_label)
