"""``compute_contest``: scores in, ranked and tiered results with explanations out.

Ranking needs every entry's aggregate and, for tied entries only, the tie-break values; everything
else a result can show (each entry's round detail, per-criterion aggregates, judge analytics) is
worked out the first time someone reads it, from the same inputs, so a national contest is ranked
without building 3,500 explanations nobody looks at. Reading a result never changes it: the detail
computed later is exactly what an eager computation would have given.

The rooms: one round worked out in ``round_work``, a screening cut in ``screening``, the values a
tie-break step compares in ``steps``, the final figure in ``final``, special awards in ``specials``;
the result types in ``result``, the score inputs in ``inputs``, a sheet's total in ``sheet``.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, localcontext

from judging.messages import N_

from .audience import AudienceBallot, explain_audience, tally_audience
from .errors import ScoreInputError
from .explain import Explanation, RoundExplanation
from .final import final_values
from .inputs import given_sheets as check_given_sheets
from .inputs import read_scores
from .model import (
    AdvanceDecision,
    Assignment,
    Conflict,
    ContestSpec,
    FinalMode,
    OrderDecision,
    RoundSheets,
    RoundSpec,
    ScoreRow,
    SpecialAward,
    TierDecision,
)
from .rank import rank_entries
from .result import (
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
from .round_work import RoundDetail, RoundWork
from .rounding import CONTEXT, display, rank_key
from .screening import advance_round
from .sheet import sheet_total
from .specials import check_specials
from .steps import step_values
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
                raise ScoreInputError(N_("점수: 라운드 {key}의 점수가 점수 행과 채점표로 두 번 주어졌습니다"), key=key)
            sheets[key] = round_sheets
    conflicts = {(c.judge, c.entry) if isinstance(c, Conflict) else (c[0], c[1]) for c in conflicts_in}
    assigned: dict[str, dict[str, set[str]]] = {}
    for a in assignments_in:
        round_key, judge, entry = (a.round, a.judge, a.entry) if isinstance(a, Assignment) else a
        assigned.setdefault(round_key, {}).setdefault(entry, set()).add(judge)

    basis = rank_key(spec.rank_precision)
    used_orders: set[OrderDecision] = set()
    used_advances: set[AdvanceDecision] = set()
    work: dict[str, RoundWork] = {}
    results: list[RoundResult] = []
    unresolved: list[UnresolvedTie] = []

    def step_values_for(scope: str, scope_round: RoundWork | None, untrimmed: Callable[[str], Decimal | None]):
        return step_values(spec, work, order_decisions, used_orders, scope, scope_round, untrimmed)

    previous: tuple[str, ...] | None = None
    for rnd in spec.rounds:
        if rnd.entries is not None:
            entries = rnd.entries
        elif previous is not None:
            entries = previous
        else:
            entries = spec.entries
        state = RoundWork(spec, rnd, entries, sheets[rnd.key], conflicts, assigned.get(rnd.key))
        work[rnd.key] = state

        def round_untrimmed(entry: str, state: RoundWork = state) -> Decimal | None:
            return state.untrimmed(entry) if entry in state else None

        placings = rank_entries(
            state.values, spec.tie_break, step_values_for(rnd.key, state, round_untrimmed), basis=basis
        )
        advancement: dict[str, str] = {}
        advanced: list[str] = []
        cut_ties: list[UnresolvedTie] = []
        if rnd.advance is not None:
            advance_round(rnd, placings, advance_decisions, advancement, advanced, cut_ties, used_advances)
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
                RoundDetail(state, placings, advancement, spec.spread_alert),
            )
        )

    final_round = spec.rounds[-1]
    last = work[final_round.key]
    known_rounds = {a.key for a in spec.audience}
    stray = sorted({b.round for b in ballots} - known_rounds)
    if stray:
        raise ScoreInputError(N_("투표: 없는 현장평가단 라운드입니다 ({stray})"), stray=', '.join(stray))
    audience = tuple(tally_audience(a, last.entries, ballots) for a in spec.audience)
    final, method, final_max = final_values(spec, work, last.entries, audience)
    placings = rank_entries(
        {e: value for e, (value, _status, _message) in final.items()},
        spec.tie_break,
        step_values_for("final", None, final.untrimmed),
        basis=basis,
    )
    tiering = allocate_tiers(placings, spec.tiers, tier_decisions, basis=basis)
    unresolved.extend(tiering.unresolved)
    tier_of = {p.entry: p for p in tiering.placements}

    specials = check_specials(spec, special_awards, tier_of)
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
