"""A request counter per key in fixed time windows, kept in the database (``RateCounter``) so the
count holds across worker processes: the judges' autosave and the audience's votes use it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import cast

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.dialects import postgresql, sqlite

from judging.messages import N_
from judging.models import RateCounter
from judging.services.errors import Throttled

RATE_WINDOW_SECONDS = 60
#: The clock the windows are counted on when ``hit_rate`` is given no ``now``: a public seam, so a
#: test driving the pages can hold every request inside one window.
clock: Callable[[], float] = time.time

_rate_upserts: dict[str, sa.Insert] = {}


def _rate_upsert(dialect: str) -> sa.Insert:
    if dialect not in _rate_upserts:
        table = cast(sa.Table, RateCounter.__table__)
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        index = sa.bindparam("b_index", type_=table.c.window_index.type)
        _rate_upserts[dialect] = (
            insert(table).values(key=sa.bindparam("b_key", type_=table.c.key.type), window_index=index, count=1)
            .on_conflict_do_update(index_elements=[table.c.key], set_={
                "count": sa.case((table.c.window_index == index, table.c.count + 1), else_=1),
                "window_index": index})
            .returning(table.c.count))
    return _rate_upserts[dialect]


def hit_rate(session: orm.Session, key: str, limit: int, *, window: int = RATE_WINDOW_SECONDS,
             now: float | None = None) -> int:
    """Count one request for ``key`` in the current fixed window; raise Throttled over ``limit``.

    One UPSERT in the database, so the count holds across worker processes. The count is written
    even when the request is then refused: a flood of bad requests is a flood too.
    """
    now = clock() if now is None else now
    index = int(now) // window
    stmt = _rate_upsert(session.connection().dialect.name)
    count: int = session.connection().execute(stmt, {"b_key": key, "b_index": index}).scalar_one()
    if count > limit:
        retry = window - int(now) % window
        raise Throttled(N_("저장 요청이 너무 많습니다. {seconds}초 뒤에 다시 보냅니다."), seconds=retry,
                        details={"code": "throttled", "retry_after": retry})
    return count

