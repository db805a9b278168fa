"""Results from the database: the core's inputs, the computed result and the display-ready tally.

The service maps the database to the pure scoring core (``judging.scoring``), which ranks. Results
live in four rooms (see ``docs/results.md``):

* here — ``contest_spec`` / ``compute`` / ``compute_with_inputs`` (inputs and the result, recomputed
  from the database), ``tally(session, contest, round_key=None) -> Tally`` (display-ready rows),
  the method and tie-break texts;
* ``decisions`` — ``record_tier_decision``, ``record_order_decision``, ``record_advance_decision``,
  ``designate_special``, ``withdraw_decision``;
* ``publishing`` — ``publish(session, contest, actor, note="") -> ResultSnapshot``, the blockers and
  the payload (``build_payload``);
* ``snapshots`` — ``snapshots``, ``snapshot``, ``snapshot_diff(old, new)``, ``payload_digest``;
  ``published`` — ``latest_snapshot`` and reading a payload.

Each room is imported from where it lives (``publishing.publish``, ``decisions.designate_special``, …):
they import this module, never the other way round. Services flush, never commit. Every refusal is a
``DomainError`` with a Korean message.
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
from judging.messages import N_, Message, Text, joined
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
from judging.scoring.rounding import display, plain
from judging.services import audience as audience_service
from judging.services import snapshots as _snapshots  # noqa: F401  (its listener: snapshots are never updated)
from judging.services.errors import DomainError, NotFound

SCHEMA_VERSION = 1
#: Entry statuses ranked by a first round that lists no entries of its own.
RANKED_STATUSES = ("submitted", "accepted")
#: Contest statuses in which missing scores no longer block publishing (the organizer locked scoring).
LOCKED_STATUSES = ("locked", "published")


# ---------------------------------------------------------------------------------------------
# Reading the database


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


def contest_spec(session: orm.Session, contest: Contest) -> ContestInputs:
    """Map the database to the scoring core's inputs: the ``ContestSpec``, score rows, conflicts,
    assignments, the recorded (not withdrawn) decisions and special awards.

    Raises ``DomainError`` when the stored configuration cannot be scored (e.g. a round's method
    is inconsistent), with the core's reason.
    """
    return _load(session, contest)


def _inputs(session: orm.Session, contest: Contest, *, display: bool = True) -> ContestInputs:
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


def _run(inputs: ContestInputs, **override: Any) -> scoring.ContestResult:
    args: dict[str, Any] = {
        "tier_decisions": inputs.tier_decisions,
        "order_decisions": inputs.order_decisions,
        "special_awards": inputs.special_awards,
        "advance_decisions": inputs.advance_decisions,
    }
    args.update(override)
    try:
        return scoring.compute_contest(inputs.spec, inputs.scores, inputs.conflicts, inputs.assignments,
                                       audience=inputs.ballots, **args)
    except scoring.AwardConflictError as exc:
        raise DomainError(N_("특별상 지정이 현재 결과와 맞지 않습니다: {reason}. 특별상 지정을 철회한 뒤 다시 지정하세요."),
                          reason=exc.text) from None
    except scoring.DecisionError as exc:
        raise DomainError(N_("기록된 결정이 서로 맞지 않습니다: {reason}. 결정 하나를 철회하세요."), reason=exc.text) from None
    except scoring.ScoringError as exc:
        raise DomainError(N_("점수로 결과를 계산할 수 없습니다: {reason}"), reason=exc.text) from None


def compute(session: orm.Session, contest: Contest) -> scoring.ContestResult:
    """The contest's current result, recomputed from the database (nothing cached).

    Raises ``DomainError`` with the reason when the stored scores or decisions cannot be scored
    (an off-scale stored value, contradicting decisions, a special award to an entry that now holds
    a tier).
    """
    return _run(_inputs(session, contest, display=False))


def compute_with_inputs(session: orm.Session, contest: Contest) -> tuple[ContestInputs, scoring.ContestResult]:
    """``compute`` that also returns the inputs (names, districts, titles) for display."""
    inputs = _inputs(session, contest)
    return inputs, _run(inputs)


# ---------------------------------------------------------------------------------------------
# Texts: method, tie-break steps


#: How a round combines its judges' totals, one sentence per method ({advance}: ", 상위 N팀 진출" or "").
_METHOD_SENTENCES = {
    scoring.Aggregation.TRIMMED_MEAN: N_("{round}: 심사위원별 총점(배점 {max}점)의 최고점 {trim}개와 최저점 {trim}개를 "
                                         "제외한 평균{advance}"),
    scoring.Aggregation.MEDIAN: N_("{round}: 심사위원별 총점(배점 {max}점)의 중앙값{advance}"),
    scoring.Aggregation.ZSCORE_MEAN: N_("{round}: 심사위원별 총점(배점 {max}점)의 심사위원별 표준점수(z) 평균을 "
                                        "라운드 배점으로 환산한 값{advance}"),
}


def method_lines(inputs: ContestInputs) -> list[Message]:
    """How the scores were combined, one sentence per round plus the final rule (messages; the
    snapshot stores them rendered in Korean)."""
    lines = []
    for rnd in inputs.spec.rounds:
        sentence = _METHOD_SENTENCES.get(rnd.aggregation, N_("{round}: 심사위원별 총점(배점 {max}점)의 평균{advance}"))
        advance = "" if rnd.advance is None else Message(N_(", 상위 {n}팀 진출"), {"n": rnd.advance})
        lines.append(Message(sentence, {"round": rnd.title, "max": plain(rnd.max_total), "trim": rnd.trim,
                                        "advance": advance}))
    if inputs.spec.final is scoring.FinalMode.WEIGHTED:
        parts = " + ".join(f"{r.title} {plain(r.weight)}" for r in inputs.spec.rounds)
        lines.append(Message(N_("최종 점수: 라운드별 점수를 100점으로 환산해 가중 합산 ({parts})"), {"parts": parts}))
    else:
        lines.append(Message(N_("최종 점수: {round} 점수"), {"round": inputs.spec.rounds[-1].title}))
    rule = scoring.rounding.rank_rule_text(inputs.spec.rank_precision)
    lines.append(rule.message if isinstance(rule, Text) else Message(rule))
    lines.append(Message(N_("심사위원 수가 다른 참가팀은 합계가 아닌 평균으로 비교합니다")))
    return lines


def rank_precision(contest: Contest) -> int | None:
    """The contest's announced ranking precision (decimals compared; None: exact)."""
    return scoring.rounding.parse_rank_precision(contest.rank_precision or scoring.rounding.DEFAULT_RANK_PRECISION)


_STEP_NAMES = {
    "untrimmed_mean": N_("최고·최저점을 제외하지 않은 평균"),
    "top_count": N_("최고점을 준 심사위원 수"),
    "decision": N_("심사위원회 결정(회의록)"),
}


def step_text(inputs: ContestInputs, label: str) -> Message:
    """A cascade step's name: "criterion:need" -> "'사업의 필요성' 점수"."""
    kind, _sep, key = label.partition(":")
    if kind == "round":
        rnd = next((r for r in inputs.spec.rounds if r.key == key), None)
        return Message(N_("{round} 점수"), {"round": rnd.title if rnd else key})
    if kind == "criterion":
        rnd = inputs.spec.criterion_round(key)
        return Message(N_("'{criterion}' 점수"), {"criterion": rnd.criterion(key).title if rnd is not None else key})
    return Message(_STEP_NAMES.get(kind, label))


def _deciding(applied: Sequence[scoring.TieBreakApplied]) -> scoring.TieBreakApplied | None:
    decided = [a for a in applied if a.outcome == "decided"]
    return decided[-1] if decided else None


def deciding_step_text(inputs: ContestInputs, applied: Sequence[scoring.TieBreakApplied]) -> Message | None:
    """The cascade step that finally separated this entry from its tie, with the compared values;
    None when the entry was never tied (or is still tied)."""
    step = _deciding(applied)
    if step is None:
        return None
    if step.step == "decision":
        name = step_text(inputs, step.step)
        return Message(N_("{step} (사유: {note})"), {"step": name, "note": step.note}) if step.note else name
    values = joined((Message(N_("{entry} 없음"), {"entry": entry}) if v is None
                     else f"{entry} {display(v) if isinstance(v, Decimal) else v}" for entry, v in step.values), ", ")
    return Message(N_("{step} ({values})"), {"step": step_text(inputs, step.step), "values": values})


# ---------------------------------------------------------------------------------------------
# Tally: display-ready rows for the CLI and the organizer's page


@dataclass(frozen=True)
class TallyRow:
    """One entry as shown: ``score`` 2-decimal text or None; ``tier`` key, "pending" or None."""

    entry: str
    name: str
    district: str
    project_title: str
    rank: int | None
    score: str | None
    n: int
    tier: str | None
    tier_title: str | None
    dropped: tuple[str, ...]
    recused: tuple[str, ...]
    tie_break: Message | None  # the tie-break step that placed the entry
    status: str
    message: str | None
    advancement: str | None = None
    special_award: str | None = None


@dataclass(frozen=True)
class Tally:
    """A ranked table of one round (or the final), ready to print or render."""

    contest: str
    round: str
    round_title: str
    is_final: bool
    method: str
    rows: tuple[TallyRow, ...]
    unresolved_ties: tuple[scoring.UnresolvedTie, ...]
    special_awards: tuple[scoring.SpecialAward, ...]
    missing: int
    result: scoring.ContestResult = field(repr=False)
    inputs: ContestInputs = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        """The ``judging tally --format json`` document (docs/results.md)."""
        return {
            "contest": self.contest,
            "round": self.round,
            "method": self.method,
            "entries": [
                {
                    "entry": r.entry,
                    "name": r.name,
                    "score": r.score,
                    "rank": r.rank,
                    "tier": r.tier,
                    "judges": r.n,
                    "dropped": list(r.dropped),
                    "tie_break": None if r.tie_break is None else str(r.tie_break),
                    "recused": list(r.recused),
                    "status": r.status,
                    "advancement": r.advancement,
                }
                for r in self.rows
            ],
            "unresolved_ties": [_tie_json(t) for t in self.unresolved_ties],
            "special_awards": [
                {"entry": s.entry, "award": s.award, "reason": s.reason} for s in self.special_awards
            ],
        }


def _tie_json(tie: scoring.UnresolvedTie) -> dict[str, Any]:
    return {
        "kind": tie.kind,
        "boundary": tie.boundary,
        "next_tier": tie.next_tier,
        "entries": list(tie.entries),
        "places": tie.places,
        "rank": tie.rank,
    }


def tally(session: orm.Session, contest: Contest, round_key: str | None = None) -> Tally:
    """The current result as display-ready rows: the final ranking, or with ``round_key`` that
    round's own ranking (tiers are given only in the final). Raises ``NotFound`` for an unknown
    round and ``DomainError`` when the result cannot be computed."""
    inputs, result = compute_with_inputs(session, contest)
    last = inputs.spec.rounds[-1]
    specials = {s.entry: s.award for s in result.special_awards}
    use_final = round_key is None or (round_key == last.key and inputs.spec.final is scoring.FinalMode.LAST)
    if round_key is not None and all(r.key != round_key for r in inputs.spec.rounds):
        known = ", ".join(r.key for r in inputs.spec.rounds)
        raise NotFound(N_("라운드 '{round}'이(가) 없습니다 (있는 라운드: {known})"), round=round_key, known=known)
    rows = []
    if use_final:
        rnd = result.round(last.key)
        for fe in result.final:
            info = inputs.entrants[fe.entry]
            er = rnd.entry(fe.entry)
            tier = inputs.tier(fe.tier) if fe.tier and fe.tier != scoring.PENDING else None
            rows.append(TallyRow(
                fe.entry, info.name, info.district, info.project_title, fe.rank, fe.display, fe.n, fe.tier,
                tier.title if tier else None, fe.dropped, er.recused, deciding_step_text(inputs, fe.tie_breaks),
                fe.status, fe.message, er.advancement, specials.get(fe.entry),
            ))
        key, title, method = last.key, last.title, result.method
        missing = sum(len(r.missing) for r in result.rounds)
        ties = result.unresolved_ties
    else:
        rnd = result.round(round_key or "")
        for er in rnd.entries:
            info = inputs.entrants[er.entry]
            trimmed = tuple(d.judge for d in er.dropped if d.total is not None)
            rows.append(TallyRow(
                er.entry, info.name, info.district, info.project_title, er.rank, er.display, er.n, None, None,
                trimmed, er.recused, deciding_step_text(inputs, er.tie_breaks), er.status, er.message,
                er.advancement, specials.get(er.entry),
            ))
        key, title, method = rnd.key, rnd.title, rnd.method_label
        missing = len(rnd.missing)
        ties = tuple(t for t in result.unresolved_ties if t.kind == "cut" and t.boundary == rnd.key)
    return Tally(contest.slug, key, title, use_final, method, tuple(rows), tuple(ties), result.special_awards,
                 missing, result, inputs)


def _names(inputs: ContestInputs, keys: Iterable[str]) -> str:
    return ", ".join(f"{inputs.entrants[k].name}({k})" if k in inputs.entrants else k for k in keys)


__all__ = [
    "ContestInputs",
    "EntrantInfo",
    "Tally",
    "TallyRow",
    "active_decisions",
    "compute",
    "compute_with_inputs",
    "contest_spec",
    "deciding_step_text",
    "method_lines",
    "step_text",
    "tally",
]
