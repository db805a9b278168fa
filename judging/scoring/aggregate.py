"""Aggregation of judges' totals (or criterion scores) for one entry, under a round's method.

Every function here takes judge-keyed mappings and never depends on their order: sums that could round
(z-scores) are taken over sorted values, and trimming marks judges by key only for display.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from enum import StrEnum
from fractions import Fraction

from judging.messages import N_, Text

from .model import Aggregation
from .rounding import CONTEXT, display

# Why a judge's total did not count: ``Text`` (the Korean word as before, translatable at the edge).
DROP_HIGH = Text(N_("최고점 제외"))
DROP_LOW = Text(N_("최저점 제외"))
RECUSED = Text(N_("이해충돌 회피"))
INCOMPLETE = Text(N_("채점 미완료"))

_ZERO = Decimal(0)


class Status(StrEnum):
    """Whether an aggregate could be computed."""

    OK = "ok"
    INSUFFICIENT = "insufficient"  # too few totals for the method (e.g. trimming k=1 needs 3)
    NO_SCORES = "no_scores"  # no judge total at all


@dataclass(frozen=True)
class Dropped:
    """A judge whose total did not count for an entry, and why (최고점 제외, 최저점 제외, 이해충돌 회피,
    채점 미완료). ``total`` is None when the judge has no usable total."""

    judge: str
    reason: str
    total: Decimal | None = None


@dataclass(frozen=True)
class Aggregate:
    """An entry's aggregate under one method. ``n`` counts the totals given to the method (before
    trimming); ``exact`` is the full-precision value (None unless status is ok)."""

    status: Status
    n: int
    exact: Decimal | None
    dropped: tuple[Dropped, ...] = ()
    message: str | None = None
    ratio: Fraction | None = field(default=None, repr=False, compare=False)

    @property
    def display(self) -> str | None:
        return display(self.exact)

    @property
    def used(self) -> int:
        """How many totals entered the final average (n minus trimmed ones)."""
        return self.n - len(self.dropped)


def sum_sorted(values: Iterable[Decimal]) -> Decimal:
    """Sum in ascending order, so a rounding sum never depends on input order."""
    return sum(sorted(values), _ZERO)


def population_std(values: list[Decimal], mean: Decimal) -> Decimal:
    """Population standard deviation (divide by n) of ``values`` around ``mean``."""
    if not values:
        return _ZERO
    squares = sum_sorted((v - mean) * (v - mean) for v in values)
    return (squares / len(values)).sqrt()


def _no_scores() -> Aggregate:
    return Aggregate(Status.NO_SCORES, 0, None, message=Text(N_("집계할 점수가 없습니다")))


def aggregate(
    method: Aggregation | str,
    values: Mapping[str, Decimal],
    trim: int = 0,
    *,
    exact_ratio: bool = False,
) -> Aggregate:
    """Aggregate one entry's judge-keyed values by mean, trimmed mean (k=``trim``) or median.

    Trimming drops the k highest and k lowest values, one copy each: with two judges sharing the
    highest total, only one of them is dropped. Which of equal totals is marked dropped is chosen by
    judge key (the value is the same either way). With fewer than 2k+1 values the result has status
    ``insufficient`` and a message; it never falls back to another method.
    Raises ``ValueError`` for the z-score method, which needs the whole round (``aggregate_matrix``).
    """
    with localcontext(CONTEXT):
        return _aggregate(Aggregation(method), values, trim, exact_ratio)


def method_value(method: Aggregation, ordered: Sequence[Decimal], trim: int = 0) -> Decimal | None:
    """The one arithmetic of each method, over values in ascending order (equal values in judge-key
    order: "80" and "80.0" are equal but print differently): the mean; the median; the trimmed mean
    (drop ``trim`` values at each end, one copy each). None when there are no values, or fewer than
    2k+1 for the trimmed mean. Every aggregate in the core (judges' totals, criteria, the untrimmed
    mean) is computed here. Call inside ``localcontext(CONTEXT)``."""
    n = len(ordered)
    if n == 0:
        return None
    if method is Aggregation.MEAN:
        return sum(ordered, _ZERO) / n
    if method is Aggregation.MEDIAN:
        mid = n // 2
        return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    if method is Aggregation.TRIMMED_MEAN:
        if n < 2 * trim + 1:
            return None
        return sum(ordered[trim : n - trim], _ZERO) / (n - 2 * trim)
    raise ValueError(N_("z-score 평균은 라운드 전체 점수가 필요합니다 (aggregate_matrix를 쓰세요)"))


def _ordered(values: Mapping[str, Decimal]) -> list[tuple[Decimal, str]]:
    return sorted((v, j) for j, v in values.items())


def _insufficient(n: int, trim: int) -> Aggregate:
    message = Text(N_("점수 {n}개로는 최고·최저점 각 {trim}개 제외 평균을 낼 수 없습니다 (최소 {least}개 필요)"),
                   n=n, trim=trim, least=2 * trim + 1)
    return Aggregate(Status.INSUFFICIENT, n, None, message=message)


def _aggregate(method: Aggregation, values: Mapping[str, Decimal], trim: int, exact_ratio: bool) -> Aggregate:
    # Values are ordered by (value, judge) wherever one of several equal values is picked (trimming,
    # the median): equal Decimals may differ in exponent ("80" and "80.0"), and the pick must not
    # depend on the order the values came in. ``aggregate_value`` follows the same rules.
    n = len(values)
    if n == 0:
        return _no_scores()
    if method is Aggregation.ZSCORE_MEAN:
        raise ValueError(N_("z-score 평균은 라운드 전체 점수가 필요합니다 (aggregate_matrix를 쓰세요)"))
    ordered = _ordered(values)
    plain_values = [v for v, _j in ordered]
    value = method_value(method, plain_values, trim)
    if value is None:
        return _insufficient(n, trim)
    dropped: tuple[Dropped, ...] = ()
    kept = plain_values
    if method is Aggregation.TRIMMED_MEAN:
        low, high = ordered[:trim], ordered[n - trim :]
        dropped = tuple(Dropped(j, DROP_HIGH, v) for v, j in reversed(high)) + tuple(
            Dropped(j, DROP_LOW, v) for v, j in low
        )
        kept = plain_values[trim : n - trim]
    ratio = None
    if exact_ratio:
        # the same value as an exact fraction (to combine rounds without rounding)
        ratio = Fraction(value) if method is Aggregation.MEDIAN else Fraction(sum(kept, _ZERO)) / len(kept)
    return Aggregate(Status.OK, n, value, dropped, ratio=ratio)


def aggregate_value(method: Aggregation, values: Mapping[str, Decimal], trim: int) -> Decimal | None:
    """Just ``aggregate(method, values, trim).exact`` (mean, median, trimmed mean), without the
    explanation: what ranking needs for every entry of a large round. Call inside
    ``localcontext(CONTEXT)``."""
    if method is Aggregation.MEAN:  # a sum is exact in CONTEXT whatever the order: no sort needed
        return method_value(method, list(values.values()), trim)
    plain = sorted(values.values())
    n = len(plain)
    if method is Aggregation.TRIMMED_MEAN and 0 < trim and n >= 2 * trim + 1 and (
        plain[trim - 1] != plain[trim] and plain[n - trim - 1] != plain[n - trim]
    ):
        # no tie across a trimming boundary: the kept values are the same in any order of equals
        return method_value(method, plain, trim)
    return method_value(method, [v for v, _j in _ordered(values)], trim)


def fast_value(method: Aggregation, values: list[Decimal], trim: int) -> Decimal | None:
    """``method_value`` over a list of values given in judge-key order (the sort keeps equal values
    in that order); for the many per-criterion aggregates. Call inside ``localcontext(CONTEXT)``."""
    return method_value(method, values if method is Aggregation.MEAN else sorted(values), trim)


def zscore_aggregates(
    matrix: Mapping[str, Mapping[str, Decimal]], max_value: Decimal
) -> dict[str, Aggregate]:
    """Z-score normalised mean over ``matrix[entry][judge] = total``.

    Each judge's totals are standardised with that judge's own mean and population standard deviation
    over the entries they scored, mapped back with the panel's mean and population standard deviation
    of all totals in the matrix (``panel_mean + z × panel_std``), clamped to ``[0, max_value]``, and
    averaged per entry. A judge whose totals have no spread (one entry, or the same total everywhere)
    carries no relative information: their z is 0, so their mapped value is the panel mean.
    """
    with localcontext(CONTEXT):
        by_judge: dict[str, list[Decimal]] = {}
        everything: list[Decimal] = []
        for row in matrix.values():
            for judge, value in row.items():
                by_judge.setdefault(judge, []).append(value)
                everything.append(value)
        if not everything:
            return {entry: _no_scores() for entry in matrix}
        panel_mean = sum(everything, _ZERO) / len(everything)
        panel_std = population_std(everything, panel_mean)
        stats: dict[str, tuple[Decimal, Decimal]] = {}
        for judge, vals in by_judge.items():
            mean = sum(vals, _ZERO) / len(vals)
            stats[judge] = (mean, population_std(vals, mean))
        fallback = min(max(panel_mean, _ZERO), max_value)
        result: dict[str, Aggregate] = {}
        for entry, row in matrix.items():
            if not row:
                result[entry] = _no_scores()
                continue
            mapped: list[Decimal] = []
            for judge, value in row.items():
                mean, std = stats[judge]
                if std == 0:
                    mapped.append(fallback)
                    continue
                value = panel_mean + (value - mean) / std * panel_std
                mapped.append(min(max(value, _ZERO), max_value))
            result[entry] = Aggregate(Status.OK, len(mapped), sum_sorted(mapped) / len(mapped))
        return result


def aggregate_matrix(
    method: Aggregation | str,
    matrix: Mapping[str, Mapping[str, Decimal]],
    trim: int = 0,
    max_value: Decimal | None = None,
    *,
    exact_ratio: bool = False,
) -> dict[str, Aggregate]:
    """Aggregate every entry of ``matrix[entry][judge] = value`` under ``method``.

    ``max_value`` (the scale's maximum) is required for the z-score method. ``exact_ratio`` also keeps
    the exact fraction for rational methods (used to combine rounds without rounding).
    """
    method = Aggregation(method)
    if method is Aggregation.ZSCORE_MEAN:
        if max_value is None:
            raise ValueError(N_("z-score 평균에는 척도의 최대 점수가 필요합니다"))
        return zscore_aggregates(matrix, max_value)
    with localcontext(CONTEXT):
        return {entry: _aggregate(method, row, trim, exact_ratio) for entry, row in matrix.items()}
