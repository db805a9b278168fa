"""Award tiers from a ranking: fixed counts in rank order and/or score thresholds.

A tie that straddles a tier boundary is never settled here: every tied entry gets ``pending`` and the
tie is reported, until a recorded ``TierDecision`` says which of them take the higher tier.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from judging.messages import N_, Message, Text

from .errors import DecisionError
from .model import PENDING, TierDecision, TierSpec
from .rank import Placing
from .rounding import display, plain


@dataclass(frozen=True)
class UnresolvedTie:
    """Tied entries that a boundary cuts through. ``kind`` is "tier" (``boundary`` = the higher tier's
    key, ``next_tier`` the one below) or "cut" (``boundary`` = the screening round's key). ``places``:
    how many of the tied entries fit above the boundary; ``rank``: the rank they share."""

    kind: str
    boundary: str
    entries: tuple[str, ...]
    places: int
    rank: int
    next_tier: str | None = None


@dataclass(frozen=True)
class TierPlacement:
    """The tier an entry holds (a tier key, ``pending`` or None) and the rule that placed it."""

    entry: str
    tier: str | None
    rule: str
    decision: TierDecision | None = None


@dataclass(frozen=True)
class TierOutcome:
    placements: tuple[TierPlacement, ...]
    unresolved: tuple[UnresolvedTie, ...]
    used_decisions: tuple[TierDecision, ...]

    def tier_of(self, entry: str) -> str | None:
        for placement in self.placements:
            if placement.entry == entry:
                return placement.tier
        raise KeyError(entry)


def _limits(tier: TierSpec) -> Message:
    if tier.count is not None and tier.threshold is not None:
        return Message(N_("정원 {count}, 기준 {threshold}점 이상"), {"count": tier.count,
                                                               "threshold": plain(tier.threshold)})
    if tier.count is not None or tier.threshold is None:  # a TierSpec has a count, a threshold or both
        return Message(N_("정원 {count}"), {"count": tier.count})
    return Message(N_("기준 {threshold}점 이상"), {"threshold": plain(tier.threshold)})


def _with(suffix: Message | None, rule: Message) -> Text:
    """The rule, followed by why a tie decision left the entry out of a higher tier (if it did)."""
    return Text(Message("{rule}{suffix}", {"rule": rule, "suffix": suffix})) if suffix is not None else Text(rule)


def allocate_tiers(
    placings: Sequence[Placing],
    tiers: Sequence[TierSpec],
    decisions: Sequence[TierDecision] = (),
    *,
    basis: Callable[[Decimal], Decimal] | None = None,
) -> TierOutcome:
    """Give each ranked entry a tier, best tiers first.

    Tiers are filled in ``order``. An entry qualifies for a tier when the tier has a place left (no
    ``count`` = no limit) and its score reaches the tier's ``threshold`` (if any). A group of entries
    sharing a rank that does not fit in the places left gets ``pending`` and is reported as an
    ``UnresolvedTie``; the places below are held for it, so lower tiers never overfill. A matching
    ``TierDecision`` (its tier is the boundary tier, its entries a subset of the tied group) gives the
    listed entries that tier even beyond its count; the rest go on to the next tier with its full
    count, and unused places of the decided tier lapse. Raises ``DecisionError`` when two different
    decisions claim the same tie.
    """
    key = basis or (lambda v: v)
    ordered = sorted(tiers, key=lambda t: (t.order, t.key))
    placements: dict[str, TierPlacement] = {}
    unresolved: list[UnresolvedTie] = []
    used: list[TierDecision] = []

    groups: list[tuple[int, Decimal, list[str]]] = []
    for placing in placings:
        if placing.rank is None or placing.value is None:
            placements[placing.entry] = TierPlacement(placing.entry, None, Text(N_("순위 없음 → 수상 등급 없음")))
        elif groups and groups[-1][0] == placing.rank:
            groups[-1][2].append(placing.entry)
        else:
            groups.append((placing.rank, placing.value, [placing.entry]))

    index = 0
    remaining = ordered[0].count if ordered else None

    def meets(tier: TierSpec, value: Decimal) -> bool:
        return tier.threshold is None or key(value) >= tier.threshold

    for rank, value, group in groups:
        todo = sorted(group)
        suffix: Message | None = None
        while todo:
            while index < len(ordered) and not meets(ordered[index], value):
                index += 1
                remaining = ordered[index].count if index < len(ordered) else None
            if index >= len(ordered):
                for entry in todo:
                    placements[entry] = TierPlacement(
                        entry, None, _with(suffix, Message(N_("순위 {rank}위 → 수상 등급 없음"), {"rank": rank})))
                break
            tier = ordered[index]
            size = len(todo)
            where = (Message(N_("순위 {rank}위"), {"rank": rank}) if tier.count is not None
                     else Message(N_("순위 {rank}위, 점수 {score}"), {"rank": rank, "score": display(value)}))
            if remaining is None or size <= remaining:
                for entry in todo:
                    rule = _with(suffix, Message(N_("{where} → {tier} ({limits})"),
                                                 {"where": where, "tier": tier.title, "limits": _limits(tier)}))
                    placements[entry] = TierPlacement(entry, tier.key, rule)
                if remaining is not None:
                    remaining -= size
                    if remaining == 0:
                        index += 1
                        remaining = ordered[index].count if index < len(ordered) else None
                break
            matching = {d.entries: d for d in decisions if d.tier == tier.key and set(d.entries) <= set(todo)}
            if len({frozenset(k) for k in matching}) > 1:
                raise DecisionError(N_("{title} 경계 동점에 서로 다른 결정이 기록되어 있습니다"), title=tier.title)
            if matching:
                decision = min(matching.values(), key=lambda d: (sorted(d.entries), d.reason))
                used.append(decision)
                winners = sorted(set(decision.entries))
                for entry in winners:
                    rule = Text(N_("{where} 동점 → {tier} (동점 결정: {reason})"), where=where, tier=tier.title,
                                reason=decision.reason)
                    placements[entry] = TierPlacement(entry, tier.key, rule, decision)
                todo = [e for e in todo if e not in decision.entries]
                suffix = Message(N_(" (동점 결정으로 {tier}에서 제외: {reason})"),
                                 {"tier": tier.title, "reason": decision.reason})
                index += 1
                remaining = ordered[index].count if index < len(ordered) else None
                continue
            below = ordered[index + 1] if index + 1 < len(ordered) else None
            for entry in todo:
                rule = Text(N_("{where} 동점 {size}팀이 {tier} 남은 {remaining}자리 경계에 걸림 → 결정 대기"),
                            where=where, size=size, tier=tier.title, remaining=remaining)
                placements[entry] = TierPlacement(entry, PENDING, rule)
            unresolved.append(
                UnresolvedTie("tier", tier.key, tuple(todo), remaining, rank, below.key if below else None)
            )
            overflow = size - remaining
            index += 1
            remaining = ordered[index].count if index < len(ordered) else None
            # the tied entries that will not take the higher tier hold places in the tiers below
            while overflow > 0 and index < len(ordered) and remaining is not None:
                if not meets(ordered[index], value):
                    break
                take = min(overflow, remaining)
                overflow -= take
                remaining -= take
                if remaining == 0:
                    index += 1
                    remaining = ordered[index].count if index < len(ordered) else None
            break

    result = tuple(placements[p.entry] for p in placings)
    return TierOutcome(result, tuple(unresolved), tuple(used))
