"""Intake: the submission deadline, a council's entry (draft → submitted, with a receipt number and
time), the organizer's eligibility check (accept, or return with a reason the council sees), and
the entries of each round (finalists by hand, or the top N of a screening round).

A council may change its entry only while the contest takes entries (status ``open``), before the
deadline, and while the entry is a draft or was returned to it. After that it is read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from judging.messages import N_, Message, Text
from judging.models import Contest, Criterion, Entrant, Entry, Round, RoundEntry, Score, User, utcnow
from judging.services import audit, published, results
from judging.services.errors import DomainError, Forbidden, NotFound

EDITABLE_STATUSES = ("draft", "returned")
ENTRY_FIELDS = {
    # name: (label, limit, required to submit)
    "title": (N_("사업명"), 200, True),
    "summary": (N_("사업 요약"), 4000, True),
    "partners": (N_("협력 기관"), 2000, False),
    "period": (N_("사업 기간"), 120, False),
    "budget": (N_("사업 예산"), 120, False),
    "body": (N_("자유 기술"), 20000, False),
}


# ---------------------------------------------------------------------------------------------
# Deadline


def set_deadline(session: orm.Session, contest: Contest, deadline: dt.datetime | None, *,
                 actor: User | None = None) -> None:
    """Set (or clear) the submission deadline; ``deadline`` is naive UTC."""
    if contest.status in ("judging", "locked", "published"):
        raise DomainError(N_("심사가 시작된 뒤에는 접수 마감을 바꿀 수 없습니다."))
    before = contest.submission_deadline
    contest.submission_deadline = deadline
    session.flush()
    audit.record(session, "intake.deadline", actor=actor, contest_id=contest.id, target_type="contest",
                 target_id=contest.slug, before={"deadline": None if before is None else before.isoformat()},
                 after={"deadline": None if deadline is None else deadline.isoformat()})


# ---------------------------------------------------------------------------------------------
# The council's side


def status_counts(session: orm.Session, contest: Contest) -> dict[str, int]:
    """How many of the contest's entries are in each status."""
    return dict(session.execute(sa.select(Entry.status, sa.func.count()).where(Entry.contest_id == contest.id)
                                .group_by(Entry.status)).all())


def entries_by_receipt(session: orm.Session, contest: Contest) -> list[Entry]:
    """The contest's entries in receipt order, those without a receipt number last."""
    return list(session.scalars(sa.select(Entry).where(Entry.contest_id == contest.id)
                                .order_by(Entry.receipt_number.is_(None), Entry.receipt_number, Entry.id)))


def council_entry(session: orm.Session, user: User) -> Entry:
    """The entry of the signed-in council. Every entrant gets its (empty) entry when it is created
    (contest file, import, the entrant form), so reading never writes."""
    if user.role != "council" or user.entrant is None:
        raise Forbidden(N_("협의체 계정이 아닙니다."))
    entrant = user.entrant
    if entrant.entry is None:
        raise NotFound(N_("참가작이 아직 없습니다. 담당자에게 문의해 주세요."))
    return entrant.entry


def locked_reason(entry: Entry, now: dt.datetime | None = None) -> Text | None:
    """Why the council cannot change its entry now, or None when it can: a ``Text`` (Korean, shown in the
    reader's language by the templates and ``message_text``; a refusal carries it as its message)."""
    now = now or utcnow()
    contest = entry.contest
    if entry.status == "submitted":
        return Text(N_("제출한 참가작입니다. 주최 측의 접수 확인을 기다리는 중이라 고칠 수 없습니다."))
    if entry.status == "accepted":
        return Text(N_("접수가 확인된 참가작이라 고칠 수 없습니다."))
    if entry.status == "withdrawn":
        return Text(N_("철회한 참가작입니다."))
    if contest.status == "draft":
        return Text(N_("아직 접수를 시작하지 않았습니다."))
    if contest.status != "open":
        return Text(N_("접수 기간이 끝났습니다."))
    if contest.submission_deadline is not None and now > contest.submission_deadline:
        return Text(N_("접수 마감 시각이 지나 더 이상 고치거나 제출할 수 없습니다."))
    return None


def _listed(ids: list[str]) -> Message:
    """Message ids shown as one comma-separated list, each in the reader's language."""
    return Message(", ".join(f"{{m{i}}}" for i in range(len(ids))), {f"m{i}": Message(m) for i, m in enumerate(ids)})


def _require_editable(entry: Entry, now: dt.datetime) -> None:
    reason = locked_reason(entry, now)
    if reason:
        raise DomainError(reason)


def save_draft(session: orm.Session, entry: Entry, data: dict[str, str | None], *, actor: User | None = None,
               now: dt.datetime | None = None) -> list[str]:
    """Save the entry form as a draft (no field is required yet). Returns the changed field names."""
    now = now or utcnow()
    _require_editable(entry, now)
    changed = []
    for name, (label, limit, _required) in ENTRY_FIELDS.items():
        if name not in data:
            continue
        value = (data[name] or "").replace("\r\n", "\n").strip()
        if len(value) > limit:
            raise DomainError(N_("{label}은(는) {limit}자 이내여야 합니다 (지금 {length}자)."), label=Message(label),
                              limit=limit, length=len(value), field=name)
        if getattr(entry, name) != value:
            setattr(entry, name, value)
            changed.append(name)
    if changed:
        entry.updated_at = now
        session.flush()
        audit.record(session, "entry.save", actor=actor, contest_id=entry.contest_id, target_type="entry",
                     target_id=entry.id, after={"fields": changed})
    return changed


def receipt_number(contest: Contest, seq: int) -> str:
    year = contest.certificate_year or contest.held_on.year
    return f"{year}-{seq:03d}"


def submit_entry(session: orm.Session, entry: Entry, *, actor: User | None = None,
                 now: dt.datetime | None = None) -> Entry:
    """Submit the entry: required fields and at least one attachment; gives it a receipt number (kept
    when a returned entry is submitted again) and the time. Raises ``DomainError`` naming what is
    missing."""
    now = now or utcnow()
    _require_editable(entry, now)
    missing = [label for name, (label, _limit, required) in ENTRY_FIELDS.items()
               if required and not (getattr(entry, name) or "").strip()]
    if not entry.attachments:
        missing.append(N_("첨부 파일(사례 보고서 등)"))
    if missing:
        raise DomainError(N_("제출하려면 다음을 채워 주세요: {missing}"), missing=_listed(missing),
                          details={"missing": missing})
    before = entry.status
    entry.status = "submitted"
    entry.submitted_at = now
    if entry.receipt_number is None:
        _assign_receipt_number(session, entry)
    session.flush()
    audit.record(session, "entry.submit", actor=actor, contest_id=entry.contest_id, target_type="entry",
                 target_id=entry.id, before={"status": before},
                 after={"status": "submitted", "receipt_number": entry.receipt_number,
                        "attachments": len(entry.attachments)})
    return entry


def _assign_receipt_number(session: orm.Session, entry: Entry) -> None:
    contest = entry.contest
    for _attempt in range(5):
        numbers = session.scalars(sa.select(Entry.receipt_number).where(
            Entry.contest_id == contest.id, Entry.receipt_number.is_not(None)))
        seq = 1 + max((int(n.rsplit("-", 1)[-1]) for n in numbers if n and n.rsplit("-", 1)[-1].isdigit()),
                      default=0)
        entry.receipt_number = receipt_number(contest, seq)
        try:
            with session.begin_nested():
                session.flush()
            return
        except sa_exc.IntegrityError:
            # Another council took the same number at the same moment: take the next one.
            entry.receipt_number = None
    raise DomainError(N_("접수 번호를 정하지 못했습니다. 잠시 뒤 다시 제출해 주세요."))


# ---------------------------------------------------------------------------------------------
# The organizer's side


def accept_entry(session: orm.Session, entry: Entry, *, actor: User | None = None) -> None:
    """Eligibility check passed: the entry is accepted (it can now be put in a round)."""
    if entry.status not in ("submitted", "returned"):
        raise DomainError(N_("제출된 참가작만 접수 확인할 수 있습니다."))
    if entry.status == "returned" and entry.submitted_at is None:
        raise DomainError(N_("제출된 적이 없는 참가작입니다."))
    before = entry.status
    entry.status = "accepted"
    entry.return_reason = ""
    session.flush()
    audit.record(session, "entry.accept", actor=actor, contest_id=entry.contest_id, target_type="entry",
                 target_id=entry.id, before={"status": before}, after={"status": "accepted"})


def return_entry(session: orm.Session, entry: Entry, reason: str, *, actor: User | None = None) -> None:
    """Send the entry back to the council with a reason it will see; it can fix and submit again
    before the deadline. Refused once the entry is in a round."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(N_("반려 사유를 적어 주세요. 협의체에 그대로 보입니다."), field="reason")
    if len(reason) > 2000:
        raise DomainError(N_("반려 사유는 2000자 이내여야 합니다."), field="reason")
    if entry.status not in ("submitted", "accepted"):
        raise DomainError(N_("제출되었거나 접수 확인된 참가작만 반려할 수 있습니다."))
    in_round = session.scalar(sa.select(sa.func.count()).select_from(RoundEntry).where(RoundEntry.entry_id == entry.id))
    if in_round:
        raise DomainError(N_("이미 심사 대상에 들어간 참가작은 반려할 수 없습니다. 먼저 심사 대상에서 빼 주세요."))
    before = entry.status
    entry.status = "returned"
    entry.return_reason = reason
    session.flush()
    audit.record(session, "entry.return", actor=actor, contest_id=entry.contest_id, target_type="entry",
                 target_id=entry.id, before={"status": before}, after={"status": "returned", "reason": reason})


def _round_scored_entries(session: orm.Session, rnd: Round) -> set[int]:
    return set(session.scalars(
        sa.select(Score.entry_id).join(Criterion, Criterion.id == Score.criterion_id)
        .where(Criterion.round_id == rnd.id, Score.value.is_not(None)).distinct()
    ))


def set_round_entries(session: orm.Session, rnd: Round, entry_ids: Sequence[int], *, actor: User | None = None,
                      reason: str = "by_hand") -> list[Entry]:
    """Make ``entry_ids`` (in this order) the entries of ``rnd``. Every entry must be accepted; an entry
    that already has scores in the round cannot be taken out."""
    contest = rnd.contest
    if contest.status in ("locked", "published"):
        raise DomainError(N_("점수가 확정된 공모전의 심사 대상은 바꿀 수 없습니다."))
    ids = list(dict.fromkeys(int(i) for i in entry_ids))
    entries = []
    for entry_id in ids:
        entry = session.get(Entry, entry_id)
        if entry is None or entry.contest_id != contest.id:
            raise NotFound(N_("참가작을 찾을 수 없습니다."))
        if entry.status != "accepted":
            raise DomainError(N_("'{name}'은(는) 접수 확인되지 않아 심사 대상에 넣을 수 없습니다."), name=entry.entrant.name)
        entries.append(entry)
    scored = _round_scored_entries(session, rnd)
    removed = scored - set(ids)
    if removed:
        names = ", ".join(session.get_one(Entry, e).entrant.name for e in sorted(removed))
        raise DomainError(N_("이미 점수가 입력된 참가작은 심사 대상에서 뺄 수 없습니다: {names}"), names=names)
    before = [re.entry_id for re in rnd.round_entries]
    rnd.round_entries.clear()
    session.flush()
    for position, entry in enumerate(entries, start=1):
        rnd.round_entries.append(RoundEntry(entry_id=entry.id, position=position))
    session.flush()
    audit.record(session, "round.entries", actor=actor, contest_id=contest.id, target_type="round",
                 target_id=rnd.key, before={"entries": before},
                 after={"entries": [e.id for e in entries], "how": reason})
    return entries


@dataclass(frozen=True)
class Advancement:
    advanced: tuple[str, ...]  # entrant keys, in screening order
    tied: tuple[str, ...]  # entrant keys tied at the cut (undecided)


def advance_top(session: orm.Session, source: Round, target: Round, count: int, *,
                actor: User | None = None) -> Advancement:
    """Put the top ``count`` of the screening round ``source`` into ``target`` (the next round).

    Uses the computed screening result; a tie at the cut must be decided first (결과 화면의 진출 결정).
    """
    contest = source.contest
    if target.contest_id != contest.id or target.position <= source.position:
        raise DomainError(N_("진출 대상 라운드는 서류심사보다 뒤의 라운드여야 합니다."))
    if count < 1:
        raise DomainError(N_("진출 수는 1 이상이어야 합니다."), field="count")
    if source.advance is not None and source.advance != count:
        raise DomainError(N_("'{title}' 라운드의 진출 수는 설정에서 {advance}(으)로 정해져 있습니다."), title=source.title, advance=source.advance)
    if source.advance is None:
        raise DomainError(N_("'{title}' 라운드에 진출 수가 정해지지 않았습니다. 설정에서 진출 수를 정해 주세요."), title=source.title)
    result = results.compute(session, contest)
    round_result = next((r for r in result.rounds if r.key == source.key), None)
    if round_result is None:
        raise NotFound(N_("라운드 결과를 찾을 수 없습니다."))
    tied = tuple(k for tie in round_result.cut_ties for k in tie.entries)
    if tied:
        raise DomainError(N_("진출 경계에 동점이 있어 진출작을 정할 수 없습니다. 결과 화면에서 진출 결정을 먼저 기록해 주세요: "
                             "{tied}"), tied=", ".join(tied))
    if round_result.missing:
        raise DomainError(N_("'{title}' 라운드에 입력되지 않은 점수가 {missing}개 있습니다."), title=source.title,
                          missing=len(round_result.missing))
    order = [er.entry for er in round_result.entries if er.entry in set(round_result.advanced)]
    if not order:
        raise DomainError(N_("진출할 참가작이 없습니다. 점수가 입력되었는지 확인해 주세요."))
    keys = {e.entrant.key: e.id for e in contest.entries}
    set_round_entries(session, target, [keys[k] for k in order], actor=actor, reason=f"top:{source.key}:{count}")
    return Advancement(tuple(order), ())


def fill_first_round(session: orm.Session, contest: Contest, *, actor: User | None = None) -> int:
    """When judging starts and the first round lists no entries, put every accepted entry in it (in
    receipt order), so that everyone sees the same list. Returns how many were added."""
    if not contest.rounds or contest.rounds[0].round_entries:
        return 0
    accepted = list(session.scalars(sa.select(Entry).where(Entry.contest_id == contest.id,
                                                           Entry.status == "accepted")
                                    .order_by(Entry.receipt_number.is_(None), Entry.receipt_number, Entry.id)))
    if accepted:
        set_round_entries(session, contest.rounds[0], [e.id for e in accepted], actor=actor, reason="all_accepted")
    return len(accepted)


# ---------------------------------------------------------------------------------------------
# A council's own published result (the disclosure view)


@dataclass(frozen=True)
class CouncilResult:
    """What a council may see of the published result: its own aggregates, rank, tier and the
    cut-off of each tier; never a judge's name or an individual sheet."""

    version: int
    published_at: dt.datetime
    name: str
    ranked: bool
    rank: int | None
    total: int
    score: str | None
    n: int
    tier_title: str | None
    special: tuple[tuple[str, str], ...]  # (title, reason)
    criteria: tuple[tuple[str, str | None, str], ...]  # (title, score, max)
    disclosure: tuple[str, ...]
    cutoffs: tuple[tuple[str, str | None], ...]  # (tier title, lowest score that received it)
    method: tuple[str, ...]


def council_editions(session: orm.Session, user: User) -> list[Entrant]:
    """Every entrant the council account stands for, one per contest it entered: its own entrant and
    the same council (the same entrant key) in the same organizer's other contests, newest first."""
    if user.role != "council" or user.entrant is None:
        raise Forbidden(N_("협의체 계정이 아닙니다."))
    own = user.entrant
    others = session.scalars(
        sa.select(Entrant).join(Contest, Contest.id == Entrant.contest_id)
        .where(Entrant.key == own.key, Contest.organizer == own.contest.organizer, Entrant.id != own.id)
        .order_by(Contest.held_on.desc(), Contest.id.desc()))
    return sorted([own, *others], key=lambda e: (e.contest.held_on, e.contest.id), reverse=True)


def council_edition(session: orm.Session, user: User, slug: str | None) -> Entrant:
    """The council's entrant in the contest ``slug`` (its own contest when None). Raises NotFound
    for a contest the council did not enter."""
    if not slug:
        if user.role != "council" or user.entrant is None:
            raise Forbidden(N_("협의체 계정이 아닙니다."))
        return user.entrant
    for entrant in council_editions(session, user):
        if entrant.contest.slug == slug:
            return entrant
    raise NotFound(N_("참가한 공모전을 찾을 수 없습니다."))


def council_result(session: orm.Session, user: User, entrant: Entrant | None = None) -> CouncilResult | None:
    """The council's own result (in its own contest, or in ``entrant``'s: one of
    :func:`council_editions`) from the latest published snapshot; None before publication."""
    if user.role != "council" or user.entrant is None:
        raise Forbidden(N_("협의체 계정이 아닙니다."))
    entrant = entrant or user.entrant
    contest = entrant.contest
    snapshot = published.published_snapshot(session, contest)
    if snapshot is None:
        return None
    result = published.read_payload(snapshot.payload)
    key = entrant.key
    mine = result.entry(key)
    specials = tuple((a.title, a.reason) for a in result.awards if a.kind == "special" and a.entry.key == key)
    cutoffs = []
    for tier in result.tiers:
        scores = [e.score for e in result.entries if e.tier == tier.key and e.score is not None]
        lowest = min(scores, key=Decimal) if scores else None
        cutoffs.append((tier.title, lowest))
    method = result.contest.method_text
    if mine is None:
        return CouncilResult(snapshot.version, snapshot.published_at, entrant.name, False, None, len(result.entries),
                             None, 0, None, specials, (), (), tuple(cutoffs), method)
    return CouncilResult(
        version=snapshot.version, published_at=snapshot.published_at, name=mine.name, ranked=True,
        rank=mine.rank, total=len(result.entries), score=mine.score, n=mine.n,
        tier_title=mine.tier_title, special=specials,
        criteria=tuple((c.title, c.score, str(c.max)) for c in mine.criterion_rows),
        disclosure=mine.disclosure,
        cutoffs=tuple(cutoffs), method=method,
    )
