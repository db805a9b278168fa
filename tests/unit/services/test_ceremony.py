"""The ceremony sequence and order over plain values (no database)."""

from __future__ import annotations

import json

import pytest

from judging.services import ceremony
from judging.services.errors import DomainError
from tests.support.published import JUDGE_NAMES, plain_contest, published_result


def test_default_order_goes_from_the_lowest_tier_up_then_special_awards():
    assert ceremony.default_order(plain_contest()) == ["encouragement", "excellence", "best", "special"]


def test_stored_order_drops_unknown_awards_and_appends_forgotten_ones():
    contest = plain_contest(order=["special", "nope", "best", "special"])
    assert ceremony.effective_order(contest) == ["special", "best", "encouragement", "excellence"]


def test_sequence_reveals_one_recipient_at_a_time_in_ceremony_order():
    slides = ceremony.sequence(plain_contest(), published_result())
    kinds = [s["kind"] for s in slides]
    assert kinds == ["title", "award", "reveal", "reveal", "award", "reveal", "award", "reveal", "award", "reveal",
                     "closing"]
    reveals = [(s["award"], s["recipient"]) for s in slides if s["kind"] == "reveal"]
    # 장려 first, its recipients in 가나다 order (not by rank: 라동 ranked above 다동), then up to 최우수.
    assert reveals == [("장려상", "다동 협의체"), ("장려상", "라동 협의체"), ("우수상", "나동 협의체"),
                       ("최우수상", "가동 협의체"), ("특별상", "하동 협의체")]
    assert [s["index"] for s in slides] == list(range(len(slides)))
    assert slides[0]["heading"] == "2024년 테스트 성과보고회" and slides[0]["date"] == "2024년 12월 4일"


def test_sequence_follows_a_configured_order_and_closes_best_award_first():
    slides = ceremony.sequence(plain_contest(order=["special", "best", "excellence", "encouragement"]), published_result())
    awards = [s["award"] for s in slides if s["kind"] == "award"]
    assert awards == ["특별상", "최우수상", "우수상", "장려상"]
    closing = slides[-1]["winners"]
    assert [w["award"] for w in closing] == ["최우수상", "우수상", "장려상", "장려상", "특별상"]


def test_sequence_carries_no_score_rank_or_judge():
    text = json.dumps(ceremony.sequence(plain_contest(), published_result()), ensure_ascii=False)
    for forbidden in ("95.50", "90.25", '"rank"', '"score"', *JUDGE_NAMES, "j1"):
        assert forbidden not in text


def test_set_order_refuses_unknown_repeated_or_missing_awards():
    class Session:
        def flush(self) -> None:
            raise AssertionError("nothing may be written")

    contest = plain_contest()
    with pytest.raises(DomainError, match="없는 상"):
        ceremony.set_order(Session(), contest, ["best", "excellence", "encouragement", "special", "gold"])
    with pytest.raises(DomainError, match="두 번"):
        ceremony.set_order(Session(), contest, ["best", "best", "excellence", "encouragement", "special"])
    with pytest.raises(DomainError, match="빠진 상이 있습니다: 특별상"):
        ceremony.set_order(Session(), contest, ["best", "excellence", "encouragement"])
    assert contest.ceremony_order == []
