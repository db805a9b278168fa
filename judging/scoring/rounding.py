"""Decimal helpers: the one arithmetic context and the one display rule (2 decimals, half-up)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

from judging.messages import N_, Message, Text

from .errors import SpecError

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


#: ``[contest] rank_precision``: decimals of the figure that ranks compare (0–4), or "exact".
RANK_PRECISIONS = (0, 1, 2, 3, 4)
DEFAULT_RANK_PRECISION = 2
EXACT = "exact"


def parse_rank_precision(value: object) -> int | None:
    """``0``–``4`` (or the same as text) -> that many decimals; ``"exact"`` -> None (exact aggregates).
    Raises ``SpecError`` (a ``ValueError``) with the reason for anything else."""
    if isinstance(value, str) and value.strip().lower() == EXACT:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value not in RANK_PRECISIONS:
        raise SpecError(N_('순위 비교 자릿수(rank_precision)는 0~4의 정수나 "exact"여야 합니다: {value!r}'), value=value)
    return value


def rank_precision_text(precision: int | None) -> str:
    """The stored form: "0" … "4" or "exact"."""
    return EXACT if precision is None else str(precision)


def rank_key(precision: int | None) -> Callable[[Decimal], Decimal] | None:
    """What ranks, ties, tier thresholds, screening cuts and every cascade step compare: the figure
    rounded half-up to ``precision`` decimals (None: the exact aggregate)."""
    if precision is None:
        return None
    step = Decimal(1).scaleb(-precision)
    return lambda value: value.quantize(step, rounding=ROUND_HALF_UP)


def rank_rule_text(precision: int | None) -> Text:
    """The announced rule in words, for the result sheet, the report and the ceremony (``Text``: Korean,
    translatable at the edge)."""
    if precision is None:
        return Text(N_("순위·동점·수상 기준은 반올림하지 않은 정확한 점수로 비교합니다 (표시는 소수 둘째 자리까지)"))
    return Text(N_("순위·동점·수상 기준·진출 경계와 동점 처리의 모든 단계는 {where}로 비교합니다"),
                where=_PRECISION_WORDS[precision])


#: how a precision reads inside the rule (0 to 4 decimals)
_PRECISION_WORDS = {
    0: Message(N_("소수 첫째 자리에서 반올림한 정수")),
    1: Message(N_("소수 둘째 자리에서 반올림한 소수 첫째 자리까지의 점수")),
    2: Message(N_("소수 셋째 자리에서 반올림한 소수 둘째 자리까지의 점수")),
    3: Message(N_("소수 넷째 자리에서 반올림한 소수 셋째 자리까지의 점수")),
    4: Message(N_("소수 다섯째 자리에서 반올림한 소수 넷째 자리까지의 점수")),
}
