"""The audit trail: every event, the head of its hash chain."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from judging.models.base import Base, utcnow


class AuditEvent(Base):
    """Append-only record of who did what, when, with the before and after values.

    No foreign keys on purpose: the log must outlive what it describes, and the database
    refuses UPDATE and DELETE on this table (triggers in the migration). The events form one
    hash chain (``seq``, ``prev_hash``, ``hash``; see ``judging.services.audit_chain``), so a
    change made behind the app's back, with the triggers dropped, is still found.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Position in the chain (1, 2, 3, ...), given under the chain head's lock at insert.
    seq: Mapped[int] = mapped_column(sa.BigInteger(), unique=True)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None]
    actor_label: Mapped[str] = mapped_column(sa.String(160), default="")
    contest_id: Mapped[int | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    target_type: Mapped[str] = mapped_column(sa.String(40), default="")
    target_id: Mapped[str] = mapped_column(sa.String(80), default="")
    before: Mapped[dict | None]
    after: Mapped[dict | None]
    address: Mapped[str] = mapped_column(sa.String(64), default="")


class AuditChainHead(Base):
    """The end of the audit hash chain: one row, locked by every append so that two writers never
    fork the chain, and compared with the last event so that events cut from the end are found."""

    __tablename__ = "audit_chain_head"
    __table_args__ = (sa.CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(sa.BigInteger(), default=0)
    last_hash: Mapped[str] = mapped_column(sa.String(64))
