"""``compute_contest``: scores in, ranked and tiered results with explanations out.

Ranking needs every entry's aggregate and, for tied entries only, the tie-break values; everything
else a result can show (each entry's round detail, per-criterion aggregates, judge analytics) is
worked out the first time someone reads it, from the same inputs, so a national contest is ranked
without building 3,500 explanations nobody looks at. Reading a result never changes it: the detail
computed later is exactly what an eager computation would have given.

The result types live in ``result``, the score inputs in ``inputs``, a sheet's total in ``sheet``.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

from .aggregate import (
    INCOMPLETE,
    RECUSED,
    Aggregate,
    Dropped,
    Status,
    _aggregate,
    aggregate_matrix,
    aggregate_value,
    fast_value,
)
from .analytics import RoundAnalytics, analyse_round
from .audience import AudienceBallot, AudienceResult, explain_audience, tally_audience
from .errors import AwardConflictError, DecisionError, ScoreInputError
from .explain import Explanation, RoundExplanation
from .inputs import Sheets, read_scores
from .inputs import given_sheets as check_given_sheets
from .model import (
    PENDING,
    AdvanceDecision,
    Aggregation,
    Assignment,
    Conflict,
    ContestSpec,
    FinalMode,
    OrderDecision,
    RoundSheets,
    RoundSpec,
    ScoreRow,
    SpecialAward,
    TieBreakKind,
    TieBreakStep,
    TierDecision,
)
from .rank import Placing, rank_entries
from .result import (
    _INSUFFICIENT,
    _NO_SCORES,
    _OK,
    ADVANCED,
    NOT_ADVANCED,
    TIED_AT_CUT,
    ContestResult,
    CriterionResult,
    EntryRoundResult,
    FinalEntry,
    MissingScore,
    RoundResult,
)
from .rounding import CONTEXT, display, fraction_to_decimal, plain, rank_key
from .sheet import sheet_total
from .tiers import UnresolvedTie, allocate_tiers

__all__ = [
    "ADVANCED",
    "NOT_ADVANCED",
    "TIED_AT_CUT",
    "ContestResult",
    "CriterionResult",
    "EntryRoundResult",
    "FinalEntry",
    "MissingScore",
    "RoundResult",
    "compute_contest",
    "sheet_total",
]

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)

# ---------------------------------------------------------------------------------------------
# One round


class _RoundWork:
    """One round: the counted totals and the aggregates ranking needs, worked out at once; each entry's
    untrimmed mean, per-criterion aggregates, top count and full explanation on demand (memoised)."""

    def __init__(
        self,
        spec: ContestSpec,
        rnd: RoundSpec,
        entries: tuple[str, ...],
        sheets: Sheets,
        conflicts: set[tuple[str, str]],
        assigned: dict[str, set[str]] | None,
    ) -> None:
        self.spec = rnd
        self.entries = entries
        self.sheets = sheets
        criteria = rnd.criteria
        n_criteria = len(criteria)
        entry_set = set(entries)
        self.entry_set = entry_set
        totals: dict[str, dict[str, Decimal]] = {e: {} for e in entries}
        counted_sheets: dict[str, list[tuple[str, str]]] = {e: [] for e in entries}
        recused: dict[str, list[str]] = {}
        ignored: list[tuple[str, str]] = []
        for key, (total, scored) in sheets.totals.items():
            judge, entry = key
            row = totals.get(entry)
            if row is None:
                ignored.append(key)
            elif conflicts and key in conflicts:
                # a conflicted judge who scored anyway: ignored, and said so
                recused.setdefault(entry, []).append(judge)
            elif scored == n_criteria:
                row[judge] = total  # type: ignore[assignment]
                counted_sheets[entry].append(key)
        self.totals = totals
        self.ignored = tuple(sorted(ignored))

        panel = rnd.judges if rnd.judges is not None else spec.judges
        self.panel = panel
        panel_set = frozenset(panel)
        missing: dict[str, list[MissingScore]] = {}
        incomplete: dict[str, list[str]] = {}
        for entry in entries:
            counted = totals[entry]
            if assigned is None:
                if counted.keys() >= panel_set:
                    continue  # every judge of the panel counts: nothing missing
                expected: Iterable[str] = panel
            else:
                expected = assigned.get(entry, ())
            for judge in expected:
                if judge in counted:
                    continue
                if (judge, entry) in conflicts:
                    if judge not in recused.get(entry, ()):
                        recused.setdefault(entry, []).append(judge)
                    continue
                sheet = sheets.scores(judge, entry)
                missing.setdefault(entry, []).extend(
                    MissingScore(judge, entry, c.key) for c in criteria if c.key not in sheet
                )
                if sheet:
                    incomplete.setdefault(entry, []).append(judge)
        self.recused = recused
        self.incomplete = incomplete
        self.missing = missing

        method = rnd.aggregation
        self._aggregates: dict[str, Aggregate] = {}
        if method is Aggregation.ZSCORE_MEAN:
            self._aggregates = aggregate_matrix(method, totals, rnd.trim, rnd.max_total)
            self.values = {e: agg.exact for e, agg in self._aggregates.items()}
        else:
            trim = rnd.trim
            self.values = {e: aggregate_value(method, row, trim) for e, row in totals.items()}
        self._untrimmed: dict[str, Decimal | None] = {}
        self._criteria: dict[str, dict[str, Decimal | None]] = {}
        if method is Aggregation.MEDIAN or (method is Aggregation.TRIMMED_MEAN and rnd.trim > 1):
            # fast_value picks among equal scores by position: give it the sheets in judge-key order
            for keys in counted_sheets.values():
                keys.sort()
        self._sheet_keys = counted_sheets
        self._best: dict[str, Decimal] | None = None

    def __contains__(self, entry: str) -> bool:
        return entry in self.entry_set

    def status(self, entry: str) -> str:
        if self.values[entry] is not None:
            return _OK
        return _NO_SCORES if not self.totals[entry] else _INSUFFICIENT

    def aggregate(self, entry: str) -> Aggregate:
        """The entry's aggregate with what was dropped and why (and the exact ratio)."""
        found = self._aggregates.get(entry)
        if found is None:
            rnd = self.spec
            found = self._aggregates[entry] = _aggregate(rnd.aggregation, self.totals[entry], rnd.trim, True)
        return found

    def ratio(self, entry: str) -> Fraction | None:
        """The aggregate as an exact fraction (None for the z-score mean), to combine rounds."""
        return self.aggregate(entry).ratio

    def untrimmed(self, entry: str) -> Decimal | None:
        """The plain mean of the entry's counted totals (the ``untrimmed_mean`` step)."""
        try:
            return self._untrimmed[entry]
        except KeyError:
            found = self._untrimmed[entry] = aggregate_value(Aggregation.MEAN, self.totals[entry], 0)
            return found

    def untrimmed_ratio(self, entry: str) -> Fraction | None:
        return _aggregate(Aggregation.MEAN, self.totals[entry], 0, True).ratio

    def top_count(self, entry: str) -> int | None:
        """How many judges gave the entry their highest total of the round; None for an entry that is
        not in the round."""
        if entry not in self.entry_set:
            return None
        if self._best is None:
            best: dict[str, Decimal] = {}
            for row in self.totals.values():
                for judge, total in row.items():
                    if judge not in best or total > best[judge]:
                        best[judge] = total
            self._best = best
        best = self._best
        return sum(1 for judge, total in self.totals[entry].items() if total == best[judge])

    def _by_entry(self, key: str) -> dict[str, Decimal | None]:
        by_entry = self._criteria.get(key)
        if by_entry is None:
            by_entry = self._criteria[key] = {}
            rnd = self.spec
            if rnd.aggregation is Aggregation.ZSCORE_MEAN:
                # standardised over the whole round, so all entries at once
                column = self.sheets.column(key)
                matrix = {e: {j: column[(j, e)] for j in row} for e, row in self.totals.items()}
                found = aggregate_matrix(rnd.aggregation, matrix, rnd.trim, rnd.criterion(key).max_points)
                by_entry.update((e, agg.exact) for e, agg in found.items())
        return by_entry

    def criterion(self, key: str, entry: str) -> Decimal | None:
        """The entry's aggregate on one criterion under the round's method, over the judges whose
        totals count (None when it cannot be computed). Reads only this entry's sheets, unless the
        criterion was read for every sheet already (``criteria``)."""
        by_entry = self._by_entry(key)
        if entry not in by_entry:
            column = self.sheets.loaded(key)
            keys = self._sheet_keys[entry]
            if column is not None:
                values = list(map(column.__getitem__, keys))
            else:
                values = [self.sheets.scores(*sheet)[key] for sheet in keys]
            by_entry[entry] = fast_value(self.spec.aggregation, values, self.spec.trim)
        return by_entry[entry]

    def criteria(self, key: str, entries: Iterable[str]) -> dict[str, Decimal | None]:
        """``criterion`` for many entries (a tie-break step, a whole round): reads the criterion of
        every sheet at once."""
        by_entry = self._by_entry(key)
        todo = [e for e in entries if e not in by_entry]
        if todo:
            column = self.sheets.column(key)
            method, trim, sheets_of = self.spec.aggregation, self.spec.trim, self._sheet_keys
            for e in todo:
                by_entry[e] = fast_value(method, list(map(column.__getitem__, sheets_of[e])), trim)
        return by_entry

    def missing_of(self, entry: str) -> tuple[MissingScore, ...]:
        return tuple(sorted(self.missing.get(entry, ()), key=lambda m: (m.judge, m.criterion)))

    def entry_result(self, entry: str, placing: Placing, advancement: str | None) -> EntryRoundResult:
        with localcontext(CONTEXT):
            agg = self.aggregate(entry)
            recused = tuple(sorted(self.recused.get(entry, ())))
            dropped = agg.dropped
            dropped += tuple(Dropped(j, RECUSED) for j in recused)
            dropped += tuple(Dropped(j, INCOMPLETE) for j in sorted(self.incomplete.get(entry, ())))
            missing = self.missing_of(entry)
            n = agg.n
            lacking = _NO_SCORES if n == 0 else _INSUFFICIENT

            def criteria() -> tuple[CriterionResult, ...]:
                with localcontext(CONTEXT):
                    return tuple(
                        CriterionResult(c.key, n, lacking if value is None else _OK, value, c.weight, c.max_points)
                        for c in self.spec.criteria
                        for value in (self.criterion(c.key, entry),)
                    )

            return EntryRoundResult(
                entry,
                str(agg.status),
                n,
                agg.exact,
                agg.message,
                tuple(sorted(self.totals[entry].items())),
                dropped,
                recused,
                not missing,
                missing,
                self.untrimmed(entry),
                self.top_count(entry) or 0,
                placing.rank,
                placing.tie_breaks,
                advancement,
                criteria,
            )


class _RoundDetail:
    """Builds a round's per-entry results and analytics when they are first read."""

    __slots__ = ("_advancement", "_built", "_placings", "_spread_alert", "_work")

    def __init__(
        self, work: _RoundWork, placings: Sequence[Placing], advancement: Mapping[str, str], spread_alert: Decimal
    ) -> None:
        self._work = work
        self._placings = {p.entry: p for p in placings}
        self._advancement = advancement
        self._spread_alert = spread_alert
        self._built: dict[str, EntryRoundResult] = {}

    def entry(self, key: str) -> EntryRoundResult:
        found = self._built.get(key)
        if found is None:
            placing = self._placings[key]  # KeyError for an entry not in the round, as before
            found = self._built[key] = self._work.entry_result(key, placing, self._advancement.get(key))
        return found

    def entries(self) -> tuple[EntryRoundResult, ...]:
        work = self._work
        with localcontext(CONTEXT):
            for crit in work.spec.criteria:  # every entry: read each criterion of every sheet at once
                work.criteria(crit.key, self._placings)
        return tuple(self.entry(key) for key in self._placings)

    def analytics(self) -> RoundAnalytics:
        return analyse_round(self._work.totals, self._work.panel, self._spread_alert)


# ---------------------------------------------------------------------------------------------
# The contest


def _decision_values(
    decisions: Sequence[OrderDecision], scope: str, group: Sequence[str], used: set[OrderDecision]
) -> tuple[dict[str, int | None], str | None]:
    wanted = set(group)
    candidates = [d for d in decisions if d.scope == scope and wanted <= set(d.entries)]
    if not candidates:
        return {}, None
    orders = {tuple(e for e in d.entries if e in wanted) for d in candidates}
    if len(orders) > 1:
        raise DecisionError(
            f"동점 팀({', '.join(sorted(group))})의 순위 결정이 서로 다르게 기록되어 있습니다"
        )
    chosen = min(candidates, key=lambda d: (d.reason, d.entries))
    used.update(candidates)
    order = next(iter(orders))
    return {e: -(i + 1) for i, e in enumerate(order)}, chosen.reason


def compute_contest(
    spec: ContestSpec,
    scores: Iterable[ScoreRow | tuple[str, str, str, str, object]] = (),
    conflicts: Iterable[Conflict | tuple[str, str]] = (),
    assignments: Iterable[Assignment | tuple[str, str, str]] = (),
    tier_decisions: Sequence[TierDecision] = (),
    order_decisions: Sequence[OrderDecision] = (),
    special_awards: Sequence[SpecialAward] = (),
    advance_decisions: Sequence[AdvanceDecision] = (),
    *,
    sheets: Sequence[RoundSheets] = (),
    audience: Iterable[AudienceBallot] = (),
) -> ContestResult:
    """Score, rank and tier a whole contest.

    ``audience`` holds the cast ballots of the audience rounds (``spec.audience``), tallied by
    ``audience.tally_audience`` and combined into the weighted final like any round.

    ``scores`` are ``ScoreRow``s or 5-tuples ``(round, judge, entry, criterion, value)``; values must be
    on the criterion's scale. A round may come instead as ``sheets`` already added up (``RoundSheets``,
    for large contests; their scores are not checked again); the result is the same. Raises
    ``ScoreInputError`` (unknown key, duplicate, off-scale value, a round given both ways),
    ``DecisionError`` (contradicting decisions) and ``AwardConflictError`` (a special award to an entry
    that holds a tier or a second special award). The result never depends on the order of any input.
    """
    # The core allocates many small acyclic containers; pausing the cyclic collector for the call
    # saves about a quarter of the time on a national-scale contest and frees nothing we need.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with localcontext(CONTEXT):
            return _compute(
                spec,
                scores,
                sheets,
                conflicts,
                assignments,
                tuple(tier_decisions),
                tuple(order_decisions),
                tuple(special_awards),
                tuple(advance_decisions),
                tuple(audience),
            )
    finally:
        if was_enabled:
            gc.enable()


def _compute(
    spec: ContestSpec,
    scores: Iterable[ScoreRow | tuple[str, str, str, str, object]],
    given_sheets: Sequence[RoundSheets],
    conflicts_in: Iterable[Conflict | tuple[str, str]],
    assignments_in: Iterable[Assignment | tuple[str, str, str]],
    tier_decisions: tuple[TierDecision, ...],
    order_decisions: tuple[OrderDecision, ...],
    special_awards: tuple[SpecialAward, ...],
    advance_decisions: tuple[AdvanceDecision, ...],
    ballots: tuple[AudienceBallot, ...] = (),
) -> ContestResult:
    sheets = read_scores(spec, scores)
    if given_sheets:
        added = check_given_sheets(spec, given_sheets)
        for key, round_sheets in added.items():
            if sheets[key].totals:
                raise ScoreInputError(f"점수: 라운드 {key}의 점수가 점수 행과 채점표로 두 번 주어졌습니다")
            sheets[key] = round_sheets
    conflicts = {(c.judge, c.entry) if isinstance(c, Conflict) else tuple(c) for c in conflicts_in}
    assigned: dict[str, dict[str, set[str]]] = {}
    for a in assignments_in:
        rnd, judge, entry = (a.round, a.judge, a.entry) if isinstance(a, Assignment) else a
        assigned.setdefault(rnd, {}).setdefault(entry, set()).add(judge)

    basis = rank_key(spec.rank_precision)
    used_orders: set[OrderDecision] = set()
    used_advances: set[AdvanceDecision] = set()
    work: dict[str, _RoundWork] = {}
    results: list[RoundResult] = []
    unresolved: list[UnresolvedTie] = []

    def step_values_for(scope: str, scope_round: _RoundWork | None, untrimmed: Callable[[str], Decimal | None]):
        def values(step: TieBreakStep, group: Sequence[str]):
            if step.kind is TieBreakKind.ROUND:
                other = work.get(step.key or "")
                if other is None:
                    return {}, None
                return {e: other.values[e] for e in group if e in other}, None
            if step.kind is TieBreakKind.CRITERION:
                prefer = scope_round.spec.key if scope_round is not None else spec.rounds[-1].key
                rnd = spec.criterion_round(step.key or "", prefer=prefer)
                other = work.get(rnd.key) if rnd is not None else None
                if other is None:
                    return {}, None
                found = other.criteria(step.key or "", [e for e in group if e in other])
                return {e: found[e] for e in group if e in other}, None
            if step.kind is TieBreakKind.UNTRIMMED_MEAN:
                return {e: untrimmed(e) for e in group}, None
            if step.kind is TieBreakKind.TOP_COUNT:
                target = scope_round if scope_round is not None else work[spec.rounds[-1].key]
                return {e: target.top_count(e) for e in group}, None
            return _decision_values(order_decisions, scope, group, used_orders)

        return values

    previous: tuple[str, ...] | None = None
    for rnd in spec.rounds:
        if rnd.entries is not None:
            entries = rnd.entries
        elif previous is not None:
            entries = previous
        else:
            entries = spec.entries
        state = _RoundWork(spec, rnd, entries, sheets[rnd.key], conflicts, assigned.get(rnd.key))
        work[rnd.key] = state

        def round_untrimmed(entry: str, state: _RoundWork = state) -> Decimal | None:
            return state.untrimmed(entry) if entry in state else None

        placings = rank_entries(
            state.values, spec.tie_break, step_values_for(rnd.key, state, round_untrimmed), basis=basis
        )
        advancement: dict[str, str] = {}
        advanced: list[str] = []
        cut_ties: list[UnresolvedTie] = []
        if rnd.advance is not None:
            _advance(rnd, placings, advance_decisions, advancement, advanced, cut_ties, used_advances)
            previous = tuple(sorted(advanced))
        else:
            previous = tuple(entries)
        unresolved.extend(cut_ties)
        panel = rnd.judges if rnd.judges is not None else spec.judges
        results.append(
            RoundResult(
                rnd.key,
                rnd.title,
                rnd.method_label,
                rnd.max_total,
                rnd.weight,
                tuple(sorted(panel)),
                rnd.advance,
                tuple(sorted(advanced)) if rnd.advance is not None else (),
                tuple(cut_ties),
                tuple(m for p in placings for m in state.missing_of(p.entry)),
                state.ignored,
                _RoundDetail(state, placings, advancement, spec.spread_alert),
            )
        )

    final_round = spec.rounds[-1]
    last = work[final_round.key]
    known_rounds = {a.key for a in spec.audience}
    stray = sorted({b.round for b in ballots} - known_rounds)
    if stray:
        raise ScoreInputError(f"투표: 없는 현장평가단 라운드입니다 ({', '.join(stray)})")
    audience = tuple(tally_audience(a, last.entries, ballots) for a in spec.audience)
    final, method, final_max = _final_values(spec, work, last.entries, audience)
    placings = rank_entries(
        {e: value for e, (value, _status, _message) in final.items()},
        spec.tie_break,
        step_values_for("final", None, final.untrimmed),
        basis=basis,
    )
    tiering = allocate_tiers(placings, spec.tiers, tier_decisions, basis=basis)
    unresolved.extend(tiering.unresolved)
    tier_of = {p.entry: p for p in tiering.placements}

    specials = _check_specials(spec, special_awards, tier_of)
    round_results = {r.key: r for r in results}
    final_entries = []
    for placing in placings:
        entry = placing.entry
        last_entry = round_results[final_round.key].entry(entry)
        tier = tier_of[entry]
        value, status, message = final[entry]
        explanation = Explanation(
            entry,
            tuple(
                _round_explanation(spec, round_results[r.key].entry(entry), r)
                for r in spec.rounds
                if entry in work[r.key]
            ),
            method,
            value,
            display(value),
            placing.rank,
            placing.tie_breaks,
            tier.tier,
            tier.rule,
            specials.get(entry),
            tuple(explain_audience(a, entry, True) for a in audience if entry in a),
        )
        final_entries.append(
            FinalEntry(
                entry,
                placing.rank,
                tier.tier,
                status,
                value,
                display(value),
                message,
                last_entry.n,
                tuple(d.judge for d in last_entry.dropped if d.total is not None),
                placing.tie_breaks,
                tier.rule,
                explanation,
            )
        )

    unused: list[TierDecision | OrderDecision | AdvanceDecision] = [
        d for d in tier_decisions if d not in tiering.used_decisions
    ]
    unused += [d for d in order_decisions if d not in used_orders]
    unused += [d for d in advance_decisions if d not in used_advances]
    unresolved.sort(key=lambda t: (t.kind != "cut", t.rank, t.boundary, t.entries))
    return ContestResult(
        str(spec.final),
        method,
        final_max,
        tuple(results),
        tuple(final_entries),
        tuple(unresolved),
        tuple(sorted(special_awards, key=lambda s: (s.award, s.entry))),
        tuple(sorted(unused, key=lambda d: (type(d).__name__, repr(d)))),
        audience,
    )


def _advance(
    rnd: RoundSpec,
    placings: Sequence[Placing],
    decisions: Sequence[AdvanceDecision],
    advancement: dict[str, str],
    advanced: list[str],
    cut_ties: list[UnresolvedTie],
    used: set[AdvanceDecision],
) -> None:
    places = rnd.advance or 0
    groups: dict[int, list[str]] = {}
    for placing in placings:
        if placing.rank is None:
            advancement[placing.entry] = NOT_ADVANCED
        else:
            groups.setdefault(placing.rank, []).append(placing.entry)
    for rank, group in sorted(groups.items()):
        if rank - 1 + len(group) <= places:
            for entry in group:
                advancement[entry] = ADVANCED
            advanced.extend(group)
        elif rank - 1 < places:
            matching = [
                d for d in decisions if d.round == rnd.key and set(d.entries) <= set(group) and d.entries
            ]
            if len({frozenset(d.entries) for d in matching}) > 1:
                raise DecisionError(f"{rnd.title} 진출 경계 동점에 서로 다른 결정이 기록되어 있습니다")
            if matching:
                used.update(matching)
                chosen = set(matching[0].entries)
                for entry in group:
                    advancement[entry] = ADVANCED if entry in chosen else NOT_ADVANCED
                advanced.extend(e for e in group if e in chosen)
            else:
                for entry in group:
                    advancement[entry] = TIED_AT_CUT
                cut_ties.append(
                    UnresolvedTie("cut", rnd.key, tuple(sorted(group)), places - (rank - 1), rank)
                )
        else:
            for entry in group:
                advancement[entry] = NOT_ADVANCED


class _FinalValues(dict):
    """``entry -> (value, status, message)`` of the final ranking, with the untrimmed figure on demand."""

    def __init__(self, values: dict[str, tuple[Decimal | None, str, str | None]],
                 untrimmed: Callable[[str], Decimal | None]) -> None:
        super().__init__(values)
        self._untrimmed = untrimmed
        self._untrimmed_seen: dict[str, Decimal | None] = {}

    def untrimmed(self, entry: str) -> Decimal | None:
        if entry not in self._untrimmed_seen:
            self._untrimmed_seen[entry] = self._untrimmed(entry) if entry in self else None
        return self._untrimmed_seen[entry]


def _final_values(
    spec: ContestSpec, work: dict[str, _RoundWork], entries: tuple[str, ...],
    audience: tuple[AudienceResult, ...] = (),
) -> tuple[_FinalValues, str, Decimal]:
    last = work[spec.rounds[-1].key]
    if spec.final is FinalMode.LAST:
        values = {}
        for e in entries:
            status = last.status(e)
            values[e] = (last.values[e], status, None if status == _OK else last.aggregate(e).message)
        return _FinalValues(values, last.untrimmed), last.spec.method_label, last.spec.max_total

    total_weight = sum((r.weight for r in spec.rounds), _ZERO) + sum((a.weight for a in spec.audience), _ZERO)
    parts = " + ".join(f"{r.title} {plain(r.weight)}" for r in (*spec.rounds, *spec.audience))
    method = f"weighted {parts} (각 라운드 100점 환산)"
    values = {}

    def audience_parts(e: str) -> list:
        # an audience round has no trimming: its untrimmed figure is its figure
        return [(a, a.entry(e).exact, a.entry(e).ratio) for a in audience]
    for e in entries:
        lacking = [r.title for r in spec.rounds if e not in work[r.key] or work[r.key].values[e] is None]
        lacking += [a.title for a in audience if e not in a or a.entry(e).exact is None]
        if lacking:
            values[e] = (None, str(Status.INSUFFICIENT), f"{', '.join(lacking)} 점수가 없어 합산할 수 없습니다")
            continue
        combined = _combine(
            [(r, work[r.key].values[e], work[r.key].ratio(e)) for r in spec.rounds] + audience_parts(e),
            total_weight,
        )
        values[e] = (combined, _OK, None)

    def untrimmed(e: str) -> Decimal | None:
        if values[e][0] is None:
            return None
        return _combine(
            [(r, work[r.key].untrimmed(e), work[r.key].untrimmed_ratio(e)) for r in spec.rounds]
            + audience_parts(e),
            total_weight,
        )

    return _FinalValues(values, untrimmed), method, _HUNDRED


def _combine(
    parts: list[tuple[RoundSpec, Decimal | None, Fraction | None]], total_weight: Decimal
) -> Decimal:
    """Σ weight × (aggregate / max × 100) / Σ weight, exactly when every aggregate is rational."""
    with localcontext(CONTEXT):
        if all(ratio is not None for _r, _v, ratio in parts):
            exact = sum(
                (Fraction(r.weight) * ratio * 100 / Fraction(r.max_total) for r, _v, ratio in parts),  # type: ignore[operator]
                Fraction(0),
            )
            return fraction_to_decimal(exact / Fraction(total_weight))
        return sum((r.weight * value * _HUNDRED / r.max_total for r, value, _ in parts), _ZERO) / total_weight  # type: ignore[operator]


def _check_specials(spec: ContestSpec, awards: Sequence[SpecialAward], tiers: Mapping) -> dict[str, str]:
    known = set(spec.entries)
    given: dict[str, str] = {}
    for award in sorted(awards, key=lambda a: (a.entry, a.award)):
        if award.entry not in known:
            raise AwardConflictError(f"특별상 {award.award}: 없는 참가팀입니다 ({award.entry})")
        if award.entry in given:
            raise AwardConflictError(f"{award.entry}: 한 참가팀은 특별상을 하나만 받을 수 있습니다")
        placement = tiers.get(award.entry)
        if placement is not None and placement.tier is not None and not spec.special_with_tier:
            held = "결정 대기 중인 등급" if placement.tier == PENDING else f"등급 {placement.tier}"
            raise AwardConflictError(
                f"{award.entry}: 이미 {held}이 있어 특별상을 함께 줄 수 없습니다 (한 성과에는 하나의 상)"
            )
        given[award.entry] = award.award
    return given


def _round_explanation(spec: ContestSpec, item: EntryRoundResult, rnd: RoundSpec) -> RoundExplanation:
    trimmed = sum(1 for d in item.dropped if d.total is not None)
    weighted = spec.final is FinalMode.WEIGHTED
    return RoundExplanation(
        rnd.key,
        rnd.title,
        rnd.method_label,
        item.n,
        item.n - trimmed,
        item.totals,
        item.dropped,
        item.status,
        item.exact,
        item.display,
        item.message,
        item.complete,
        rnd.weight if weighted else None,
        rnd.max_total,
    )
