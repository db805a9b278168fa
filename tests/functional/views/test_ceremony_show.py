"""The ceremony pages through the test client: the published sequence embedded, the presenter's notes,
nothing before publication, organizers only, fonts served by the app."""

from __future__ import annotations

import re

from tests.support.demo import DEMO_JUDGE_NAMES, TOP_SCORE, load_demo, sign_in_council
from tests.support.pages import ceremony_data


def test_ceremony_embeds_the_whole_published_sequence(client, published_demo, as_organizer):
    as_organizer()
    response = client.get("/ceremony/goyang-2024")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    data = ceremony_data(html)
    assert data["version"] == 1 and data["role"] == "audience"
    reveals = [s for s in data["slides"] if s["kind"] == "reveal"]
    assert len(reveals) == 12
    assert [s["award"] for s in data["slides"] if s["kind"] == "award"] == ["장려상", "우수상", "최우수상", "특별상"]
    assert reveals[-2]["recipient"] == "고봉동 지역사회보장협의체"
    assert "notes" not in data  # the 심사평 is for the presenter
    assert re.search(r"/static/js/ceremony\.[0-9a-f]{12}\.js", html) and re.search(r"/static/css/ceremony\.[0-9a-f]{12}\.css", html)
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html  # no CDN
    for name in DEMO_JUDGE_NAMES:
        assert name not in html
    assert TOP_SCORE not in html


def test_presenter_view_has_the_review_notes(client, published_demo, as_organizer):
    as_organizer()
    html = client.get("/ceremony/goyang-2024/presenter").get_data(as_text=True)
    data = ceremony_data(html)
    assert data["role"] == "presenter"
    assert "민관협력의 폭이 넓어졌습니다" in data["notes"]
    assert "심사평" in html and "다음 화면" in html


def test_unpublished_contest_shows_nothing_on_the_ceremony(client, session, as_organizer):
    load_demo(session)
    session.commit()
    as_organizer()
    response = client.get("/ceremony/goyang-2024")
    html = response.get_data(as_text=True)
    assert "아직 공개된 결과가 없습니다" in html
    assert "ceremony-data" not in html and "ceremony.js" not in html
    assert "고봉동" not in html and "지역사회보장협의체" not in html


def test_ceremony_is_for_organizers_only(client, published_demo):
    assert client.get("/ceremony/goyang-2024").status_code == 302  # to sign-in
    sign_in_council(client, "gobong")
    assert client.get("/ceremony/goyang-2024").status_code == 403
    assert client.get("/ceremony/fonts/NanumMyeongjo.ttf").status_code == 403


def test_ceremony_fonts_are_served_from_the_app(client, published_demo, as_organizer):
    as_organizer()
    response = client.get("/ceremony/fonts/NanumMyeongjoBold.ttf")
    assert response.status_code == 200 and response.mimetype == "font/ttf"
    assert response.get_data()[:4] == b"\x00\x01\x00\x00"
    assert client.get("/ceremony/fonts/..%2Fconfig.py").status_code == 404
    assert client.get("/ceremony/nope-2024").status_code == 404
