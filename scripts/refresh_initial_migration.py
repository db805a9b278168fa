"""Regenerate migrations/versions/0001_initial_schema.py from judging.models.

Only while the project has never been deployed: after the first release, schema changes are
new Alembic revisions (``judging db revision -m ...``). Run: ``.venv/bin/python scripts/refresh_initial_migration.py``.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "migrations" / "versions" / "0001_initial_schema.py"
TRIGGERS = '''    _append_only_audit()
    _immutable_snapshots()


def _immutable_snapshots() -> None:
    """A published result snapshot never changes: the database refuses UPDATE on it."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION result_snapshots_immutable() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'result_snapshots are immutable'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER result_snapshots_no_update BEFORE UPDATE ON result_snapshots "
            "FOR EACH ROW EXECUTE FUNCTION result_snapshots_immutable()"
        )
    elif bind.dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER result_snapshots_no_update BEFORE UPDATE ON result_snapshots "
            "BEGIN SELECT RAISE(ABORT, 'result_snapshots are immutable'); END"
        )


def _append_only_audit() -> None:
    """The audit log is append-only: the database itself refuses UPDATE and DELETE."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'audit_events is append-only'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )
    elif bind.dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
            )


'''
DOWN_PREFIX = '''def downgrade() -> None:
    bind = op.get_bind()
    op.execute("DROP TRIGGER IF EXISTS result_snapshots_no_update" + (" ON result_snapshots"
               if bind.dialect.name == "postgresql" else ""))
    if bind.dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS result_snapshots_immutable()")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    elif bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
'''


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        versions = Path(tmp) / "versions"
        versions.mkdir()
        script = f"""
import sys
from alembic import command
from judging.migrate import alembic_config
cfg = alembic_config("sqlite:///{tmp}/empty.sqlite")
cfg.set_main_option("version_locations", "{versions}")
command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001", version_path="{versions}")
"""
        subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)
        generated = next(versions.glob("0001_*.py")).read_text()
    up_end = generated.index("def downgrade")
    text = generated[:up_end].rstrip() + "\n" + TRIGGERS + generated[up_end:].replace(
        "def downgrade() -> None:\n", DOWN_PREFIX, 1)
    text = re.sub(r"Create Date: .*", "Create Date: (regenerated from judging.models)", text)
    TARGET.write_text(text)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
