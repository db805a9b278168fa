"""Scales: where a value falls on a chart's axis, and the round ticks along it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from judging.scoring.rounding import plain


@dataclass(frozen=True)
class Axis:
    """A linear map of the values ``lo``..``hi`` onto ``left``..``right`` pixels, with round ticks."""

    lo: Decimal
    hi: Decimal
    left: float
    right: float

    def at(self, value: Decimal) -> float:
        if self.hi == self.lo:
            return self.left
        share = float((value - self.lo) / (self.hi - self.lo))
        return self.left + (self.right - self.left) * min(1.0, max(0.0, share))

    def ticks(self, most: int = 10) -> list[Decimal]:
        span = self.hi - self.lo
        if span <= 0:
            return [self.lo]
        step = next((Decimal(s) for s in ("0.05", "0.1", "0.2", "0.25", "0.5", "1", "2", "2.5", "5", "10", "20",
                                          "25", "50", "100", "200", "250", "500", "1000")
                     if span / Decimal(s) <= most), Decimal(10) ** len(str(int(span))))
        first = (self.lo / step).to_integral_value(rounding="ROUND_CEILING") * step
        out = []
        value = first
        while value <= self.hi:
            out.append(value)
            value += step
        return out


def value_range(values: Sequence[Decimal], scale_max: Decimal) -> tuple[Decimal, Decimal]:
    """The part of 0..``scale_max`` worth drawing: from a round number below the lowest value (so
    close scores are told apart) to the maximum. Starts at 0 when the values spread over most of it."""
    if not values or scale_max <= 0:
        return Decimal(0), max(scale_max, Decimal(1))
    low = min(values)
    if low <= scale_max * Decimal("0.4"):
        return Decimal(0), scale_max
    step = Decimal(10) if scale_max >= 50 else Decimal(1)
    lo = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    if lo == low:
        lo -= step
    return max(Decimal(0), lo), scale_max


def label(value: Decimal) -> str:
    """A tick label: the value as typed, without trailing zeros (the core's ``plain``)."""
    return plain(value)
