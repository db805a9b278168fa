"""The judge's autosave: one score or one comment at a time, with optimistic versions, every check the
rules make and an audit row for each change. The tablet calls it on every tap, so the score path runs
prebuilt statements (one read, one guarded write).

Every function takes the session first, flushes, never commits, never imports flask, and raises
``DomainError`` subclasses (``details["code"]`` names the refusal for the page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects import postgresql, sqlite

from judging import scoring
from judging.messages import N_, Message
from judging.models import (
    Assignment,
    Conflict,
    Contest,
    Criterion,
    Entry,
    EntryComment,
    Round,
    RoundEntry,
    Score,
    Sheet,
    User,
    utcnow,
)
from judging.scoring.errors import ScaleError
from judging.scoring.rounding import plain
from judging.scoring.scales import check_score
from judging.services import audit, audit_chain
from judging.services.declarations import require_judge
from judging.services.errors import DomainError, Forbidden, Invalid, NotFound, StaleWrite
from judging.services.judge_screens import NOT_JUDGING, ROUND_NOT_OPEN, SUBMITTED

MAX_COMMENT_CHARS = 4000


@dataclass(frozen=True)
class SaveResult:
    version: int
    value: str | None
    total: Decimal  # the judge's running total of the entry in this round (the core's, weights included)
    saved_at: dt.datetime
    max_total: Decimal | None = None


def _check_version(version: object) -> int:
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise DomainError(N_("버전 값이 올바르지 않습니다."), details={"code": "malformed"})
    return version


def _refuse_write(ctx: sa.Row) -> None:
    """Raise the refusal for a write the context forbids (None when it is allowed)."""
    if ctx.conflicted:
        raise Forbidden(N_("이해충돌로 제외된 사업이라 점수를 매길 수 없습니다."), details={"code": "conflict"})
    if ctx.has_assignments and not ctx.assigned:
        raise Forbidden(N_("배정되지 않은 사업이라 점수를 매길 수 없습니다."), details={"code": "not_assigned"})
    if ctx.sheet_status == "submitted":
        raise Forbidden(SUBMITTED,
                        details={"code": "submitted"})
    if ctx.contest_status != "judging":
        raise Forbidden(NOT_JUDGING, details={"code": "not_judging"})
    if ctx.round_status != "open":
        raise Forbidden(ROUND_NOT_OPEN, details={"code": "round_closed"})


def _entry_in_contest(session: orm.Session, judge: User, entry_id: int) -> bool:
    return bool(session.scalar(sa.select(sa.exists().where(Entry.id == entry_id, Entry.contest_id == judge.contest_id))))


def _as_value(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


# The autosave hot path runs prebuilt Core statements (compiled once, cached by SQLAlchemy), because a
# judge's tablet calls it on every tap and 50 judges share two worker processes.
def _table(model: type[Any]) -> sa.Table:
    return cast(sa.Table, model.__table__)  # a declarative model's table (typed as a FromClause)


_scores, _criteria, _rounds, _contests = _table(Score), _table(Criterion), _table(Round), _table(Contest)
_round_entries, _assignments, _conflicts, _sheets = (_table(RoundEntry), _table(Assignment),
                                                     _table(Conflict), _table(Sheet))
_JID: sa.BindParameter[int] = sa.bindparam("b_judge")
_EID: sa.BindParameter[int] = sa.bindparam("b_entry")
_CID: sa.BindParameter[int] = sa.bindparam("b_criterion")

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
    require_judge(judge)
    version = _check_version(version)
    ctx = _score_context(session, judge.id, entry_id, criterion_id)
    if ctx is None or ctx.contest_id != judge.contest_id:
        raise NotFound(N_("평가 항목을 찾을 수 없습니다."), details={"code": "not_found"})
    if not ctx.in_round:
        if _entry_in_contest(session, judge, entry_id):
            raise Invalid(N_("이 평가 항목은 이 사업이 심사받는 라운드의 항목이 아닙니다."),
                          details={"code": "other_round"})
        raise NotFound(N_("심사 대상 사업을 찾을 수 없습니다."), details={"code": "not_found"})
    _refuse_write(ctx)
    new_value: Decimal | None = None
    if value is not None:
        try:
            new_value = check_score(ctx.scale, ctx.max_points, value)
        except ScaleError as exc:
            raise Invalid(N_("{reason}."), reason=exc.text, details={"code": "invalid_value"}) from None
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
    concurrent writers only one wins; the other gets StaleWrite (a WrongState) with ``details["current"]``.
    Every accepted write bumps the version by one and is audited when the value changed.

    Raises NotFound (unknown entry or criterion), Invalid (criterion of another round, value off
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
    shown = Message(N_("비어 있음")) if current["value"] is None else Message(N_("{value}점"), {"value": current["value"]})
    return StaleWrite(N_("다른 기기나 창에서 먼저 바뀌었습니다. 지금 저장된 값({shown})을 보여 드립니다. "
                         "필요하면 다시 골라 주세요."), shown=shown, details={"code": "stale", "current": current})


def save_comment(session: orm.Session, judge: User, *, round_id: int, entry_id: int, body: object,
                 version: int, address: str = "", now: dt.datetime | None = None) -> SaveResult:
    """Set the judge's comment on an entry in a round, with the same checks and versioning as scores.

    The organizers read it (audit log, score sheet); entrants and other judges never see it. Raises as
    ``save_score``; a body over ``MAX_COMMENT_CHARS`` is refused as Invalid.
    """
    require_judge(judge)
    version = _check_version(version)
    if not isinstance(body, str):
        raise DomainError(N_("의견은 글자로 보내야 합니다."), details={"code": "malformed"})
    text = body.replace("\r\n", "\n").strip()
    if len(text) > MAX_COMMENT_CHARS:
        raise Invalid(N_("의견은 {limit}자 이내로 적어 주세요 (지금 {length}자)."), limit=MAX_COMMENT_CHARS, length=len(text),
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
        raise NotFound(N_("심사 대상 사업을 찾을 수 없습니다."), details={"code": "not_found"})
    _refuse_write(ctx)
    current = {"value": ctx.body if ctx.comment_id is not None else "", "version": ctx.version or 0}
    stale = StaleWrite(N_("다른 기기나 창에서 의견이 먼저 바뀌었습니다. 지금 저장된 의견을 보여 드립니다."),
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
        table = _table(EntryComment)
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

