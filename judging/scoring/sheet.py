"""A judge's sheet: the one way a total and its maximum are added up (Σ score × weight).

Every screen, document and export that shows a judge's total or the highest total asks these
functions (through a service): the tablet's running total, the autosave reply, the review page, the
printed score sheet, the exports and the core's own aggregation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, localcontext

from .model import CriterionSpec, RoundSpec
from .rounding import CONTEXT

_ZERO = Decimal(0)


def weighted_score(criterion: CriterionSpec, value: Decimal) -> Decimal:
    """What one score adds to a total: score × weight (a weight of 1 keeps the score's own exponent)."""
    return value if criterion.weight == 1 else value * criterion.weight


def sheet_total(rnd: RoundSpec, sheet: Mapping[str, Decimal]) -> Decimal:
    """A judge's total on a complete sheet: Σ score × weight in the round's criterion order.
    Raises ``KeyError`` for a criterion without a score. Call inside ``localcontext(CONTEXT)``."""
    total = _ZERO
    for crit in rnd.criteria:
        total += weighted_score(crit, sheet[crit.key])
    return total


def running_total(criteria: Iterable[CriterionSpec], scores: Mapping[str, Decimal | None]) -> Decimal | None:
    """The total of the scores given so far (Σ score × weight over the scored criteria), as a judge
    sees it while scoring; None when nothing is scored. On a complete sheet it equals ``sheet_total``."""
    total: Decimal | None = None
    with localcontext(CONTEXT):
        for crit in criteria:
            value = scores.get(crit.key)
            if value is not None:
                total = weighted_score(crit, value) if total is None else total + weighted_score(crit, value)
    return total


def max_total(criteria: Iterable[CriterionSpec]) -> Decimal:
    """The highest total one judge can give: Σ maximum × weight."""
    with localcontext(CONTEXT):
        return sum((c.weighted_max for c in criteria), _ZERO)
