"""Who may open what: a table over every route × every role, kept up to date automatically.

Each blueprint belongs to one role (BLUEPRINT_ROLES). A new blueprint must be added here, or this
test fails; every route of a role's blueprint refuses every other role (403) and anonymous users
(sign-in page or 401 JSON), whatever the method.
"""

from __future__ import annotations

import pytest

from tests.support.routes import BLUEPRINT_ROLES, HOMES, ROLES, all_routes


def test_every_blueprint_has_a_declared_role(app):
    unknown = {b for b, _, _ in all_routes(app)} - set(BLUEPRINT_ROLES)
    assert not unknown, f"declare the role of these blueprints in BLUEPRINT_ROLES: {unknown}"


def test_anonymous_users_are_sent_to_sign_in_everywhere_protected(app, client):
    checked = 0
    for blueprint, method, path in all_routes(app):
        if BLUEPRINT_ROLES[blueprint] is None:
            continue
        response = client.open(path, method=method)
        checked += 1
        if response.status_code == 401:
            assert response.is_json and "로그인" in response.get_json()["message"]
        else:
            assert response.status_code == 302, (method, path, response.status_code)
            assert "/sign-in" in response.headers["Location"], (method, path)
    assert checked >= 3


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_refused_on_every_other_roles_routes(app, client, people, login, role):
    user, secret = people[role]
    login(user, secret)
    checked = 0
    for blueprint, method, path in all_routes(app):
        owner = BLUEPRINT_ROLES[blueprint]
        if owner is None or owner == role:
            continue
        response = client.open(path, method=method)
        checked += 1
        assert response.status_code == 403, (role, method, path, response.status_code)
        if not response.is_json:
            assert "권한이 없습니다" in response.get_data(as_text=True)
    assert checked >= 2


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lands_on_its_own_home_only(client, people, login, role):
    user, secret = people[role]
    login(user, secret)
    assert client.get("/").headers["Location"].endswith(HOMES[role])
    # A judge who has not taken the pledge yet is led from home to it, inside the judge area.
    response = client.get(HOMES[role], follow_redirects=True)
    assert response.status_code == 200
    assert response.request.path.startswith(HOMES[role])
    for other, home in HOMES.items():
        if other != role:
            response = client.get(home)
            assert response.status_code == 403
            assert "접근할 수 없습니다" in response.get_data(as_text=True)


def test_every_write_needs_a_csrf_token(csrf_app, people):  # noqa: ANN001
    client = csrf_app.test_client()
    checked = 0
    for role in ROLES + (None,):
        with client.session_transaction() as sess:
            sess.clear()
            if role:
                sess["_user_id"] = people[role][0].get_id()
                sess["_fresh"] = True
        for blueprint, method, path in all_routes(csrf_app):
            if method == "GET" or BLUEPRINT_ROLES[blueprint] not in (role, None):
                continue
            for kwargs in ({"data": {}}, {"json": {}}, {"json": {}, "headers": {"X-CSRFToken": "forged"}}):
                response = client.open(path, method=method, **kwargs)
                checked += 1
                assert response.status_code == 400, (role, method, path, kwargs, response.status_code)
                text = response.get_data(as_text=True)
                assert "보안 토큰" in (response.get_json()["message"] if response.is_json else text)
    assert checked >= 9


def test_session_cookie_is_httponly_and_samesite(client, people, login):
    user, secret = people["organizer"]
    response = login(user, secret)
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP in tests; JUDGING_HTTPS=1 turns it on (tests/unit/test_config.py)
