"""Input types of the scoring core: frozen dataclasses over plain values, keyed by strings."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from judging.messages import N_, Message

from .audience import AudienceSpec
from .errors import SpecError
from .rounding import parse_rank_precision
from .scales import Scale, ScaleError, scale_fits, to_decimal

#: Tier value of an entry caught in an undecided tie across a tier boundary.
PENDING = "pending"


class Aggregation(StrEnum):
    """How judges' totals for one entry become the entry's round score."""

    MEAN = "mean"
    TRIMMED_MEAN = "trimmed_mean"
    MEDIAN = "median"
    ZSCORE_MEAN = "zscore_mean"


class FinalMode(StrEnum):
    """How the final order is built from the rounds."""

    LAST = "last"  # the last round's aggregate alone
    WEIGHTED = "weighted"  # every round normalised to 0-100 and combined with the round weights


class RankBasis(StrEnum):
    """What ranking compares: the exact aggregate, or the displayed 2-decimal figure."""

    EXACT = "exact"
    DISPLAYED = "displayed"


def _dec(value: object, what: Message) -> Decimal:
    try:
        return to_decimal(value)
    except ScaleError as exc:
        raise SpecError(N_("{what}: {reason}"), what=what, reason=exc.text) from None


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion of a round's rubric. A judge's total is the sum of ``score × weight``."""

    key: str
    title: str
    max_points: Decimal
    scale: Scale = Scale.POINTS
    weight: Decimal = Decimal(1)
    order: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "scale", Scale(self.scale))
        object.__setattr__(self, "max_points", _dec(self.max_points, Message(N_("심사 기준 {key} 배점"), {"key": self.key})))
        object.__setattr__(self, "weight", _dec(self.weight, Message(N_("심사 기준 {key} 가중치"), {"key": self.key})))
        for _field, reason in criterion_problems(self.scale, self.max_points, self.weight)[:1]:
            raise SpecError(N_("심사 기준 {key}: {reason}"), key=self.key, reason=reason)

    @property
    def weighted_max(self) -> Decimal:
        return self.max_points * self.weight


def round_problems(
    aggregation: object, trim: object, advance: object = None, weight: object = 1
) -> list[tuple[str, Message]]:
    """Why the core could not run a round with these settings, as ``(field, Korean reason)`` pairs (empty
    when it can): an unknown method, a trimmed mean without ``trim`` ≥ 1 (or ``trim`` with another
    method), an advance count below 1, a weight that is not above 0. The contest file, the set-up form
    and ``RoundSpec`` all ask this one function."""
    problems: list[tuple[str, Message]] = []
    try:
        method = Aggregation(str(aggregation))
    except ValueError:
        known = ", ".join(str(a) for a in Aggregation)
        return [("aggregation", Message(N_("집계 방식 '{aggregation}'을(를) 알 수 없습니다 (가능: {known})"),
                                        {"aggregation": aggregation, "known": known}))]
    if isinstance(trim, bool) or not isinstance(trim, int):
        problems.append(("trim", Message(N_("제외 개수(trim)는 정수여야 합니다"))))
    elif method is Aggregation.TRIMMED_MEAN and trim < 1:
        problems.append(("trim", Message(N_("최고점·최저점 제외 평균은 제외 개수가 1 이상이어야 합니다 (trimmed_mean: trim ≥ 1)"))))
    elif method is not Aggregation.TRIMMED_MEAN and trim:
        problems.append(("trim", Message(N_("제외 개수(trim)는 최고점·최저점 제외 평균(trimmed_mean)에서만 씁니다"))))
    if advance is not None and (isinstance(advance, bool) or not isinstance(advance, int) or advance < 1):
        problems.append(("advance", Message(N_("진출 수(advance)는 1 이상의 정수여야 합니다"))))
    try:
        if to_decimal(weight) <= 0:
            problems.append(("weight", Message(N_("라운드 가중치는 0보다 커야 합니다"))))
    except ScaleError as exc:
        problems.append(("weight", Message(N_("라운드 가중치: {reason}"), {"reason": exc.text})))
    return problems


def criterion_problems(scale: object, max_points: object, weight: object = 1) -> list[tuple[str, Message]]:
    """Why the core could not score a criterion with these settings, as ``(field, Korean reason)``
    pairs: an unknown scale, a maximum the scale cannot reach (``scale_fits``), a weight not above 0."""
    problems: list[tuple[str, Message]] = []
    try:
        top = to_decimal(max_points)
    except ScaleError as exc:
        return [("max", Message(N_("배점: {reason}"), {"reason": exc.text}))]
    try:
        reason = scale_fits(Scale(str(scale)), top)
    except ValueError:
        reason = Message(N_("채점 척도 '{scale}'을(를) 알 수 없습니다"), {"scale": scale})
    if reason is not None:
        problems.append(("scale", reason))
    try:
        if to_decimal(weight) <= 0:
            problems.append(("weight", Message(N_("가중치는 0보다 커야 합니다"))))
    except ScaleError as exc:
        problems.append(("weight", Message(N_("가중치: {reason}"), {"reason": exc.text})))
    return problems


@dataclass(frozen=True)
class RoundSpec:
    """One round. ``entries=None`` means: the entries advanced from the previous round (all contest
    entries for the first round). ``judges=None`` means the contest's judges. ``advance`` = top N that
    go on (a screening round); ``trim`` = k for the trimmed mean; ``weight`` is used by the weighted final.
    """

    key: str
    title: str
    criteria: tuple[CriterionSpec, ...]
    order: int = 0
    aggregation: Aggregation = Aggregation.MEAN
    trim: int = 0
    advance: int | None = None
    weight: Decimal = Decimal(1)
    entries: tuple[str, ...] | None = None
    judges: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "aggregation", Aggregation(self.aggregation))
        object.__setattr__(self, "criteria", tuple(self.criteria))
        object.__setattr__(self, "weight", _dec(self.weight, Message(N_("라운드 {key} 가중치"), {"key": self.key})))
        if self.entries is not None:
            object.__setattr__(self, "entries", tuple(self.entries))
        if self.judges is not None:
            object.__setattr__(self, "judges", tuple(self.judges))
        if not self.criteria:
            raise SpecError(N_("라운드 {key}: 심사 기준이 없습니다"), key=self.key)
        keys = [c.key for c in self.criteria]
        if len(set(keys)) != len(keys):
            raise SpecError(N_("라운드 {key}: 심사 기준 키가 중복됩니다"), key=self.key)
        for _field, reason in round_problems(self.aggregation, self.trim, self.advance, self.weight)[:1]:
            raise SpecError(N_("라운드 {key}: {reason}"), key=self.key, reason=reason)
        for group in (self.entries, self.judges):
            if group is not None and len(set(group)) != len(group):
                raise SpecError(N_("라운드 {key}: 참가팀 또는 심사위원이 중복됩니다"), key=self.key)

    @property
    def max_total(self) -> Decimal:
        """The highest total one judge can give an entry (:func:`judging.scoring.sheet.max_total`)."""
        from .sheet import max_total  # sheet builds on this module

        return max_total(self.criteria)

    @property
    def method_label(self) -> str:
        """E.g. "mean", "trimmed_mean k=1"."""
        if self.aggregation is Aggregation.TRIMMED_MEAN:
            return f"trimmed_mean k={self.trim}"
        return str(self.aggregation)

    def criterion(self, key: str) -> CriterionSpec:
        for crit in self.criteria:
            if crit.key == key:
                return crit
        raise KeyError(key)


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """One judge's score on one criterion of one entry. A plain 5-tuple in this order is accepted too."""

    round: str
    judge: str
    entry: str
    criterion: str
    value: Decimal

    def __iter__(self) -> Iterator[object]:
        return iter((self.round, self.judge, self.entry, self.criterion, self.value))


@dataclass(frozen=True)
class RoundSheets:
    """One round's score sheets, already added up: the fast input for large contests, where a database
    can turn ~180,000 score rows into ~25,000 judge totals (``compute_contest(..., sheets=[...])``).

    ``totals[(judge, entry)] = (total, scored)`` for every sheet with at least one score: ``scored`` is
    how many of the round's criteria carry a score, ``total`` the judge's total Σ score × weight, exactly
    as the core adds it from score rows (the same Decimal, exponent included), or None while the sheet
    is incomplete. ``scores(judge, entry)`` gives one sheet's scores by criterion key and ``column(key)``
    one criterion's scores of every sheet by ``(judge, entry)`` (optional: built from ``scores``
    otherwise); the core asks for them only where it needs them (missing scores, per-criterion
    aggregates, tie-break steps). Unlike score rows, these scores are not checked against the scales
    again: pass only scores that were validated when they were written.
    """

    round: str
    totals: Mapping[tuple[str, str], tuple[Decimal | None, int]]
    scores: Callable[[str, str], Mapping[str, Decimal]]
    column: Callable[[str], Mapping[tuple[str, str], Decimal]] | None = None


@dataclass(frozen=True)
class Conflict:
    """The judge steps aside for the entry (제척·기피·회피), in every round."""

    judge: str
    entry: str


@dataclass(frozen=True)
class Assignment:
    """The judge is expected to score the entry in the round. A round with no assignments expects
    every judge of its panel to score every entry."""

    round: str
    judge: str
    entry: str


@dataclass(frozen=True)
class TierSpec:
    """An award tier. ``count``: how many places (None = no limit); ``threshold``: the minimum final
    score (None = none). Tiers are filled in ``order``, best first."""

    key: str
    title: str
    order: int = 0
    count: int | None = None
    threshold: Decimal | None = None

    def __post_init__(self) -> None:
        if self.threshold is not None:
            object.__setattr__(self, "threshold", _dec(self.threshold, Message(N_("등급 {key} 기준 점수"), {"key": self.key})))
        if self.count is not None and self.count < 1:
            raise SpecError(N_("등급 {key}: 정원은 1 이상이어야 합니다"), key=self.key)
        if self.count is None and self.threshold is None:
            raise SpecError(N_("등급 {key}: 정원(count) 또는 기준 점수(threshold)가 필요합니다"), key=self.key)
        if self.key == PENDING:
            raise SpecError(N_("등급 키 '{pending}'는 예약어입니다"), pending=PENDING)


class TieBreakKind(StrEnum):
    ROUND = "round"
    CRITERION = "criterion"
    UNTRIMMED_MEAN = "untrimmed_mean"
    TOP_COUNT = "top_count"
    DECISION = "decision"


@dataclass(frozen=True)
class TieBreakStep:
    """One step of the announced tie-break cascade."""

    kind: TieBreakKind
    key: str | None = None

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.key}" if self.key is not None else str(self.kind)


def parse_tie_break(steps: object) -> tuple[TieBreakStep, ...]:
    """Parse ``["round:final", "criterion:need", "untrimmed_mean", "top_count", "decision"]``.

    Raises ``SpecError`` naming the step for an unknown form, a missing or superfluous key, or a repeat.
    """
    if isinstance(steps, str):
        raise SpecError(N_("동점 처리 규칙은 문자열 목록이어야 합니다"))
    parsed: list[TieBreakStep] = []
    for raw in steps:  # type: ignore[attr-defined]
        if isinstance(raw, TieBreakStep):
            parsed.append(raw)
            continue
        if not isinstance(raw, str):
            raise SpecError(N_("동점 처리 단계는 문자열이어야 합니다: {raw!r}"), raw=raw)
        name, sep, key = raw.strip().partition(":")
        try:
            kind = TieBreakKind(name.strip())
        except ValueError:
            forms = "round:KEY, criterion:KEY, untrimmed_mean, top_count, decision"
            raise SpecError(N_("알 수 없는 동점 처리 단계 '{raw}' (가능: {forms})"), raw=raw, forms=forms) from None
        key = key.strip()
        if kind in (TieBreakKind.ROUND, TieBreakKind.CRITERION):
            if not key:
                raise SpecError(N_("동점 처리 단계 '{raw}'에 키가 없습니다 (예: {kind}:KEY)"), raw=raw, kind=kind)
            parsed.append(TieBreakStep(kind, key))
        else:
            if sep:
                raise SpecError(N_("동점 처리 단계 '{raw}'는 키를 받지 않습니다"), raw=raw)
            parsed.append(TieBreakStep(kind))
    if len(set(parsed)) != len(parsed):
        raise SpecError(N_("동점 처리 단계가 중복됩니다"))
    if any(s.kind is TieBreakKind.DECISION for s in parsed[:-1]):
        raise SpecError(N_("'decision' 단계는 마지막에만 올 수 있습니다"))
    return tuple(parsed)


@dataclass(frozen=True)
class TierDecision:
    """A recorded resolution of a tie across a tier boundary: ``entries`` receive ``tier``.
    Listing every tied entry gives all of them the higher tier; listing some sends the rest down."""

    tier: str
    entries: tuple[str, ...]
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "entries", tuple(self.entries))
        if not self.entries:
            raise SpecError(N_("동점 결정에 참가팀이 없습니다"))
        if not self.reason.strip():
            raise SpecError(N_("동점 결정에는 사유가 필요합니다"))


@dataclass(frozen=True)
class OrderDecision:
    """The organizer's recorded order of tied entries (best first), used by the ``decision`` step.
    ``scope`` is "final" for the final ranking or a round key for that round's ranking."""

    entries: tuple[str, ...]
    reason: str
    scope: str = "final"

    def __post_init__(self) -> None:
        object.__setattr__(self, "entries", tuple(self.entries))
        if len(self.entries) < 2 or len(set(self.entries)) != len(self.entries):
            raise SpecError(N_("순위 결정에는 서로 다른 참가팀이 둘 이상 필요합니다"))
        if not self.reason.strip():
            raise SpecError(N_("순위 결정에는 사유가 필요합니다"))


@dataclass(frozen=True)
class AdvanceDecision:
    """Resolves a tie at a screening cut: of the tied entries, ``entries`` advance, the rest do not."""

    round: str
    entries: tuple[str, ...]
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "entries", tuple(self.entries))
        if not self.reason.strip():
            raise SpecError(N_("진출 결정에는 사유가 필요합니다"))


@dataclass(frozen=True)
class SpecialAward:
    """A designated (not computed) award, with the recorded reason. Any entry may receive one."""

    award: str
    entry: str
    reason: str

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise SpecError(N_("특별상에는 사유가 필요합니다"))


@dataclass(frozen=True)
class ContestSpec:
    """The whole contest as the core needs it.

    ``final``: "last" ranks on the last round alone; "weighted" ranks on
    ``Σ weight_r × (aggregate_r / max_total_r × 100) / Σ weight_r`` over all rounds (a 0-100 score).
    ``rank_precision``: ranks, ties, tier thresholds, screening cuts and every cascade step compare
    the figure rounded half-up to this many decimals (0–4); None (the default here) compares exact
    aggregates. ``rank_basis`` "displayed" is the older spelling of ``rank_precision=2``.
    ``spread_alert``: analytics flags entries whose judges' totals differ by more than this.
    ``special_with_tier``: allow a special award for an entry that also holds a tier (default: refused).
    ``audience``: audience panel rounds (현장평가단, ``AudienceSpec``), combined with the judges' rounds
    in a weighted final only; their ballots never reach a judges' round.
    """

    rounds: tuple[RoundSpec, ...]
    judges: tuple[str, ...]
    entries: tuple[str, ...]
    tiers: tuple[TierSpec, ...] = ()
    tie_break: tuple[TieBreakStep, ...] = ()
    final: FinalMode = FinalMode.LAST
    rank_basis: RankBasis = RankBasis.EXACT
    rank_precision: int | None = None
    spread_alert: Decimal = Decimal(10)
    special_with_tier: bool = False
    audience: tuple[AudienceSpec, ...] = ()

    def __post_init__(self) -> None:
        rounds = tuple(sorted(self.rounds, key=lambda r: (r.order, r.key)))
        object.__setattr__(self, "audience", tuple(sorted(self.audience, key=lambda a: (a.order, a.key))))
        object.__setattr__(self, "rounds", rounds)
        object.__setattr__(self, "tiers", tuple(sorted(self.tiers, key=lambda t: (t.order, t.key))))
        object.__setattr__(self, "judges", tuple(self.judges))
        object.__setattr__(self, "entries", tuple(self.entries))
        object.__setattr__(self, "tie_break", parse_tie_break(self.tie_break))
        object.__setattr__(self, "final", FinalMode(self.final))
        object.__setattr__(self, "rank_basis", RankBasis(self.rank_basis))
        if self.rank_precision is not None:
            try:
                object.__setattr__(self, "rank_precision", parse_rank_precision(self.rank_precision))
            except SpecError as exc:
                raise SpecError(exc.text) from None
        elif self.rank_basis is RankBasis.DISPLAYED:
            object.__setattr__(self, "rank_precision", 2)
        object.__setattr__(self, "spread_alert", _dec(self.spread_alert, Message(N_("점수 차 경고 기준"))))
        if not rounds:
            raise SpecError(N_("라운드가 없습니다"))
        for what, keys in (
            (N_("라운드"), [r.key for r in rounds] + [a.key for a in self.audience]),
            (N_("심사위원"), list(self.judges)),
            (N_("참가팀"), list(self.entries)),
            (N_("등급"), [t.key for t in self.tiers]),
        ):
            if len(set(keys)) != len(keys):
                raise SpecError(N_("{what} 키가 중복됩니다"), what=Message(what))
        known_entries = set(self.entries)
        known_judges = set(self.judges)
        for rnd in rounds:
            if rnd.entries is not None and not set(rnd.entries) <= known_entries:
                raise SpecError(N_("라운드 {key}: 대회에 없는 참가팀이 있습니다"), key=rnd.key)
            if rnd.judges is not None and not set(rnd.judges) <= known_judges:
                raise SpecError(N_("라운드 {key}: 대회에 없는 심사위원이 있습니다"), key=rnd.key)
        for aud in self.audience:
            if aud.entries is not None and not set(aud.entries) <= known_entries:
                raise SpecError(N_("현장평가단 {key}: 대회에 없는 참가팀이 있습니다"), key=aud.key)
        if self.audience and self.final is not FinalMode.WEIGHTED:
            raise SpecError(N_('현장평가단 라운드는 최종 점수를 가중 합산(final = "weighted")할 때만 쓸 수 있습니다'))
        round_keys = {r.key for r in rounds}
        for step in self.tie_break:
            if step.kind is TieBreakKind.ROUND and step.key not in round_keys:
                raise SpecError(N_("동점 처리 단계 '{label}': 없는 라운드입니다"), label=step.label)
            if step.kind is TieBreakKind.CRITERION and self.criterion_round(step.key or "") is None:
                raise SpecError(N_("동점 처리 단계 '{label}': 없는 심사 기준입니다"), label=step.label)

    def round(self, key: str) -> RoundSpec:
        for rnd in self.rounds:
            if rnd.key == key:
                return rnd
        raise KeyError(key)

    def criterion_round(self, criterion: str, prefer: str | None = None) -> RoundSpec | None:
        """The round whose criterion ``criterion`` a ``criterion:KEY`` step means: the preferred round
        (the one being ranked; the last round for the final) if it has the criterion, else the last
        round that has it."""
        if prefer is not None:
            rnd = self.round(prefer)
            if any(c.key == criterion for c in rnd.criteria):
                return rnd
        for rnd in reversed(self.rounds):
            if any(c.key == criterion for c in rnd.criteria):
                return rnd
        return None
