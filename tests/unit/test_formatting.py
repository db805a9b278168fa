import datetime as dt
from decimal import Decimal

import pytest

from judging.formatting import (
    LOCAL_ZONE,
    byte_size,
    certificate_number,
    date_dot,
    date_english,
    date_english_long,
    date_korean,
    datetime_dot,
    datetime_english,
    local_time,
    number,
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


def test_stored_utc_times_are_read_in_korea():
    assert str(LOCAL_ZONE) == "Asia/Seoul"
    # 2024-12-04 06:20 UTC (stored without a zone) is 15:20 in Korea, the same day.
    assert local_time(dt.datetime(2024, 12, 4, 6, 20)) == dt.datetime(2024, 12, 4, 15, 20, tzinfo=LOCAL_ZONE)
    # 20:00 UTC is already the next morning in Korea: a certificate dated that evening says the 5th.
    assert local_time(dt.datetime(2024, 12, 4, 20, 0)).date() == dt.date(2024, 12, 5)
    aware = dt.datetime(2024, 12, 4, 6, 20, tzinfo=dt.UTC)
    assert local_time(aware) == local_time(aware.replace(tzinfo=None))


@pytest.mark.parametrize(("size", "text"), [
    (0, "0 B"), (900, "900 B"), (1023, "1023 B"), (1024, "1 KB"), (2048, "2 KB"), (64 * 1024, "64 KB"),
    (1024 * 1024, "1 MB"), (5 * 1024 * 1024 + 1, "5 MB"), (int(2.5 * 1024 * 1024), "2.5 MB"),
    (20 * 1024 * 1024, "20 MB"),
])
def test_byte_sizes_read_as_people_write_them(size, text):
    assert byte_size(size) == text


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), (Decimal("20.00"), "20"), (Decimal("17.50"), "17.5"), (Decimal("0.125"), "0.125"),
    (Decimal("1E+2"), "100"), (7, "7"), ("0.50", "0.5"),
])
def test_numbers_are_shown_without_exponent_or_trailing_zeros(value, text):
    assert number(value) == text


def test_english_pages_write_dates_the_english_way():
    assert date_english(dt.date(2024, 12, 4)) == "Dec 4, 2024"
    assert date_english_long(dt.date(2025, 1, 9)) == "January 9, 2025"
    assert datetime_english(dt.datetime(2024, 12, 4, 9, 5)) == "Dec 4, 2024 09:05"
