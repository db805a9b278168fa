"""A round's rubric as the scoring core sees it, for every screen that shows a judge's total.

The total of a judge's sheet and the highest possible total are added up by the core
(``scoring.running_total``, ``scoring.max_total``: Σ score × weight); these helpers only map the
stored criteria to the core's ``CriterionSpec`` and score values from criterion ids to keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from judging import scoring
from judging.models import Criterion
from judging.scoring.rounding import plain


def criterion_spec(criterion: Criterion) -> scoring.CriterionSpec:
    """The core's view of one stored criterion (key, title, maximum, scale, weight, order)."""
    return scoring.CriterionSpec(criterion.key, criterion.title, criterion.max_points, scoring.Scale(criterion.scale),
                                 criterion.weight, criterion.position)


def criterion_specs(criteria: Iterable[Criterion]) -> tuple[scoring.CriterionSpec, ...]:
    return tuple(criterion_spec(c) for c in criteria)


def judge_total(criteria: Iterable[Criterion], values: Mapping[int, Decimal | None]) -> Decimal | None:
    """A judge's total of the scores given so far (``values`` by criterion id), None when none is."""
    criteria = list(criteria)
    by_key = {c.key: values.get(c.id) for c in criteria}
    return scoring.running_total(criterion_specs(criteria), by_key)


def max_total(criteria: Iterable[Criterion]) -> Decimal:
    """The highest total one judge can give in a round with these criteria."""
    return scoring.max_total(criterion_specs(criteria))


def criterion_heading(criterion: Criterion) -> str:
    """A column heading with the criterion's maximum and, when it is not 1, its weight: "필요성 (10×2)"."""
    top = plain(criterion.max_points)
    weight = plain(criterion.weight)
    return f"{criterion.title} ({top})" if weight == "1" else f"{criterion.title} ({top}×{weight})"
