"""Helpers for the results tests (service, import, CLI): a contest built for ties, and score entry."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import orm

from judging.models import Contest, Criterion, Entrant, Entry, Round, Score, Sheet, User, utcnow

# Two judges, plain mean, two criteria; a, b, c, d in the final; e is not a finalist.
# Tiers 1/1/1. The cascade: partnership, then a recorded decision.
TIE_CONTEST = textwrap.dedent(
    """
    [contest]
    slug = "{slug}"
    title = "동점 공모전"
    organizer = "테스트시"
    issuer = "테스트시장"
    issuer_name = "홍길동"
    held_on = 2024-12-04
    tie_break = {tie_break}

    [[rounds]]
    key = "final"
    title = "발표심사"
    aggregation = "mean"
    entries = ["a", "b", "c", "d"]
    criteria = [
      {{ key = "need", title = "사업의 필요성", max = 20, scale = "grades" }},
      {{ key = "partnership", title = "민관협력", max = 20, scale = "points" }},
    ]

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
    count = 1

    [[special_awards]]
    key = "special"
    title = "특별상"

    [[entrants]]
    key = "a"
    name = "가동 지역사회보장협의체"
    district = "테스트시 가동"
    title = "가동 나눔"

    [[entrants]]
    key = "b"
    name = "나동 지역사회보장협의체"
    title = "나동 돌봄"

    [[entrants]]
    key = "c"
    name = "다동 지역사회보장협의체"
    title = "다동 안부"

    [[entrants]]
    key = "d"
    name = "라동 지역사회보장협의체"
    title = "라동 반찬"

    [[entrants]]
    key = "e"
    name = "마동 지역사회보장협의체"
    title = "마동 발굴단"

    [[judges]]
    key = "j1"
    name = "심사위원 하나"

    [[judges]]
    key = "j2"
    name = "심사위원 둘"
    """
)

# (need, partnership) per entry, the same from both judges: a 38, b 35, c 35 (tied, same partnership), d 26.
TIED = {"a": (20, 18), "b": (18, 17), "c": (18, 17), "d": (16, 10)}
UNTIED = {"a": (20, 18), "b": (18, 17), "c": (18, 16), "d": (16, 10)}


def tie_contest_text(slug: str = "tie-2024", tie_break: str = '["criterion:partnership", "decision"]') -> str:
    return TIE_CONTEST.format(slug=slug, tie_break=tie_break)


def ids(session: orm.Session, contest: Contest) -> tuple[dict, dict, dict]:
    """(judge key -> user id, entrant key -> entry id, (round, criterion) -> criterion id)."""
    judges = dict(session.execute(sa.select(User.judge_key, User.id).where(User.contest_id == contest.id,
                                                                            User.role == "judge")).all())
    entries = dict(session.execute(sa.select(Entrant.key, Entry.id).join(Entry, Entry.entrant_id == Entrant.id)
                                   .where(Entry.contest_id == contest.id)).all())
    criteria = {(r, c): i for r, c, i in session.execute(
        sa.select(Round.key, Criterion.key, Criterion.id).join(Criterion, Criterion.round_id == Round.id)
        .where(Round.contest_id == contest.id))}
    return judges, entries, criteria


def put_scores(session: orm.Session, contest: Contest, rows: list[tuple[str, str, str, str, object]]) -> None:
    """Upsert ``(round, judge, entry, criterion, value)`` rows and commit."""
    judges, entries, criteria = ids(session, contest)
    for rnd, judge, entry, crit, value in rows:
        found = session.scalar(sa.select(Score).where(Score.judge_id == judges[judge],
                                                      Score.entry_id == entries[entry],
                                                      Score.criterion_id == criteria[(rnd, crit)]))
        if found is None:
            session.add(Score(judge_id=judges[judge], entry_id=entries[entry], criterion_id=criteria[(rnd, crit)],
                              value=Decimal(str(value))))
        else:
            found.value = Decimal(str(value))
            found.version += 1
    session.commit()


def put_pairs(session: orm.Session, contest: Contest, table: dict[str, tuple[int, int]],
              judges: tuple[str, ...] = ("j1", "j2")) -> None:
    """Both judges give each entry the (need, partnership) pair of ``table``."""
    rows = []
    for entry, (need, partnership) in table.items():
        for judge in judges:
            rows += [("final", judge, entry, "need", need), ("final", judge, entry, "partnership", partnership)]
    put_scores(session, contest, rows)


def submit_sheets(session: orm.Session, contest: Contest) -> None:
    """Every judge's sheet of every round: submitted."""
    judges, _entries, _criteria = ids(session, contest)
    for rnd in session.scalars(sa.select(Round).where(Round.contest_id == contest.id)):
        for judge_id in judges.values():
            sheet = session.scalar(sa.select(Sheet).where(Sheet.round_id == rnd.id, Sheet.judge_id == judge_id))
            if sheet is None:
                session.add(Sheet(round_id=rnd.id, judge_id=judge_id, status="submitted", submitted_at=utcnow()))
            else:
                sheet.status, sheet.submitted_at = "submitted", utcnow()
    session.commit()


def ready_contest(make_contest, session: orm.Session, slug: str = "tie-2024", table=None,  # noqa: ANN001
                  tie_break: str = '["criterion:partnership", "decision"]') -> Contest:
    """The tie contest with scores in and every sheet submitted."""
    contest = make_contest(slug=slug, text=tie_contest_text(slug, tie_break), status="judging")
    put_pairs(session, contest, UNTIED if table is None else table)
    submit_sheets(session, contest)
    return contest
