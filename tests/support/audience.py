"""A weighted contest with an audience panel (심사위원 70 + 현장평가단 30) for the audience tests."""

from __future__ import annotations

import textwrap

from sqlalchemy import orm

AUDIENCE_CONTEST = textwrap.dedent(
    """
    [contest]
    slug = "{slug}"
    title = "현장평가 공모전"
    organizer = "테스트시"
    issuer = "테스트시장"
    held_on = 2024-12-04
    final = "weighted"
    tie_break = ["round:final", "decision"]

    [[rounds]]
    key = "final"
    title = "발표심사"
    weight = 70
    entries = ["a", "b", "c"]
    criteria = [ {{ key = "all", title = "종합", max = 100, scale = "points" }} ]

    [[rounds]]
    key = "crowd"
    kind = "audience"
    title = "현장평가단"
    weight = 30

    [[tiers]]
    key = "best"
    title = "최우수"
    count = 1

    [[tiers]]
    key = "excellence"
    title = "우수"
    count = 2

    [[entrants]]
    key = "a"
    name = "가동 지역사회보장협의체"
    title = "가동 나눔"

    [[entrants]]
    key = "b"
    name = "나동 지역사회보장협의체"
    title = "나동 돌봄"

    [[entrants]]
    key = "c"
    name = "다동 지역사회보장협의체"
    title = "다동 안부"

    [[judges]]
    key = "j1"
    name = "심사위원 하나"

    [[judges]]
    key = "j2"
    name = "심사위원 둘"
    """
)

#: Judges' totals (j1, j2) out of 100: a 85, b 75, c 65 on average.
JUDGES = {"a": (90, 80), "b": (80, 70), "c": (70, 60)}
#: Four ballots: a 5,4,4,3 (mean 4 → 75), b 4,4,3,3 (3.5 → 62.5), c 3,3,3,3 (3 → 50).
BALLOTS = [{"a": 5, "b": 4, "c": 3}, {"a": 4, "b": 4, "c": 3}, {"a": 4, "b": 3, "c": 3}, {"a": 3, "b": 3, "c": 3}]


def audience_contest(make_contest, session: orm.Session, slug: str = "crowd-2024", status: str = "judging"):  # noqa: ANN001, ANN201
    """The contest with the judges' scores in and their sheets submitted."""
    from tests.support.scores import put_scores, submit_sheets

    contest = make_contest(slug=slug, text=AUDIENCE_CONTEST.format(slug=slug), status=status)
    put_scores(session, contest, [("final", judge, entry, "all", value) for entry, pair in JUDGES.items()
                                  for judge, value in zip(("j1", "j2"), pair, strict=True)])
    submit_sheets(session, contest)
    return contest


def entry_ids(contest) -> dict[str, int]:  # noqa: ANN001
    return {e.entrant.key: e.id for e in contest.entries}
