from decimal import Decimal

import pytest

from judging.scoring import ScaleError, allowed_values, check_score, display, grade_labels, scale_fits


def test_grades_are_100_90_80_70_60_percent_with_korean_labels():
    assert grade_labels(20) == (
        ("매우 우수", Decimal(20)),
        ("우수", Decimal(18)),
        ("보통", Decimal(16)),
        ("부족", Decimal(14)),
        ("매우 부족", Decimal(12)),
    )
    assert allowed_values("grades", 15) == tuple(Decimal(v) for v in ("15", "13.5", "12", "10.5", "9"))


def test_points_and_half_points_run_from_zero_to_max():
    assert allowed_values("points", 3) == (Decimal(0), Decimal(1), Decimal(2), Decimal(3))
    assert allowed_values("half_points", 1) == (Decimal(0), Decimal("0.5"), Decimal(1))


@pytest.mark.parametrize(
    ("scale", "top", "value", "reason"),
    [
        ("points", 20, 21, "최대 20점을 넘습니다"),
        ("points", 20, -1, "0점보다 작을 수 없습니다"),
        ("points", 20, Decimal("7.5"), "정수 점수만 허용됩니다"),
        ("half_points", 20, Decimal("7.25"), "0.5점 단위만 허용됩니다"),
        ("grades", 20, 17, "등급 점수(20, 18, 16, 14, 12) 중 하나여야 합니다"),
        ("points", 20, "열", "숫자가 아닙니다"),
        ("points", 20, 7.0, "정확한 십진수"),
    ],
)
def test_off_scale_values_are_refused_with_the_reason(scale, top, value, reason):
    with pytest.raises(ScaleError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        check_score(scale, top, value)


def test_on_scale_values_come_back_as_decimals():
    assert check_score("grades", 20, "18") == Decimal(18)
    assert check_score("half_points", 5, Decimal("4.5")) == Decimal("4.5")
    assert check_score("points", 10, 0) == Decimal(0)


def test_scale_fits_explains_unusable_maximums():
    assert scale_fits("points", 20) is None
    assert "정수" in str(scale_fits("points", Decimal("7.5")))
    assert "0.5점" in str(scale_fits("half_points", Decimal("7.25")))
    assert "소수 첫째 자리" in str(scale_fits("grades", Decimal("2.5")))
    assert "0보다 커야" in str(scale_fits("grades", 0))
    assert scale_fits("grades", 7) is None  # 7, 6.3, 5.6, 4.9, 4.2


def test_display_rounds_half_up_to_two_decimals():
    assert display(Decimal("91.325")) == "91.33"
    assert display(Decimal("91.335")) == "91.34"
    assert display(Decimal("794.594999")) == "794.59"
    assert display(Decimal(80)) == "80.00"
    assert display(None) is None


def test_display_never_shows_a_negative_zero():
    from decimal import Decimal

    from judging.scoring.rounding import display

    assert display(Decimal("-0.001")) == "0.00"
    assert display(Decimal("-0.005")) == "-0.01"
    assert display(Decimal("91.325")) == "91.33"
