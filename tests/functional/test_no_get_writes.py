"""A GET never writes: every GET page of the organizer and the council, opened on the published demo
and on a contest whose judges have no cards yet, leaves every table exactly as it was (sign-in
excepted, which is a POST)."""

from __future__ import annotations

import hashlib
import re

import sqlalchemy as sa

from judging.models import Base
from judging.services import demo
from tests.support.demo import publish_demo

SLUG_PARAMS = re.compile(r"<(?:[a-z]+:)?slug>")
OTHER_PARAMS = re.compile(r"<[^>]+>")


def table_counts(session) -> dict[str, str]:  # noqa: ANN001
    """Every table's whole content, as a digest: a GET that inserts, updates or deletes anything shows."""
    session.expire_all()
    out = {}
    for table in Base.metadata.sorted_tables:
        rows = session.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
        out[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return out


def get_paths(app, blueprint: str, slug: str) -> list[str]:  # noqa: ANN001
    """Every GET route of the blueprint that needs nothing but the contest's slug."""
    paths = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(blueprint + ".") or "GET" not in rule.methods:
            continue
        path = SLUG_PARAMS.sub(slug, rule.rule)
        if OTHER_PARAMS.search(path):
            continue
        paths.append(path)
    return sorted(paths)


def test_no_organizer_or_council_page_writes_on_get(app, client, session, make_user, login, make_contest):  # noqa: ANN001
    publish_demo(session, app.config["SECRET_KEY"])
    fresh = make_contest(slug="fresh-2024")  # judges from a contest file: no cards issued yet
    organizer, password = make_user("organizer")
    council, council_password = make_user("council", contest=fresh, entrant=fresh.entrants[0])
    login(organizer, password)
    before = table_counts(session)
    opened = 0
    for slug in (demo.SLUG, fresh.slug):
        for path in get_paths(app, "organizer", slug):
            response = client.get(path)
            assert response.status_code < 500, path
            opened += 1
    assert opened > 30
    assert table_counts(session) == before
    client.post("/sign-out")
    login(council, council_password)
    before = table_counts(session)
    for path in get_paths(app, "council", fresh.slug):
        assert client.get(path).status_code < 500, path
    assert table_counts(session) == before
