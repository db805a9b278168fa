"""Is the database reachable, and is its schema the one this code expects (Alembic head)?"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm


@dataclass(frozen=True)
class Health:
    database: bool
    schema: str | None  # the database's revision
    head: str
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.database and self.schema == self.head

    def as_dict(self) -> dict:
        status = "ok" if self.ok else ("database unreachable" if not self.database else "schema not at head")
        result = {"status": status, "database": "ok" if self.database else "unreachable",
                  "schema": self.schema, "head": self.head}
        if self.error:
            result["error"] = self.error
        return result


@functools.cache
def head_revision() -> str:
    """The newest Alembic revision shipped with this code (read once per process)."""
    from alembic.script import ScriptDirectory

    from judging.migrate import alembic_config

    return ",".join(sorted(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()))


def check(session: orm.Session) -> Health:
    """Ask the database for its revision; never raises for an unreachable one. Reads only: the
    caller ends the read transaction (the health view checks on a session of its own and closes it)."""
    head = head_revision()
    try:
        session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as error:
        return Health(False, None, head, type(error).__name__)
    try:
        # Asked first rather than caught: a failed SELECT would abort the transaction on PostgreSQL.
        if not sa.inspect(session.connection()).has_table("alembic_version"):
            return Health(True, None, head, "no alembic_version table")
        revisions: Sequence[str] = session.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    except sa.exc.SQLAlchemyError as error:
        return Health(True, None, head, type(error).__name__)
    return Health(True, revisions[0] if len(revisions) == 1 else ",".join(revisions) or None, head)
