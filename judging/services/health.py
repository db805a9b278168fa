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
    """Ask the database for its revision; never raises for an unreachable one."""
    head = head_revision()
    try:
        revisions: Sequence[str] = session.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    except sa.exc.SQLAlchemyError as error:
        session.rollback()
        reachable = _reachable(session)
        return Health(reachable, None, head, type(error).__name__ if not reachable else "no alembic_version table")
    finally:
        session.rollback()  # end the read transaction: a health check holds no lock
    return Health(True, revisions[0] if len(revisions) == 1 else ",".join(revisions) or None, head)


def _reachable(session: orm.Session) -> bool:
    try:
        session.execute(sa.text("SELECT 1"))
        return True
    except sa.exc.SQLAlchemyError:
        session.rollback()
        return False
