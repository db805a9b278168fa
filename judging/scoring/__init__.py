"""The pure scoring core: standard library only, Decimal throughout, no flask, no sqlalchemy.

Scores flow in as plain values (string keys for rounds, judges, entries, criteria and tiers) and come
out as frozen dataclasses. Nothing here reads a clock, draws a random number or depends on input order.

Public API
----------
Scales (``scales``)
    ``Scale`` ("grades", "points", "half_points"); ``allowed_values(scale, max)``;
    ``grade_labels(max)`` -> ((label, value), ...); ``check_score(scale, max, value) -> Decimal``
    (raises ``ScaleError`` with a message id and parameters); ``scale_fits(scale, max) -> Message | None``.
Display (``rounding``)
    ``display(d) -> "91.33"`` (2 decimals, half-up); ``CONTEXT`` (28 digits) for all arithmetic.
Inputs (``model``)
    ``ContestSpec(rounds, judges, entries, tiers, tie_break, final, rank_basis, spread_alert,
    special_with_tier)``; ``RoundSpec(key, title, criteria, order, aggregation, trim, advance, weight,
    entries, judges)``; ``CriterionSpec(key, title, max_points, scale, weight, order)``;
    ``TierSpec(key, title, order, count, threshold)``; ``ScoreRow(round, judge, entry, criterion, value)``
    (or a plain 5-tuple); ``RoundSheets(round, totals, scores, column)`` (a round's sheets already added
    up, e.g. by the database: the fast input for large contests; ``sheet_total(round_spec, scores)`` is
    the one way a total is added); ``Conflict(judge, entry)``; ``Assignment(round, judge, entry)``;
    ``TierDecision(tier, entries, reason)``; ``OrderDecision(entries, reason, scope="final")``;
    ``AdvanceDecision(round, entries, reason)``; ``SpecialAward(award, entry, reason)``;
    ``parse_tie_break(["round:KEY", "criterion:KEY", "untrimmed_mean", "top_count", "decision"])``.
A judge's sheet (``sheet``)
    ``sheet_total(round_spec, scores)`` (a complete sheet), ``running_total(criteria, scores)`` (the
    scores given so far, what the tablet shows), ``max_total(criteria)``, ``weighted_score(c, v)``:
    the only place a total or a maximum is added up (Σ score × weight). Every screen, document and
    export asks these through a service.
Computation
    ``compute_contest(spec, scores, conflicts, assignments, tier_decisions, order_decisions,
    special_awards, advance_decisions, *, sheets=()) -> ContestResult``; building blocks ``aggregate``,
    ``aggregate_value``, ``aggregate_matrix``, ``rank_entries``, ``allocate_tiers``, ``analyse_round``.
    Ranking is computed at once; each round's per-entry detail (``RoundResult.entries``/``entry()``),
    per-criterion aggregates and ``analytics`` are worked out when first read (same values either way).
Audience panel (``audience``, ``combination``)
    ``AudienceSpec(key, title, weight, max_points, order, entries)`` in ``ContestSpec.audience``;
    ``AudienceBallot(round, ratings)`` passed as ``compute_contest(..., audience=[...])``; each entry
    is rated 1–5 and its mean mapped linearly onto the announced scale (1 → 0, 5 → max):
    ``tally_audience``, ``map_mean``, ``RATING_LABELS``; ``ContestResult.audience`` holds the
    ``AudienceResult``s. ``combination_check(spec, result, margin) -> CombinationCheck``: each
    entry's contribution per component and each component's announced vs effective weight (its
    covariance share of the final scores' variance), with warnings beyond the margin.
Results (``result``; score inputs in ``inputs``)
    ``ContestResult`` (``rounds``, ``final``, ``unresolved_ties``, ``special_awards``,
    ``unused_decisions``, ``method``, ``to_dict()``); ``RoundResult`` (``method_label``, ``entries``,
    ``advanced``, ``cut_ties``, ``missing``, ``analytics``); ``EntryRoundResult``; ``FinalEntry``
    (``rank``, ``tier``, ``exact``, ``display``, ``n``, ``tie_breaks``, ``tier_rule``, ``explanation``);
    ``Explanation`` (``lines()`` gives sentences as ``Text``: Korean strings that remember their message,
    so the web renders them in the reader's language); ``UnresolvedTie``; ``TieBreakApplied``.

Rules where the domain leaves a choice
--------------------------------------
* A judge's total counts for an entry only when the sheet is complete; an incomplete sheet leaves the
  total out, lists the missing scores and marks the entry ``complete=False``. Missing is never zero.
* Trimming marks which of equal totals was dropped by judge key; the value is the same either way.
  Fewer than 2k+1 totals gives status ``insufficient`` (no rank, no tier), never another method.
* Z-score mean: a judge with no spread (one entry or one value) gets z = 0 (the panel mean); mapped
  values are clamped to [0, round max].
* Weighted final: ``Σ w_r × (aggregate_r / max_r × 100) / Σ w_r`` over all rounds (0-100), computed
  exactly with fractions when every round's method is rational. Only entries of the last round are
  ranked; an entry lacking a round's aggregate is ``insufficient``.
* ``criterion:KEY`` means the criterion of the round being ranked (the last round for the final),
  else the last round that has it. ``untrimmed_mean`` is the plain mean of the same round(s);
  ``top_count`` counts judges of the ranked round (the last, for the final) whose highest total went
  to the entry (shared highs count for each).
* Tier boundary tie: all tied entries ``pending``; places below are held for them. A ``TierDecision``
  gives the listed entries the higher tier (beyond its count if it lists them all); the rest go to the
  next tier with its full count; unused places of the decided tier lapse.
* One result, one award: a special award to an entry holding a tier (or pending) raises
  ``AwardConflictError`` unless ``ContestSpec.special_with_tier``; an entry gets one special award.
* A screening cut tie: the tied entries are ``tied_at_cut``, do not advance, and are reported in
  ``unresolved_ties`` until an ``AdvanceDecision`` names who goes on.
"""

from .aggregate import (
    DROP_HIGH,
    DROP_LOW,
    INCOMPLETE,
    RECUSED,
    Aggregate,
    Dropped,
    Status,
    aggregate,
    aggregate_matrix,
    aggregate_value,
)
from .analytics import Agreement, Disagreement, JudgeStats, RoundAnalytics, analyse_round, icc_2_1, kendall_w
from .audience import (
    RATING_LABELS,
    RATING_MAX,
    RATING_MIN,
    AudienceBallot,
    AudienceEntry,
    AudienceExplanation,
    AudienceResult,
    AudienceSpec,
    Turnout,
    audience_ballots_from,
    map_mean,
    tally_audience,
)
from .combination import CombinationCheck, ComponentWeight, EntryPart, EntryParts, combination_check
from .compute import compute_contest
from .errors import AwardConflictError, DecisionError, ScaleError, ScoreInputError, ScoringError, SpecError
from .explain import Explanation, RoundExplanation
from .model import (
    PENDING,
    AdvanceDecision,
    Aggregation,
    Assignment,
    Conflict,
    ContestSpec,
    CriterionSpec,
    FinalMode,
    OrderDecision,
    RankBasis,
    RoundSheets,
    RoundSpec,
    ScoreRow,
    SpecialAward,
    TieBreakKind,
    TieBreakStep,
    TierDecision,
    TierSpec,
    criterion_problems,
    parse_tie_break,
    round_problems,
)
from .rank import Placing, TieBreakApplied, rank_entries
from .result import (
    ADVANCED,
    NOT_ADVANCED,
    TIED_AT_CUT,
    ContestResult,
    CriterionResult,
    EntryRoundResult,
    FinalEntry,
    MissingScore,
    RoundResult,
)
from .rounding import CONTEXT, display
from .scales import Scale, allowed_values, check_score, grade_labels, scale_fits
from .sheet import max_total, running_total, sheet_total, weighted_score
from .tiers import TierOutcome, TierPlacement, UnresolvedTie, allocate_tiers

__all__ = [
    "RATING_LABELS",
    "RATING_MAX",
    "RATING_MIN",
    "AudienceBallot",
    "AudienceEntry",
    "AudienceExplanation",
    "AudienceResult",
    "AudienceSpec",
    "Turnout",
    "CombinationCheck",
    "ComponentWeight",
    "EntryPart",
    "EntryParts",
    "audience_ballots_from",
    "combination_check",
    "map_mean",
    "tally_audience",
    "ADVANCED",
    "CONTEXT",
    "DROP_HIGH",
    "DROP_LOW",
    "INCOMPLETE",
    "NOT_ADVANCED",
    "PENDING",
    "RECUSED",
    "TIED_AT_CUT",
    "AdvanceDecision",
    "Aggregate",
    "Aggregation",
    "Agreement",
    "Assignment",
    "AwardConflictError",
    "Conflict",
    "ContestResult",
    "ContestSpec",
    "CriterionResult",
    "CriterionSpec",
    "DecisionError",
    "Disagreement",
    "Dropped",
    "EntryRoundResult",
    "Explanation",
    "FinalEntry",
    "FinalMode",
    "JudgeStats",
    "MissingScore",
    "OrderDecision",
    "Placing",
    "RankBasis",
    "RoundAnalytics",
    "RoundExplanation",
    "RoundResult",
    "RoundSheets",
    "RoundSpec",
    "Scale",
    "ScaleError",
    "ScoreInputError",
    "ScoreRow",
    "ScoringError",
    "SpecError",
    "SpecialAward",
    "Status",
    "TieBreakApplied",
    "TieBreakKind",
    "TieBreakStep",
    "TierDecision",
    "TierOutcome",
    "TierPlacement",
    "TierSpec",
    "UnresolvedTie",
    "aggregate",
    "aggregate_matrix",
    "aggregate_value",
    "allocate_tiers",
    "allowed_values",
    "analyse_round",
    "check_score",
    "compute_contest",
    "criterion_problems",
    "display",
    "grade_labels",
    "icc_2_1",
    "kendall_w",
    "max_total",
    "parse_tie_break",
    "rank_entries",
    "round_problems",
    "running_total",
    "scale_fits",
    "sheet_total",
    "weighted_score",
]
