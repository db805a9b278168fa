"""The migration test harness: a populated database at an older revision.

``populated_at(url, revision, source_url)`` brings ``url`` to ``revision`` with the migrations and
copies into it every row of ``source_url`` (a database at head holding real data, e.g. the demo),
table by table in foreign-key order, keeping only the columns the older schema has. The result is
what an installation of that revision holding that data looks like; upgrading it to head is the test.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from judging import migrate


def previous_head() -> str:
    """The revision just before the current head (the one a running installation is on)."""
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    head = script.get_revision(script.get_current_head())
    down = head.down_revision
    assert isinstance(down, str), "one linear head"
    return down


def row_counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        counts = {t.name: conn.scalar(sa.select(sa.func.count()).select_from(t)) for t in meta.sorted_tables
                  if t.name != "alembic_version"}
    engine.dispose()
    return counts


def populated_at(url: str, revision: str, source_url: str) -> dict[str, int]:
    """Migrate ``url`` to ``revision`` and copy ``source_url``'s rows into it; return rows copied per table."""
    migrate.upgrade(url, revision)
    source, target = sa.create_engine(source_url), sa.create_engine(url)
    old, new = sa.MetaData(), sa.MetaData()
    old.reflect(target)
    new.reflect(source)
    copied: dict[str, int] = {}
    with source.connect() as src, target.begin() as dst:
        for table in old.sorted_tables:
            if table.name == "alembic_version" or table.name not in new.tables:
                continue
            columns = [c.name for c in table.columns if c.name in new.tables[table.name].columns]
            rows = [dict(r._mapping) for r in src.execute(
                sa.select(*(new.tables[table.name].c[name] for name in columns)))]
            if dst.scalar(sa.select(sa.func.count()).select_from(table)):
                dst.execute(table.delete())  # rows a migration seeded (e.g. the audit chain's head)
            if rows:
                dst.execute(table.insert(), rows)
            copied[table.name] = len(rows)
        if target.dialect.name == "postgresql":
            for table in old.sorted_tables:
                if "id" in table.columns and isinstance(table.c.id.type, sa.Integer) and copied.get(table.name):
                    dst.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT max(id) FROM {table.name}))"))
    source.dispose()
    target.dispose()
    return copied
