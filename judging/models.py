"""The whole contest data model, typed SQLAlchemy 2.

The database enforces what it can: keys are unique per contest, scores are unique per
(judge, entry, criterion), ranges and enumerations are CHECK constraints, every reference is
a foreign key. Rules that span tables (a score within its criterion's maximum, a sheet that is
submitted) are enforced by the services. Models never call ``url_for`` or ``current_app``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm import Mapped, mapped_column

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
