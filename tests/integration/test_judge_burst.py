"""50 judges arrive at once: each signs in with the code on their card, takes the pledge and declares
conflicts, all at the same moment, through gunicorn (2 worker processes × 16 threads) on SQLite: no
error ("database is locked" is retried inside the one unit of work), every pledge and declaration kept."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from judging import create_app, db
from judging.models import Conflict, User
from judging.services import auth, contest_file
from tests.support.contests import SMALL_CONTEST
from tests.support.databases import app_config
from tests.support.servers import free_port, start_gunicorn

JUDGES = 50
SECRET = "burst-test-secret"  # what start_gunicorn gives the server


class Judge:
    """One tablet: its own cookie jar, no redirects followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
            return None

    def __init__(self, base: str, code: str, conflicted: bool) -> None:
        self.base, self.code, self.conflicted = base, code, conflicted
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self._NoRedirect)
        self.statuses: list[tuple[str, int]] = []

    def call(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = None if data is None else urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(request, timeout=120) as response:
                status, text = response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode("utf-8")
        self.statuses.append((path, status))
        return status, text

    @staticmethod
    def token(html: str) -> str:
        found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
        return found.group(1) if found else ""

    def arrive(self) -> None:
        _, page = self.call("/sign-in")
        self.call("/sign-in/code", {"csrf_token": self.token(page), "code": self.code})
        _, page = self.call("/judge/pledge")
        self.call("/judge/pledge", {"csrf_token": self.token(page), "agree": "y"})
        _, page = self.call("/judge/conflicts")
        entries = sorted(set(re.findall(r'name="choice-(\d+)"', page)))
        form = {"csrf_token": self.token(page), **{f"choice-{e}": "none" for e in entries}}
        if self.conflicted and entries:
            form[f"choice-{entries[0]}"], form[f"reason-{entries[0]}"] = "conflict", "같은 법인 소속"
        self.call("/judge/conflicts", form)


def _contest_text() -> str:
    head, _, _rest = SMALL_CONTEST.format(slug="burst").partition("[[judges]]")
    judges = "".join(f'[[judges]]\nkey = "j{n}"\nname = "심사위원 {n}"\n\n' for n in range(1, JUDGES + 1))
    return head + judges


def _arrange(url: str, tmp_path: Path) -> list[str]:
    app = create_app(app_config(tmp_path, DATABASE_URL=url, SECRET_KEY=SECRET))
    with app.app_context():
        s = db.session()
        contest = contest_file.load(s, _contest_text())
        contest.status = "judging"
        contest.rounds[0].status = "open"
        judges = s.scalars(sa.select(User).where(User.contest_id == contest.id, User.role == "judge")
                           .order_by(User.id)).all()
        codes = [auth.issue_credentials(s, SECRET, judge)[1] for judge in judges]
        s.commit()
    db.get_db(app).engine.dispose()
    return codes


@pytest.mark.parametrize("backend", ["sqlite"])
def test_50_judges_sign_in_pledge_and_declare_at_once(fresh_url, tmp_path, backend):
    codes = _arrange(fresh_url, tmp_path)
    assert len(codes) == JUDGES
    port = free_port()
    process = start_gunicorn(fresh_url, tmp_path, port)
    base = f"http://127.0.0.1:{port}"
    judges = [Judge(base, code, conflicted=n % 5 == 0) for n, code in enumerate(codes)]
    failures: list[str] = []
    barrier = threading.Barrier(JUDGES)

    def go(judge: Judge) -> None:
        barrier.wait()
        try:
            judge.arrive()
        except Exception as error:  # noqa: BLE001 - any transport error is a failure we report
            failures.append(repr(error))

    try:
        started = time.perf_counter()
        threads = [threading.Thread(target=go, args=(j,)) for j in judges]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        elapsed = time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(timeout=30)

    log = (tmp_path / "gunicorn.log").read_text(errors="replace")
    assert failures == [], failures[:5]
    errors = [(p, s) for j in judges for p, s in j.statuses if s >= 400]
    assert errors == [], (errors[:5], log[-3000:])
    for judge in judges:
        assert [s for _, s in judge.statuses] == [200, 302, 200, 302, 200, 302], judge.statuses
    assert "database is locked" not in log and "Traceback" not in log

    engine = sa.create_engine(fresh_url)
    try:
        with engine.connect() as conn:
            pledged = conn.scalar(sa.select(sa.func.count()).select_from(User)
                                  .where(User.role == "judge", User.pledged_at.is_not(None)))
            declared = conn.scalar(sa.select(sa.func.count()).select_from(User)
                                   .where(User.role == "judge", User.conflicts_declared_at.is_not(None)))
            conflicts = conn.scalar(sa.select(sa.func.count()).select_from(Conflict).where(Conflict.source == "judge"))
    finally:
        engine.dispose()
    assert pledged == declared == JUDGES
    assert conflicts == sum(1 for j in judges if j.conflicted)
    print(f"\n{JUDGES} judges × 6 requests in {elapsed:.2f}s")  # noqa: T201 - the figure for the report
