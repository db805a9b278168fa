"""Security headers on every response of every route (any method, signed out and in every role), a
strict Content-Security-Policy the templates can live with (no inline script, no event-handler or
style attribute), and HSTS only behind HTTPS."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from judging import create_app
from judging.security import CONTENT_SECURITY_POLICY
from tests.support.databases import app_config
from tests.support.routes import all_routes

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
EXPECTED = {
    "X-Frame-Options": {"DENY"},
    "X-Content-Type-Options": {"nosniff"},
    "Referrer-Policy": {"same-origin", "no-referrer"},  # the ballot page sends none at all
}


def check(response, where) -> None:  # noqa: ANN001
    csp = response.headers.get("Content-Security-Policy", "")
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives.get("frame-ancestors") == "'none'", where
    assert directives.get("script-src") == "'self'", where
    assert directives.get("style-src") == "'self'", where
    assert directives.get("object-src") == "'none'", where
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    for name, value in EXPECTED.items():
        assert response.headers.get(name) in value, (where, name)


def test_every_route_in_every_role_sends_the_headers(app, people):
    checked = 0
    for role in (None, "organizer", "judge", "council"):
        client = app.test_client()
        if role:
            user, secret = people[role]
            data = {"code": secret} if role == "judge" else {"login": user.login, "password": secret}
            response = client.post("/sign-in/code" if role == "judge" else "/sign-in", data=data)
            assert response.status_code == 302
        for _blueprint, method, path in all_routes(app):
            response = client.open(path.replace("/x/", f"/{people['contest'].slug}/"), method=method)
            check(response, (role, method, path, response.status_code))
            checked += 1
    assert checked >= 400
    # Error pages, static files and JSON answers too.
    client = app.test_client()
    for path in ("/no-such-page", "/static/css/app.css", "/judge/api/scores"):
        check(client.get(path), path)
        check(client.post(path, json={}), path)


def test_no_hsts_over_plain_http_and_hsts_behind_https(app, tx_database, tmp_path):
    client = app.test_client()
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers
    secure = create_app(app_config(tmp_path, DATABASE=tx_database, DATABASE_URL=tx_database.url,
                                   SESSION_COOKIE_SECURE=True, PROXY_FIX=True))
    response = secure.test_client().get("/sign-in", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    response = client.get("/sign-in", base_url="https://localhost")
    assert "max-age" in response.headers["Strict-Transport-Security"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)


@pytest.mark.parametrize("template", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")))
def test_templates_have_nothing_the_policy_would_block(template):
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to judging/static/js"
    assert not HANDLER.search(text), "event-handler attribute: bind it in a static script"
    assert not STYLE_ATTR.search(text), "style attribute: use a class in the stylesheet"
    assert "javascript:" not in text
    assert "<style" not in text.lower(), "inline <style>: move it to a stylesheet in judging/static/css"


def test_the_policy_text():
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY
