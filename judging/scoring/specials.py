"""Special awards: one award per entry, and (unless the contest allows it) none to an entry that holds a
tier or waits for a tier decision: one result, one award."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .errors import AwardConflictError
from .model import PENDING, ContestSpec, SpecialAward


def check_specials(spec: ContestSpec, awards: Sequence[SpecialAward], tiers: Mapping) -> dict[str, str]:
    known = set(spec.entries)
    given: dict[str, str] = {}
    for award in sorted(awards, key=lambda a: (a.entry, a.award)):
        if award.entry not in known:
            raise AwardConflictError(f"특별상 {award.award}: 없는 참가팀입니다 ({award.entry})")
        if award.entry in given:
            raise AwardConflictError(f"{award.entry}: 한 참가팀은 특별상을 하나만 받을 수 있습니다")
        placement = tiers.get(award.entry)
        if placement is not None and placement.tier is not None and not spec.special_with_tier:
            held = "결정 대기 중인 등급" if placement.tier == PENDING else f"등급 {placement.tier}"
            raise AwardConflictError(
                f"{award.entry}: 이미 {held}이 있어 특별상을 함께 줄 수 없습니다 (한 성과에는 하나의 상)"
            )
        given[award.entry] = award.award
    return given
