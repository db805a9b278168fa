"""Migrations upgrade a database that holds data: a populated database of the previous head (the
demo, both contests, scores, decisions, a published snapshot, certificates, the audit chain) upgrades
to head with every row kept, on SQLite and PostgreSQL. The organizations revision puts everything in
one default organization with every organizer its manager."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from judging import create_app, migrate
from judging.db import Database
from tests.support.databases import app_config, drop_database, fresh_database_url
from tests.support.migrations import populated_at, previous_head, row_counts

BEFORE_ORGANIZATIONS = "0003_certificate_reissue"


@pytest.fixture()
def demo_source(backend: str, tmp_path: Path):  # noqa: ANN201
    """A database at head holding the published demo (both contests, every kind of row)."""
    from judging.services import certificates
    from tests.support.demo import publish_demo

    url = fresh_database_url(backend, tmp_path)
    migrate.upgrade(url)
    database = Database(url)
    with database.session() as s:
        contest = publish_demo(s)
        certificates.allocate(s, contest)
        s.commit()
    database.engine.dispose()
    yield url
    drop_database(url)


@pytest.fixture()
def target(backend: str, tmp_path: Path):  # noqa: ANN201
    url = fresh_database_url(backend, tmp_path)
    yield url
    drop_database(url)


def _upgrade_keeps_every_row(source: str, target: str, revision: str) -> dict[str, int]:
    copied = populated_at(target, revision, source)
    assert sum(copied.values()) > 500, copied  # a real, populated database
    migrate.upgrade(target)
    after = row_counts(target)
    for table, n in copied.items():
        assert after[table] == n, (table, n, after[table])
    with sa.create_engine(target).connect() as conn:
        assert migrate.pending_changes(conn) == []
    return copied


def test_the_previous_head_upgrades_with_its_data(demo_source, target):
    _upgrade_keeps_every_row(demo_source, target, previous_head())


def test_a_database_before_organizations_moves_into_one_default_organization(demo_source, target, tmp_path):
    _upgrade_keeps_every_row(demo_source, target, BEFORE_ORGANIZATIONS)
    engine = sa.create_engine(target)
    with engine.connect() as conn:
        orgs = conn.execute(sa.text("SELECT id, slug, name FROM organizations")).all()
        assert len(orgs) == 1 and orgs[0].slug == "default" and orgs[0].name == "고양특례시"
        assert conn.scalar(sa.text("SELECT count(*) FROM contests WHERE organization_id <> :o"), {"o": orgs[0].id}) == 0
        organizers = conn.execute(sa.text(
            "SELECT organization_id, org_role FROM users WHERE role = 'organizer'")).all()
        assert organizers and all(o.organization_id == orgs[0].id and o.org_role == "manager" for o in organizers)
        assert conn.scalar(sa.text("SELECT count(*) FROM users WHERE session_epoch <> 1")) == 0
        # Everyone else keeps no organization.
        assert conn.scalar(sa.text("SELECT count(*) FROM users WHERE role <> 'organizer' "
                                   "AND organization_id IS NOT NULL")) == 0
    engine.dispose()
    # The upgraded installation works: the demo organizer signs in and sees both contests; the
    # audit chain still verifies.
    app = create_app(app_config(tmp_path, DATABASE_URL=target))
    client = app.test_client()
    response = client.post("/sign-in", data={"login": "organizer", "password": "demo-organizer-2024"})
    assert response.status_code == 302
    home = client.get("/organizer/").get_data(as_text=True)
    assert "goyang-2024" in home and "goyang-2023" in home
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_an_empty_database_gets_no_organization(target):
    migrate.upgrade(target, BEFORE_ORGANIZATIONS)
    migrate.upgrade(target)
    engine = sa.create_engine(target)
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM organizations")) == 0
    engine.dispose()
