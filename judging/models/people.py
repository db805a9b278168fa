"""People and organizations: the city departments, every account, and the sign-in throttles."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column

from judging.models.base import ORG_ROLES, ROLES, Base, _in, utcnow

if TYPE_CHECKING:  # relationship targets resolve by name in the shared registry
    from judging.models.contests import Contest
    from judging.models.entries import Entrant


class Organization(Base):
    """A city department (e.g. 고양특례시 복지정책과): it owns contests; its organizers see only those."""

    __tablename__ = "organizations"
    __table_args__ = (sa.CheckConstraint("length(slug) > 0", name="slug_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    # Every contest of the organization is published only after a second organizer's approval (결재).
    approval_required: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class User(Base):
    """Anyone who signs in: an organizer, a judge (no password) or a council."""

    __tablename__ = "users"
    __table_args__ = (
        sa.UniqueConstraint("contest_id", "judge_key"),
        sa.CheckConstraint(_in("role", ROLES), name="role"),
        sa.CheckConstraint("role <> 'judge' OR password_hash IS NULL", name="judge_no_password"),
        sa.CheckConstraint("role <> 'judge' OR (contest_id IS NOT NULL AND judge_key IS NOT NULL)", name="judge_contest"),
        sa.CheckConstraint("role <> 'council' OR entrant_id IS NOT NULL", name="council_entrant"),
        sa.CheckConstraint("role = 'judge' OR login IS NOT NULL", name="login_unless_judge"),
        sa.CheckConstraint("credential_version >= 1", name="credential_version_positive"),
        sa.CheckConstraint("session_epoch >= 1", name="session_epoch_positive"),
        sa.CheckConstraint(
            "role <> 'organizer' OR (organization_id IS NOT NULL AND org_role IS NOT NULL)", name="organizer_org"
        ),
        sa.CheckConstraint("org_role IS NULL OR " + _in("org_role", ORG_ROLES), name="org_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    login: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    affiliation: Mapped[str] = mapped_column(sa.String(160), default="")
    email: Mapped[str] = mapped_column(sa.String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    contest_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contests.id", ondelete="CASCADE"), index=True)
    entrant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("entrants.id", ondelete="CASCADE"), index=True)
    judge_key: Mapped[str | None] = mapped_column(sa.String(40))
    # Sign-in links and codes are derived from the secret key and this version; bumping it
    # revokes every link, code and open session of the user at once.
    credential_version: Mapped[int] = mapped_column(default=1)
    # Every open session of the user carries this number; signing out or changing the password bumps
    # it, so a copied session cookie is dead from then on (links and codes stay valid).
    session_epoch: Mapped[int] = mapped_column(default=1, server_default="1")
    # Organizers only: the organization and the role in it.
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id", ondelete="RESTRICT"),
                                                        index=True)
    org_role: Mapped[str | None] = mapped_column(sa.String(16))
    link_digest: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    code_digest: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    pledged_at: Mapped[dt.datetime | None]
    conflicts_declared_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[dt.datetime | None]

    entrant: Mapped[Entrant | None] = orm.relationship()
    contest: Mapped[Contest | None] = orm.relationship()
    organization: Mapped[Organization | None] = orm.relationship()

    # Flask-Login protocol, kept here so the model needs no Flask import.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.credential_version}:{self.session_epoch}"


class SignInFailure(Base):
    """A failed sign-in, kept in the database so throttling holds across worker processes."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (sa.Index("ix_sign_in_failures_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


# --- judge scoring: request rate counters -------------------------------------------------


class RateCounter(Base):
    """A fixed-window request counter per key (e.g. one judge's autosaves per minute).

    Kept in the database, not in process memory, so the limit holds across worker processes.
    ``window_index`` is the window's number: whole seconds since the epoch divided by its length.
    """

    __tablename__ = "rate_counters"
    __table_args__ = (sa.CheckConstraint("count >= 0", name="count_non_negative"),)

    key: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    window_index: Mapped[int] = mapped_column(sa.BigInteger())
    count: Mapped[int] = mapped_column(default=0)


# --- audience panel (현장평가단) -----------------------------------------------------------------
# Its own tables, apart from rounds, sheets and scores: a ballot can never reach a judge's sheet and a
# judge's score can never be counted as a vote.
