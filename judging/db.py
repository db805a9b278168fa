"""One engine and session factory per app; one session per request, closed on teardown.

Views and CLI commands own the single commit; services only flush.
"""

from __future__ import annotations

import contextvars
import random
import time
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa
from flask import Flask, g
from sqlalchemy import event, orm
from sqlalchemy.exc import OperationalError

from judging.messages import Refusal

T = TypeVar("T")
_IMMEDIATE: contextvars.ContextVar[bool] = contextvars.ContextVar("judging_sqlite_immediate", default=False)


class Database:
    def __init__(self, url: str, engine_options: dict | None = None) -> None:
        options = dict(engine_options or {})
        if url.startswith("sqlite"):
            options.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        else:
            options.setdefault("pool_pre_ping", True)
        self.url = url
        self.engine = sa.create_engine(url, **options)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
            # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so that
            # SAVEPOINT and transactional DDL work (SQLAlchemy's documented pysqlite recipe).
            # Inside a unit of work (commit_retrying) the transaction takes the write lock at once
            # (BEGIN IMMEDIATE): a writer then waits its turn (busy_timeout) instead of failing
            # when its read snapshot went stale.
            event.listen(self.engine, "begin",
                         lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE" if _IMMEDIATE.get() else "BEGIN"))
        self.sessionmaker = orm.sessionmaker(bind=self.engine, expire_on_commit=False)

    def session(self) -> orm.Session:
        return self.sessionmaker()


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def normalise_url(url: str) -> str:
    """Make ``postgres://`` and ``postgresql://`` URLs use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def init_app(app: Flask, database: Database | None = None) -> Database:
    db = database or Database(app.config["DATABASE_URL"], app.config.get("ENGINE_OPTIONS"))
    app.extensions["judging.db"] = db

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()

    return db


def get_db(app: Flask | None = None) -> Database:
    from flask import current_app

    return (app or current_app).extensions["judging.db"]


def session() -> orm.Session:
    """The session of the current request or app context, created on first use."""
    if "db_session" not in g:
        g.db_session = get_db().session()
    return g.db_session


def is_busy(error: OperationalError) -> bool:
    """SQLite's "database is locked": another worker wrote since this transaction began reading."""
    text = str(error.orig or error).lower()
    return "locked" in text or "busy" in text


def commit_retrying(work: Callable[[orm.Session], T], attempts: int = 10, *, keep_refused: bool = True) -> T:
    """Run ``work(session)`` and commit: the one unit of work of a write request or command. On
    SQLite, a transaction that read before another worker wrote cannot upgrade to a write and fails
    at once with "database is locked"; then the whole unit of work is rolled back and run again on a
    fresh snapshot (a few times, backing off). Either all of it is saved or none of it.

    A refusal (``judging.messages.Refusal``: a service's ``DomainError``) raised by ``work`` is
    committed as well when ``keep_refused`` (what it recorded, e.g. a failed sign-in or a rate count,
    must be kept), else rolled back; then re-raised. Any other error is rolled back and
    re-raised: callers never roll back by hand.

    On SQLite the unit starts a fresh transaction that takes the
    write lock first (BEGIN IMMEDIATE), so concurrent writers queue instead of failing; what the
    request read before is re-read inside the unit, except the signed-in user it has just checked.
    """

    s = session()
    if s.get_bind().dialect.name == "sqlite":
        _end_read_transaction(s)
        token = _IMMEDIATE.set(True)
        try:
            return _run_unit(work, attempts, keep_refused)
        finally:
            _IMMEDIATE.reset(token)
    return _run_unit(work, attempts, keep_refused)


def keep_across_unit(instance: object) -> None:
    """Let ``instance`` (the signed-in user, loaded and checked a moment ago by the request's
    sign-in check) stay loaded when the unit of work starts, instead of being read again."""
    g.db_keep = instance


def _end_read_transaction(s: orm.Session) -> None:
    """End the request's read transaction before the unit takes the write lock. Nothing was written
    yet, so it is committed (a no-op) rather than rolled back; every instance it read is expired, so
    the unit re-reads it under the lock, except the one kept by :func:`keep_across_unit`."""
    if not s.in_transaction() or s.new or s.dirty or s.deleted:
        s.rollback()
        return
    kept = g.get("db_keep")
    expire_on_commit, s.expire_on_commit = s.expire_on_commit, False
    try:
        s.commit()
    finally:
        s.expire_on_commit = expire_on_commit
    for instance in list(s.identity_map.values()):
        if instance is not kept:
            s.expire(instance)


def _run_unit(work: Callable[[orm.Session], T], attempts: int, keep_refused: bool) -> T:
    for attempt in range(attempts):
        s = session()
        try:
            try:
                result = work(s)
            except Refusal:
                if keep_refused:
                    s.commit()
                else:
                    s.rollback()
                raise
            s.commit()
            return result
        except OperationalError as error:
            s.rollback()
            if not is_busy(error) or attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0.005, 0.02) * (2 ** min(attempt, 5)))
        except BaseException:
            # Any other failure (an integrity error at commit, a bug): nothing of the unit is kept
            # and the session is clean for whatever the request or command does next.
            s.rollback()
            raise
    raise AssertionError("unreachable")
