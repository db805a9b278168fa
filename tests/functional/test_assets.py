"""Static files through the test client: hashed names cached a year, plain names revalidated,
text compressed, and every asset a page links resolves."""

from __future__ import annotations

import gzip
import re

from flask import url_for


def _url(app, filename: str) -> str:  # noqa: ANN001
    with app.test_request_context():
        return url_for("static", filename=filename)


def test_url_for_gives_the_content_hashed_name(app):
    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", _url(app, "css/app.css"))
    assert _url(app, "no/such.file") == "/static/no/such.file"


def test_a_hashed_asset_is_immutable_for_a_year_and_compressed(app, client):
    response = client.get(_url(app, "js/judge.js"), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    cache = response.cache_control
    assert cache.public and cache.max_age == 365 * 24 * 3600 and cache.immutable
    plain = client.get("/static/js/judge.js")
    assert gzip.decompress(response.data) == plain.data
    assert plain.headers.get("Content-Encoding") is None  # a client that accepts none gets it plain


def test_a_plain_name_is_revalidated_by_etag(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200 and response.cache_control.no_cache
    again = client.get("/static/css/app.css", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_stylesheets_name_the_hashed_fonts_and_those_resolve(app, client):
    css = client.get(_url(app, "css/fonts.css")).get_data(as_text=True)
    fonts = re.findall(r'url\("\.\./(fonts/[^"]+)"\)', css)
    assert fonts and all(re.search(r"\.[0-9a-f]{12}\.woff2$", name) for name in fonts)
    response = client.get("/static/" + fonts[0])
    assert response.status_code == 200 and response.mimetype == "font/woff2"
    assert response.cache_control.immutable


def test_unknown_and_escaping_paths_are_not_found(client):
    assert client.get("/static/css/nope.css").status_code == 404
    assert client.get("/static/css/app.000000000000.css").status_code == 404
    assert client.get("/static/../judging/config.py").status_code == 404


def test_every_asset_of_the_sign_in_page_resolves(client):
    html = client.get("/sign-in").get_data(as_text=True)
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_pages_are_compressed_for_browsers_that_accept_it(client):
    response = client.get("/sign-in", headers={"Accept-Encoding": "br, gzip"})
    assert response.headers["Content-Encoding"] in {"br", "gzip"}
    assert "Accept-Encoding" in response.headers["Vary"]
