"""The scoring core's inputs, read from the database.

``contest_spec(session, contest) -> ContestInputs`` reads a contest with one Core query per table
(rows keyed as the contest file's keys) and builds the core's ``ContestSpec``, score rows, conflicts,
assignments, recorded decisions and audience ballots, with the names and titles a result shows.
``services/results.py`` computes from them; ``decisions`` and ``publishing`` read them too.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import orm

from judging import scoring
from judging.messages import N_
from judging.models import (
    Assignment,
    AwardTier,
    Conflict,
    Contest,
    Decision,
    Entrant,
    Entry,
    Round,
    RoundEntry,
    Score,
    SpecialAward,
    User,
)
from judging.services import audience as audience_service
from judging.services.errors import DomainError

#: Entry statuses ranked by a first round that lists no entries of its own.
RANKED_STATUSES = ("submitted", "accepted")


@dataclass(frozen=True)
class EntrantInfo:
    """What people see of an entry: the entrant's key and name, the district, the project title."""

    key: str
    name: str
    district: str
    project_title: str
    status: str
    entry_id: int


@dataclass(frozen=True)
class ContestInputs:
    """Everything the core needs for one contest, keyed by the contest file's keys, plus the lookups
    the service needs to show and store results (ids and display names).

    ``scores`` holds every score row; the core checks each and adds each judge's sheet up (``sheets``
    stays empty: the database never adds scores up, see ``docs/results.md``)."""

    spec: scoring.ContestSpec
    scores: Sequence[tuple[str, str, str, str, Decimal]]
    conflicts: list[tuple[str, str]]
    assignments: list[tuple[str, str, str]]
    tier_decisions: tuple[scoring.TierDecision, ...]
    order_decisions: tuple[scoring.OrderDecision, ...]
    advance_decisions: tuple[scoring.AdvanceDecision, ...]
    special_awards: tuple[scoring.SpecialAward, ...]
    entrants: dict[str, EntrantInfo]
    judges: dict[str, str]  # judge key -> name (organizer eyes only)
    judge_ids: dict[str, int]
    rounds: tuple[Round, ...]
    tiers: tuple[AwardTier, ...]
    special_types: tuple[SpecialAward, ...]
    decisions: tuple[Decision, ...]
    sheets: tuple[scoring.RoundSheets, ...] = ()
    # the audience panel (services.audience): its rounds and the cast ballots, apart from the judges'
    audience_rounds: tuple[Any, ...] = ()
    ballots: tuple[scoring.AudienceBallot, ...] = ()
    audience_turnout: dict[str, scoring.Turnout] = field(default_factory=dict)
    #: the core's form of each recorded decision, by ``Decision.id`` (special awards excepted)
    decision_of: dict[int, Any] = field(default_factory=dict)

    def stale_decisions(self, result: scoring.ContestResult) -> tuple[Decision, ...]:
        """Recorded decisions the result no longer uses: the tie they settled is gone or the cascade
        settles it now. They stay on record (withdraw them) but are never shown as applied."""
        unused = set(result.unused_decisions)
        return tuple(d for d in self.decisions if d.id in self.decision_of and self.decision_of[d.id] in unused)

    def entry_key_of(self, entry_id: int) -> str:
        for info in self.entrants.values():
            if info.entry_id == entry_id:
                return info.key
        raise KeyError(entry_id)

    def tier(self, key: str) -> AwardTier | None:
        return next((t for t in self.tiers if t.key == key), None)

    def special_type(self, key: str) -> SpecialAward | None:
        return next((s for s in self.special_types if s.key == key), None)

    def round(self, key: str) -> Round | None:
        return next((r for r in self.rounds if r.key == key), None)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk read. Reading ~180,000 rows allocates as many
    tuples, which triggers full collections over the whole heap (twice the cost of the read itself);
    these tuples hold no cycles, so nothing is lost by collecting afterwards instead."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class _DecimalCache(dict):
    """Score values as exact Decimals. SQLite hands back floats/ints for NUMERIC columns; a score has
    at most 2 decimals, so ``str(float)`` (the shortest repr) is its exact decimal literal. Few
    distinct values exist, so each is converted once."""

    def __missing__(self, raw: object) -> Decimal:
        if isinstance(raw, Decimal):
            value = raw
        elif isinstance(raw, float):
            value = Decimal(repr(raw))
        else:
            value = Decimal(str(raw))
        self[raw] = value
        return value


def _score_rows(
    session: orm.Session, contest_id: int, criteria: dict[int, tuple[str, str]], judges: dict[int, str],
    entries: dict[int, str],
) -> list[tuple[str, str, str, str, Decimal]]:
    """Every non-empty score of the contest as ``(round, judge, entry, criterion, value)`` tuples.

    This is the one large read (a national contest has ~180,000 rows), so it is one SQL query of four
    plain columns, no joins, run on the DBAPI cursor of the session's connection (inside the same
    transaction): SQLAlchemy's per-row Result machinery costs ~3x the read itself. Ids become keys
    column by column with C-level ``map`` over dicts."""
    if not criteria:
        return []
    # Selected through the contest's entries (index on entries.contest_id, then scores.entry_id):
    # on SQLite ``criterion_id IN (...)`` would walk the criterion index row by row, ~1.7x slower.
    query = (
        sa.select(Score.criterion_id, Score.judge_id, Score.entry_id, Score.value)
        .join(Entry, Entry.id == Score.entry_id)
        .where(Entry.contest_id == contest_id, Score.value.is_not(None))
    )
    connection = session.connection()
    # Only integer ids are inlined (never user text), so literal binds are safe and dialect-neutral.
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    with _gc_paused():
        cursor = connection.connection.cursor()
        try:
            cursor.execute(sql)
            raw = cursor.fetchall()
        finally:
            cursor.close()
        return _keyed(raw, criteria, judges, entries)


def _keyed(
    raw: Sequence[Any], criteria: dict[int, tuple[str, str]], judges: dict[int, str], entries: dict[int, str]
) -> list[tuple[str, str, str, str, Decimal]]:
    if not raw:
        return []
    criterion_ids, judge_ids, entry_ids, values = zip(*raw, strict=True)
    round_of = {cid: rnd for cid, (rnd, _crit) in criteria.items()}
    key_of = {cid: crit for cid, (_rnd, crit) in criteria.items()}
    cache = _DecimalCache()
    try:
        return list(zip(
            map(round_of.__getitem__, criterion_ids),
            map(judges.__getitem__, judge_ids),
            map(entries.__getitem__, entry_ids),
            map(key_of.__getitem__, criterion_ids),
            map(cache.__getitem__, values),
            strict=True,
        ))
    except KeyError:
        # a score by someone no longer a judge of this contest (or on a foreign criterion): leave it out
        return [
            (round_of[c], judges[j], entries[e], key_of[c], cache[v])
            for c, j, e, v in raw
            if j in judges and e in entries and c in criteria
        ]


def rank_precision(contest: Contest) -> int | None:
    """The contest's announced ranking precision (decimals compared; None: exact)."""
    return scoring.rounding.parse_rank_precision(contest.rank_precision or scoring.rounding.DEFAULT_RANK_PRECISION)


def contest_spec(session: orm.Session, contest: Contest) -> ContestInputs:
    """Map the database to the scoring core's inputs: the ``ContestSpec``, score rows, conflicts,
    assignments, the recorded (not withdrawn) decisions and special awards.

    Raises ``DomainError`` when the stored configuration cannot be scored (e.g. a round's method
    is inconsistent), with the core's reason.
    """
    return _load(session, contest)


def load_inputs(session: orm.Session, contest: Contest, *, display: bool = True) -> ContestInputs:
    """``contest_spec``; ``display=False`` leaves ``entrants`` empty (names, districts and titles are
    only for showing a result)."""
    return _load(session, contest, display=display)


def _load(session: orm.Session, contest: Contest, *, display: bool = True) -> ContestInputs:
    rounds = tuple(session.scalars(
        sa.select(Round).where(Round.contest_id == contest.id).order_by(Round.position)
        .options(orm.selectinload(Round.criteria))
    ))
    tiers = tuple(session.scalars(sa.select(AwardTier).where(AwardTier.contest_id == contest.id)
                                  .order_by(AwardTier.position)))
    special_types = tuple(session.scalars(sa.select(SpecialAward).where(SpecialAward.contest_id == contest.id)
                                          .order_by(SpecialAward.position)))
    entrants: dict[str, EntrantInfo] = {}
    entry_keys: dict[int, str] = {}
    statuses: dict[str, str] = {}
    shown = (Entrant.name, Entrant.district, Entry.title) if display else ()
    entry_rows: Iterable[Any] = session.execute(  # the display columns come only when asked for
        sa.select(Entry.id, Entrant.key, Entry.status, *shown)
        .join(Entrant, Entrant.id == Entry.entrant_id)
        .where(Entry.contest_id == contest.id)
        .order_by(Entrant.key)
    )
    for entry_id, key, status, *texts in entry_rows:
        if display:
            name, district, title = texts
            entrants[key] = EntrantInfo(key, name, district or "", title or "", status, entry_id)
        entry_keys[entry_id] = key
        statuses[key] = status
    judge_ids: dict[str, int] = {}
    judge_names: dict[str, str] = {}
    judge_keys: dict[int, str] = {}
    judge_rows = cast(Iterable[tuple[int, str, str]], session.execute(  # judge_key is not null here
        sa.select(User.id, User.judge_key, User.name)
        .where(User.contest_id == contest.id, User.role == "judge", User.judge_key.is_not(None))
        .order_by(User.judge_key)
    ))
    for user_id, key, name in judge_rows:
        judge_ids[key] = user_id
        judge_names[key] = name
        judge_keys[user_id] = key

    round_keys = {r.id: r.key for r in rounds}
    listed: dict[int, list[tuple[int, str]]] = {}
    if rounds:
        for round_id, entry_id, position in session.execute(
            sa.select(RoundEntry.round_id, RoundEntry.entry_id, RoundEntry.position)
            .where(RoundEntry.round_id.in_(list(round_keys)))
        ):
            if entry_id in entry_keys:
                listed.setdefault(round_id, []).append((position, entry_keys[entry_id]))

    audience_rounds, audience_specs, ballots, turnouts = audience_service.core_inputs(session, contest, entry_keys)
    try:
        round_specs = []
        for index, rnd in enumerate(rounds):
            if rnd.id in listed:
                entries: tuple[str, ...] | None = tuple(k for _p, k in sorted(listed[rnd.id]))
            elif index == 0:
                entries = tuple(k for k, status in statuses.items() if status in RANKED_STATUSES)
            else:
                entries = None
            round_specs.append(scoring.RoundSpec(
                key=rnd.key,
                title=rnd.title,
                criteria=tuple(
                    scoring.CriterionSpec(c.key, c.title, c.max_points, scoring.Scale(c.scale), c.weight, c.position)
                    for c in rnd.criteria
                ),
                order=rnd.position,
                aggregation=scoring.Aggregation(rnd.aggregation),
                trim=rnd.trim,
                advance=rnd.advance,
                weight=rnd.weight if rnd.weight > 0 else Decimal(1),
                entries=entries,
            ))
        spec = scoring.ContestSpec(
            rounds=tuple(round_specs),
            judges=tuple(judge_ids),
            entries=tuple(statuses),
            tiers=tuple(scoring.TierSpec(t.key, t.title, t.position, t.count, t.threshold) for t in tiers),
            tie_break=tuple(contest.tie_break or ()),
            final=scoring.FinalMode(contest.final_mode),
            rank_precision=rank_precision(contest),
            audience=audience_specs,
        )
    except scoring.ScoringError as exc:
        raise DomainError(N_("공모전 설정으로 결과를 계산할 수 없습니다: {reason}"), reason=exc.text) from None

    criteria = {c.id: (rnd.key, c.key) for rnd in rounds for c in rnd.criteria}
    # every score row, fast (one query on the DBAPI cursor); the core checks each and adds the sheets up
    scores = _score_rows(session, contest.id, criteria, judge_keys, entry_keys)
    conflicts = [
        (judge_keys[j], entry_keys[e])
        for j, e in session.execute(
            sa.select(Conflict.judge_id, Conflict.entry_id).where(Conflict.judge_id.in_(list(judge_keys)))
        )
        if e in entry_keys
    ] if judge_keys else []
    assignments = [
        (round_keys[r], judge_keys[j], entry_keys[e])
        for r, j, e in session.execute(
            sa.select(Assignment.round_id, Assignment.judge_id, Assignment.entry_id)
            .where(Assignment.round_id.in_(list(round_keys)))
        )
        if j in judge_keys and e in entry_keys
    ] if round_keys else []

    decisions = active_decisions(session, contest)
    tier_keys = {t.id: t.key for t in tiers}
    special_keys = {s.id: s.key for s in special_types}
    tier_decisions, order_decisions, advance_decisions, specials = [], [], [], []
    decision_of: dict[int, Any] = {}
    try:
        for decision in decisions:
            keys = tuple(entry_keys[de.entry_id] for de in decision.entries if de.entry_id in entry_keys)
            if decision.kind == "tier":
                assert decision.tier_id is not None  # check tier_has_tier: a tier decision names its tier
                tier_decisions.append(scoring.TierDecision(tier_keys[decision.tier_id], keys, decision.reason))
                decision_of[decision.id] = tier_decisions[-1]
            elif decision.kind == "order":
                scope = round_keys.get(decision.round_id, "final") if decision.round_id else "final"
                order_decisions.append(scoring.OrderDecision(keys, decision.reason, scope))
                decision_of[decision.id] = order_decisions[-1]
            elif decision.kind == "advance":
                assert decision.round_id is not None  # check advance_has_round
                advance_decisions.append(scoring.AdvanceDecision(round_keys[decision.round_id], keys,
                                                                 decision.reason))
                decision_of[decision.id] = advance_decisions[-1]
            elif decision.kind == "special":
                assert decision.special_award_id is not None  # check special_has_award
                for key in keys:
                    specials.append(scoring.SpecialAward(special_keys[decision.special_award_id], key,
                                                         decision.reason))
    except scoring.ScoringError as exc:
        raise DomainError(N_("기록된 결정을 읽을 수 없습니다: {reason}"), reason=exc.text) from None

    return ContestInputs(
        spec, scores, conflicts, assignments, tuple(tier_decisions), tuple(order_decisions),
        tuple(advance_decisions), tuple(specials), entrants, judge_names, judge_ids, rounds, tiers,
        special_types, tuple(decisions), (), audience_rounds, ballots, turnouts, decision_of,
    )


def active_decisions(session: orm.Session, contest: Contest) -> list[Decision]:
    """The contest's recorded decisions that are not withdrawn, oldest first (entries loaded)."""
    return list(session.scalars(
        sa.select(Decision)
        .where(Decision.contest_id == contest.id, Decision.withdrawn_at.is_(None))
        .order_by(Decision.decided_at, Decision.id)
        .options(orm.selectinload(Decision.entries))
    ))


def entry_names(inputs: ContestInputs, keys: Iterable[str]) -> str:
    """Entries as a reason names them: "김민지(alpha), beta" (the key alone when it is not an entry)."""
    return ", ".join(f"{inputs.entrants[k].name}({k})" if k in inputs.entrants else k for k in keys)


__all__ = [
    "RANKED_STATUSES",
    "ContestInputs",
    "EntrantInfo",
    "active_decisions",
    "contest_spec",
    "entry_names",
    "load_inputs",
]
