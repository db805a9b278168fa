"""Sessions that end: signing out ends the session on the server (a copied cookie is dead), changing a
password needs the current one and ends every other session, and so does setting the first one."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from judging.models import User
from judging.services import auth, entrants
from tests.support.accounts import sign_in

HOMES = {"organizer": "/organizer/", "judge": "/judge/", "council": "/council/"}



def copy_cookies(source, target) -> None:  # noqa: ANN001
    for name in ("session", "remember_token"):
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


def signed_in(client, role: str) -> bool:  # noqa: ANN001
    response = client.get(HOMES[role])
    return response.status_code in (200, 302) and "/sign-in" not in response.headers.get("Location", "")


@pytest.mark.parametrize("role", ["organizer", "judge", "council"])
def test_a_copied_cookie_is_dead_after_sign_out(app, people, role):
    user, secret = people[role]
    mine, copy = app.test_client(), app.test_client()
    sign_in(mine, user, secret)
    copy_cookies(mine, copy)
    assert signed_in(copy, role), "the copy works while the session is open"
    assert mine.post("/sign-out", data={}).status_code == 302
    assert not signed_in(copy, role)
    assert not signed_in(mine, role)
    # Signing in again works, and only the new cookie is good.
    sign_in(mine, user, secret)
    assert signed_in(mine, role) and not signed_in(copy, role)


def test_sign_out_is_audited_and_does_not_revoke_a_judges_code(app, session, people):
    user, code = people["judge"]
    client = app.test_client()
    sign_in(client, user, code)
    client.post("/sign-out", data={})
    sign_in(client, user, code)  # the code on the judge's card still works


def _council_password(client, **data):  # noqa: ANN001, ANN003, ANN201
    return client.post("/council/password", data=data)


def test_changing_a_password_needs_the_current_one_and_ends_other_sessions(app, session, people):
    user, password = people["council"]
    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone, user, password)
    sign_in(laptop, user, password)
    page = html.unescape(laptop.get("/council/password").get_data(as_text=True))
    assert "현재 비밀번호" in page
    new = "new-password-2024"
    for current in (None, "wrong-password"):
        data = {"password": new, "confirm": new}
        if current:
            data["current"] = current
        response = _council_password(laptop, **data)
        assert response.status_code == 400
        assert "현재 비밀번호" in html.unescape(response.get_data(as_text=True))
    session.expire_all()
    assert auth.check_password_hash(session.get(User, user.id).password_hash, password)
    assert signed_in(phone, "council")
    response = _council_password(laptop, current=password, password=new, confirm=new)
    assert response.status_code == 303
    assert signed_in(laptop, "council"), "the session that changed it goes on"
    assert not signed_in(phone, "council"), "every other session ended"
    other = app.test_client()
    assert other.post("/sign-in", data={"login": user.login, "password": password}).status_code >= 400
    sign_in(other, user, new)


def test_setting_the_first_password_ends_other_sessions(app, session, people):
    contest = people["contest"]
    secret = app.config["SECRET_KEY"]
    entrants.create_council_accounts(session, contest, secret)
    session.commit()
    invitation = next(i for i in entrants.invitations(session, contest, secret) if i.token)
    first, second = app.test_client(), app.test_client()
    assert first.get(f"/j/{invitation.token}").status_code == 200
    assert first.post(f"/j/{invitation.token}").status_code == 302
    copy_cookies(first, second)
    assert signed_in(second, "council")
    new = "first-password-2024"
    response = first.post("/council/password", data={"password": new, "confirm": new})
    assert response.status_code == 303
    assert signed_in(first, "council")
    assert not signed_in(second, "council")
    session.expire_all()
    user = session.scalar(sa.select(User).where(User.id == invitation.user.id))
    assert user.link_digest is None and user.session_epoch >= 2
