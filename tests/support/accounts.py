"""Signing people in on a test client, through the real sign-in routes."""

from __future__ import annotations

import html


def sign_in(client, who, secret: str):  # noqa: ANN001, ANN201
    """Sign ``who`` in on ``client``: a ``User`` (a judge with its code, anyone else with the password)
    or a login name with its password. Asserts the sign-in was accepted; returns the response."""
    if getattr(who, "role", None) == "judge":
        response = client.post("/sign-in/code", data={"code": secret})
    else:
        login = who if isinstance(who, str) else who.login
        response = client.post("/sign-in", data={"login": login, "password": secret})
    assert response.status_code == 302, html.unescape(response.get_data(as_text=True))[:500]
    return response
