"""Shared fixtures: app, client, runner, a rolled-back session per test, factories.

Every database test runs on SQLite and, when JUDGING_TEST_POSTGRES_URL is set (always in CI),
on PostgreSQL too. The schema always comes from the Alembic migrations, never create_all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import flask
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy import orm

from judging import create_app, migrate
from judging.db import Database
from tests.support.accounts import sign_in
from tests.support.contests import SMALL_CONTEST
from tests.support.databases import (
    BACKENDS,
    IN_CI,
    app_config,
    drop_database,
    fresh_database_url,
    migrated_database,
)


class BufferedClient(FlaskClient):
    """The test client reading each response whole and closing it, as a WSGI server does: a file sent
    with ``send_file`` is closed when the response is done instead of left open for the garbage
    collector (a ResourceWarning, and warnings are errors here)."""

    def open(self, *args, buffered: bool = True, **kwargs):  # noqa: ANN002, ANN003, ANN201, D102
        return super().open(*args, buffered=buffered, **kwargs)


# Every app the tests make (the fixtures' and the ones tests build themselves) gets this client.
flask.Flask.test_client_class = BufferedClient

def pytest_collection_modifyitems(config, items):  # noqa: ANN001
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec and callspec.params.get("backend") == "postgres":
            item.add_marker(pytest.mark.postgres)


def pytest_report_header(config):  # noqa: ANN001
    return f"judging databases: {', '.join(BACKENDS)}; CI={IN_CI}"



@pytest.fixture(autouse=True)
def _engines_disposed(monkeypatch):  # noqa: ANN001, ANN202
    """Every engine made during a test (an app of its own, a second look at a database) is disposed
    when the test ends, so no pooled connection is left for the garbage collector to close (psycopg
    reports that as a ResourceWarning, and warnings are errors here)."""
    made: list[sa.Engine] = []
    create = sa.create_engine

    def recording(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        engine = create(*args, **kwargs)
        made.append(engine)
        return engine

    monkeypatch.setattr(sa, "create_engine", recording)
    yield
    for engine in made:
        engine.dispose()

@pytest.fixture()
def fresh_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A migrated, committed database URL of the current backend, dropped afterwards."""
    url = fresh_database_url(backend, tmp_path)
    migrate.upgrade(url)
    yield url
    drop_database(url)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:  # noqa: ANN001
    return request.param


@pytest.fixture(scope="session")
def database(backend: str, tmp_path_factory) -> Iterator[Database]:  # noqa: ANN001
    database = migrated_database(backend, tmp_path_factory.mktemp(f"db-{backend}"))
    yield database
    database.engine.dispose()


class TransactionalDatabase(Database):
    """Sessions joined to one outer transaction that the test rolls back."""

    def __init__(self, base: Database, connection: sa.Connection) -> None:  # noqa: D107
        self.url = base.url
        self.engine = base.engine
        self.sessionmaker = orm.sessionmaker(bind=connection, expire_on_commit=False,
                                             join_transaction_mode="create_savepoint")


@pytest.fixture()
def connection(database: Database) -> Iterator[sa.Connection]:
    conn = database.engine.connect()
    trans = conn.begin()
    yield conn
    trans.rollback()
    conn.close()


@pytest.fixture()
def tx_database(database: Database, connection: sa.Connection) -> TransactionalDatabase:
    return TransactionalDatabase(database, connection)


@pytest.fixture()
def session(tx_database: TransactionalDatabase) -> Iterator[orm.Session]:
    s = tx_database.session()
    yield s
    s.close()


@pytest.fixture()
def app(tx_database: TransactionalDatabase, tmp_path: Path):  # noqa: ANN201
    # No app context is kept pushed: each test-client request must get its own ``g``.
    return create_app(app_config(tmp_path, DATABASE=tx_database, DATABASE_URL=tx_database.url))


@pytest.fixture()
def csrf_app(tx_database: TransactionalDatabase, tmp_path: Path):  # noqa: ANN201
    """The app with CSRF protection on, as in production."""
    return create_app(app_config(tmp_path, DATABASE=tx_database, DATABASE_URL=tx_database.url,
                                  WTF_CSRF_ENABLED=True))


@pytest.fixture()
def client(app):  # noqa: ANN001, ANN201
    return app.test_client()


@pytest.fixture()
def runner(app):  # noqa: ANN001, ANN201
    return app.test_cli_runner()


# --- factories ------------------------------------------------------------------------------



@pytest.fixture()
def make_contest(session: orm.Session) -> Callable:
    """Create a small contest from the contest file; returns the Contest."""
    from judging.services import contest_file

    def make(slug: str = "test-2024", text: str | None = None, status: str | None = None):  # noqa: ANN202
        contest = contest_file.load(session, text or SMALL_CONTEST.format(slug=slug))
        if status:
            contest.status = status
        session.commit()
        return contest

    return make


@pytest.fixture()
def make_user(session: orm.Session, app) -> Callable:  # noqa: ANN001
    """Create a user of a role; judges get credentials. Returns (user, secret) where secret is
    the password, or the judge's code."""
    from judging.models import User
    from judging.services import auth, organizations

    counter = {"n": 0}

    def make(role: str, contest=None, entrant=None, judge_key: str | None = None,  # noqa: ANN001, ANN202
             password: str = "correct-horse-battery", organization=None, org_role: str = "manager"):
        counter["n"] += 1
        n = counter["n"]
        if role == "judge":
            if judge_key is not None:
                user = session.scalar(sa.select(User).where(User.contest_id == contest.id, User.judge_key == judge_key))
            else:
                user = User(role="judge", name=f"심사위원{n}", contest_id=contest.id, judge_key=f"tj{n}")
                session.add(user)
            session.flush()
            _, code = auth.issue_credentials(session, app.config["SECRET_KEY"], user)
            session.commit()
            return user, code
        user = User(role=role, login=f"{role}{n}", name=f"{role} {n}",
                    password_hash=auth.hash_password(password))
        if role == "organizer":
            # The organization of the given contest, the one given, or the only one there is.
            if organization is None:
                organization = contest.organization if contest is not None else organizations.sole_organization(session)
            user.organization_id, user.org_role = organization.id, org_role
        if role == "council":
            user.contest_id = contest.id
            user.entrant_id = entrant.id
        session.add(user)
        session.commit()
        return user, password

    return make


@pytest.fixture()
def login(client) -> Callable:  # noqa: ANN001
    """Sign a user in through the real sign-in routes."""

    def signs_in(user, secret: str):  # noqa: ANN001, ANN202
        return sign_in(client, user, secret)

    return signs_in
