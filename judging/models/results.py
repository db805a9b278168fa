"""Results: the organizers' decisions and the frozen snapshots of a published result."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column

from judging.models.base import DECISION_KINDS, Base, _in, utcnow

if TYPE_CHECKING:  # relationship targets resolve by name in the shared registry
    from judging.models.entries import Entry


class Decision(Base):
    """A recorded organizer decision: a tier boundary tie, an order, or a special award."""

    __tablename__ = "decisions"
    __table_args__ = (
        sa.CheckConstraint(_in("kind", DECISION_KINDS), name="kind"),
        sa.CheckConstraint("length(reason) > 0", name="reason_not_empty"),
        sa.CheckConstraint("kind <> 'tier' OR tier_id IS NOT NULL", name="tier_has_tier"),
        sa.CheckConstraint("kind <> 'special' OR special_award_id IS NOT NULL", name="special_has_award"),
        sa.CheckConstraint("kind <> 'advance' OR round_id IS NOT NULL", name="advance_has_round"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    tier_id: Mapped[int | None] = mapped_column(sa.ForeignKey("award_tiers.id", ondelete="CASCADE"))
    special_award_id: Mapped[int | None] = mapped_column(sa.ForeignKey("special_awards.id", ondelete="CASCADE"))
    # kind "advance": the screening round whose cut tie this resolves (the results service).
    round_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rounds.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(sa.Text())
    minutes: Mapped[str] = mapped_column(sa.Text(), default="")
    decided_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[dt.datetime | None]

    entries: Mapped[list[DecisionEntry]] = orm.relationship(
        back_populates="decision", order_by="DecisionEntry.position", cascade="all, delete-orphan"
    )


class DecisionEntry(Base):
    __tablename__ = "decision_entries"
    __table_args__ = (sa.UniqueConstraint("decision_id", "position"),)

    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("decisions.id", ondelete="CASCADE"), primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int]

    decision: Mapped[Decision] = orm.relationship(back_populates="entries")
    entry: Mapped[Entry] = orm.relationship()


class ResultSnapshot(Base):
    """An immutable, numbered publication of a contest's results and their explanations."""

    __tablename__ = "result_snapshots"
    __table_args__ = (
        sa.UniqueConstraint("contest_id", "version"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    payload: Mapped[dict]
    digest: Mapped[str] = mapped_column(sa.String(64))
    published_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(sa.Text(), default="")
