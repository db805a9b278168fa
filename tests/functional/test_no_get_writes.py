"""A GET never writes: every GET route of every blueprint (organizer, council, judge, ceremony, auth,
public, vote, health, the judge's offline files, static), with each of its parameters filled by real
ids, slugs, keys and tokens (and one that names nothing), opened by the roles that can open it and by
an anonymous visitor, leaves every table exactly as it was. The contests: the published demo (and its
published 2023 edition), a draft whose judges have no cards yet, a contest in judging with a judge who
has pledged and an open round, and an audience round with ballots out. Signing in (the code form, the
button behind a personal link) is a POST and is done before each walk."""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import re

import sqlalchemy as sa

from judging.models import (
    Attachment,
    Base,
    Certificate,
    Contest,
    Entry,
    ObjectionAttachment,
    Round,
    RoundEntry,
    User,
)
from judging.services import audience, auth, certificates, declarations, demo, lifecycle, uploads
from tests.support.audience import audience_contest
from tests.support.demo import publish_demo
from tests.support.files import make_pdf
from tests.support.routes import BLUEPRINT_ROLES

PARAM = re.compile(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>")
MAX_PATHS_PER_ROUTE = 16
WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|MERGE|UPSERT)\b", re.IGNORECASE)


def table_counts(session) -> dict[str, str]:  # noqa: ANN001
    """Every table's whole content, as a digest: a GET that inserts, updates or deletes anything shows."""
    session.expire_all()
    out = {}
    for table in Base.metadata.sorted_tables:
        rows = session.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
        out[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return out


def _some(ids) -> list[str]:  # noqa: ANN001
    """The first and last of each contest's ids, so every contest's pages are reached."""
    ids = sorted(set(ids))
    return [str(i) for i in dict.fromkeys(ids[:2] + ids[-1:])]


def candidates(session, secret: str, ballot_token: str) -> dict[str, list[str]]:  # noqa: ANN001
    """Values for every route parameter: real ones from the database, and one that names nothing."""
    certificates = session.scalars(sa.select(Certificate)).all()
    judges = session.scalars(sa.select(User).where(User.role == "judge", User.link_digest.is_not(None))).all()
    attachments = [str(i) for i in session.scalars(
        sa.select(sa.func.min(Attachment.id)).join(Entry).group_by(Entry.contest_id))]
    attachments += _some(session.scalars(sa.select(ObjectionAttachment.id)))
    return {
        "slug": list(session.scalars(sa.select(Contest.slug).order_by(Contest.id))) + ["no-such-contest"],
        "attachment_id": attachments + ["999999"],
        "certificate_id": _some(c.id for c in certificates) + ["999999"],
        "entry_id": [str(i) for i in session.scalars(
            sa.select(sa.func.min(Entry.id)).group_by(Entry.contest_id))] + ["999999"],
        "round_id": [str(i) for i in session.scalars(sa.select(Round.id))] + ["999999"],
        "round_key": sorted(set(session.scalars(sa.select(Round.key)))) + ["nope"],
        "judge_key": sorted({j.judge_key for j in judges if j.judge_key})[:3] + ["nope"],
        "fmt": ["csv", "xlsx", "json", "txt"],
        "name": ["NanumMyeongjo.ttf", "nope.ttf"],
        "token": [auth.link_token(secret, j) for j in judges[:2]] + [ballot_token, "not-a-token"],
        "filename": ["css/app.css"],
        "value": [c.verify_token for c in certificates[:1]] + ["2024-001"],
    }


def entry_pairs(session) -> list[tuple[str, str]]:  # noqa: ANN001
    """(round, entry) pairs that exist: the first two entries of every round, and one that does not."""
    pairs = []
    for round_id in session.scalars(sa.select(Round.id)):
        entries = session.scalars(sa.select(RoundEntry.entry_id).where(RoundEntry.round_id == round_id)
                                  .order_by(RoundEntry.entry_id).limit(2))
        pairs += [(str(round_id), str(entry_id)) for entry_id in entries]
    return pairs + [("999999", "999999")]


def paths(app, blueprints: set[str], values: dict[str, list[str]],  # noqa: ANN001
          pairs: list[tuple[str, str]]) -> list[str]:
    """Every GET route of the blueprints, once per combination of its parameters' values (a round's
    entry: the pairs that exist)."""
    out = []
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".", 1)[0]
        if blueprint not in blueprints or "GET" not in rule.methods:
            continue
        names = PARAM.findall(rule.rule)
        combos = pairs if names == ["round_id", "entry_id"] else itertools.islice(
            itertools.product(*(values[n] for n in names)), MAX_PATHS_PER_ROUTE)
        for combo in combos:
            path = rule.rule
            for value in combo:
                path = PARAM.sub(value, path, count=1)
            out.append(path)
    return sorted(set(out))


@contextlib.contextmanager
def write_statements():
    """Every INSERT, UPDATE or DELETE any engine sends while the block runs."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        if WRITE.match(statement):
            seen.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)


def walk(client, session, targets: list[str]) -> int:  # noqa: ANN001
    """Open every path: none sends a write statement (named with its page), and afterwards every
    table's content is what it was."""
    before = table_counts(session)
    with write_statements() as writes:
        for path in targets:
            response = client.get(path)
            assert response.status_code < 500, path
            assert writes == [], f"GET {path} wrote: {writes}"
    assert table_counts(session) == before
    return len(targets)


def test_no_page_of_any_blueprint_writes_on_get(app, session, make_user, make_contest):  # noqa: ANN001
    secret = app.config["SECRET_KEY"]
    publish_demo(session, secret)
    fresh = make_contest(slug="fresh-2024")  # judges from a contest file: no cards issued yet
    judging = make_contest(slug="judging-2024", status="judging")
    judging.rounds[0].status = "open"
    session.commit()
    judge, code = make_user("judge", contest=judging, judge_key="j1")
    declarations.pledge(session, judge)
    declarations.declare_conflicts(session, judge, dict.fromkeys(
        r.entry_id for r in declarations.declaration(session, judge).pending))
    crowd = audience_contest(make_contest, session, slug="crowd-2024")
    aud = audience.get_round(session, crowd, "crowd")
    ballot = audience.issue_ballots(session, aud, 2).cards[0].token
    lifecycle.open_voting(session, aud)
    for contest in (judging, fresh):  # a material for the judge, a file of the council's entry
        uploads.save_upload(session, contest.entrants[0].entry, io.BytesIO(make_pdf()), "사례.pdf",
                            folder=app.config["UPLOAD_FOLDER"], max_file=10**7, max_entry=10**8)
    for slug in (demo.SLUG, "goyang-2023"):
        certificates.allocate(session, session.scalar(sa.select(Contest).where(Contest.slug == slug)))
    session.commit()
    organizer, password = make_user("organizer")
    council, council_password = make_user("council", contest=fresh, entrant=fresh.entrants[0])
    demo_contest = session.scalar(sa.select(Contest).where(Contest.slug == demo.SLUG))
    demo_judge = session.scalar(sa.select(User).where(User.contest_id == demo_contest.id, User.role == "judge"))
    values, pairs = candidates(session, secret, ballot), entry_pairs(session)
    anyone = {name for name, role in BLUEPRINT_ROLES.items() if role is None}
    assert {"auth", "public", "vote", "health", "judge_offline", "static"} <= anyone

    def signed_in(form: tuple[str, dict]):  # noqa: ANN202
        client = app.test_client()
        assert client.post(*form[:1], data=form[1]).status_code == 302
        return client

    identities = {
        "anonymous": (app.test_client(), anyone | {"ceremony", "organizer", "judge", "council"}),
        "organizer": (signed_in(("/sign-in", {"login": organizer.login, "password": password})),
                      anyone | {"organizer", "ceremony"}),
        "council": (signed_in(("/sign-in", {"login": council.login, "password": council_password})),
                    anyone | {"council"}),
        "demo council": (signed_in(("/sign-in", {"login": "gobong", "password": "demo-council-2024"})),
                         anyone | {"council"}),
        "judge": (signed_in(("/sign-in/code", {"code": code})), anyone | {"judge"}),
        # the demo's judge signs in through the button behind the personal link
        "demo judge": (signed_in((f"/j/{auth.link_token(secret, demo_judge)}", {})), anyone | {"judge"}),
    }
    assert set(BLUEPRINT_ROLES) <= set().union(*(b for _c, b in identities.values()))
    opened = {}
    for name, (client, blueprints) in identities.items():
        opened[name] = walk(client, session, paths(app, blueprints, values, pairs))
    assert opened["organizer"] > 100 and opened["judge"] > 20 and opened["council"] > 20, opened
