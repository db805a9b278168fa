"""The audience panel (현장평가단): ballots in, one score per entry on the round's announced scale out.

The scale is fixed and printed on every ballot: each audience member rates every finalist from
1 (매우 부족) to 5 (매우 좋음). An entry's audience aggregate is the mean of its ratings, mapped
linearly onto the round's announced maximum so that 1 gives 0 points and 5 gives full marks:

    score = (mean − 1) / (5 − 1) × max_points

The mapping is exact (fractions); the combination with the judges' rounds (``final = "weighted"``)
treats the audience round like any other round: normalised to 100 and weighted by its announced
weight. Nothing here knows a voter: a ballot is a set of ratings and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from judging.messages import N_, Message, Text

from .errors import ScoreInputError, SpecError
from .rounding import display, fraction_to_decimal, plain
from .serialize import JsonMixin

#: The lowest and highest rating one audience member gives one entry.
RATING_MIN = 1
RATING_MAX = 5
#: The ratings best first with their labels, as printed on the ballot and the voting page.
RATING_LABELS: tuple[tuple[int, str], ...] = (
    (5, N_("매우 좋음")),
    (4, N_("좋음")),
    (3, N_("보통")),
    (2, N_("부족")),
    (1, N_("매우 부족")),
)

AUDIENCE_METHOD = "audience_mean 1-5"


def _dec(value: object, what: Message) -> Decimal:
    try:
        found = value if isinstance(value, Decimal) else Decimal(str(value))
    except ArithmeticError:
        raise SpecError(N_("{what}: 숫자가 아닙니다 ({value!r})"), what=what, value=value) from None
    if not found.is_finite():
        raise SpecError(N_("{what}: 숫자가 아닙니다 ({value!r})"), what=what, value=value)
    return found


@dataclass(frozen=True)
class AudienceSpec:
    """An audience round: its announced weight and scale (``max_points``, default 100).

    ``entries=None`` means the entries of the last judges' round (the finalists)."""

    key: str
    title: str
    weight: Decimal = Decimal(1)
    max_points: Decimal = Decimal(100)
    order: int = 0
    entries: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "weight", _dec(self.weight, Message(N_("현장평가단 {key} 가중치"), {"key": self.key})))
        object.__setattr__(self, "max_points", _dec(self.max_points, Message(N_("현장평가단 {key} 배점"), {"key": self.key})))
        if self.entries is not None:
            object.__setattr__(self, "entries", tuple(self.entries))
            if len(set(self.entries)) != len(self.entries):
                raise SpecError(N_("현장평가단 {key}: 참가팀이 중복됩니다"), key=self.key)
        if self.weight <= 0:
            raise SpecError(N_("현장평가단 {key}: 가중치는 0보다 커야 합니다"), key=self.key)
        if self.max_points <= 0:
            raise SpecError(N_("현장평가단 {key}: 배점은 0보다 커야 합니다"), key=self.key)

    @property
    def max_total(self) -> Decimal:
        """The round's announced maximum (the name the weighted combination reads for every round)."""
        return self.max_points

    @property
    def method_label(self) -> str:
        return AUDIENCE_METHOD


@dataclass(frozen=True)
class AudienceBallot:
    """One cast ballot of an audience round: ``ratings`` = ((entry, rating 1..5), ...)."""

    round: str
    ratings: tuple[tuple[str, int], ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "ratings", tuple((str(e), r) for e, r in self.ratings))


def map_mean(mean: Fraction, max_points: Decimal) -> Fraction:
    """The announced-scale score of a mean rating: 1 → 0, 5 → ``max_points``, linear between."""
    return (mean - RATING_MIN) / (RATING_MAX - RATING_MIN) * Fraction(max_points)


@dataclass(frozen=True)
class AudienceEntry(JsonMixin):
    """One entry's audience aggregate. ``counts`` = how many ballots gave 1, 2, 3, 4, 5; ``n`` = the
    ballots that rated it; ``mean`` the mean rating; ``exact`` the mapped score (None without ballots)
    and ``ratio`` the same score as an exact fraction (what the weighted combination adds)."""

    entry: str
    status: str
    n: int
    counts: tuple[int, ...]
    mean: Decimal | None
    exact: Decimal | None
    ratio: Fraction | None
    message: str | None

    _json_properties = ("display",)

    @property
    def display(self) -> str | None:
        return display(self.exact)

    @property
    def mean_display(self) -> str | None:
        return display(self.mean)


@dataclass(frozen=True)
class AudienceResult(JsonMixin):
    """An audience round tallied: ``ballots`` counted, ``entries`` in entry-key order."""

    key: str
    title: str
    weight: Decimal
    max_total: Decimal
    ballots: int
    entries: tuple[AudienceEntry, ...]

    @property
    def method_label(self) -> str:
        return AUDIENCE_METHOD

    def entry(self, key: str) -> AudienceEntry:
        for item in self.entries:
            if item.entry == key:
                return item
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return any(item.entry == key for item in self.entries)


def tally_audience(
    spec: AudienceSpec, entries: Iterable[str], ballots: Iterable[AudienceBallot]
) -> AudienceResult:
    """Count one audience round's ballots. ``entries`` are the entries on the ballot (the spec's own
    list wins). Raises ``ScoreInputError`` for a rating off the 1–5 scale, an entry not on the ballot
    or rated twice on one ballot. The result does not depend on the order of the ballots."""
    on_ballot = tuple(sorted(spec.entries if spec.entries is not None else entries))
    known = set(on_ballot)
    counts: dict[str, list[int]] = {e: [0] * (RATING_MAX - RATING_MIN + 1) for e in on_ballot}
    cast = 0
    for number, ballot in enumerate(ballots, start=1):
        if ballot.round != spec.key:
            continue
        cast += 1
        seen: set[str] = set()
        for entry, rating in ballot.ratings:
            if entry not in known:
                raise ScoreInputError(N_("투표 {number}: 투표 대상이 아닌 참가팀입니다 ({entry})"), number=number, entry=entry)
            if entry in seen:
                raise ScoreInputError(N_("투표 {number}: 같은 참가팀을 두 번 평가했습니다 ({entry})"), number=number, entry=entry)
            if isinstance(rating, bool) or not isinstance(rating, int) or not RATING_MIN <= rating <= RATING_MAX:
                raise ScoreInputError(N_("투표 {number}: 평가는 {low}~{high} 정수입니다 ({rating!r})"), number=number,
                                      low=RATING_MIN, high=RATING_MAX, rating=rating)
            seen.add(entry)
            counts[entry][rating - RATING_MIN] += 1
    items = []
    for entry in on_ballot:
        row = counts[entry]
        n = sum(row)
        if n == 0:
            items.append(AudienceEntry(entry, "no_scores", 0, tuple(row), None, None, None,
                                       Text(N_("현장평가단 투표가 없습니다"))))
            continue
        mean = Fraction(sum((RATING_MIN + i) * c for i, c in enumerate(row)), n)
        mapped = map_mean(mean, spec.max_points)
        items.append(AudienceEntry(
            entry, "ok", n, tuple(row), fraction_to_decimal(mean), fraction_to_decimal(mapped),
            mapped, None,
        ))
    return AudienceResult(spec.key, spec.title, spec.weight, spec.max_points, cast, tuple(items))


def audience_ballots_from(rows: Iterable[tuple[str, str, str, int]]) -> list[AudienceBallot]:
    """Group stored rating rows ``(round, vote, entry, rating)`` into ballots (the service's reading of
    the ``audience_ratings`` table); the vote id only groups, it never reaches a result."""
    grouped: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for rnd, vote, entry, rating in rows:
        grouped.setdefault((rnd, vote), []).append((entry, int(rating)))
    return [AudienceBallot(rnd, tuple(sorted(r))) for (rnd, _vote), r in sorted(grouped.items())]


@dataclass(frozen=True)
class AudienceExplanation(JsonMixin):
    """How the audience round scored one entry, for the result sheet and the disclosure view."""

    round: str
    title: str
    n: int
    counts: tuple[int, ...]
    mean: Decimal | None
    exact: Decimal | None
    display: str | None
    max_total: Decimal
    weight: Decimal | None
    message: str | None = None

    def lines(self) -> tuple[Text, ...]:
        """The explanation as sentences (``Text``: Korean, translatable at the edge)."""
        if self.exact is None:
            return (Text(N_("[{title}] 현장평가단 투표 {n}장 → 집계 불가: {reason}"), title=self.title, n=self.n,
                         reason=self.message),)
        return (
            Text(N_("[{title}] 현장평가단 투표 {n}장 ({spread}) · 평균 {mean} (1~5) → {top}점 환산 {shown} "
                    "(정확값 {exact})"), title=self.title, n=self.n, spread=counts_text(self.counts),
                 mean=display(self.mean), top=plain(self.max_total), shown=self.display, exact=self.exact),
        )


def explain_audience(result: AudienceResult, entry: str, weighted: bool) -> AudienceExplanation:
    item = result.entry(entry)
    return AudienceExplanation(
        result.key, result.title, item.n, item.counts, item.mean, item.exact, item.display,
        result.max_total, result.weight if weighted else None, item.message,
    )


def counts_text(counts: tuple[int, ...]) -> Text:
    """``(0, 1, 2, 3, 4)`` -> "1점 0 · 2점 1 · …" (how many ballots gave each rating)."""
    parts = {f"m{i}": Message(N_("{rating}점 {count}"), {"rating": RATING_MIN + i, "count": c})
             for i, c in enumerate(counts)}
    return Text(Message(" · ".join(f"{{{key}}}" for key in parts), parts))


@dataclass(frozen=True)
class Turnout(JsonMixin):
    """An audience round's turnout: ballots issued, revoked (lost cards) and cast. ``valid`` =
    issued − revoked; ``percent`` = cast / valid × 100 (None before any valid ballot)."""

    issued: int
    revoked: int
    cast: int

    _json_properties = ("valid", "percent", "percent_display")

    @property
    def valid(self) -> int:
        return self.issued - self.revoked

    @property
    def percent(self) -> Decimal | None:
        if self.valid <= 0:
            return None
        return fraction_to_decimal(Fraction(self.cast * 100, self.valid))

    @property
    def percent_display(self) -> str | None:
        return display(self.percent)
