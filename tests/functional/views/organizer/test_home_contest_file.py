"""A contest file's problems reach the organizer in the page's language: each line still names its
place (``table[key].field: reason``), the reason is English in English mode and Korean by default."""

from __future__ import annotations

import io

import sqlalchemy as sa

from judging.models import Contest
from tests.support.contests import SMALL_CONTEST
from tests.support.korean import HANGUL
from tests.support.pages import flashes


def bad_file() -> str:
    text = SMALL_CONTEST.format(slug="english-2024")
    assert 'scale = "points"' in text
    return text.replace('scale = "points"', 'scale = "stars"', 1)


def upload(client, text: str):  # noqa: ANN001, ANN201
    return client.post("/organizer/contest-file", data={"file-file": (io.BytesIO(text.encode()), "c.toml")},
                       follow_redirects=True)


def test_contest_file_problems_read_in_english(client, session, make_user, login):  # noqa: ANN001
    user, password = make_user("organizer")
    login(user, password)
    client.get("/?lang=en")
    shown = flashes(upload(client, bad_file()))
    lines = [line for line in shown if "].criteria[" in line]
    assert lines and all(not HANGUL.search(line) for line in lines), shown
    assert any(line.endswith(".scale: must be one of: grades, points, half_points (value: 'stars')")
               for line in lines), lines
    assert session.scalar(sa.select(sa.func.count()).select_from(Contest)) == 0


def test_contest_file_problems_read_in_korean_by_default(client, session, make_user, login):  # noqa: ANN001
    user, password = make_user("organizer")
    login(user, password)
    shown = flashes(upload(client, bad_file()))
    assert any(line.endswith(".scale: 다음 중 하나여야 합니다: grades, points, half_points (값: 'stars')")
               for line in shown), shown
