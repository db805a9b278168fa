"""Ranking by a value, with ties broken only by the announced cascade; competition-style ranks."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .model import TieBreakKind, TieBreakStep

#: A tie-break step's values for a tied group: ``({entry: value}, note)``; higher values are better,
#: None when the step has no value for an entry. For ``decision`` the value is minus the position.
StepValues = Callable[[TieBreakStep, Sequence[str]], "tuple[Mapping[str, Decimal | int | None], str | None]"]


class Outcome:
    DECIDED = "decided"  # the step separated (some of) the tied entries
    TIED = "tied"  # the step was applied, all values equal
    NOT_APPLICABLE = "not_applicable"  # some tied entry has no value for this step


@dataclass(frozen=True)
class TieBreakApplied:
    """One cascade step applied to a group of tied entries, with every compared value.

    ``values`` are ``(entry, value)`` sorted by entry key; for ``decision`` the value is the position in
    the recorded order (1 = best) and ``note`` carries the decision's reason."""

    step: str
    values: tuple[tuple[str, Decimal | int | None], ...]
    outcome: str
    note: str | None = None


@dataclass(frozen=True)
class Placing:
    """An entry's place: ``rank`` is shared by entries still tied after the cascade (1, 2, 2, 4);
    None for entries without a value (listed last)."""

    entry: str
    rank: int | None
    value: Decimal | None
    tied_with: tuple[str, ...] = ()
    tie_breaks: tuple[TieBreakApplied, ...] = ()


def rank_entries(
    values: Mapping[str, Decimal | None],
    steps: Sequence[TieBreakStep] = (),
    step_values: StepValues | None = None,
    *,
    basis: Callable[[Decimal], Decimal] | None = None,
) -> tuple[Placing, ...]:
    """Rank entries by value, highest first, breaking ties with ``steps`` in order.

    ``basis`` maps each compared value first (e.g. to the displayed 2 decimals); ``step_values`` gives
    a step's values for a tied group (higher is better; for the decision step, minus the position).
    Entries still tied after every step share a rank. Entries whose value is None come last, unranked,
    in key order. The result never depends on the order of ``values``.
    """
    ranked = [(basis(v) if basis else v, e) for e, v in values.items() if v is not None]
    unranked = sorted(e for e, v in values.items() if v is None)
    ranked.sort(key=lambda item: (-item[0], item[1]))

    records: dict[str, list[TieBreakApplied]] = {}
    groups: list[list[str]] = []
    i = 0
    while i < len(ranked):
        j = i + 1
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        group = [e for _v, e in ranked[i:j]]
        if len(group) == 1 or not steps or step_values is None:
            groups.append(group)
        else:
            groups.extend(_resolve(group, 0, steps, step_values, basis, records))
        i = j

    value_of = dict(values)
    placings: list[Placing] = []
    position = 1
    for group in groups:
        for entry in group:
            others = tuple(e for e in group if e != entry)
            placings.append(Placing(entry, position, value_of[entry], others, tuple(records.get(entry, ()))))
        position += len(group)
    placings.extend(Placing(e, None, None) for e in unranked)
    return tuple(placings)


def _resolve(
    group: list[str],
    index: int,
    steps: Sequence[TieBreakStep],
    step_values: StepValues,
    basis: Callable[[Decimal], Decimal] | None,
    records: dict[str, list[TieBreakApplied]],
) -> list[list[str]]:
    if len(group) == 1 or index >= len(steps):
        return [group]
    step = steps[index]
    found, note = step_values(step, group)
    # groups arrive in entry-key order (ranked by (-value, key); sub-groups keep the order)
    shown = tuple([(e, found.get(e)) for e in group])
    decision = step.kind is TieBreakKind.DECISION
    if decision:
        # stored as minus the position (higher is better); record the plain position
        shown = tuple((e, None if v is None else -v) for e, v in shown)
    if any(v is None for _e, v in shown):
        applied = TieBreakApplied(step.label, shown, Outcome.NOT_APPLICABLE, note)
        for e in group:
            records.setdefault(e, []).append(applied)
        return _resolve(group, index + 1, steps, step_values, basis, records)
    by_level: dict[Decimal | int, list[str]] = {}
    for e, v in shown:  # in entry-key order, so each level's entries come sorted
        if decision:
            v = -v  # type: ignore[operator]
        elif basis is not None and isinstance(v, Decimal):
            v = basis(v)
        by_level.setdefault(v, []).append(e)  # type: ignore[arg-type]
    outcome = Outcome.DECIDED if len(by_level) > 1 else Outcome.TIED
    applied = TieBreakApplied(step.label, shown, outcome, note)
    for e in group:
        records.setdefault(e, []).append(applied)
    result: list[list[str]] = []
    for level in sorted(by_level, reverse=True):
        result.extend(_resolve(by_level[level], index + 1, steps, step_values, basis, records))
    return result
