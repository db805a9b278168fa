"""Judging: who judges what (round entries, assignments, conflicts), the scores and comments,
the judges' sheets and their signatures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column

from judging.models.base import CONFLICT_SOURCES, SHEET_STATUSES, Base, _in, utcnow

if TYPE_CHECKING:  # relationship targets resolve by name in the shared registry
    from judging.models.contests import Round
    from judging.models.entries import Entry


class RoundEntry(Base):
    """An entry taking part in a round, in presentation order."""

    __tablename__ = "round_entries"
    __table_args__ = (sa.UniqueConstraint("round_id", "position"),)

    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int]

    round: Mapped[Round] = orm.relationship(back_populates="round_entries")
    entry: Mapped[Entry] = orm.relationship()


class Assignment(Base):
    """A judge is to score an entry in a round."""

    __tablename__ = "assignments"
    __table_args__ = (sa.UniqueConstraint("round_id", "judge_id", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("entries.id", ondelete="CASCADE"), index=True)


class Conflict(Base):
    """A conflict of interest (제척·기피·회피) between a judge and an entry."""

    __tablename__ = "conflicts"
    __table_args__ = (
        sa.UniqueConstraint("judge_id", "entry_id"),
        sa.CheckConstraint(_in("source", CONFLICT_SOURCES), name="source"),
        sa.CheckConstraint("length(reason) > 0", name="reason_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(sa.String(16))
    declared_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(sa.Text())
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Score(Base):
    """One judge's score for one criterion of one entry; ``version`` guards concurrent writes."""

    __tablename__ = "scores"
    __table_args__ = (
        sa.UniqueConstraint("judge_id", "entry_id", "criterion_id"),
        sa.CheckConstraint("value >= 0", name="value_non_negative"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("criteria.id", ondelete="CASCADE"), index=True)
    value: Mapped[Decimal | None] = mapped_column(sa.Numeric(7, 2))
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class EntryComment(Base):
    """A judge's comment on an entry in a round: read by the organizers (audit log, score sheet), never
    shown to entrants or to other judges."""

    __tablename__ = "entry_comments"
    __table_args__ = (
        sa.UniqueConstraint("judge_id", "round_id", "entry_id"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(sa.Text(), default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Sheet(Base):
    """A judge's score sheet for a round: draft until submitted."""

    __tablename__ = "sheets"
    __table_args__ = (
        sa.UniqueConstraint("judge_id", "round_id"),
        sa.CheckConstraint(_in("status", SHEET_STATUSES), name="status"),
        sa.CheckConstraint("status <> 'submitted' OR submitted_at IS NOT NULL", name="submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")
    submitted_at: Mapped[dt.datetime | None]
    reopened_at: Mapped[dt.datetime | None]
    reopen_reason: Mapped[str] = mapped_column(sa.Text(), default="")

SIGNATURE_METHODS = ("tablet", "paper")


class SheetSignature(Base):
    """A judge's signature on a submitted sheet: drawn on the tablet (a vector path in a 1000 x 400
    box) or given on paper (an imported sheet). ``content_hash`` is the SHA-256 of the sheet's content
    when it was signed (``sheets.sheet_content``). Reopening the sheet voids the signature; the sheet
    has at most one signature that is not void."""

    __tablename__ = "sheet_signatures"
    __table_args__ = (
        sa.CheckConstraint(_in("method", SIGNATURE_METHODS), name="method"),
        sa.CheckConstraint("method <> 'tablet' OR strokes IS NOT NULL", name="tablet_strokes"),
        sa.CheckConstraint("length(content_hash) = 64", name="content_hash_length"),
        sa.Index("ix_sheet_signatures_active", "sheet_id", unique=True,
                 sqlite_where=sa.text("voided_at IS NULL"), postgresql_where=sa.text("voided_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(sa.ForeignKey("sheets.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(sa.String(16))
    strokes: Mapped[list | None]
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    signed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    voided_at: Mapped[dt.datetime | None]
    void_reason: Mapped[str] = mapped_column(sa.Text(), default="")
