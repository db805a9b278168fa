"""The figure the final ranking compares: the last round's aggregate alone, or every round (and audience
panel) normalised to 0-100 and combined with its weight, exactly with fractions when it can be."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, localcontext
from fractions import Fraction

from judging.messages import N_, Text

from .aggregate import Status
from .audience import AudienceResult, AudienceSpec
from .model import ContestSpec, FinalMode, RoundSpec
from .result import _OK
from .round_work import RoundWork
from .rounding import CONTEXT, fraction_to_decimal, plain

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


class FinalValues(dict):
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


def final_values(
    spec: ContestSpec, work: dict[str, RoundWork], entries: tuple[str, ...],
    audience: tuple[AudienceResult, ...] = (),
) -> tuple[FinalValues, str, Decimal]:
    last = work[spec.rounds[-1].key]
    if spec.final is FinalMode.LAST:
        values = {}
        for e in entries:
            status = last.status(e)
            values[e] = (last.values[e], status, None if status == _OK else last.aggregate(e).message)
        return FinalValues(values, last.untrimmed), last.spec.method_label, last.spec.max_total

    total_weight = sum((r.weight for r in spec.rounds), _ZERO) + sum((a.weight for a in spec.audience), _ZERO)
    components: tuple[RoundSpec | AudienceSpec, ...] = (*spec.rounds, *spec.audience)
    parts = " + ".join(f"{r.title} {plain(r.weight)}" for r in components)
    method = Text(N_("weighted {parts} (각 라운드 100점 환산)"), parts=parts)
    values = {}

    def audience_parts(e: str) -> list:
        # an audience round has no trimming: its untrimmed figure is its figure
        return [(a, a.entry(e).exact, a.entry(e).ratio) for a in audience]
    for e in entries:
        lacking = [r.title for r in spec.rounds if e not in work[r.key] or work[r.key].values[e] is None]
        lacking += [a.title for a in audience if e not in a or a.entry(e).exact is None]
        if lacking:
            values[e] = (None, str(Status.INSUFFICIENT),
                         Text(N_("{rounds} 점수가 없어 합산할 수 없습니다"), rounds=", ".join(lacking)))
            continue
        combined = combine(
            [(r, work[r.key].values[e], work[r.key].ratio(e)) for r in spec.rounds] + audience_parts(e),
            total_weight,
        )
        values[e] = (combined, _OK, None)

    def untrimmed(e: str) -> Decimal | None:
        if values[e][0] is None:
            return None
        return combine(
            [(r, work[r.key].untrimmed(e), work[r.key].untrimmed_ratio(e)) for r in spec.rounds]
            + audience_parts(e),
            total_weight,
        )

    return FinalValues(values, untrimmed), method, _HUNDRED


def combine(
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
