"""The audit log as a hash chain: an untouched chain verifies; an UPDATE, a DELETE or an inserted row
made behind the app's back (triggers dropped first) is found by `judging audit verify`, which names
the event; two writers appending at once never fork the chain; an older database upgrades into a
sealed chain. Real commits on a fresh database of each backend."""

from __future__ import annotations

import random
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from judging import create_app, migrate
from judging.db import Database
from judging.models import AuditEvent, Contest, ResultSnapshot
from judging.services import audit, audit_chain
from tests.support.contests import SMALL_CONTEST
from tests.support.databases import app_config, drop_database, fresh_database_url


def _drop_triggers(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS result_snapshots_no_update ON result_snapshots")
    else:
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_update")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_events_no_delete")
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS result_snapshots_no_update")


@pytest.fixture()
def filled(fresh_url: str, tmp_path: Path):  # noqa: ANN201
    """A committed database with a contest, eight events and one published snapshot in the chain."""
    from judging.services import contest_file
    from judging.services.snapshots import payload_digest

    database = Database(fresh_url)
    with database.session() as s:
        contest = contest_file.load(s, SMALL_CONTEST.format(slug="chain-2024"))
        for n in range(6):
            audit.record(s, "score.saved", actor_label=f"judge:j{n} 심사위원", contest_id=contest.id,
                         target_type="entry", target_id=n, before={"value": str(Decimal(n))},
                         after={"value": str(Decimal(n + 1))})
        payload = {"contest": {"slug": "chain-2024"}, "entries": [{"key": "alpha", "rank": 1}]}
        snap = ResultSnapshot(contest_id=contest.id, version=1, payload=payload, digest=payload_digest(payload))
        s.add(snap)
        s.flush()
        audit.record(s, "result.publish", actor_label="organizer:org 담당자", contest_id=contest.id,
                     target_type="result_snapshot", target_id=snap.id,
                     after={"status": "published", "version": 1, "digest": snap.digest})
        s.commit()
    app = create_app(app_config(tmp_path, DATABASE_URL=fresh_url))
    yield database, app
    database.engine.dispose()


def _events(database: Database) -> list[AuditEvent]:
    with database.session() as s:
        return list(s.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq)))


def _verify(app, *args: str):  # noqa: ANN001, ANN202
    return app.test_cli_runner().invoke(args=["audit", "verify", *args])


def test_an_untouched_chain_verifies(filled):
    database, app = filled
    events = _events(database)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == audit_chain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    result = _verify(app)
    assert result.exit_code == 0, result.output
    assert f"마지막 #{len(events)}" in result.output and events[-1].hash in result.output
    assert _verify(app, "chain-2024").exit_code == 0


def test_an_update_behind_the_apps_back_is_found_and_named(filled):
    database, app = filled
    target = _events(database)[3]
    with database.engine.begin() as conn:
        _drop_triggers(conn)
        conn.execute(sa.update(AuditEvent).where(AuditEvent.id == target.id).values(after={"value": "20"}))
    result = _verify(app)
    assert result.exit_code == 1
    assert f"#{target.seq} (id {target.id}, score.saved" in result.output
    assert "고쳐졌습니다" in result.output
    # Scoped to the contest the event belongs to, it is found as well.
    assert _verify(app, "chain-2024").exit_code == 1


def test_an_actor_rewritten_even_with_the_same_json_is_found(filled):
    database, app = filled
    target = _events(database)[1]
    with database.engine.begin() as conn:
        _drop_triggers(conn)
        conn.execute(sa.update(AuditEvent).where(AuditEvent.id == target.id).values(actor_label="someone else"))
    report = _report(database)
    assert report.first.kind == audit_chain.CHANGED and report.first.event_id == target.id


def test_a_deleted_event_is_found_and_the_next_one_named(filled):
    database, app = filled
    events = _events(database)
    gone, after_it = events[2], events[3]
    with database.engine.begin() as conn:
        _drop_triggers(conn)
        conn.execute(sa.delete(AuditEvent).where(AuditEvent.id == gone.id))
    result = _verify(app)
    assert result.exit_code == 1
    assert f"#{gone.seq}–#{gone.seq}가 없습니다 (#{after_it.seq}, id {after_it.id}" in result.output


def test_the_last_event_deleted_is_found_by_the_head(filled):
    database, app = filled
    last = _events(database)[-1]
    with database.engine.begin() as conn:
        _drop_triggers(conn)
        conn.execute(sa.delete(AuditEvent).where(AuditEvent.id == last.id))
    result = _verify(app)
    assert result.exit_code == 1
    assert f"기록의 끝(#{last.seq - 1})이 체인 머리(#{last.seq})와 다릅니다" in result.output


def test_a_deleted_event_with_the_chain_relinked_by_hand_is_still_found(filled):
    """Someone deletes event 3 and points event 4's prev_hash at event 2: the positions skip and
    event 4's content (which includes prev_hash) no longer matches its hash."""
    database, app = filled
    events = _events(database)
    with database.engine.begin() as conn:
        _drop_triggers(conn)
        conn.execute(sa.delete(AuditEvent).where(AuditEvent.id == events[2].id))
        conn.execute(sa.update(AuditEvent).where(AuditEvent.id == events[3].id).values(prev_hash=events[1].hash))
    report = _report(database)
    assert [p.kind for p in report.problems[:2]] == [audit_chain.GAP, audit_chain.CHANGED]
    assert report.first.event_id == events[3].id


def _insert_row(conn: sa.Connection, **values) -> int:  # noqa: ANN003
    row = {"at": sa.func.now(), "actor_label": "intruder", "contest_id": None, "action": "result.publish",
           "target_type": "", "target_id": "", "address": "", **values}
    return conn.execute(sa.insert(AuditEvent).values(**row).returning(AuditEvent.id)).scalar_one()


def test_an_event_appended_behind_the_apps_back_is_named(filled):
    database, app = filled
    last = _events(database)[-1]
    with database.engine.begin() as conn:
        _drop_triggers(conn)
        forged = _insert_row(conn, seq=last.seq + 1, prev_hash=last.hash, hash="f" * 64)
    result = _verify(app)
    assert result.exit_code == 1
    assert f"처음 끊긴 곳: 감사 기록 #{last.seq + 1} (id {forged}, result.publish" in result.output


def test_an_event_inserted_in_the_middle_is_named(filled):
    database, app = filled
    events = _events(database)
    with database.engine.begin() as conn:
        _drop_triggers(conn)
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ALTER TABLE audit_events DROP CONSTRAINT uq_audit_events_seq")
        else:
            # SQLite cannot drop a constraint in place: the intruder takes a free position instead.
            conn.execute(sa.update(AuditEvent).where(AuditEvent.seq >= 4).values(seq=AuditEvent.seq + 100))
        forged = _insert_row(conn, seq=3 if conn.dialect.name == "postgresql" else 4, prev_hash=events[2].hash,
                             hash="0" * 64)
    report = _report(database)
    assert not report.ok
    named = [p.event_id for p in report.problems]
    assert forged in named
    result = _verify(app)
    assert result.exit_code == 1 and f"id {forged}" in result.output


def test_a_snapshot_changed_behind_the_apps_back_is_found(filled):
    database, app = filled
    with database.engine.begin() as conn:
        _drop_triggers(conn)
        conn.execute(sa.update(ResultSnapshot).values(payload={"contest": {"slug": "chain-2024"}, "entries": []}))
    result = _verify(app, "chain-2024")
    assert result.exit_code == 1
    assert "발표 결과 제1판" in result.output


def test_an_unknown_contest_is_refused(filled):
    _, app = filled
    result = _verify(app, "no-such-contest")
    assert result.exit_code == 1 and "no-such-contest" in result.output


def _report(database: Database) -> audit_chain.ChainReport:
    with database.session() as s:
        return audit_chain.verify(s)


def test_two_writers_appending_at_once_never_fork_the_chain(fresh_url: str):
    database = Database(fresh_url)
    per_writer = 15
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def writer(name: str) -> None:
        try:
            start.wait()
            for n in range(per_writer):
                _append_retrying(database, name, n)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(f"w{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    report = _report(database)
    assert report.ok, [audit_chain.describe(p) for p in report.problems]
    assert report.events == 2 * per_writer == report.head_seq
    database.engine.dispose()


def _append_retrying(database: Database, name: str, n: int) -> None:
    """One unit of work: read first, as a request does, then append (the append takes the head's
    lock). SQLite refuses a write to a transaction that read before another wrote ('database is
    locked'); the app reruns the unit of work then (db.commit_retrying), and so does this."""
    from sqlalchemy.exc import OperationalError

    from judging.db import is_busy

    for attempt in range(100):
        with database.session() as s:
            try:
                s.scalar(sa.select(sa.func.count()).select_from(Contest))
                audit.record(s, "test.concurrent", actor_label=name, target_id=n)
                s.commit()
                return
            except OperationalError as error:
                s.rollback()
                if not is_busy(error):
                    raise
        # Back off as db.commit_retrying does: two writers retrying in lockstep can refuse each other
        # again and again on a loaded machine.
        time.sleep(random.uniform(0.002, 0.01) * min(attempt + 1, 10))
    raise AssertionError("never committed")


def test_an_older_database_upgrades_into_a_sealed_chain(backend: str, tmp_path: Path):
    url = fresh_database_url(backend, tmp_path)
    try:
        migrate.upgrade(url, "0001")
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            for n in range(5):
                conn.execute(sa.text(
                    "INSERT INTO audit_events (at, actor_label, contest_id, action, target_type, target_id, "
                    "before, after, address) VALUES (:at, '주최자', NULL, 'score.saved', 'entry', :n, NULL, "
                    ":after, '')"
                ), {"at": f"2024-12-04 06:00:0{n}", "n": str(n), "after": '{"value": "1.5", "키": [1, 2]}'})
        engine.dispose()
        migrate.upgrade(url)
        database = Database(url)
        report = _report(database)
        assert report.ok and report.events == report.head_seq == 5
        with database.session() as s:
            audit.record(s, "test.after_upgrade", actor_label="주최자")
            s.commit()
        report = _report(database)
        assert report.ok and report.events == 6
        # Still append-only after the upgrade.
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), database.engine.begin() as conn:
            conn.execute(sa.delete(AuditEvent))
        database.engine.dispose()
    finally:
        drop_database(url)
