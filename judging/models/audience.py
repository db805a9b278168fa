"""The audience vote: its rounds, entries, ballots, votes and ratings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column

from judging.models.base import ROUND_STATUSES, Base, _in, utcnow

if TYPE_CHECKING:  # relationship targets resolve by name in the shared registry
    from judging.models.contests import Contest
    from judging.models.entries import Entry


class AudienceRound(Base):
    """An audience round: the announced weight and scale; voting opens and closes with ``status``."""

    __tablename__ = "audience_rounds"
    __table_args__ = (
        sa.UniqueConstraint("contest_id", "key"),
        sa.CheckConstraint(_in("status", ROUND_STATUSES), name="status"),
        sa.CheckConstraint("weight > 0", name="weight_positive"),
        sa.CheckConstraint("max_points > 0", name="max_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int]
    weight: Mapped[Decimal] = mapped_column(default=Decimal(1))
    max_points: Mapped[Decimal] = mapped_column(sa.Numeric(7, 2), default=Decimal(100))
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    opened_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]

    contest: Mapped[Contest] = orm.relationship(back_populates="audience_rounds")
    round_entries: Mapped[list[AudienceRoundEntry]] = orm.relationship(
        back_populates="round", order_by="AudienceRoundEntry.position", cascade="all, delete-orphan"
    )


class AudienceRoundEntry(Base):
    """An entry on an audience round's ballot (none listed: the finalists of the last judges' round)."""

    __tablename__ = "audience_round_entries"
    __table_args__ = (sa.UniqueConstraint("round_id", "position"),)

    round_id: Mapped[int] = mapped_column(sa.ForeignKey("audience_rounds.id", ondelete="CASCADE"),
                                          primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int]

    round: Mapped[AudienceRound] = orm.relationship(back_populates="round_entries")
    entry: Mapped[Entry] = orm.relationship()


class AudienceBallot(Base):
    """One printed, single-use ballot card. Only the SHA-256 of its token is stored; ``serial`` is the
    number printed on the card (to revoke a lost one). Nothing here names a person, and nothing links
    the card to the vote it cast: ``used_at`` is set in the same transaction that stores the vote,
    by a conditional UPDATE the database applies at most once."""

    __tablename__ = "audience_ballots"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "serial"),
        sa.CheckConstraint("serial >= 1", name="serial_positive"),
        sa.CheckConstraint("used_at IS NULL OR revoked_at IS NULL", name="used_or_revoked"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("audience_rounds.id", ondelete="CASCADE"), index=True)
    serial: Mapped[int]
    batch: Mapped[int] = mapped_column(default=1)
    token_digest: Mapped[str] = mapped_column(sa.String(64), unique=True)
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    revoke_reason: Mapped[str] = mapped_column(sa.Text(), default="")


class AudienceVote(Base):
    """A cast ballot's content. A random key, no time, no reference to the card or the voter."""

    __tablename__ = "audience_votes"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("audience_rounds.id", ondelete="CASCADE"), index=True)


class AudienceRating(Base):
    """One rating (1–5) of one entry on one cast ballot."""

    __tablename__ = "audience_ratings"
    __table_args__ = (sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    vote_id: Mapped[str] = mapped_column(sa.ForeignKey("audience_votes.id", ondelete="CASCADE"), primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True)
    rating: Mapped[int]


# --- approval (결재), objections (이의신청), revoked awards ----------------------------------------
