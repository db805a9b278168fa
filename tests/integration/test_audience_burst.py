"""300 ballots cast at the same moment through gunicorn (2 worker processes × 16 threads), each voter
with a session of their own, on SQLite and PostgreSQL: exactly 300 counted, a second use of a card
and a revoked card refused, no error."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import sqlalchemy as sa

from judging import create_app, db
from judging.models import AudienceBallot, AudienceRating, AudienceVote
from judging.services import audience, contest_file, lifecycle
from tests.support.audience import AUDIENCE_CONTEST
from tests.support.databases import app_config
from tests.support.servers import free_port, start_gunicorn

VOTERS = 300
DOUBLES = 40  # cards submitted twice at the same moment, from two phones


class Voter:
    """One phone: its own cookie jar (session and CSRF token), no redirects followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
            return None

    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self._NoRedirect)
        self.form: dict[str, str] = {}

    def _call(self, data: bytes | None = None) -> tuple[int, str]:
        request = urllib.request.Request(f"{self.base}/v/{self.token}", data=data)
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def load(self) -> int:
        status, html = self._call()
        if status == 200:
            csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
            names = sorted(set(re.findall(r'name="(r\d+)"', html)))
            self.form = {"csrf_token": csrf.group(1) if csrf else "", **{name: "4" for name in names}}
        return status

    def submit(self) -> int:
        return self._call(urllib.parse.urlencode(self.form).encode())[0]


def _arrange(url: str, tmp_path: Path) -> tuple[list[str], str]:
    app = create_app(app_config(tmp_path, DATABASE_URL=url))
    with app.app_context():
        s = db.session()
        contest = contest_file.load(s, AUDIENCE_CONTEST.format(slug="burst"))
        contest.status = "judging"
        aud = audience.get_round(s, contest, "crowd")
        batch = audience.issue_ballots(s, aud, VOTERS + 1)
        lifecycle.open_voting(s, aud)
        audience.revoke_ballot(s, aud, VOTERS + 1, "분실")
        s.commit()
    db.get_db(app).engine.dispose()
    tokens = [c.token for c in batch.cards]
    return tokens[:VOTERS], tokens[VOTERS]


def test_300_ballots_cast_at_once_through_gunicorn_count_exactly_once(fresh_url, tmp_path):
    tokens, revoked = _arrange(fresh_url, tmp_path)
    port = free_port()
    process = start_gunicorn(fresh_url, tmp_path, port)
    base = f"http://127.0.0.1:{port}"
    try:
        voters = [Voter(base, t) for t in tokens]
        voters += [Voter(base, t) for t in tokens[:DOUBLES]]  # a second phone with the same card
        # the revoked card shows no form: its phone takes a session and a CSRF token from a good card's
        # page and then submits with the revoked card, as a forger would
        forger = Voter(base, tokens[-1])
        voters.append(forger)
        loaded = [v.load() for v in voters]
        assert loaded == [200] * len(voters)
        forger.token = revoked
        statuses: list[int | str] = [0] * len(voters)
        barrier = threading.Barrier(len(voters))

        def go(index: int) -> None:
            barrier.wait()
            try:
                statuses[index] = voters[index].submit()
            except Exception as error:  # noqa: BLE001 - any transport error is a failure we report
                statuses[index] = repr(error)

        started = time.perf_counter()
        threads = [threading.Thread(target=go, args=(i,)) for i in range(len(voters))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=180)
        elapsed = time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(timeout=30)

    errors = [s for s in statuses if not isinstance(s, int) or s >= 500 or s not in (303, 409)]
    assert errors == [], (errors[:5], (tmp_path / "gunicorn.log").read_text(errors="replace")[-3000:])
    singles = statuses[DOUBLES:VOTERS]
    assert singles == [303] * (VOTERS - DOUBLES)
    for first, second in zip(statuses[:DOUBLES], statuses[VOTERS:VOTERS + DOUBLES], strict=True):
        assert sorted((first, second)) == [303, 409]  # one of the two phones wins, the other is refused
    assert statuses[-1] == 409  # the revoked card

    engine = sa.create_engine(fresh_url)
    try:
        with engine.connect() as conn:
            assert conn.scalar(sa.select(sa.func.count()).select_from(AudienceVote)) == VOTERS
            assert conn.scalar(sa.select(sa.func.count()).select_from(AudienceRating)) == VOTERS * 3
            assert conn.scalar(sa.select(sa.func.count(AudienceBallot.used_at))) == VOTERS
            assert conn.scalar(sa.select(sa.func.count(AudienceBallot.revoked_at))) == 1
    finally:
        engine.dispose()
    print(f"\n{len(voters)} submissions in {elapsed:.2f}s")  # noqa: T201 - the figure for the report
