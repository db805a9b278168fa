"""Special awards: one award per entry, and (unless the contest allows it) none to an entry that holds a
tier or waits for a tier decision: one result, one award."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from judging.messages import N_, Message

from .errors import AwardConflictError
from .model import PENDING, ContestSpec, SpecialAward


def check_specials(spec: ContestSpec, awards: Sequence[SpecialAward], tiers: Mapping) -> dict[str, str]:
    known = set(spec.entries)
    given: dict[str, str] = {}
    for award in sorted(awards, key=lambda a: (a.entry, a.award)):
        if award.entry not in known:
            raise AwardConflictError(N_("특별상 {award}: 없는 참가팀입니다 ({entry})"), award=award.award, entry=award.entry)
        if award.entry in given:
            raise AwardConflictError(N_("{entry}: 한 참가팀은 특별상을 하나만 받을 수 있습니다"), entry=award.entry)
        placement = tiers.get(award.entry)
        if placement is not None and placement.tier is not None and not spec.special_with_tier:
            held = (Message(N_("결정 대기 중인 등급")) if placement.tier == PENDING
                    else Message(N_("등급 {tier}"), {"tier": placement.tier}))
            raise AwardConflictError(
                N_("{entry}: 이미 {held}이 있어 특별상을 함께 줄 수 없습니다 (한 성과에는 하나의 상)"), entry=award.entry, held=held
            )
        given[award.entry] = award.award
    return given
