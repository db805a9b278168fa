"""The values a tie-break step compares for a group of tied entries (``rank.rank_entries`` asks for them
only when a tie needs breaking): another round's aggregate, a criterion's aggregate, the untrimmed mean,
the top count, or a recorded order decision."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from judging.messages import N_

from .errors import DecisionError
from .model import ContestSpec, OrderDecision, TieBreakKind, TieBreakStep
from .round_work import RoundWork

StepValues = Callable[[TieBreakStep, Sequence[str]], tuple[dict, str | None]]


def step_values(
    spec: ContestSpec,
    work: Mapping[str, RoundWork],
    order_decisions: Sequence[OrderDecision],
    used_orders: set[OrderDecision],
    scope: str,
    scope_round: RoundWork | None,
    untrimmed: Callable[[str], Decimal | None],
) -> StepValues:
    """The step values for ranking ``scope`` (a round's key, or "final" with ``scope_round`` None).
    ``work`` holds the rounds worked out so far; a decision step marks the decisions it used in
    ``used_orders``."""

    def values(step: TieBreakStep, group: Sequence[str]):  # noqa: ANN202
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
        return decision_values(order_decisions, scope, group, used_orders)

    return values


def decision_values(
    decisions: Sequence[OrderDecision], scope: str, group: Sequence[str], used: set[OrderDecision]
) -> tuple[dict[str, int | None], str | None]:
    wanted = set(group)
    candidates = [d for d in decisions if d.scope == scope and wanted <= set(d.entries)]
    if not candidates:
        return {}, None
    orders = {tuple(e for e in d.entries if e in wanted) for d in candidates}
    if len(orders) > 1:
        raise DecisionError(
            N_("동점 팀({group})의 순위 결정이 서로 다르게 기록되어 있습니다"), group=', '.join(sorted(group))
        )
    chosen = min(candidates, key=lambda d: (d.reason, d.entries))
    used.update(candidates)
    order = next(iter(orders))
    return {e: -(i + 1) for i, e in enumerate(order)}, chosen.reason
