"""The test databases: which backends run (SQLite always, PostgreSQL when configured and always in CI),
fresh migrated databases, and the test app's settings."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from judging import migrate
from judging.db import Database, normalise_url

PG_URL = os.environ.get("JUDGING_TEST_POSTGRES_URL", "")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
BACKENDS = ["sqlite", "postgres"] if (PG_URL or IN_CI) else ["sqlite"]


def postgres_url() -> str:
    if not PG_URL:
        pytest.fail("CI must run the PostgreSQL tests: set JUDGING_TEST_POSTGRES_URL (see .ci/run)")
    return normalise_url(PG_URL)


def reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def migrated_database(backend: str, directory: Path) -> Database:
    """A fresh database brought to head by the migrations."""
    if backend == "sqlite":
        url = f"sqlite:///{directory / 'test.sqlite'}"
    else:
        url = postgres_url()
        reset_postgres(url)
    database = Database(url)
    migrate.upgrade(url)
    return database


def fresh_database_url(backend: str, directory: Path) -> str:
    """A new, empty database that commits for real (for live servers and multi-process tests)."""
    if backend == "sqlite":
        return f"sqlite:///{directory / f'fresh-{uuid.uuid4().hex[:8]}.sqlite'}"
    base = postgres_url()
    url = sa.engine.make_url(base)
    name = f"{url.database}_x_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop a database made by ``fresh_database_url`` (SQLite files go with the tmp dir)."""
    if not url.startswith("postgresql"):
        return
    parsed = sa.engine.make_url(url)
    admin = sa.create_engine(postgres_url(), isolation_level="AUTOCOMMIT")
    try:
        for attempt in range(20):
            try:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
                return
            except sa.exc.ProgrammingError as error:
                # FORCE may not end a server process of another role (an autovacuum worker that has just
                # started on the database): it ends soon, so try again.
                if "InsufficientPrivilege" not in type(error.orig).__name__ or attempt == 19:
                    raise
                time.sleep(0.25)
    finally:
        admin.dispose()


def app_config(tmp_path: Path, **extra) -> dict:  # noqa: ANN003
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "PUBLIC_BASE_URL": "http://testserver",
        # Most tests post forms directly; the csrf_app fixture turns CSRF on.
        "WTF_CSRF_ENABLED": False,
        **extra,
    }
