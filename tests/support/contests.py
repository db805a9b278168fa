"""Contest files the tests load: a small contest (the default of ``make_contest``), a judging day with
an easy boundary tie, a screening round before a final, a contest for the charts with its judges' totals."""

from __future__ import annotations

import textwrap

SMALL_CONTEST = textwrap.dedent(
    """
    [contest]
    slug = "{slug}"
    title = "테스트 공모전"
    organizer = "테스트시"
    issuer = "테스트시장"
    issuer_name = "홍길동"
    held_on = 2024-12-04
    tie_break = ["criterion:partnership", "untrimmed_mean", "decision"]

    [[rounds]]
    key = "final"
    title = "발표심사"
    aggregation = "trimmed_mean"
    trim = 1
    entries = ["alpha", "beta", "gamma"]
    criteria = [
      {{ key = "need", title = "사업의 필요성", max = 20, scale = "grades" }},
      {{ key = "partnership", title = "민관협력", max = 20, scale = "points" }},
      {{ key = "outcome", title = "성과", max = 10, scale = "half_points" }},
    ]

    [[tiers]]
    key = "best"
    title = "최우수"
    count = 1

    [[tiers]]
    key = "excellence"
    title = "우수"
    count = 1

    [[special_awards]]
    key = "special"
    title = "특별상"

    [[entrants]]
    key = "alpha"
    name = "가동 지역사회보장협의체"
    district = "테스트시 가동"
    title = "가동 나눔 사업"

    [[entrants]]
    key = "beta"
    name = "나동 지역사회보장협의체"
    district = "테스트시 나동"
    title = "나동 돌봄 사업"

    [[entrants]]
    key = "gamma"
    name = "다동 지역사회보장협의체"
    district = "테스트시 다동"
    title = "다동 안부 사업"

    [[entrants]]
    key = "delta"
    name = "라동 지역사회보장협의체"
    district = "테스트시 라동"

    [[judges]]
    key = "j1"
    name = "심사위원 하나"
    affiliation = "가대학교"

    [[judges]]
    key = "j2"
    name = "심사위원 둘"

    [[judges]]
    key = "j3"
    name = "심사위원 셋"

    [[conflicts]]
    judge = "j3"
    entry = "gamma"
    reason = "협력기관 관계"
    """
)


# A contest where a tie at the 최우수/우수 boundary is easy to make: mean of 3 judges, the
# cascade stops at one criterion, no "decision" step.
DAY_CONTEST = textwrap.dedent(
    """
    [contest]
    slug = "{slug}"
    title = "2024년 복지업무 우수 동 성과보고회"
    organizer = "고양특례시"
    issuer = "고양특례시장"
    issuer_name = "홍길동"
    held_on = 2024-12-04
    tie_break = ["criterion:partnership"]

    [[rounds]]
    key = "final"
    title = "발표심사"
    aggregation = "mean"
    entries = ["alpha", "beta", "gamma"]
    criteria = [
      {{ key = "need", title = "사업의 필요성", max = 20, scale = "grades" }},
      {{ key = "partnership", title = "민관협력", max = 20, scale = "grades" }},
      {{ key = "outcome", title = "성과", max = 10, scale = "grades" }},
    ]

    [[tiers]]
    key = "best"
    title = "최우수"
    count = 1

    [[tiers]]
    key = "excellence"
    title = "우수"
    count = 2

    [[special_awards]]
    key = "special"
    title = "특별상"

    [[entrants]]
    key = "alpha"
    name = "고봉동 지역사회보장협의체"
    district = "고양특례시 일산동구 고봉동"
    title = "고봉 이웃 돌봄망"

    [[entrants]]
    key = "beta"
    name = "탄현1동 지역사회보장협의체"
    district = "고양특례시 일산서구 탄현1동"
    title = "탄현 안부 나눔"

    [[entrants]]
    key = "gamma"
    name = "원신동 지역사회보장협의체"
    district = "고양특례시 덕양구 원신동"
    title = "원신 마을 밥상"

    [[entrants]]
    key = "delta"
    name = "주엽1동 지역사회보장협의체"
    district = "고양특례시 일산서구 주엽1동"

    [[judges]]
    key = "j1"
    name = "김정희"
    affiliation = "가대학교 사회복지학과"

    [[judges]]
    key = "j2"
    name = "이수민"

    [[judges]]
    key = "j3"
    name = "박영호"

    [[conflicts]]
    judge = "j3"
    entry = "gamma"
    reason = "협력기관 관계"
    """
)


# A screening round (top 2 advance) and a final, one judge.
SCREENING = textwrap.dedent(
    """
    [contest]
    slug = "screen-2024"
    title = "서류와 발표"
    organizer = "테스트시"
    issuer = "테스트시장"
    held_on = 2024-12-04

    [[rounds]]
    key = "document"
    title = "서류심사"
    advance = 2
    entries = ["a", "b", "c"]
    criteria = [{ key = "doc", title = "서류", max = 10, scale = "points" }]

    [[rounds]]
    key = "final"
    title = "발표심사"
    criteria = [{ key = "talk", title = "발표", max = 10, scale = "points" }]

    [[tiers]]
    key = "best"
    title = "최우수"
    count = 1

    [[entrants]]
    key = "a"
    name = "가"
    title = "가 사업"

    [[entrants]]
    key = "b"
    name = "나"
    title = "나 사업"

    [[entrants]]
    key = "c"
    name = "다"
    title = "다 사업"

    [[judges]]
    key = "j1"
    name = "하나"
    """
)


# A contest for the charts: trimming, a recusal and a tie across a tier boundary.
CHART_CONTEST = textwrap.dedent(
    """
    [contest]
    slug = "chart-2024"
    title = "그래프 공모전"
    organizer = "테스트시"
    issuer = "테스트시장"
    issuer_name = "홍길동"
    held_on = 2024-12-04
    tie_break = ["decision"]

    [[rounds]]
    key = "final"
    title = "발표심사"
    aggregation = "trimmed_mean"
    trim = 1
    entries = ["a", "b", "c", "d", "e"]
    criteria = [{ key = "score", title = "점수", max = 100, scale = "half_points" }]

    [[tiers]]
    key = "best"
    title = "최우수"
    count = 1

    [[tiers]]
    key = "excellence"
    title = "우수"
    count = 1

    [[tiers]]
    key = "encouragement"
    title = "장려"
    count = 2

    [[entrants]]
    key = "a"
    name = "가동"
    [[entrants]]
    key = "b"
    name = "나동"
    [[entrants]]
    key = "c"
    name = "다동"
    [[entrants]]
    key = "d"
    name = "라동"
    [[entrants]]
    key = "e"
    name = "마동"

    [[judges]]
    key = "j1"
    name = "심사위원 하나"
    [[judges]]
    key = "j2"
    name = "심사위원 둘"
    [[judges]]
    key = "j3"
    name = "심사위원 셋"
    [[judges]]
    key = "j4"
    name = "심사위원 넷"

    [[conflicts]]
    judge = "j4"
    entry = "c"
    reason = "소속 기관"
    """
)

# a 91 (drop 95, 88); b 85.5 (drop 90, 84); c 85.5 with j4 recused (3 totals: drop 88, 80): b and c tie
# at the 우수 boundary (one place) -> both pending, holding the places below: d 70.5 장려, e 61.5 none.
TOTALS = {
    "a": {"j1": 90, "j2": 92, "j3": 88, "j4": 95},
    "b": {"j1": 85, "j2": 86, "j3": 84, "j4": 90},
    "c": {"j1": "85.5", "j2": 88, "j3": 80},
    "d": {"j1": 70, "j2": 72, "j3": 71, "j4": 60},
    "e": {"j1": 60, "j2": 62, "j3": 61, "j4": 63},
}
