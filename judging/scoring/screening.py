"""A screening round's cut: the top ``advance`` entries go on; a tie across the cut holds every tied
entry (``tied_at_cut``) until an ``AdvanceDecision`` names who goes on."""

from __future__ import annotations

from collections.abc import Sequence

from judging.messages import N_

from .errors import DecisionError
from .model import AdvanceDecision, RoundSpec
from .rank import Placing
from .result import ADVANCED, NOT_ADVANCED, TIED_AT_CUT
from .tiers import UnresolvedTie


def advance_round(
    rnd: RoundSpec,
    placings: Sequence[Placing],
    decisions: Sequence[AdvanceDecision],
    advancement: dict[str, str],
    advanced: list[str],
    cut_ties: list[UnresolvedTie],
    used: set[AdvanceDecision],
) -> None:
    places = rnd.advance or 0
    groups: dict[int, list[str]] = {}
    for placing in placings:
        if placing.rank is None:
            advancement[placing.entry] = NOT_ADVANCED
        else:
            groups.setdefault(placing.rank, []).append(placing.entry)
    for rank, group in sorted(groups.items()):
        if rank - 1 + len(group) <= places:
            for entry in group:
                advancement[entry] = ADVANCED
            advanced.extend(group)
        elif rank - 1 < places:
            matching = [
                d for d in decisions if d.round == rnd.key and set(d.entries) <= set(group) and d.entries
            ]
            if len({frozenset(d.entries) for d in matching}) > 1:
                raise DecisionError(N_("{title} 진출 경계 동점에 서로 다른 결정이 기록되어 있습니다"), title=rnd.title)
            if matching:
                used.update(matching)
                chosen = set(matching[0].entries)
                for entry in group:
                    advancement[entry] = ADVANCED if entry in chosen else NOT_ADVANCED
                advanced.extend(e for e in group if e in chosen)
            else:
                for entry in group:
                    advancement[entry] = TIED_AT_CUT
                cut_ties.append(
                    UnresolvedTie("cut", rnd.key, tuple(sorted(group)), places - (rank - 1), rank)
                )
        else:
            for entry in group:
                advancement[entry] = NOT_ADVANCED
