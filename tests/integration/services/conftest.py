"""Fixtures of the service tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from judging.models import User
from judging.services import declarations


@pytest.fixture()
def pledged(session, make_contest):
    """The small contest in judging with its round open; judges pledged and declared (no conflicts
    beyond the file's j3-gamma)."""
    contest = make_contest(status="judging")
    rnd = contest.rounds[0]
    rnd.status = "open"
    judges = {u.judge_key: u for u in session.scalars(sa.select(User).where(User.contest_id == contest.id))}
    for judge in judges.values():
        declarations.pledge(session, judge)
        entries = [r.entry_id for r in declarations.declaration(session, judge).pending]
        declarations.declare_conflicts(session, judge, dict.fromkeys(entries))
    session.commit()
    entries = {e.key: e.entry for e in contest.entrants}
    criteria = {c.key: c for c in rnd.criteria}
    return SimpleNamespace(contest=contest, round=rnd, judges=judges, entries=entries, criteria=criteria)
