"""After the result: approvals (결재), objections (이의신청), certificates, revoked awards and
the ceremony's running order."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column

from judging.models.base import Base, _in, utcnow

if TYPE_CHECKING:  # relationship targets resolve by name in the shared registry
    from judging.models.entries import Entry
    from judging.models.people import User


class Certificate(Base):
    """A certificate number allocated once to one award of one entry; never reused."""

    __tablename__ = "certificates"
    __table_args__ = (
        sa.UniqueConstraint("contest_id", "year", "serial"),
        # One valid certificate per award; a revoked one may be reissued under a new number.
        sa.Index("uq_certificates_valid_award", "contest_id", "entry_id", "award_key", unique=True,
                 sqlite_where=sa.text("revoked_at IS NULL"), postgresql_where=sa.text("revoked_at IS NULL")),
        # Each contest numbers its own series per year, so the printed number is unique within
        # a contest only; the verify token is what is unique everywhere.
        sa.UniqueConstraint("contest_id", "number"),
        sa.CheckConstraint("serial >= 1", name="serial_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    award_key: Mapped[str] = mapped_column(sa.String(40))
    award_title: Mapped[str] = mapped_column(sa.String(80))
    year: Mapped[int]
    serial: Mapped[int]
    number: Mapped[str] = mapped_column(sa.String(40), index=True)
    verify_token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    recipient: Mapped[str] = mapped_column(sa.String(200))
    snapshot_version: Mapped[int]
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]
    revoke_reason: Mapped[str] = mapped_column(sa.Text(), default="")
    # A revoked certificate reissued under a new number points at its replacement.
    replaced_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificates.id", ondelete="SET NULL"))

APPROVAL_STATUSES = ("pending", "approved", "refused", "withdrawn")

OBJECTION_STATUSES = ("open", "accepted", "rejected")


class ResultApproval(Base):
    """A request that a second organizer approve the locked result before it is published.

    ``digest`` is the SHA-256 of the result payload the requester saw; an approval is good only for
    that exact result. ``snapshot_id`` is set when the approved result is published.
    """

    __tablename__ = "result_approvals"
    __table_args__ = (
        sa.CheckConstraint(_in("status", APPROVAL_STATUSES), name="status"),
        sa.CheckConstraint("status <> 'refused' OR length(reason) > 0", name="refusal_has_reason"),
        sa.CheckConstraint("decided_by IS NULL OR decided_by <> requested_by", name="second_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(sa.String(64))
    base_version: Mapped[int | None]  # the latest published version when it was requested
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    note: Mapped[str] = mapped_column(sa.Text(), default="")
    requested_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[dt.datetime | None]
    reason: Mapped[str] = mapped_column(sa.Text(), default="")
    snapshot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("result_snapshots.id", ondelete="SET NULL"))

    requester: Mapped[User | None] = orm.relationship(foreign_keys=[requested_by])
    decider: Mapped[User | None] = orm.relationship(foreign_keys=[decided_by])


class Objection(Base):
    """A council's objection (이의신청) to a published result, and the organizer's answer."""

    __tablename__ = "objections"
    __table_args__ = (
        sa.CheckConstraint(_in("status", OBJECTION_STATUSES), name="status"),
        sa.CheckConstraint("length(grounds) > 0", name="grounds_not_empty"),
        sa.CheckConstraint("status = 'open' OR length(answer) > 0", name="answer_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]  # the published version objected to
    grounds: Mapped[str] = mapped_column(sa.Text())
    status: Mapped[str] = mapped_column(sa.String(16), default="open")
    filed_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    filed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    answer: Mapped[str] = mapped_column(sa.Text(), default="")
    answered_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[dt.datetime | None]
    corrected_version: Mapped[int | None]  # the version published after an accepted objection

    entry: Mapped[Entry] = orm.relationship()
    attachments: Mapped[list[ObjectionAttachment]] = orm.relationship(
        back_populates="objection", order_by="ObjectionAttachment.id", cascade="all, delete-orphan"
    )


class ObjectionAttachment(Base):
    """A file filed with an objection (stored like entry attachments, outside any static folder)."""

    __tablename__ = "objection_attachments"
    __table_args__ = (sa.CheckConstraint("size >= 0", name="size_non_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    objection_id: Mapped[int] = mapped_column(sa.ForeignKey("objections.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(120))
    size: Mapped[int] = mapped_column(sa.BigInteger())
    sha256: Mapped[str] = mapped_column(sa.String(64))

    objection: Mapped[Objection] = orm.relationship(back_populates="attachments")


class AwardRevocation(Base):
    """An award taken back after publication, with its reason; its certificates are revoked with it."""

    __tablename__ = "award_revocations"
    __table_args__ = (
        sa.UniqueConstraint("contest_id", "entry_id", "award_key"),
        sa.CheckConstraint("length(reason) > 0", name="reason_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    award_key: Mapped[str] = mapped_column(sa.String(40))
    award_title: Mapped[str] = mapped_column(sa.String(80))
    reason: Mapped[str] = mapped_column(sa.Text())
    revoked_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CeremonyPosition(Base):
    """Where the ceremony's reveal stands, so that a presenter on another device follows the projector.

    One row per contest; ``seq`` goes up with every move so that a window can tell a newer position
    from its own echo. Not audited: it changes nothing anyone is judged by."""

    __tablename__ = "ceremony_positions"
    __table_args__ = (
        sa.CheckConstraint("slide >= 0", name="slide_non_negative"),
        sa.CheckConstraint("seq >= 1", name="seq_positive"),
    )

    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int]
    slide: Mapped[int] = mapped_column(default=0)
    seq: Mapped[int] = mapped_column(default=1)
    moved_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
