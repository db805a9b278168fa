"""Entrants, their entries and the files attached to them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column

from judging.models.base import ENTRY_STATUSES, Base, _in, utcnow

if TYPE_CHECKING:  # relationship targets resolve by name in the shared registry
    from judging.models.contests import Contest


class Entrant(Base):
    """A participant, usually a dong community social security council."""

    __tablename__ = "entrants"
    __table_args__ = (sa.UniqueConstraint("contest_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(120))
    district: Mapped[str] = mapped_column(sa.String(160), default="")
    contact_name: Mapped[str] = mapped_column(sa.String(80), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(200), default="")

    contest: Mapped[Contest] = orm.relationship(back_populates="entrants")
    entry: Mapped[Entry | None] = orm.relationship(
        back_populates="entrant", cascade="all, delete-orphan", uselist=False
    )


class Entry(Base):
    """An entrant's submission to one contest."""

    __tablename__ = "entries"
    __table_args__ = (
        sa.UniqueConstraint("contest_id", "entrant_id"),
        sa.UniqueConstraint("contest_id", "receipt_number"),
        sa.CheckConstraint(_in("status", ENTRY_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    entrant_id: Mapped[int] = mapped_column(sa.ForeignKey("entrants.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    summary: Mapped[str] = mapped_column(sa.Text(), default="")
    partners: Mapped[str] = mapped_column(sa.Text(), default="")
    period: Mapped[str] = mapped_column(sa.String(120), default="")
    budget: Mapped[str] = mapped_column(sa.String(120), default="")
    body: Mapped[str] = mapped_column(sa.Text(), default="")
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")
    receipt_number: Mapped[str | None] = mapped_column(sa.String(40))
    submitted_at: Mapped[dt.datetime | None]
    return_reason: Mapped[str] = mapped_column(sa.Text(), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    contest: Mapped[Contest] = orm.relationship(back_populates="entries")
    entrant: Mapped[Entrant] = orm.relationship(back_populates="entry")
    attachments: Mapped[list[Attachment]] = orm.relationship(
        back_populates="entry", order_by="Attachment.id", cascade="all, delete-orphan"
    )


class Attachment(Base):
    __tablename__ = "attachments"
    __table_args__ = (sa.CheckConstraint("size >= 0", name="size_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    content_type: Mapped[str] = mapped_column(sa.String(120))
    size: Mapped[int] = mapped_column(sa.BigInteger())
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    entry: Mapped[Entry] = orm.relationship(back_populates="attachments")
