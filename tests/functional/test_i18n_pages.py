"""Pages of every role in English (``?lang=en``): headings, menus, buttons, labels and table heads
carry no Korean except names that come from the data (the demo contest: 고양 2024 being judged and
2023 published). The same page in Korean does show Korean, so the checks can fail."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from judging.models import Base, Contest, User
from tests.support.accounts import sign_in
from tests.support.demo import load_demo
from tests.support.korean import HANGUL, HANGUL_RUN
from tests.support.pages import VisibleText


def _data_strings(session) -> tuple[list[str], set[str]]:  # noqa: ANN001
    """Every Korean string stored in the database (longest first), and the Korean words in them
    (pages also show parts of names, e.g. "원신동" for "원신동 지역사회보장협의체")."""
    strings: set[str] = set()
    for mapper in Base.registry.mappers:
        columns = [c for c in mapper.columns if isinstance(c.type, sa.String)]
        if not columns:
            continue
        for row in session.execute(sa.select(*columns)):
            strings.update(v for v in row if isinstance(v, str) and HANGUL.search(v))
    words = {w for s in strings for w in HANGUL_RUN.findall(s) if HANGUL.search(w)}
    return sorted(strings, key=len, reverse=True), words


def _leaks(texts: list[str], data: tuple[list[str], set[str]]) -> list[str]:
    strings, words = data
    leaks = []
    for text in texts:
        rest = text
        for s in strings:
            if s in rest:
                rest = rest.replace(s, " ")
        rest = HANGUL_RUN.sub(lambda m: " " if m.group(0) in words else m.group(0), rest)
        if HANGUL.search(rest):
            leaks.append(text)
    return leaks


def _page(client, path: str, status: int = 200, *, html_lang: bool = True) -> VisibleText:  # noqa: ANN001
    response = client.get(path)
    body = response.get_data(as_text=True)
    assert response.status_code == status, f"{path}: {response.status_code} {body[:300]}"
    if html_lang:
        assert re.search(r'<html lang="en">', body), f"{path} is not rendered in English"
    parser = VisibleText()
    parser.feed(body)
    assert parser.chrome, f"{path}: nothing to check"
    return parser


def english_client(app):  # noqa: ANN001, ANN201
    client = app.test_client()
    client.get("/sign-in?lang=en")  # remembered for the session
    return client



@pytest.fixture()
def demo(session):  # noqa: ANN001, ANN201
    """The demo: 고양 2024 being judged (j4 unfinished) and 고양 2023 published."""
    load_demo(session)
    session.commit()
    return _data_strings(session)


def assert_english(client, path: str, data, *, whole_main: bool = False, status: int = 200) -> None:  # noqa: ANN001
    page = _page(client, path, status)
    leaks = _leaks(page.chrome + (page.main if whole_main else []), data)
    assert leaks == [], f"{path} shows Korean UI text in English: {leaks}"


def test_sign_in_page_is_english(app, demo) -> None:  # noqa: ANN001
    client = english_client(app)
    page = _page(client, "/sign-in")
    assert "Sign in" in page.chrome and "Judge code" in page.chrome and "Enter with code" in page.chrome
    assert _leaks(page.chrome + page.main, demo) == []


def test_the_same_page_in_korean_is_caught(app, demo) -> None:  # noqa: ANN001
    """The check itself: in Korean, the sign-in page's chrome is reported."""
    client = app.test_client()
    response = client.get("/sign-in?lang=ko")
    parser = VisibleText()
    parser.feed(response.get_data(as_text=True))
    assert "로그인" in _leaks(parser.chrome, demo)
    assert "한국어" not in " ".join(parser.chrome + parser.main)  # the language switch is Korean on purpose


@pytest.mark.parametrize("path", [
    "/organizer/",
    "/organizer/c/goyang-2024/setup",
    "/organizer/c/goyang-2024/entrants",
    "/organizer/c/goyang-2024/intake",
    "/organizer/c/goyang-2024/judges",
    "/organizer/c/goyang-2024/judges/cards",
    "/organizer/c/goyang-2024/assignments",
    "/organizer/c/goyang-2024/day",
    "/organizer/c/goyang-2024/results",
    "/organizer/c/goyang-2023/results",
    "/organizer/c/goyang-2023/documents",
    "/organizer/c/goyang-2023/results/publish",
    "/organizer/c/goyang-2023/objections",
    "/organizer/audit",
])
def test_organizer_pages_are_english(app, demo, path) -> None:  # noqa: ANN001
    client = english_client(app)
    sign_in(client, "organizer", "demo-organizer-2024")
    assert_english(client, path, demo)


def test_the_live_board_labels_are_english(app, demo) -> None:  # noqa: ANN001
    """The board's labels are looked up at run time (``_(value)``), invisible to extraction."""
    client = english_client(app)
    sign_in(client, "organizer", "demo-organizer-2024")
    data = client.get("/organizer/c/goyang-2024/progress.json").get_json()
    labels = [*data["board"]["state_labels"].values(), *data["board"]["activity_labels"].values(),
              data["round_status_label"]]
    assert "Done" in labels and "Recused" in labels
    assert [label for label in labels if HANGUL.search(label)] == []
    day = client.get("/organizer/c/goyang-2024/day").get_data(as_text=True)
    board_text = json.loads(re.search(r'id="board-text">(.*?)</script>', day, re.S).group(1))
    assert [v for v in board_text.values() if HANGUL.search(v)] == []


@pytest.mark.parametrize("path", ["/ceremony/goyang-2023", "/ceremony/goyang-2023/presenter"])
def test_ceremony_screens_are_english(app, demo, path) -> None:  # noqa: ANN001
    """The projector script takes its words from the page's embedded labels."""
    client = english_client(app)
    sign_in(client, "organizer", "demo-organizer-2024")
    page = _page(client, path, html_lang=False)
    assert _leaks(page.chrome, demo) == []
    body = client.get(path).get_data(as_text=True)
    data = json.loads(re.search(r'id="ceremony-data">(.*?)</script>', body, re.S).group(1))
    assert data["labels"]["congratulations"] == "Congratulations"
    assert [v for v in data["labels"].values() if HANGUL.search(v)] == []


def test_judge_pledge_home_and_review_are_english(app, demo, session, make_user) -> None:  # noqa: ANN001
    contest = session.scalar(sa.select(Contest).where(Contest.slug == "goyang-2024"))
    newcomer, code = make_user("judge", contest=contest)
    client = english_client(app)
    assert client.post("/sign-in/code", data={"code": code}).status_code == 302
    assert_english(client, "/judge/pledge", _data_strings(session), whole_main=True)  # the pledge itself

    _j1, code = make_user("judge", contest=contest, judge_key="j1")
    client = english_client(app)
    assert client.post("/sign-in/code", data={"code": code}).status_code == 302
    assert_english(client, "/judge/", demo)
    round_id = contest.rounds[0].id
    assert_english(client, f"/judge/rounds/{round_id}/review", demo)


@pytest.mark.parametrize("login", ["gobong", "juyeop1"])
def test_council_pages_are_english(app, demo, login) -> None:  # noqa: ANN001
    client = english_client(app)
    sign_in(client, login, "demo-council-2024")
    for path in ("/council/", "/council/entry", "/council/result", "/council/certificates"):
        assert_english(client, path, demo)


def test_public_results_and_verification_are_english(app, demo) -> None:  # noqa: ANN001
    client = english_client(app)
    page = _page(client, "/results/goyang-2023")
    assert "Scores and ranks" in " ".join(page.chrome) or "Award" in " ".join(page.chrome)
    assert _leaks(page.chrome, demo) == []
    assert_english(client, "/verify", demo, whole_main=True)
    assert_english(client, "/results/goyang-2024", demo, whole_main=True, status=404)


def test_error_pages_are_english(app, demo) -> None:  # noqa: ANN001
    """Their messages are looked up at run time in security.py."""
    client = english_client(app)
    assert_english(client, "/no-such-page", demo, whole_main=True, status=404)
    page = _page(client, "/sign-out", status=405)
    assert _leaks(page.main, demo) == [] and page.main
    sign_in(client, "gobong", "demo-council-2024")
    page = _page(client, "/organizer/", status=403)
    assert "You do not have permission to view this page." in page.main
    assert _leaks(page.chrome + page.main, demo) == []


def test_judges_are_data_not_interface(session, demo) -> None:  # noqa: ANN001
    """The data filter only removes stored strings: a judge's name is data, a label is not."""
    judge = session.scalar(sa.select(User).where(User.judge_key == "j1"))
    assert _leaks([f"{judge.name} Judge"], demo) == []
    assert _leaks([f"{judge.name} 심사위원 홈"], demo) == [f"{judge.name} 심사위원 홈"]
