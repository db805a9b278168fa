"""A contest and its published result as plain values (no database), for the service functions
that only read them: the ceremony sequence, certificate helpers, exports."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from judging.services.published import (
    Published,
    PublishedAward,
    PublishedContest,
    PublishedEntry,
    PublishedResult,
    PublishedRound,
)

JUDGE_NAMES = ("김정희", "박성민")


def plain_contest(order=(), public_scores=False):  # noqa: ANN001, ANN202
    tiers = [SimpleNamespace(key="best", title="최우수", award_name="최우수상", position=1),
             SimpleNamespace(key="excellence", title="우수", award_name="우수상", position=2),
             SimpleNamespace(key="encouragement", title="장려", award_name="장려상", position=3)]
    specials = [SimpleNamespace(key="special", title="특별상", award_name="", position=1)]
    return SimpleNamespace(slug="t-2024", title="2024년 테스트 성과보고회", organizer="테스트시", venue="시청",
                           held_on=dt.date(2024, 12, 4), tiers=tiers, special_awards=specials,
                           ceremony_order=list(order), public_scores=public_scores)


def published_entry(key, name, rank, tier, award, score, n=4):  # noqa: ANN001, ANN202
    return PublishedEntry(key=key, entry_id=rank, name=name, district=f"테스트시 {name.split()[0]}",
                          title=f"{name.split()[0]} 사업", rank=rank, tier=tier,
                          tier_title=award[:-1] if award else None, award_name=award, score=score, n=n,
                          dropped=("j1", "j4"))


def published_result() -> Published:
    entries = (
        published_entry("a", "가동 협의체", 1, "best", "최우수상", "95.50"),
        published_entry("b", "나동 협의체", 2, "excellence", "우수상", "90.25"),
        published_entry("d", "라동 협의체", 3, "encouragement", "장려상", "88.00"),
        published_entry("c", "다동 협의체", 4, "encouragement", "장려상", "80.00", n=3),
        published_entry("e", "마동 협의체", 5, None, None, "70.00"),
    )
    special = PublishedEntry(key="z", entry_id=99, name="하동 협의체", district="테스트시 하동", title="하동 사업",
                             rank=None, tier=None, tier_title=None, award_name=None, score=None, n=0)
    awards = (
        PublishedAward("best", "tier", "최우수", "최우수상", 0, entries[0]),
        PublishedAward("excellence", "tier", "우수", "우수상", 1, entries[1]),
        PublishedAward("encouragement", "tier", "장려", "장려상", 2, entries[2]),
        PublishedAward("encouragement", "tier", "장려", "장려상", 2, entries[3]),
        PublishedAward("special", "special", "특별상", "특별상", 3, special, "주민 발굴 활동이 돋보임"),
    )
    payload = {"entries": [{"entry": e.key, "tie_break": None, "dropped": ["j1", "j4"]} for e in entries],
               "rounds": [{"key": "final", "method": "trimmed_mean k=1"}],
               "organizer_only": {"judges": [{"key": "j1", "name": JUDGE_NAMES[0]}]}}
    content = PublishedResult(
        schema=1, contest=PublishedContest(method="trimmed_mean k=1"),
        rounds=(PublishedRound("final", "", method="trimmed_mean k=1"),), tiers=(), entries=entries,
        awards=awards, decisions=(), unresolved_ties=(), payload=payload)
    return Published(contest_id=1, slug="t-2024", version=2, published_at=dt.datetime(2024, 12, 4, 6, 0),
                     digest="d" * 64, content=content)
