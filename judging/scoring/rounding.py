"""Decimal helpers: the one arithmetic context and the one display rule (2 decimals, half-up)."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

#: Context for every division and square root in the core: 28 significant digits, banker's rounding.
#: Sums of scores are exact in it (scores have at most a few digits); a mean is the correctly rounded
#: quotient, so two mathematically equal means are always the same Decimal.
CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)

_CENT = Decimal("0.01")


def display(value: Decimal | None) -> str | None:
    """Format a score for people: exactly 2 decimals, rounded half-up ("91.325" -> "91.33")."""
    if value is None:
        return None
    shown = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    # A tiny negative difference rounds to "-0.00"; people read that as a sign that means something.
    return str(abs(shown) if shown == 0 else shown)


def displayed(value: Decimal) -> Decimal:
    """The displayed figure as a Decimal (2 decimals, half-up), for rules that judge on it."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def fraction_to_decimal(value: Fraction) -> Decimal:
    """The correctly rounded 28-digit Decimal of an exact ratio."""
    return CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))


def plain(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: Decimal("20.0") -> "20", Decimal("0.50") -> "0.5"."""
    text = format(value.normalize(CONTEXT), "f")
    return text
