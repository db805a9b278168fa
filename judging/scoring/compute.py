"""``compute_contest``: scores in, ranked and tiered results with explanations out."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
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
    fast_value,
)
from .analytics import RoundAnalytics, analyse_round
from .errors import AwardConflictError, DecisionError, ScaleError, ScoreInputError
from .explain import Explanation, RoundExplanation
from .model import (
    PENDING,
    AdvanceDecision,
    Aggregation,
    Assignment,
    Conflict,
    ContestSpec,
    FinalMode,
    OrderDecision,
    RankBasis,
    RoundSpec,
    ScoreRow,
    SpecialAward,
    TieBreakKind,
    TieBreakStep,
    TierDecision,
)
from .rank import Placing, TieBreakApplied, rank_entries
from .rounding import CONTEXT, display, displayed, fraction_to_decimal, plain
from .scales import allowed_set, check_score
from .serialize import JsonMixin
from .tiers import UnresolvedTie, allocate_tiers

ADVANCED = "advanced"
NOT_ADVANCED = "not_advanced"
TIED_AT_CUT = "tied_at_cut"

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_OK, _INSUFFICIENT, _NO_SCORES = str(Status.OK), str(Status.INSUFFICIENT), str(Status.NO_SCORES)


@dataclass(frozen=True)
class MissingScore(JsonMixin):
    """An expected score that is absent (the judge is not conflicted); never counted as zero."""

    judge: str
    entry: str
    criterion: str


@dataclass(frozen=True)
class CriterionResult(JsonMixin):
    """An entry's aggregate on one criterion under the round's method (over the counted judges)."""

    criterion: str
    n: int
    status: str
    exact: Decimal | None

    _json_properties = ("display",)

    @property
    def display(self) -> str | None:
        return display(self.exact)


@dataclass(frozen=True)
class EntryRoundResult(JsonMixin):
    """One entry in one round. ``n`` = judges whose complete total counts; ``dropped`` lists trimmed
    totals and judges left out (conflict, incomplete sheet) with the reason; ``complete`` is False when
    any expected score is missing (listed in ``missing``)."""

    entry: str
    status: str
    n: int
    exact: Decimal | None
    message: str | None
    totals: tuple[tuple[str, Decimal], ...]
    dropped: tuple[Dropped, ...]
    recused: tuple[str, ...]
    complete: bool
    missing: tuple[MissingScore, ...]
    untrimmed_mean: Decimal | None
    top_count: int
    criteria: tuple[CriterionResult, ...]
    rank: int | None
    tie_breaks: tuple[TieBreakApplied, ...]
    advancement: str | None

    _json_properties = ("display",)

    @property
    def display(self) -> str | None:
        """The aggregate as shown: 2 decimals, half-up."""
        return display(self.exact)


@dataclass(frozen=True)
class RoundResult(JsonMixin):
    """A round's results in rank order. For a screening round (``advance`` set), ``advanced`` lists the
    entries that go on and ``cut_ties`` the undecided ties straddling the cut."""

    key: str
    title: str
    method_label: str
    max_total: Decimal
    weight: Decimal
    judges: tuple[str, ...]
    entries: tuple[EntryRoundResult, ...]
    advance: int | None
    advanced: tuple[str, ...]
    cut_ties: tuple[UnresolvedTie, ...]
    missing: tuple[MissingScore, ...]
    ignored: tuple[tuple[str, str], ...]
    analytics: RoundAnalytics

    def entry(self, key: str) -> EntryRoundResult:
        for item in self.entries:
            if item.entry == key:
                return item
        raise KeyError(key)


@dataclass(frozen=True)
class FinalEntry(JsonMixin):
    """An entry of the final ranking: rank (shared when still tied), tier (a tier key, ``pending`` or
    None), the final figure, n in the last round, and the full explanation."""

    entry: str
    rank: int | None
    tier: str | None
    status: str
    exact: Decimal | None
    display: str | None
    message: str | None
    n: int
    dropped: tuple[str, ...]
    tie_breaks: tuple[TieBreakApplied, ...]
    tier_rule: str
    explanation: Explanation


@dataclass(frozen=True)
class ContestResult(JsonMixin):
    """The whole outcome. ``final`` holds every entry of the last round exactly once, in rank order
    (unranked entries last). ``unresolved_ties`` holds tier ties and screening cut ties still awaiting
    a decision; ``unused_decisions`` recorded decisions that matched no current tie."""

    final_mode: str
    method: str
    final_max: Decimal
    rounds: tuple[RoundResult, ...]
    final: tuple[FinalEntry, ...]
    unresolved_ties: tuple[UnresolvedTie, ...]
    special_awards: tuple[SpecialAward, ...]
    unused_decisions: tuple[TierDecision | OrderDecision | AdvanceDecision, ...]

    def round(self, key: str) -> RoundResult:
        for rnd in self.rounds:
            if rnd.key == key:
                return rnd
        raise KeyError(key)

    def entry(self, key: str) -> FinalEntry:
        for item in self.final:
            if item.entry == key:
                return item
        raise KeyError(key)

    @property
    def is_final(self) -> bool:
        """True when nothing is pending: no unresolved tie and no missing score."""
        return not self.unresolved_ties and not any(r.missing for r in self.rounds)


@dataclass
class _RoundWork:
    """Mutable scratch state for one round while computing."""

    spec: RoundSpec
    entries: tuple[str, ...]
    totals: dict[str, dict[str, Decimal]]
    aggregates: dict[str, Aggregate]
    untrimmed: dict[str, Decimal | None]
    untrimmed_ratio: dict[str, Fraction | None]
    criteria: dict[str, dict[str, Decimal | None]]
    top_count: dict[str, int]
    recused: dict[str, list[str]]
    incomplete: dict[str, list[str]]
    missing: dict[str, list[MissingScore]]

    def entry_result(self, entry: str, placing: Placing, advancement: str | None) -> EntryRoundResult:
        agg = self.aggregates[entry]
        recused = tuple(sorted(self.recused.get(entry, ())))
        dropped = agg.dropped
        dropped += tuple(Dropped(j, RECUSED) for j in recused)
        dropped += tuple(Dropped(j, INCOMPLETE) for j in sorted(self.incomplete.get(entry, ())))
        missing = tuple(sorted(self.missing.get(entry, ()), key=lambda m: (m.judge, m.criterion)))
        n = agg.n
        lacking = _NO_SCORES if n == 0 else _INSUFFICIENT
        criteria = tuple(
            CriterionResult(key, n, lacking if value is None else _OK, value)
            for key, by_entry in self.criteria.items()
            for value in (by_entry[entry],)
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
            self.untrimmed[entry],
            self.top_count[entry],
            criteria,
            placing.rank,
            placing.tie_breaks,
            advancement,
        )


def _read_scores(
    spec: ContestSpec, scores: Iterable[ScoreRow | tuple[str, str, str, str, object]]
) -> dict[str, dict[tuple[str, str], dict[str, Decimal]]]:
    allowed = {
        (rnd.key, c.key): (allowed_set(c.scale, c.max_points), c) for rnd in spec.rounds for c in rnd.criteria
    }
    judges = set(spec.judges)
    entries = set(spec.entries)
    sheets: dict[str, dict[tuple[str, str], dict[str, Decimal]]] = {rnd.key: {} for rnd in spec.rounds}
    for number, row in enumerate(scores, start=1):
        rnd, judge, entry, crit, value = row
        info = allowed.get((rnd, crit))
        if info is None:
            raise ScoreInputError(f"점수 {number}행: 없는 라운드 또는 심사 기준입니다 ({rnd}/{crit})")
        if value not in info[0] or not isinstance(value, Decimal):
            criterion = info[1]
            try:
                value = check_score(criterion.scale, criterion.max_points, value)
            except ScaleError as exc:
                raise ScoreInputError(f"점수 {number}행 ({judge}/{entry}/{crit}): {exc}") from None
        by_sheet = sheets[rnd]
        sheet = by_sheet.get((judge, entry))
        if sheet is None:
            if judge not in judges:
                raise ScoreInputError(f"점수 {number}행: 없는 심사위원입니다 ({judge})")
            if entry not in entries:
                raise ScoreInputError(f"점수 {number}행: 없는 참가팀입니다 ({entry})")
            sheet = by_sheet[(judge, entry)] = {}
        elif crit in sheet:
            raise ScoreInputError(
                f"점수 {number}행: 같은 점수가 두 번 있습니다 ({rnd}/{judge}/{entry}/{crit})"
            )
        sheet[crit] = value
    return sheets


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
    scores: Iterable[ScoreRow | tuple[str, str, str, str, object]],
    conflicts: Iterable[Conflict | tuple[str, str]] = (),
    assignments: Iterable[Assignment | tuple[str, str, str]] = (),
    tier_decisions: Sequence[TierDecision] = (),
    order_decisions: Sequence[OrderDecision] = (),
    special_awards: Sequence[SpecialAward] = (),
    advance_decisions: Sequence[AdvanceDecision] = (),
) -> ContestResult:
    """Score, rank and tier a whole contest.

    ``scores`` are ``ScoreRow``s or 5-tuples ``(round, judge, entry, criterion, value)``; values must be
    on the criterion's scale. Raises ``ScoreInputError`` (unknown key, duplicate, off-scale value),
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
                conflicts,
                assignments,
                tuple(tier_decisions),
                tuple(order_decisions),
                tuple(special_awards),
                tuple(advance_decisions),
            )
    finally:
        if was_enabled:
            gc.enable()


def _compute(
    spec: ContestSpec,
    scores: Iterable[ScoreRow | tuple[str, str, str, str, object]],
    conflicts_in: Iterable[Conflict | tuple[str, str]],
    assignments_in: Iterable[Assignment | tuple[str, str, str]],
    tier_decisions: tuple[TierDecision, ...],
    order_decisions: tuple[OrderDecision, ...],
    special_awards: tuple[SpecialAward, ...],
    advance_decisions: tuple[AdvanceDecision, ...],
) -> ContestResult:
    sheets = _read_scores(spec, scores)
    conflicts = {(c.judge, c.entry) if isinstance(c, Conflict) else tuple(c) for c in conflicts_in}
    assigned: dict[str, dict[str, set[str]]] = {}
    for a in assignments_in:
        rnd, judge, entry = (a.round, a.judge, a.entry) if isinstance(a, Assignment) else a
        assigned.setdefault(rnd, {}).setdefault(entry, set()).add(judge)

    basis = displayed if spec.rank_basis is RankBasis.DISPLAYED else None
    used_orders: set[OrderDecision] = set()
    used_advances: set[AdvanceDecision] = set()
    work: dict[str, _RoundWork] = {}
    results: list[RoundResult] = []
    unresolved: list[UnresolvedTie] = []

    def step_values_for(scope: str, scope_round: _RoundWork | None, final_values: Mapping | None):
        def values(step: TieBreakStep, group: Sequence[str]):
            if step.kind is TieBreakKind.ROUND:
                other = work.get(step.key or "")
                if other is None:
                    return {}, None
                return {e: other.aggregates[e].exact for e in group if e in other.aggregates}, None
            if step.kind is TieBreakKind.CRITERION:
                prefer = scope_round.spec.key if scope_round is not None else spec.rounds[-1].key
                rnd = spec.criterion_round(step.key or "", prefer=prefer)
                other = work.get(rnd.key) if rnd is not None else None
                if other is None:
                    return {}, None
                by_entry = other.criteria[step.key or ""]
                return {e: by_entry[e] for e in group if e in by_entry}, None
            if step.kind is TieBreakKind.UNTRIMMED_MEAN:
                source = final_values["untrimmed"] if final_values is not None else scope_round.untrimmed
                return {e: source.get(e) for e in group}, None
            if step.kind is TieBreakKind.TOP_COUNT:
                target = scope_round if scope_round is not None else work[spec.rounds[-1].key]
                return {e: target.top_count.get(e) for e in group}, None
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
        state = _score_round(spec, rnd, entries, sheets[rnd.key], conflicts, assigned.get(rnd.key))
        work[rnd.key] = state
        placings = rank_entries(
            {e: state.aggregates[e].exact for e in entries},
            spec.tie_break,
            step_values_for(rnd.key, state, None),
            basis=basis,
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
        ordered = tuple(state.entry_result(p.entry, p, advancement.get(p.entry)) for p in placings)
        missing = tuple(m for r in ordered for m in r.missing)
        matrix = state.totals
        panel = rnd.judges if rnd.judges is not None else spec.judges
        entry_set = set(entries)
        ignored = tuple(sorted(k for k in sheets[rnd.key] if k[1] not in entry_set))
        results.append(
            RoundResult(
                rnd.key,
                rnd.title,
                rnd.method_label,
                rnd.max_total,
                rnd.weight,
                tuple(sorted(panel)),
                ordered,
                rnd.advance,
                tuple(sorted(advanced)) if rnd.advance is not None else (),
                tuple(cut_ties),
                missing,
                ignored,
                analyse_round(matrix, panel, spec.spread_alert),
            )
        )

    final_round = spec.rounds[-1]
    last = work[final_round.key]
    final_values, final_status, final_messages, method, final_max = _final_values(spec, work, last.entries)
    placings = rank_entries(
        final_values["value"], spec.tie_break, step_values_for("final", None, final_values), basis=basis
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
        explanation = Explanation(
            entry,
            tuple(
                _round_explanation(spec, round_results[r.key].entry(entry), r)
                for r in spec.rounds
                if entry in work[r.key].aggregates
            ),
            method,
            final_values["value"][entry],
            display(final_values["value"][entry]),
            placing.rank,
            placing.tie_breaks,
            tier.tier,
            tier.rule,
            specials.get(entry),
        )
        final_entries.append(
            FinalEntry(
                entry,
                placing.rank,
                tier.tier,
                final_status[entry],
                final_values["value"][entry],
                display(final_values["value"][entry]),
                final_messages[entry],
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
    )


def _score_round(
    spec: ContestSpec,
    rnd: RoundSpec,
    entries: tuple[str, ...],
    sheets: dict[tuple[str, str], dict[str, Decimal]],
    conflicts: set[tuple[str, str]],
    assigned: dict[str, set[str]] | None,
) -> _RoundWork:
    criteria = rnd.criteria
    n_criteria = len(criteria)
    weights = [(c.key, None if c.weight == 1 else c.weight) for c in criteria]
    entry_set = set(entries)
    totals: dict[str, dict[str, Decimal]] = {e: {} for e in entries}
    recused: dict[str, list[str]] = {}
    for (judge, entry), sheet in sheets.items():
        if entry not in entry_set:
            continue
        if (judge, entry) in conflicts:
            # a conflicted judge who scored anyway: ignored, and said so
            recused.setdefault(entry, []).append(judge)
            continue
        if len(sheet) != n_criteria:
            continue
        total = _ZERO
        for key, weight in weights:
            total += sheet[key] if weight is None else sheet[key] * weight
        totals[entry][judge] = total

    panel = rnd.judges if rnd.judges is not None else spec.judges
    missing: dict[str, list[MissingScore]] = {}
    incomplete: dict[str, list[str]] = {}
    for entry in entries:
        expected = assigned.get(entry, ()) if assigned is not None else panel
        counted = totals[entry]
        for judge in expected:
            if judge in counted:
                continue
            if (judge, entry) in conflicts:
                if judge not in recused.get(entry, ()):
                    recused.setdefault(entry, []).append(judge)
                continue
            sheet = sheets.get((judge, entry), {})
            missing.setdefault(entry, []).extend(
                MissingScore(judge, entry, c.key) for c in criteria if c.key not in sheet
            )
            if sheet:
                incomplete.setdefault(entry, []).append(judge)
    method = rnd.aggregation
    aggregates = aggregate_matrix(method, totals, rnd.trim, rnd.max_total, exact_ratio=True)

    untrimmed: dict[str, Decimal | None] = {}
    untrimmed_ratio: dict[str, Fraction | None] = {}
    for entry, row in totals.items():
        agg = aggregates[entry] if method is Aggregation.MEAN else _aggregate(Aggregation.MEAN, row, 0, True)
        untrimmed[entry] = agg.exact
        untrimmed_ratio[entry] = agg.ratio

    best: dict[str, Decimal] = {}
    for row in totals.values():
        for judge, total in row.items():
            if judge not in best or total > best[judge]:
                best[judge] = total
    top_count = {
        entry: sum(1 for judge, total in row.items() if total == best[judge]) for entry, row in totals.items()
    }

    per_criterion: dict[str, dict[str, Decimal | None]] = {c.key: {} for c in criteria}
    if method is Aggregation.ZSCORE_MEAN:
        for crit in criteria:
            matrix = {e: {j: sheets[(j, e)][crit.key] for j in row} for e, row in totals.items()}
            found = aggregate_matrix(method, matrix, rnd.trim, crit.max_points)
            per_criterion[crit.key] = {e: agg.exact for e, agg in found.items()}
    else:
        keys = [c.key for c in criteria]
        trim = rnd.trim
        for entry, row in totals.items():
            counted_sheets = [sheets[(judge, entry)] for judge in row]
            for key in keys:
                per_criterion[key][entry] = fast_value(method, [s[key] for s in counted_sheets], trim)

    return _RoundWork(
        rnd,
        entries,
        totals,
        aggregates,
        untrimmed,
        untrimmed_ratio,
        per_criterion,
        top_count,
        recused,
        incomplete,
        missing,
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


def _final_values(
    spec: ContestSpec, work: dict[str, _RoundWork], entries: tuple[str, ...]
) -> tuple[dict[str, dict[str, Decimal | None]], dict[str, str], dict[str, str | None], str, Decimal]:
    last = work[spec.rounds[-1].key]
    status: dict[str, str] = {}
    messages: dict[str, str | None] = {}
    if spec.final is FinalMode.LAST:
        values = {e: last.aggregates[e].exact for e in entries}
        for e in entries:
            status[e] = str(last.aggregates[e].status)
            messages[e] = last.aggregates[e].message
        untrimmed = {e: last.untrimmed[e] for e in entries}
        return (
            {"value": values, "untrimmed": untrimmed},
            status,
            messages,
            last.spec.method_label,
            last.spec.max_total,
        )

    total_weight = sum((r.weight for r in spec.rounds), _ZERO)
    parts = " + ".join(f"{r.title} {plain(r.weight)}" for r in spec.rounds)
    method = f"weighted {parts} (각 라운드 100점 환산)"
    values = {}
    untrimmed = {}
    for e in entries:
        aggs = []
        for r in spec.rounds:
            agg = work[r.key].aggregates.get(e)
            aggs.append((r, agg))
        lacking = [r.title for r, agg in aggs if agg is None or agg.exact is None]
        if lacking:
            values[e] = None
            untrimmed[e] = None
            status[e] = str(Status.INSUFFICIENT)
            messages[e] = f"{', '.join(lacking)} 점수가 없어 합산할 수 없습니다"
            continue
        values[e] = _combine([(r, agg.exact, agg.ratio) for r, agg in aggs], total_weight)
        untrimmed[e] = _combine(
            [(r, work[r.key].untrimmed[e], work[r.key].untrimmed_ratio[e]) for r, _agg in aggs], total_weight
        )
        status[e] = str(Status.OK)
        messages[e] = None
    return {"value": values, "untrimmed": untrimmed}, status, messages, method, _HUNDRED


def _combine(
    parts: list[tuple[RoundSpec, Decimal | None, Fraction | None]], total_weight: Decimal
) -> Decimal:
    """Σ weight × (aggregate / max × 100) / Σ weight, exactly when every aggregate is rational."""
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
