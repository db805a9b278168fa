"""What each component of a weighted final really carried: per-entry contributions and the
"effective weight" check.

A weighted final adds, for every entry, one contribution per component (each judges' round and each
audience round):

    contribution_r(e) = w_r / Σw × score_r(e) / max_r × 100          final(e) = Σ_r contribution_r(e)

The announced weight of a component is ``w_r / Σw``. Its *effective* weight is the share of the
spread of the final scores it carries — the covariance share of the final's variance over the ranked
entries:

    effective_r = Cov(contribution_r, final) / Var(final)            Σ_r effective_r = 100 %

A component whose scores hardly differ between entries moves nobody, whatever its announced weight:
its effective weight is near 0 %. A component may even carry a negative share when it works against
the others. Computed exactly (fractions of the exact aggregates), shown to 2 decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from judging.messages import N_, Text

from .model import ContestSpec, FinalMode
from .rounding import CONTEXT, display, fraction_to_decimal, plain
from .serialize import JsonMixin

JUDGES = "judges"
AUDIENCE = "audience"

#: The default margin (percentage points) beyond which an effective weight draws a warning.
DEFAULT_MARGIN = Decimal(10)

_HUNDRED = Fraction(100)


@dataclass(frozen=True)
class EntryPart(JsonMixin):
    """One component of one entry: its score on its own scale, normalised to 100, and the points it
    contributed to the final score."""

    key: str
    score: Decimal
    normalised: Decimal
    contribution: Decimal

    _json_properties = ("display",)

    @property
    def display(self) -> str | None:
        return display(self.contribution)


@dataclass(frozen=True)
class EntryParts(JsonMixin):
    entry: str
    parts: tuple[EntryPart, ...]
    total: Decimal

    def part(self, key: str) -> EntryPart:
        for item in self.parts:
            if item.key == key:
                return item
        raise KeyError(key)


@dataclass(frozen=True)
class ComponentWeight(JsonMixin):
    """One component's announced and effective weight (percent), how far they differ (percentage
    points), the range of its contributions (points) and whether the difference exceeds the margin."""

    key: str
    title: str
    kind: str
    weight: Decimal
    announced: Decimal
    effective: Decimal | None
    departure: Decimal | None
    low: Decimal | None
    high: Decimal | None
    warning: bool

    @property
    def announced_display(self) -> str:
        return display(self.announced) or ""

    @property
    def effective_display(self) -> str | None:
        return display(self.effective)


@dataclass(frozen=True)
class CombinationCheck(JsonMixin):
    """The weighted final taken apart: ``components`` (announced vs effective weight), ``entries``
    (each ranked entry's contributions), ``margin`` in percentage points, ``n`` the entries the check
    used, ``reason`` why no effective weight could be worked out (None when it could)."""

    margin: Decimal
    n: int
    components: tuple[ComponentWeight, ...]
    entries: tuple[EntryParts, ...]
    reason: str | None

    _json_properties = ("warnings",)

    @property
    def warnings(self) -> tuple[Text, ...]:
        """One sentence per component whose effective weight departs beyond the margin (``Text``: Korean,
        translatable at the edge)."""
        return tuple(
            Text(N_("{title}: 발표한 가중치 {announced}%인데 실제 최종 점수 차이의 {effective}%만 좌우합니다 "
                    "(차이 {departure}%p, 허용 {margin}%p)")
                 if c.effective is not None and c.effective < c.announced else
                 N_("{title}: 발표한 가중치 {announced}%인데 실제 최종 점수 차이의 {effective}%를 좌우합니다 "
                    "(차이 {departure}%p, 허용 {margin}%p)"),
                 title=c.title, announced=display(c.announced), effective=display(c.effective),
                 departure=display(c.departure), margin=plain(self.margin))
            for c in self.components if c.warning
        )

    def component(self, key: str) -> ComponentWeight:
        for item in self.components:
            if item.key == key:
                return item
        raise KeyError(key)

    def entry(self, key: str) -> EntryParts:
        for item in self.entries:
            if item.entry == key:
                return item
        raise KeyError(key)


def _components(spec: ContestSpec) -> list[tuple[str, str, str, Decimal, Decimal]]:
    """(key, title, kind, weight, max) of every component, judges' rounds first, then audience."""
    found = [(r.key, r.title, JUDGES, r.weight, r.max_total) for r in spec.rounds]
    found += [(a.key, a.title, AUDIENCE, a.weight, a.max_points) for a in spec.audience]
    return found


def combination_check(spec: ContestSpec, result: object, margin: Decimal = DEFAULT_MARGIN) -> CombinationCheck | None:
    """Take a weighted final apart (``result`` is the ``ContestResult`` of ``spec``). None when the
    final is the last round alone (one component: nothing to check)."""
    if spec.final is not FinalMode.WEIGHTED:
        return None
    margin = Decimal(margin)
    components = _components(spec)
    total_weight = sum((Fraction(w) for _k, _t, _kind, w, _m in components), Fraction(0))
    scores: dict[str, dict[str, Decimal | None]] = {}
    for key, _title, kind, _w, _m in components:
        if kind == JUDGES:
            rnd = result.round(key)  # type: ignore[attr-defined]
            scores[key] = {fe.entry: _exact_or_none(rnd, fe.entry) for fe in result.final}  # type: ignore[attr-defined]
        else:
            aud = result.audience_round(key)  # type: ignore[attr-defined]
            scores[key] = {fe.entry: aud.entry(fe.entry).exact if fe.entry in aud else None
                           for fe in result.final}  # type: ignore[attr-defined]

    rows: list[tuple[str, list[Fraction], list[EntryPart]]] = []
    for fe in result.final:  # type: ignore[attr-defined]
        if fe.exact is None or any(scores[key][fe.entry] is None for key, *_ in components):
            continue
        contributions = []
        parts = []
        for key, _title, _kind, weight, max_points in components:
            score = scores[key][fe.entry]
            assert score is not None  # an entry missing a component's score was skipped above
            normalised = Fraction(score) / Fraction(max_points) * _HUNDRED
            contribution = Fraction(weight) / total_weight * normalised
            contributions.append(contribution)
            parts.append(EntryPart(key, score, fraction_to_decimal(normalised),
                                   fraction_to_decimal(contribution)))
        rows.append((fe.entry, contributions, parts))

    entries = tuple(
        EntryParts(entry, tuple(parts), fraction_to_decimal(sum(c, Fraction(0)))) for entry, c, parts in rows
    )
    n = len(rows)
    finals = [sum(c, Fraction(0)) for _e, c, _p in rows]
    reason: Text | None = None
    effective: list[Fraction | None] = [None] * len(components)
    if n < 2:
        reason = Text(N_("순위가 매겨진 참가팀이 둘 이상이어야 실제 가중치를 계산할 수 있습니다"))
    else:
        mean_final = sum(finals, Fraction(0)) / n
        variance = sum(((f - mean_final) ** 2 for f in finals), Fraction(0)) / n
        if variance == 0:
            reason = Text(N_("모든 참가팀의 최종 점수가 같아 실제 가중치를 계산할 수 없습니다"))
        else:
            for index in range(len(components)):
                column = [c[index] for _e, c, _p in rows]
                mean_c = sum(column, Fraction(0)) / n
                cov = sum(((c - mean_c) * (f - mean_final) for c, f in zip(column, finals, strict=True)),
                          Fraction(0)) / n
                effective[index] = cov / variance * _HUNDRED

    weights = []
    with localcontext(CONTEXT):
        for index, (key, title, kind, weight, _m) in enumerate(components):
            announced = Fraction(weight) / total_weight * _HUNDRED
            eff = effective[index]
            departure = abs(eff - announced) if eff is not None else None
            column = [c[index] for _e, c, _p in rows]
            weights.append(ComponentWeight(
                key, title, kind, weight, fraction_to_decimal(announced),
                fraction_to_decimal(eff) if eff is not None else None,
                fraction_to_decimal(departure) if departure is not None else None,
                fraction_to_decimal(min(column)) if column else None,
                fraction_to_decimal(max(column)) if column else None,
                departure is not None and departure > Fraction(margin),
            ))
    return CombinationCheck(margin, n, tuple(weights), entries, reason)


def _exact_or_none(rnd: object, entry: str) -> Decimal | None:
    try:
        return rnd.entry(entry).exact  # type: ignore[attr-defined]
    except KeyError:
        return None


def component_keys(spec: ContestSpec) -> Sequence[str]:
    """The component keys of a weighted final, in the order the check lists them."""
    return [key for key, *_ in _components(spec)]
