import datetime as dt

import pytest

from judging.formatting import (
    certificate_number,
    date_dot,
    date_english,
    date_english_long,
    date_korean,
    datetime_dot,
    datetime_english,
    time_24,
)


def test_official_dot_date_has_no_leading_zeros():
    assert date_dot(dt.date(2024, 12, 4)) == "2024. 12. 4."
    assert date_dot(dt.date(2025, 1, 9)) == "2025. 1. 9."


def test_certificate_date_is_written_out_in_korean():
    assert date_korean(dt.date(2024, 12, 4)) == "2024년 12월 4일"


def test_times_are_24_hour():
    assert time_24(dt.time(15, 20)) == "15:20"
    assert time_24(dt.datetime(2024, 12, 4, 9, 5)) == "09:05"
    assert datetime_dot(dt.datetime(2024, 12, 4, 15, 20)) == "2024. 12. 4. 15:20"


def test_certificate_numbers_are_padded_to_three_digits_and_grow_beyond():
    assert certificate_number(2024, 1) == "제 2024-001 호"
    assert certificate_number(2024, 42) == "제 2024-042 호"
    assert certificate_number(2024, 1000) == "제 2024-1000 호"


@pytest.mark.parametrize("year, seq", [(2024, 0), (2024, -1), (0, 1)])
def test_certificate_number_refuses_non_positive_parts(year, seq):
    with pytest.raises(ValueError):
        certificate_number(year, seq)


def test_english_pages_write_dates_the_english_way():
    assert date_english(dt.date(2024, 12, 4)) == "Dec 4, 2024"
    assert date_english_long(dt.date(2025, 1, 9)) == "January 9, 2025"
    assert datetime_english(dt.datetime(2024, 12, 4, 9, 5)) == "Dec 4, 2024 09:05"
