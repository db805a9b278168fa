"""Korean official date, time and number styles for documents and pages, the local time zone, and
the size of a file as people read it.

Pure functions over standard-library values; no Flask, no database. Korean government documents
write dates as "2024. 12. 4." (no leading zeros, a full stop after each part) and times in 24-hour
style "15:20" (행정업무의 운영 및 혁신에 관한 규정 시행규칙 §2). Pages in English show dates the
English way (CLDR's English styles, through Babel): "Dec 4, 2024", "December 4, 2024"; documents
stay Korean.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date

from judging.scoring.rounding import plain

__all__ = ["LOCAL_ZONE", "TIME_ZONE", "byte_size", "certificate_number", "date_dot", "date_english",
           "date_english_long", "date_korean", "datetime_dot", "datetime_english", "local_time", "number",
           "time_24"]

#: the contests' time zone: every time a person reads or types is Korean Standard Time; the
#: database keeps UTC without a zone (``models.utcnow``)
TIME_ZONE = "Asia/Seoul"
LOCAL_ZONE = ZoneInfo(TIME_ZONE)


def local_time(value: dt.datetime) -> dt.datetime:
    """A stored time (UTC, naive or aware) as the local time people read."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(LOCAL_ZONE)


def date_dot(d: dt.date) -> str:
    """Return the official short style, e.g. ``"2024. 12. 4."``."""
    return f"{d.year}. {d.month}. {d.day}."


def date_korean(d: dt.date) -> str:
    """Return the long style used on certificates, e.g. ``"2024년 12월 4일"``."""
    return f"{d.year}년 {d.month}월 {d.day}일"


def time_24(t: dt.time | dt.datetime) -> str:
    """Return the 24-hour time with minutes, e.g. ``"15:20"`` (hours without a leading zero are
    padded to two digits, as on official documents: ``"09:05"``)."""
    return f"{t.hour:02d}:{t.minute:02d}"


def datetime_dot(value: dt.datetime) -> str:
    """Return date and time together, e.g. ``"2024. 12. 4. 15:20"``."""
    return f"{date_dot(value)} {time_24(value)}"


def certificate_number(year: int, seq: int) -> str:
    """Return the printed certificate number, e.g. ``certificate_number(2024, 1) == "제 2024-001 호"``.

    The sequence is padded to three digits and grows beyond that when needed (``"제 2024-1000 호"``).
    Raises ValueError for a year or sequence that is not positive.
    """
    if year <= 0 or seq <= 0:
        raise ValueError(f"certificate number needs a positive year and sequence, got {year}, {seq}")
    return f"제 {year}-{seq:03d} 호"


def date_english(d: dt.date) -> str:
    """Return the English short style of a page, e.g. ``"Dec 4, 2024"``."""
    return format_date(d, "medium", locale="en")


def date_english_long(d: dt.date) -> str:
    """Return the English long style (where Korean pages say "2024년 12월 4일"), e.g. ``"December 4, 2024"``."""
    return format_date(d, "long", locale="en")


def datetime_english(value: dt.datetime) -> str:
    """Return date and 24-hour time in English, e.g. ``"Dec 4, 2024 15:20"``."""
    return f"{date_english(value)} {time_24(value)}"


def byte_size(size: int) -> str:
    """The size of a file as people read it, in binary units: ``"900 B"``, ``"64 KB"``, ``"1 MB"``,
    ``"2.5 MB"`` (whole kilobytes; megabytes to one decimal, without a trailing ``.0``)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def number(value: Decimal | int | str | None) -> str:
    """A number as people type it, for a form field or a document cell: no exponent and no
    trailing zeros (``"20"``, ``"17.5"``, ``"0.125"``); ``""`` for None. The rule itself is the
    scoring core's :func:`judging.scoring.rounding.plain`."""
    if value is None:
        return ""
    return plain(value if isinstance(value, Decimal) else Decimal(str(value)))
