"""The core's results: frozen dataclasses out of ``compute_contest`` (rounds, entries, the final
ranking), with the per-entry detail worked out when first read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from decimal import Decimal, localcontext
from functools import cached_property
from typing import TYPE_CHECKING

from .aggregate import Dropped, Status
from .analytics import RoundAnalytics
from .audience import AudienceResult
from .explain import Explanation
from .model import AdvanceDecision, OrderDecision, SpecialAward, TierDecision
from .rank import TieBreakApplied
from .rounding import CONTEXT, display
from .serialize import JsonMixin
from .tiers import UnresolvedTie

if TYPE_CHECKING:
    from .round_work import RoundDetail

ADVANCED = "advanced"
NOT_ADVANCED = "not_advanced"
TIED_AT_CUT = "tied_at_cut"

_OK, _INSUFFICIENT, _NO_SCORES = str(Status.OK), str(Status.INSUFFICIENT), str(Status.NO_SCORES)


@dataclass(frozen=True)
class MissingScore(JsonMixin):
    """An expected score that is absent (the judge is not conflicted); never counted as zero."""

    judge: str
    entry: str
    criterion: str


@dataclass(frozen=True)
class CriterionResult(JsonMixin):
    """An entry's aggregate on one criterion under the round's method (over the counted judges).

    ``exact`` is on the criterion's own scale (0 to ``max_points``); ``points`` is what it adds to a
    total (× the criterion's weight), shown against ``weighted_max``, so the criteria of a round add
    up to the round's totals."""

    criterion: str
    n: int
    status: str
    exact: Decimal | None
    weight: Decimal = Decimal(1)
    max_points: Decimal | None = None

    _json_properties = ("display", "points_display")

    @property
    def display(self) -> str | None:
        return display(self.exact)

    @property
    def points(self) -> Decimal | None:
        """The aggregate × the criterion's weight."""
        if self.exact is None:
            return None
        with localcontext(CONTEXT):
            return self.exact if self.weight == 1 else self.exact * self.weight

    @property
    def points_display(self) -> str | None:
        return display(self.points)

    @property
    def weighted_max(self) -> Decimal | None:
        """The criterion's maximum × its weight."""
        return None if self.max_points is None else self.max_points * self.weight


class _LazyFields:
    """Equality, hashing and JSON over a frozen dataclass's shown fields plus the properties named in
    ``_json_properties`` that are worked out when first read."""

    _json_properties: tuple[str, ...] = ()

    def _compared(self) -> tuple[object, ...]:
        names = [f.name for f in fields(self) if f.repr] + list(self._json_properties)  # type: ignore[arg-type]
        return tuple(getattr(self, name) for name in names)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, f.name) for f in fields(self) if f.repr))  # type: ignore[arg-type]


@dataclass(frozen=True, eq=False)
class EntryRoundResult(_LazyFields, JsonMixin):
    """One entry in one round. ``n`` = judges whose complete total counts; ``dropped`` lists trimmed
    totals and judges left out (conflict, incomplete sheet) with the reason; ``complete`` is False when
    any expected score is missing (listed in ``missing``). ``criteria`` (the per-criterion aggregates)
    is worked out when first read."""

    entry: str
    status: str
    n: int
    exact: Decimal | None
    message: str | None
    totals: tuple[tuple[str, Decimal], ...]
    dropped: tuple[Dropped, ...]
    recused: tuple[str, ...]
    complete: bool
    missing: tuple[MissingScore, ...]
    untrimmed_mean: Decimal | None
    top_count: int
    rank: int | None
    tie_breaks: tuple[TieBreakApplied, ...]
    advancement: str | None
    _criteria: Callable[[], tuple[CriterionResult, ...]] = field(repr=False)

    _json_properties = ("display", "criteria")

    @property
    def display(self) -> str | None:
        """The aggregate as shown: 2 decimals, half-up."""
        return display(self.exact)

    @cached_property
    def criteria(self) -> tuple[CriterionResult, ...]:
        return self._criteria()


@dataclass(frozen=True, eq=False)
class RoundResult(_LazyFields, JsonMixin):
    """A round's results in rank order. For a screening round (``advance`` set), ``advanced`` lists the
    entries that go on and ``cut_ties`` the undecided ties straddling the cut.

    ``entries`` (every entry's detail, in rank order) and ``analytics`` are worked out when first read;
    ``entry(key)`` works out just that entry."""

    key: str
    title: str
    method_label: str
    max_total: Decimal
    weight: Decimal
    judges: tuple[str, ...]
    advance: int | None
    advanced: tuple[str, ...]
    cut_ties: tuple[UnresolvedTie, ...]
    missing: tuple[MissingScore, ...]
    ignored: tuple[tuple[str, str], ...]
    _detail: RoundDetail = field(repr=False)

    _json_properties = ("entries", "analytics")

    @cached_property
    def entries(self) -> tuple[EntryRoundResult, ...]:
        return self._detail.entries()

    @cached_property
    def analytics(self) -> RoundAnalytics:
        return self._detail.analytics()

    def entry(self, key: str) -> EntryRoundResult:
        return self._detail.entry(key)


@dataclass(frozen=True)
class FinalEntry(JsonMixin):
    """An entry of the final ranking: rank (shared when still tied), tier (a tier key, ``pending`` or
    None), the final figure, n in the last round, and the full explanation."""

    entry: str
    rank: int | None
    tier: str | None
    status: str
    exact: Decimal | None
    display: str | None
    message: str | None
    n: int
    dropped: tuple[str, ...]
    tie_breaks: tuple[TieBreakApplied, ...]
    tier_rule: str
    explanation: Explanation


@dataclass(frozen=True)
class ContestResult(JsonMixin):
    """The whole outcome. ``final`` holds every entry of the last round exactly once, in rank order
    (unranked entries last). ``unresolved_ties`` holds tier ties and screening cut ties still awaiting
    a decision; ``unused_decisions`` recorded decisions that matched no current tie."""

    final_mode: str
    method: str
    final_max: Decimal
    rounds: tuple[RoundResult, ...]
    final: tuple[FinalEntry, ...]
    unresolved_ties: tuple[UnresolvedTie, ...]
    special_awards: tuple[SpecialAward, ...]
    unused_decisions: tuple[TierDecision | OrderDecision | AdvanceDecision, ...]
    audience: tuple[AudienceResult, ...] = ()

    def audience_round(self, key: str) -> AudienceResult:
        for aud in self.audience:
            if aud.key == key:
                return aud
        raise KeyError(key)

    def round(self, key: str) -> RoundResult:
        for rnd in self.rounds:
            if rnd.key == key:
                return rnd
        raise KeyError(key)

    def entry(self, key: str) -> FinalEntry:
        for item in self.final:
            if item.entry == key:
                return item
        raise KeyError(key)

    @property
    def is_final(self) -> bool:
        """True when nothing is pending: no unresolved tie and no missing score."""
        return not self.unresolved_ties and not any(r.missing for r in self.rounds)

