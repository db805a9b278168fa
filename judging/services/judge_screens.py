"""What the judge's pages read: the rounds a judge scores, the judge's sheet of each round (entries in
presentation order, their state and the judge's own totals), the entry screen, the judge's materials
and the tablet's offline copy.

Which entries a judge scores: the open rounds of the judge's contest; in a round with Assignment rows,
the entries assigned to the judge; in a round without any, every entry of the round. Presentation
order is ``RoundEntry.position``. An entry the judge is conflicted with (any source) is hidden from
the judge and left out of the progress count.

Read only: every function takes the session first and raises ``DomainError`` subclasses
(``details["code"]`` names the refusal for the page). A judge only ever reads their own scores and
comments here: nothing returns another judge's values or any aggregate. Writing is in
``autosave`` (scores, comments), ``declarations`` (pledge, conflicts) and ``sheets`` (submitting,
reopening, signatures).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import orm

from judging.messages import N_, Message
from judging.models import (
    Assignment,
    Attachment,
    Conflict,
    Contest,
    Criterion,
    Entrant,
    Entry,
    EntryComment,
    Round,
    RoundEntry,
    Score,
    Sheet,
    SheetSignature,
    User,
)
from judging.scoring.rounding import plain
from judging.scoring.scales import allowed_values, grade_labels
from judging.services import rubric
from judging.services.errors import Forbidden, NotFound

#: An entry's state on the judge's sheet.
NOT_STARTED, IN_PROGRESS, COMPLETE = "not_started", "in_progress", "complete"

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
    lock_reason: Message | None
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


# --- reading ------------------------------------------------------------------------------------

def open_rounds(session: orm.Session, judge: User) -> list[Round]:
    """The rounds of the judge's contest that are open for scoring, in order."""
    return list(session.scalars(sa.select(Round).where(Round.contest_id == judge.contest_id, Round.status == "open")
                                .order_by(Round.position)))


def judge_entries(session: orm.Session, judge: User, rnd: Round) -> list[tuple[Entry, Entrant, int]]:
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


#: Why a judge's sheet cannot change now (the page's notice, and the refusal of a write).
SUBMITTED = N_("채점표를 제출해 더 이상 바꿀 수 없습니다. 고쳐야 하면 담당자에게 재개를 요청해 주세요.")
NOT_JUDGING = N_("지금은 심사 기간이 아니어서 점수를 바꿀 수 없습니다.")
ROUND_NOT_OPEN = N_("이 라운드는 채점이 열려 있지 않아 점수를 바꿀 수 없습니다.")


def lock_reason(contest: Contest, rnd: Round, sheet: Sheet | None) -> Message | None:
    """Why the judge cannot change this round's sheet now, or None when they can."""
    if sheet is not None and sheet.status == "submitted":
        return Message(SUBMITTED)
    if contest.status != "judging":
        return Message(NOT_JUDGING)
    if rnd.status != "open":
        return Message(ROUND_NOT_OPEN)
    return None


def sheet_of(session: orm.Session, judge: User, rnd: Round) -> Sheet | None:
    return session.scalar(sa.select(Sheet).where(Sheet.judge_id == judge.id, Sheet.round_id == rnd.id))


def round_sheet(session: orm.Session, judge: User, rnd: Round) -> RoundSheet:
    """The judge's sheet for a round: visible entries in presentation order with state and own totals."""
    entries = judge_entries(session, judge, rnd)
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
    sheet = sheet_of(session, judge, rnd)
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
        raise NotFound(N_("심사 라운드를 찾을 수 없습니다."), details={"code": "not_found"})
    if rnd.status != "open":
        raise NotFound(N_("이 라운드는 지금 채점할 수 없습니다."), details={"code": "round_closed"})
    return rnd


def material_kind(content_type: str) -> str:
    if content_type == "application/pdf":
        return "pdf"
    if content_type in ("image/png", "image/jpeg", "image/gif", "image/webp"):
        return "image"
    return "file"


def criterion_view(criterion: Criterion, value: Decimal | None, version: int) -> CriterionView:
    """One criterion as the judge's screen shows it: the choices its scale allows (grades labelled,
    best first), the stored value and its version."""
    if criterion.scale == "grades":
        choices = tuple(Choice(plain(v), label) for label, v in grade_labels(criterion.max_points))
    else:
        choices = tuple(Choice(plain(v), "") for v in allowed_values(criterion.scale, criterion.max_points))
    return CriterionView(
        id=criterion.id, key=criterion.key, title=criterion.title, max_points=plain(criterion.max_points),
        scale=criterion.scale, guidance=criterion.guidance or "",
        weight=plain(criterion.weight) if criterion.weight is not None else "1", choices=choices,
        value=None if value is None else plain(value), version=version,
    )


def entry_screen(session: orm.Session, judge: User, round_id: int, entry_id: int) -> EntryScreen:
    """Everything the entry screen shows. Raises NotFound (not the judge's) or Forbidden (conflict)."""
    rnd = judge_round(session, judge, round_id)
    sheet = round_sheet(session, judge, rnd)
    rows = sheet.rows
    index = next((i for i, r in enumerate(rows) if r.entry_id == entry_id), None)
    if index is None:
        if entry_id in conflicted_entry_ids(session, judge):
            raise Forbidden(N_("이해충돌로 제외된 사업이라 볼 수 없습니다."), details={"code": "conflict"})
        raise NotFound(N_("심사 대상 사업을 찾을 수 없습니다."), details={"code": "not_assigned"})
    row = rows[index]
    entry = session.get_one(Entry, entry_id)
    scores = {s.criterion_id: s for s in session.scalars(
        sa.select(Score).where(Score.judge_id == judge.id, Score.entry_id == entry_id))}
    criteria = tuple(
        criterion_view(c, scores[c.id].value if c.id in scores else None, scores[c.id].version if c.id in scores else 0)
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
        raise NotFound(N_("자료를 찾을 수 없습니다."), details={"code": "not_found"})
    if attachment.entry_id in conflicted_entry_ids(session, judge):
        raise Forbidden(N_("이해충돌로 제외된 사업의 자료는 볼 수 없습니다."), details={"code": "conflict"})
    for rnd in open_rounds(session, judge):
        if any(e.id == attachment.entry_id for e, _, _ in judge_entries(session, judge, rnd)):
            return attachment
    raise Forbidden(N_("심사 대상이 아닌 사업의 자료는 볼 수 없습니다."), details={"code": "not_assigned"})


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


def active_signature(session: orm.Session, sheet_id: int) -> SheetSignature | None:
    """The sheet's signature that is not void, if any."""
    return session.scalar(sa.select(SheetSignature).where(SheetSignature.sheet_id == sheet_id,
                                                          SheetSignature.voided_at.is_(None)))

