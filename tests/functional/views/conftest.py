"""Fixtures of the view tests: a judge's world (a judging contest with its round open, judge j1 with
a code) and the same judge ready to score."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from judging.services import declarations


@pytest.fixture()
def world(session, make_contest, make_user):
    contest = make_contest(status="judging")
    rnd = contest.rounds[0]
    rnd.status = "open"
    rnd.criteria[0].guidance = "지역 욕구 조사에 근거했는지 봅니다."
    session.commit()
    judge, code = make_user("judge", contest=contest, judge_key="j1")
    return SimpleNamespace(contest=contest, round=rnd, judge=judge, code=code,
                           entries={e.key: e.entry for e in contest.entrants},
                           criteria={c.key: c for c in rnd.criteria})


@pytest.fixture()
def ready(world, session):
    """j1 has pledged and declared no conflict."""
    declarations.pledge(session, world.judge)
    declarations.declare_conflicts(session, world.judge, dict.fromkeys(
        r.entry_id for r in declarations.declaration(session, world.judge).pending))
    session.commit()
    return world
