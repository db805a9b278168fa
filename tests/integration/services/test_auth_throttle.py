"""Failed sign-ins are throttled per account and per address, across worker processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from judging import create_app, db
from judging.models import User
from judging.services import auth, organizations
from tests.support.databases import app_config


def make_app(url: str, tmp_path):  # noqa: ANN001, ANN201
    return create_app(app_config(tmp_path, DATABASE_URL=url, SIGN_IN_MAX_PER_ACCOUNT=3, SIGN_IN_MAX_PER_ADDRESS=6))


def add_organizer(app, login: str) -> None:  # noqa: ANN001
    with app.app_context():
        s = db.session()
        s.add(User(role="organizer", login=login, name=login, password_hash=auth.hash_password("right-password"),
                   organization_id=organizations.sole_organization(s).id, org_role="manager"))
        s.commit()


def fail_in_another_process(url: str, login: str, times: int, address: str) -> None:
    """Run failed sign-ins in a separate Python process, as another gunicorn worker would."""
    script = textwrap.dedent(f"""
        from judging import create_app
        app = create_app({{"TESTING": True, "SECRET_KEY": "k", "DATABASE_URL": {url!r}, "WTF_CSRF_ENABLED": False,
                           "SIGN_IN_MAX_PER_ACCOUNT": 3, "SIGN_IN_MAX_PER_ADDRESS": 6}})
        client = app.test_client()
        for _ in range({times}):
            r = client.post("/sign-in", data={{"login": {login!r}, "password": "wrong"}},
                            environ_base={{"REMOTE_ADDR": {address!r}}})
            assert r.status_code == 400, r.status_code
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)


def test_account_throttle_holds_across_processes(fresh_url, tmp_path):
    app = make_app(fresh_url, tmp_path)
    add_organizer(app, "clerk")
    fail_in_another_process(fresh_url, "clerk", 3, "10.0.0.1")
    client = app.test_client()
    # The right password from another address is still refused: the account is throttled.
    response = client.post("/sign-in", data={"login": "clerk", "password": "right-password"},
                           environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert response.status_code == 429
    assert "로그인 실패가 너무 많습니다" in response.get_data(as_text=True)


def test_address_throttle_covers_many_accounts(fresh_url, tmp_path):
    app = make_app(fresh_url, tmp_path)
    add_organizer(app, "other")
    fail_in_another_process(fresh_url, "nobody-a", 3, "10.0.0.9")
    fail_in_another_process(fresh_url, "nobody-b", 3, "10.0.0.9")
    client = app.test_client()
    response = client.post("/sign-in", data={"login": "other", "password": "right-password"},
                           environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code == 429
    # the same account from a clean address is fine
    response = client.post("/sign-in", data={"login": "other", "password": "right-password"},
                           environ_base={"REMOTE_ADDR": "10.0.0.10"})
    assert response.status_code == 302


def test_judge_code_guessing_is_throttled_per_address(fresh_url, tmp_path):
    app = make_app(fresh_url, tmp_path)
    client = app.test_client()
    statuses = [client.post("/sign-in/code", data={"code": f"AAAA-AAA{i}"},
                            environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code for i in range(8)]
    assert statuses[:6] == [400] * 6 and statuses[-1] == 429


def test_many_judges_signing_in_at_once_all_get_in(fresh_url, tmp_path):
    """50 judges scan their QR codes at the same moment, served by two 'workers' (two apps with
    their own connection pools): none sees a database error."""
    import threading

    from judging.services import contest_file
    from tests.support.contests import SMALL_CONTEST

    apps = [create_app(app_config(tmp_path, DATABASE_URL=fresh_url, SIGN_IN_MAX_PER_ADDRESS=1000))
            for _ in range(2)]
    codes = []
    with apps[0].app_context():
        s = db.session()
        contest = contest_file.load(s, SMALL_CONTEST.format(slug="burst"))
        s.flush()
        for i in range(50):
            judge = User(role="judge", name=f"위원{i}", contest_id=contest.id, judge_key=f"b{i}")
            s.add(judge)
            s.flush()
            codes.append(auth.issue_credentials(s, apps[0].config["SECRET_KEY"], judge)[1])
        s.commit()
    statuses: list[int] = []
    barrier = threading.Barrier(len(codes))

    def sign_in(i: int, code: str) -> None:
        client = apps[i % 2].test_client()
        barrier.wait()
        statuses.append(client.post("/sign-in/code", data={"code": code},
                                    environ_base={"REMOTE_ADDR": f"10.2.0.{i}"}).status_code)

    threads = [threading.Thread(target=sign_in, args=(i, code)) for i, code in enumerate(codes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert statuses == [302] * len(codes)
