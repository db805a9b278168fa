"""A contest file's problems reach the organizer in the page's language: each line still names its
place (``table[key].field: reason``), the reason is English in English mode and Korean by default."""

from __future__ import annotations

import io
import tomllib

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


def test_contest_file_download_and_upload_with_every_problem_shown(client, organizer, make_contest, session):
    contest = make_contest(slug="file-2024")
    response = client.get(f"/organizer/c/{contest.slug}/contest-file")
    assert response.status_code == 200
    assert "filename*=UTF-8''file-2024.toml" in response.headers["Content-Disposition"]
    data = tomllib.loads(response.get_data(as_text=True))
    assert data["contest"]["slug"] == "file-2024" and len(data["entrants"]) == 4
    bad = response.get_data(as_text=True).replace('scale = "grades"', 'scale = "stars"').replace(
        'title = "테스트 공모전"', 'title = 5')
    response = client.post(f"/organizer/c/{contest.slug}/contest-file",
                           data={"file-file": (io.BytesIO(bad.encode()), "file.toml")},
                           content_type="multipart/form-data", follow_redirects=True)
    messages = flashes(response)
    assert "공모전 파일에 문제가 있어 아무것도 바꾸지 않았습니다." in messages
    assert any(m.startswith("contest.title:") for m in messages)
    assert any("rounds[final].criteria[need].scale" in m for m in messages)
    fixed = response_text = client.get(f"/organizer/c/{contest.slug}/contest-file").get_data(as_text=True)
    fixed = response_text.replace('title = "테스트 공모전"', 'title = "고친 공모전"')
    response = client.post(f"/organizer/c/{contest.slug}/contest-file",
                           data={"file-file": (io.BytesIO(fixed.encode()), "file.toml")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "공모전 파일을 불러왔습니다." in flashes(response)
    session.expire_all()
    assert session.scalar(sa.select(Contest.title).where(Contest.slug == "file-2024")) == "고친 공모전"
    # A new contest from a file on the home page.
    new = fixed.replace('slug = "file-2024"', 'slug = "copy-2025"')
    response = client.post("/organizer/contest-file", data={"file-file": (io.BytesIO(new.encode()), "new.toml")},
                           content_type="multipart/form-data")
    assert response.status_code == 303 and response.headers["Location"].endswith("/organizer/c/copy-2025/")
