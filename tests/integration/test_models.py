"""The schema: models and migrations agree, and the database enforces the rules it can."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from judging import migrate
from judging.models import AuditEvent, Criterion, Score, User


def test_models_and_migrations_agree(database):
    with database.engine.connect() as conn:
        assert migrate.pending_changes(conn) == []


def test_audit_events_are_append_only_in_the_database(session):
    session.add(AuditEvent(action="test.event", actor_label="tester"))
    session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(sa.update(AuditEvent).values(action="tampered"))
    session.rollback()
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(sa.delete(AuditEvent))
    session.rollback()
    assert session.scalar(sa.select(AuditEvent.action).where(AuditEvent.actor_label == "tester")) == "test.event"


def test_one_score_per_judge_entry_criterion(session, make_contest, make_user):
    contest = make_contest()
    judge, _ = make_user("judge", contest=contest, judge_key="j1")
    criterion = contest.rounds[0].criteria[0]
    entry = contest.rounds[0].round_entries[0].entry
    session.add(Score(judge_id=judge.id, entry_id=entry.id, criterion_id=criterion.id, value=Decimal(20)))
    session.commit()
    session.add(Score(judge_id=judge.id, entry_id=entry.id, criterion_id=criterion.id, value=Decimal(18)))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


@pytest.mark.parametrize(
    "make_bad",
    [
        pytest.param(lambda c, j, e, k: Score(judge_id=j.id, entry_id=e.id, criterion_id=k.id, value=Decimal(-1)),
                     id="negative score"),
        pytest.param(lambda c, j, e, k: Score(judge_id=j.id, entry_id=e.id, criterion_id=k.id, value=Decimal(1),
                                              version=0), id="version zero"),
        pytest.param(lambda c, j, e, k: User(role="judge", name="x", contest_id=c.id, judge_key="jx",
                                             password_hash="nope"), id="judge with a password"),
        pytest.param(lambda c, j, e, k: User(role="wizard", login="w", name="w"), id="unknown role"),
        pytest.param(lambda c, j, e, k: User(role="council", login="c9", name="c"), id="council without entrant"),
        pytest.param(lambda c, j, e, k: Criterion(round_id=k.round_id, key="zero", title="영점", max_points=0,
                                                  scale="points", position=99), id="criterion max zero"),
        pytest.param(lambda c, j, e, k: Criterion(round_id=k.round_id, key="odd", title="척도", max_points=5,
                                                  scale="stars", position=98), id="unknown scale"),
    ],
)
def test_database_refuses_rows_that_break_the_rules(session, make_contest, make_user, make_bad):
    contest = make_contest()
    judge, _ = make_user("judge", contest=contest, judge_key="j1")
    criterion = contest.rounds[0].criteria[0]
    entry = contest.rounds[0].round_entries[0].entry
    session.add(make_bad(contest, judge, entry, criterion))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_published_snapshots_cannot_be_updated_in_the_database(session, make_contest):
    from judging.models import ResultSnapshot

    contest = make_contest()
    session.add(ResultSnapshot(contest_id=contest.id, version=1, payload={"entries": []}, digest="0" * 64))
    session.commit()
    with pytest.raises(DBAPIError, match="immutable"):
        session.execute(sa.update(ResultSnapshot).values(digest="f" * 64).execution_options(synchronize_session=False))
    session.rollback()
    assert session.scalar(sa.select(ResultSnapshot.digest)) == "0" * 64
