"""The whole contest data model, typed SQLAlchemy 2, one module per aggregate.

The database enforces what it can: keys are unique per contest, scores are unique per
(judge, entry, criterion), ranges and enumerations are CHECK constraints, every reference is
a foreign key. Rules that span tables (a score within its criterion's maximum, a sheet that is
submitted) are enforced by the services. Models never call ``url_for`` or ``current_app``.
"""

from judging.models.audience import (
    AudienceBallot,
    AudienceRating,
    AudienceRound,
    AudienceRoundEntry,
    AudienceVote,
)
from judging.models.audit import (
    AuditChainHead,
    AuditEvent,
)
from judging.models.base import (
    AGGREGATIONS,
    CONFLICT_SOURCES,
    CONTEST_STATUSES,
    DECISION_KINDS,
    ENTRY_STATUSES,
    FINAL_MODES,
    NAMING_CONVENTION,
    ORG_ROLES,
    RANK_PRECISIONS,
    ROLES,
    ROUND_STATUSES,
    SCALES,
    SHEET_STATUSES,
    Base,
    utcnow,
)
from judging.models.contests import (
    AwardTier,
    Contest,
    Criterion,
    Round,
    SpecialAward,
)
from judging.models.entries import (
    Attachment,
    Entrant,
    Entry,
)
from judging.models.people import (
    Organization,
    RateCounter,
    SignInFailure,
    User,
)
from judging.models.publication import (
    APPROVAL_STATUSES,
    OBJECTION_STATUSES,
    AwardRevocation,
    CeremonyPosition,
    Certificate,
    Objection,
    ObjectionAttachment,
    ResultApproval,
)
from judging.models.results import (
    Decision,
    DecisionEntry,
    ResultSnapshot,
)
from judging.models.sheets import (
    SIGNATURE_METHODS,
    Assignment,
    Conflict,
    EntryComment,
    RoundEntry,
    Score,
    Sheet,
    SheetSignature,
)

__all__ = [
    "NAMING_CONVENTION",
    "CONTEST_STATUSES",
    "ROUND_STATUSES",
    "AGGREGATIONS",
    "SCALES",
    "ROLES",
    "ORG_ROLES",
    "ENTRY_STATUSES",
    "SHEET_STATUSES",
    "DECISION_KINDS",
    "FINAL_MODES",
    "RANK_PRECISIONS",
    "CONFLICT_SOURCES",
    "utcnow",
    "Base",
    "Organization",
    "User",
    "SignInFailure",
    "RateCounter",
    "Contest",
    "Round",
    "Criterion",
    "AwardTier",
    "SpecialAward",
    "Entrant",
    "Entry",
    "Attachment",
    "RoundEntry",
    "Assignment",
    "Conflict",
    "Score",
    "EntryComment",
    "Sheet",
    "SIGNATURE_METHODS",
    "SheetSignature",
    "Decision",
    "DecisionEntry",
    "ResultSnapshot",
    "Certificate",
    "APPROVAL_STATUSES",
    "OBJECTION_STATUSES",
    "ResultApproval",
    "Objection",
    "ObjectionAttachment",
    "AwardRevocation",
    "CeremonyPosition",
    "AuditEvent",
    "AuditChainHead",
    "AudienceRound",
    "AudienceRoundEntry",
    "AudienceBallot",
    "AudienceVote",
    "AudienceRating",
]
