"""Scoring scales: anchored grades, whole points and half points, with reasons for refusals."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache

from judging.messages import N_, Message, Text

from .errors import ScaleError
from .rounding import plain


class Scale(StrEnum):
    """How a criterion is scored."""

    GRADES = "grades"  # 5 anchored grades at 100/90/80/70/60 % of the maximum
    POINTS = "points"  # any whole point 0..max
    HALF_POINTS = "half_points"  # any multiple of 0.5 in 0..max


#: The five anchored grades and their share of the criterion's maximum, best first.
GRADES: tuple[tuple[str, int], ...] = (
    (Text(N_("매우 우수")), 100),
    (Text(N_("우수")), 90),
    (Text(N_("보통")), 80),
    (Text(N_("부족")), 70),
    (Text(N_("매우 부족")), 60),
)

_TENTH = Decimal("0.1")
#: The largest maximum a criterion may have (scores are stored as NUMERIC(7,2)).
MAX_POINTS = Decimal(10000)
_HALF = Decimal("0.5")


def to_decimal(value: object) -> Decimal:
    """Convert ``Decimal``, ``int`` or numeric ``str`` to a finite Decimal.

    Raises ``ScaleError`` for floats (they carry binary drift), booleans, non-numbers and NaN/infinity.
    """
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool) or isinstance(value, float):
        raise ScaleError(N_("점수는 정확한 십진수(Decimal, 정수 또는 문자열)로 주어야 합니다"))
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ScaleError(N_("숫자가 아닙니다: {value!r}"), value=value) from None
    else:
        raise ScaleError(N_("숫자가 아닙니다: {value!r}"), value=value)
    if not result.is_finite():
        raise ScaleError(N_("숫자가 아닙니다: {value!r}"), value=value)
    return result


def scale_fits(scale: Scale | str, max_points: object) -> Message | None:
    """Return why ``max_points`` cannot be used with ``scale`` (a message), or None when it fits.

    Rules: the maximum is positive; whole points need a whole maximum; half points need a maximum in
    steps of 0.5; grades need every grade value (60-100 % of the maximum) to have at most one decimal.
    """
    scale = Scale(scale)
    try:
        top = to_decimal(max_points)
    except ScaleError as exc:
        return exc.text
    if top <= 0:
        return Message(N_("최대 점수는 0보다 커야 합니다"))
    if top > MAX_POINTS:
        return Message(N_("최대 점수는 {top}점 이하여야 합니다"), {"top": MAX_POINTS})
    if top != top.quantize(Decimal("0.01")):
        return Message(N_("최대 점수는 소수 둘째 자리까지만 쓸 수 있습니다"))
    if scale is Scale.POINTS and top != top.to_integral_value():
        return Message(N_("정수 점수 척도의 최대 점수는 정수여야 합니다 (현재 {top}점)"), {"top": plain(top)})
    if scale is Scale.HALF_POINTS and (top * 2) != (top * 2).to_integral_value():
        return Message(N_("0.5점 단위 척도의 최대 점수는 0.5점 단위여야 합니다 (현재 {top}점)"), {"top": plain(top)})
    if scale is Scale.GRADES:
        for _label, percent in GRADES:
            value = top * percent / 100
            if value != value.quantize(_TENTH):
                return Message(N_("등급 점수는 소수 첫째 자리까지만 가능합니다 (최대 {top}점의 {percent}%는 {value}점)"),
                               {"top": plain(top), "percent": percent, "value": plain(value)})
    return None


def _require_fit(scale: Scale, top: Decimal) -> None:
    reason = scale_fits(scale, top)
    if reason is not None:
        raise ScaleError(reason)


@lru_cache(maxsize=512)
def _grade_values(top: Decimal) -> tuple[tuple[str, Decimal], ...]:
    return tuple((label, (top * percent / 100).normalize()) for label, percent in GRADES)


def grade_labels(max_points: object) -> tuple[tuple[str, Decimal], ...]:
    """The five anchored grades for a criterion: ``(label, value)`` pairs, best first.

    ``grade_labels(20)`` -> (("매우 우수", 20), ("우수", 18), ("보통", 16), ("부족", 14), ("매우 부족", 12)).
    Raises ``ScaleError`` when the maximum does not fit the grade scale.
    """
    top = to_decimal(max_points)
    _require_fit(Scale.GRADES, top)
    return _grade_values(top)


@lru_cache(maxsize=512)
def _allowed(scale: Scale, top: Decimal) -> tuple[Decimal, ...]:
    if scale is Scale.GRADES:
        return tuple(value for _label, value in _grade_values(top))
    step = Decimal(1) if scale is Scale.POINTS else _HALF
    count = int(top / step)
    return tuple(step * i for i in range(count + 1))


def allowed_values(scale: Scale | str, max_points: object) -> tuple[Decimal, ...]:
    """Every value a judge may give: grades best first; points and half points ascending from 0.

    Raises ``ScaleError`` when the maximum does not fit the scale.
    """
    scale = Scale(scale)
    top = to_decimal(max_points)
    _require_fit(scale, top)
    return _allowed(scale, top)


@lru_cache(maxsize=512)
def allowed_set(scale: Scale, top: Decimal) -> frozenset[Decimal]:
    """``allowed_values`` as a set, for fast membership checks (the maximum must already fit)."""
    return frozenset(_allowed(scale, top))


def check_score(scale: Scale | str, max_points: object, value: object) -> Decimal:
    """Return ``value`` as a Decimal if a judge may give it on this criterion.

    Raises ``ScaleError`` with the reason in Korean, e.g. "최대 20점을 넘습니다",
    "0.5점 단위만 허용됩니다", "등급 점수(20, 18, 16, 14, 12) 중 하나여야 합니다".
    """
    scale = Scale(scale)
    top = to_decimal(max_points)
    _require_fit(scale, top)
    score = to_decimal(value)
    if score < 0:
        raise ScaleError(N_("0점보다 작을 수 없습니다"))
    if score > top:
        raise ScaleError(N_("최대 {top}점을 넘습니다"), top=plain(top))
    if scale is Scale.POINTS and score != score.to_integral_value():
        raise ScaleError(N_("정수 점수만 허용됩니다"))
    if scale is Scale.HALF_POINTS and (score * 2) != (score * 2).to_integral_value():
        raise ScaleError(N_("0.5점 단위만 허용됩니다"))
    if scale is Scale.GRADES and score not in allowed_set(scale, top):
        values = ", ".join(plain(v) for v in _allowed(scale, top))
        raise ScaleError(N_("등급 점수({values}) 중 하나여야 합니다"), values=values)
    return score
