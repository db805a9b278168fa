"""Signing in: each role by its own means, landing on its own home."""

from __future__ import annotations

import re

import sqlalchemy as sa

from judging.models import AuditEvent, SignInFailure


def test_anonymous_landing_sends_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in")
    page = client.get("/sign-in").get_data(as_text=True)
    assert "로그인" in page and 'lang="ko"' in page


def test_organizer_signs_in_with_password_and_lands_home(client, make_user, login):
    user, password = make_user("organizer")
    response = login(user, password)
    assert response.headers["Location"].endswith("/organizer/")
    assert client.get("/").headers["Location"].endswith("/organizer/")
    assert client.get("/organizer/").status_code == 200


def test_wrong_password_is_refused_in_korean(client, make_user):
    user, _ = make_user("organizer")
    response = client.post("/sign-in", data={"login": user.login, "password": "wrong-password"})
    assert response.status_code == 400
    assert "아이디 또는 비밀번호가 맞지 않습니다" in response.get_data(as_text=True)


def test_judge_signs_in_by_code_and_by_link(client, app, make_contest, make_user, session):
    from judging.services import auth

    contest = make_contest()
    judge, code = make_user("judge", contest=contest, judge_key="j1")
    response = client.post("/sign-in/code", data={"code": code.lower().replace("-", " ")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/judge/")
    client.post("/sign-out")
    token = auth.link_token(app.config["SECRET_KEY"], judge)
    response = client.get(f"/j/{token}")  # the QR's page: the judge's name and one button
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and judge.name in page and "심사 시작" in page
    assert not signed_in_as_judge(client)
    response = client.post(f"/j/{token}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/judge/")
    assert signed_in_as_judge(client)
    methods = [e.after["method"] for e in session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "auth.sign_in", AuditEvent.actor_id == judge.id))]
    assert sorted(methods) == ["code", "link"]


def test_revoked_judge_link_and_session_stop_working(client, app, make_contest, make_user, session):
    from judging.services import auth

    contest = make_contest()
    judge, code = make_user("judge", contest=contest, judge_key="j1")
    old_token = auth.link_token(app.config["SECRET_KEY"], judge)
    client.post("/sign-in/code", data={"code": code})
    assert signed_in_as_judge(client)
    auth.revoke_credentials(session, app.config["SECRET_KEY"], judge)
    session.commit()
    assert not signed_in_as_judge(client)  # the open session is gone
    response = client.get(f"/j/{old_token}")
    assert response.status_code == 400 and "회수" in response.get_data(as_text=True)
    response = client.post(f"/j/{old_token}")
    assert response.status_code == 400 and "회수" in response.get_data(as_text=True)
    assert client.post("/sign-in/code", data={"code": code}).status_code == 400


def test_opening_a_link_writes_nothing_and_the_button_signs_in(client, app, make_contest, make_user, session):
    from judging.services import auth

    contest = make_contest()
    judge, _ = make_user("judge", contest=contest, judge_key="j1")
    token = auth.link_token(app.config["SECRET_KEY"], judge)

    def writes() -> tuple:
        session.expire_all()
        return (session.get(type(judge), judge.id).last_sign_in_at,
                session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)),
                session.scalar(sa.select(sa.func.count()).select_from(SignInFailure)))

    before = writes()
    assert client.get(f"/j/{token}").status_code == 200
    assert client.get("/j/not-a-real-token").status_code == 400  # refused, and not counted
    assert writes() == before
    assert client.post("/j/not-a-real-token").status_code == 400  # the POST counts the failure
    assert writes()[2] == before[2] + 1
    assert client.post(f"/j/{token}").status_code == 302
    assert writes()[0] is not None
    # Opened again on the signed-in device: straight in, still without writing.
    before = writes()
    response = client.get(f"/j/{token}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/judge/")
    assert writes() == before


def test_the_link_button_needs_the_csrf_token(csrf_app, make_contest, make_user, session):
    from judging.services import auth

    contest = make_contest()
    judge, _ = make_user("judge", contest=contest, judge_key="j1")
    token = auth.link_token(csrf_app.config["SECRET_KEY"], judge)
    client = csrf_app.test_client()
    assert client.post(f"/j/{token}").status_code == 400
    assert not signed_in_as_judge(client)
    page = client.get(f"/j/{token}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(f"/j/{token}", data={"csrf_token": csrf}).status_code == 302
    assert signed_in_as_judge(client)


def signed_in_as_judge(client) -> bool:  # noqa: ANN001
    response = client.get("/judge/", follow_redirects=True)
    return response.status_code == 200 and response.request.path.startswith("/judge/")


def test_english_is_switchable(client):
    page = client.get("/sign-in?lang=en").get_data(as_text=True)
    assert 'lang="en"' in page


def test_sign_in_returns_to_the_page_that_asked_but_only_inside_ones_own_area(client, make_user):
    user, password = make_user("organizer")
    response = client.get("/organizer/audit")
    assert response.status_code == 302 and "next=" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "next=/organizer/audit" in page.replace("%2F", "/")  # the forms keep it
    response = client.post("/sign-in?next=/organizer/audit", data={"login": user.login, "password": password})
    assert response.headers["Location"].endswith("/organizer/audit")
    client.post("/sign-out")
    for target in ("/judge/", "//evil.example/x", "https://evil.example/"):
        response = client.post(f"/sign-in?next={target}", data={"login": user.login, "password": password})
        assert response.headers["Location"].endswith("/organizer/"), target
        client.post("/sign-out")
