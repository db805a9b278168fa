"""The declarative base every model shares: naming convention, type map, the enumerations the
CHECK constraints name, and ``utcnow``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import orm

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CONTEST_STATUSES = ("draft", "open", "judging", "locked", "published")
ROUND_STATUSES = ("pending", "open", "closed")
AGGREGATIONS = ("mean", "trimmed_mean", "median", "zscore_mean")
SCALES = ("grades", "points", "half_points")
ROLES = ("organizer", "judge", "council")
# An organizer's role in the organization: manager (everything), staff (set-up and the day; no
# publish, unlock or deletion), observer (reads only: an auditor or the committee chair).
ORG_ROLES = ("manager", "staff", "observer")
ENTRY_STATUSES = ("draft", "submitted", "accepted", "returned", "withdrawn")
SHEET_STATUSES = ("draft", "submitted")
DECISION_KINDS = ("tier", "order", "special", "advance")
FINAL_MODES = ("last", "weighted")
RANK_PRECISIONS = ("0", "1", "2", "3", "4", "exact")
CONFLICT_SOURCES = ("judge", "organizer", "file")


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC (stored as naive UTC for portability)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Base(orm.DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        Decimal: sa.Numeric(12, 4),
        dt.datetime: sa.DateTime(),
        dict: sa.JSON(),
        list: sa.JSON(),
    }
