"""A contest and its set-up: rounds, criteria, award tiers and special awards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column

from judging.models.base import (
    AGGREGATIONS,
    CONTEST_STATUSES,
    FINAL_MODES,
    RANK_PRECISIONS,
    ROUND_STATUSES,
    SCALES,
    Base,
    _in,
    utcnow,
)

if TYPE_CHECKING:  # relationship targets resolve by name in the shared registry
    from judging.models.audience import AudienceRound
    from judging.models.entries import Entrant, Entry
    from judging.models.people import Organization
    from judging.models.sheets import RoundEntry


class Contest(Base):
    __tablename__ = "contests"
    __table_args__ = (
        sa.CheckConstraint(_in("status", CONTEST_STATUSES), name="status"),
        sa.CheckConstraint(_in("final_mode", FINAL_MODES), name="final_mode"),
        sa.CheckConstraint(_in("rank_precision", RANK_PRECISIONS), name="rank_precision"),
        sa.CheckConstraint("length(slug) > 0", name="slug_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id", ondelete="RESTRICT"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    organizer: Mapped[str] = mapped_column(sa.String(120))
    issuer: Mapped[str] = mapped_column(sa.String(120))
    issuer_name: Mapped[str] = mapped_column(sa.String(80), default="")
    held_on: Mapped[dt.date] = mapped_column(sa.Date())
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")
    final_mode: Mapped[str] = mapped_column(sa.String(16), default="last")
    # decimals of the figure ranks, ties, thresholds, cuts and cascade steps compare ("0"-"4"), or "exact"
    rank_precision: Mapped[str] = mapped_column(sa.String(8), default="2", server_default="2")
    tie_break: Mapped[list] = mapped_column(default=list)
    submission_deadline: Mapped[dt.datetime | None]
    certificate_body: Mapped[str] = mapped_column(sa.Text(), default="")
    certificate_year: Mapped[int | None]
    seal_png: Mapped[bytes | None] = mapped_column(sa.LargeBinary())
    public_scores: Mapped[bool] = mapped_column(default=False)
    ceremony_order: Mapped[list] = mapped_column(default=list)
    review_notes: Mapped[str] = mapped_column(sa.Text(), default="")
    # percentage points an effective weight may depart from the announced one before publishing warns
    weight_margin: Mapped[Decimal] = mapped_column(sa.Numeric(7, 2), default=Decimal(10),
                                                   server_default="10")
    # Publishing needs a second organizer's approval (결재) of the locked result, for this contest
    # even when its organization does not ask it of every contest; see services/approvals.py.
    approval_required: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Days after a publication in which a council may object (이의신청).
    objection_days: Mapped[int] = mapped_column(default=7, server_default="7")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = orm.relationship()
    rounds: Mapped[list[Round]] = orm.relationship(
        back_populates="contest", order_by="Round.position", cascade="all, delete-orphan"
    )
    tiers: Mapped[list[AwardTier]] = orm.relationship(
        back_populates="contest", order_by="AwardTier.position", cascade="all, delete-orphan"
    )
    special_awards: Mapped[list[SpecialAward]] = orm.relationship(
        back_populates="contest", order_by="SpecialAward.position", cascade="all, delete-orphan"
    )
    entrants: Mapped[list[Entrant]] = orm.relationship(
        back_populates="contest", order_by="Entrant.id", cascade="all, delete-orphan"
    )
    audience_rounds: Mapped[list[AudienceRound]] = orm.relationship(
        back_populates="contest", order_by="AudienceRound.position", cascade="all, delete-orphan"
    )
    entries: Mapped[list[Entry]] = orm.relationship(
        back_populates="contest", order_by="Entry.id", cascade="all, delete-orphan"
    )


class Round(Base):
    __tablename__ = "rounds"
    __table_args__ = (
        sa.UniqueConstraint("contest_id", "key"),
        sa.UniqueConstraint("contest_id", "position"),
        sa.CheckConstraint(_in("aggregation", AGGREGATIONS), name="aggregation"),
        sa.CheckConstraint(_in("status", ROUND_STATUSES), name="status"),
        sa.CheckConstraint("trim >= 0", name="trim_non_negative"),
        sa.CheckConstraint("weight >= 0", name="weight_non_negative"),
        sa.CheckConstraint("advance IS NULL OR advance > 0", name="advance_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int]
    weight: Mapped[Decimal] = mapped_column(default=Decimal(1))
    aggregation: Mapped[str] = mapped_column(sa.String(16), default="mean")
    trim: Mapped[int] = mapped_column(default=0)
    advance: Mapped[int | None]
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")

    contest: Mapped[Contest] = orm.relationship(back_populates="rounds")
    criteria: Mapped[list[Criterion]] = orm.relationship(
        back_populates="round", order_by="Criterion.position", cascade="all, delete-orphan"
    )
    round_entries: Mapped[list[RoundEntry]] = orm.relationship(
        back_populates="round", order_by="RoundEntry.position", cascade="all, delete-orphan"
    )


class Criterion(Base):
    __tablename__ = "criteria"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "key"),
        sa.UniqueConstraint("round_id", "position"),
        sa.CheckConstraint(_in("scale", SCALES), name="scale"),
        sa.CheckConstraint("max_points > 0", name="max_positive"),
        sa.CheckConstraint("weight > 0", name="weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(120))
    max_points: Mapped[Decimal] = mapped_column(sa.Numeric(7, 2))
    scale: Mapped[str] = mapped_column(sa.String(16))
    weight: Mapped[Decimal] = mapped_column(default=Decimal(1))
    position: Mapped[int]
    guidance: Mapped[str] = mapped_column(sa.Text(), default="")

    round: Mapped[Round] = orm.relationship(back_populates="criteria")


class AwardTier(Base):
    __tablename__ = "award_tiers"
    __table_args__ = (
        sa.UniqueConstraint("contest_id", "key"),
        sa.UniqueConstraint("contest_id", "position"),
        sa.CheckConstraint(
            "(count IS NOT NULL AND threshold IS NULL) OR (count IS NULL AND threshold IS NOT NULL)",
            name="count_xor_threshold",
        ),
        sa.CheckConstraint("count IS NULL OR count > 0", name="count_positive"),
        sa.CheckConstraint("key <> 'pending'", name="key_not_pending"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(80))
    award_name: Mapped[str] = mapped_column(sa.String(80), default="")
    position: Mapped[int]
    count: Mapped[int | None]
    threshold: Mapped[Decimal | None]

    contest: Mapped[Contest] = orm.relationship(back_populates="tiers")


class SpecialAward(Base):
    __tablename__ = "special_awards"
    __table_args__ = (
        sa.UniqueConstraint("contest_id", "key"),
        sa.UniqueConstraint("contest_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(80))
    award_name: Mapped[str] = mapped_column(sa.String(80), default="")
    position: Mapped[int]

    contest: Mapped[Contest] = orm.relationship(back_populates="special_awards")
