"""Helpers for the judge browser tests: a contest of five finalists on the live server, signing in
by code, reading scores back from the database."""

from __future__ import annotations

import re
import textwrap
import uuid
from types import SimpleNamespace

import sqlalchemy as sa
from playwright.sync_api import expect

from judging.models import Score, User
from judging.services import auth, contest_file

CONTEST = textwrap.dedent(
    """
    [contest]
    slug = "{slug}"
    title = "2024년 복지업무 우수 동 성과보고회"
    organizer = "고양특례시"
    issuer = "고양특례시장"
    held_on = 2024-12-04

    [[rounds]]
    key = "final"
    title = "발표심사"
    aggregation = "mean"
    entries = ["gobong", "wonsin", "daehwa", "tanhyeon1", "gajwa"]
    criteria = [
      {{ key = "need", title = "사업의 필요성", max = 20, scale = "grades", guidance = "지역 욕구 조사에 근거했는지, 대상 선정이 적절한지" }},
      {{ key = "partnership", title = "민관협력", max = 20, scale = "points", guidance = "민간 기관과의 협력 범위와 역할 분담" }},
      {{ key = "outcome", title = "성과", max = 10, scale = "half_points", guidance = "목표 대비 성과와 변화의 근거" }},
    ]

    [[tiers]]
    key = "best"
    title = "최우수"
    count = 1

    [[entrants]]
    key = "gobong"
    name = "고봉동 지역사회보장협의체"
    district = "고양특례시 일산동구 고봉동"
    title = "고봉 이웃돌봄 '마을 안부 두드림'"
    summary = "홀로 사는 어르신 댁을 주민 안부지기가 주 2회 방문하고, 복지관과 함께 위기 가구를 찾아 연결하는 사업"

    [[entrants]]
    key = "wonsin"
    name = "원신동 지역사회보장협의체"
    district = "고양특례시 덕양구 원신동"
    title = "원신 어르신 건강 밥상"

    [[entrants]]
    key = "daehwa"
    name = "대화동 지역사회보장협의체"
    district = "고양특례시 일산서구 대화동"
    title = "대화동 청년·어르신 디지털 동행"

    [[entrants]]
    key = "tanhyeon1"
    name = "탄현1동 지역사회보장협의체"
    district = "고양특례시 일산서구 탄현1동"
    title = "탄현 나눔냉장고와 반찬 나눔"

    [[entrants]]
    key = "gajwa"
    name = "가좌동 지역사회보장협의체"
    district = "고양특례시 일산서구 가좌동"
    title = "가좌 안심 귀갓길 돌봄"

    [[judges]]
    key = "j1"
    name = "김정희"
    affiliation = "○○대학교 사회복지학과"

    [[judges]]
    key = "j2"
    name = "박성민"
    """
)


def make_contest(live) -> SimpleNamespace:  # noqa: ANN001
    """A judging contest with its round open; returns ids, judges' codes and link tokens."""
    slug = f"b-{uuid.uuid4().hex[:8]}"
    s = live.session()
    contest = contest_file.load(s, CONTEST.format(slug=slug))
    contest.status = "judging"
    rnd = contest.rounds[0]
    rnd.status = "open"
    s.flush()
    secret = live.app.config["SECRET_KEY"]
    codes, links, judge_ids = {}, {}, {}
    for judge in s.scalars(sa.select(User).where(User.contest_id == contest.id)):
        _, code = auth.issue_credentials(s, secret, judge)
        codes[judge.judge_key] = code
        links[judge.judge_key] = auth.link_token(secret, judge)
        judge_ids[judge.judge_key] = judge.id
    world = SimpleNamespace(
        contest_id=contest.id, round_id=rnd.id, codes=codes, links=links, judges=judge_ids,
        entries={e.key: e.entry.id for e in contest.entrants},
        names={e.key: e.name for e in contest.entrants},
        criteria={c.key: c.id for c in rnd.criteria},
    )
    s.commit()
    s.close()
    return world


def sign_in_by_code(page, live, code: str) -> None:  # noqa: ANN001
    page.goto(live.url + "/sign-in")
    page.get_by_label("심사위원 코드").fill(code)
    page.get_by_role("button", name="코드로 입장").tap()
    page.wait_for_url(re.compile(r"/judge/"))


def pledge_and_declare(page, world, conflict_with: str | None = None) -> None:  # noqa: ANN001
    """Tap through the pledge and the declaration (one conflict, or none)."""
    page.get_by_label("위 서약 내용을 읽었으며 이에 동의합니다.").tap()
    page.get_by_role("button", name="서약하고 계속").tap()
    page.wait_for_url(re.compile(r"/judge/conflicts$"))
    if conflict_with:
        box = page.get_by_role("group", name=world.names[conflict_with])
        box.get_by_label("이해충돌 있음", exact=True).tap()
        box.get_by_label("사유 (이해충돌 있음일 때)").fill("소속 기관이 이 협의체의 협력기관임")
    page.get_by_role("button", name="고르지 않은 사업 모두 '해당 없음'").tap()
    page.get_by_role("button", name="신고 내용 제출").tap()
    page.wait_for_url(re.compile(r"/judge/$"))


def criterion(page, title: str):  # noqa: ANN001, ANN201
    """The rubric group of one criterion (fieldset named by its legend)."""
    return page.get_by_role("group", name=re.compile("^" + re.escape(title)))


def scores(live, world, judge: str = "j1") -> dict[tuple[str, str], tuple[str | None, int]]:  # noqa: ANN001
    """{(entry key, criterion key): (value text, version)} of one judge, from the database."""
    entries = {v: k for k, v in world.entries.items()}
    criteria = {v: k for k, v in world.criteria.items()}
    s = live.session()
    rows = s.execute(sa.select(Score.entry_id, Score.criterion_id, Score.value, Score.version)
                     .where(Score.judge_id == world.judges[judge])).all()
    s.close()
    out = {}
    for entry_id, criterion_id, value, version in rows:
        text = None if value is None else format(value.normalize(), "f")
        out[(entries[entry_id], criteria[criterion_id])] = (text, version)
    return out


def entry_url(live, world, key: str) -> str:  # noqa: ANN001
    return f"{live.url}/judge/rounds/{world.round_id}/entries/{world.entries[key]}"


def _cut(route) -> None:  # noqa: ANN001
    route.abort("internetdisconnected")


def go_offline(context) -> None:  # noqa: ANN001
    """Playwright's offline mode, plus the requests the judge app's service worker makes: the
    emulation does not reach those (a tablet without Wi-Fi has no network for any of them)."""
    context.set_offline(True)
    context.route("**/*", _cut)


def go_online(context) -> None:  # noqa: ANN001
    context.unroute("**/*", _cut)
    context.set_offline(False)


def draw_signature(page, context) -> None:  # noqa: ANN001
    """Two strokes with a finger: touchStart, touchMoves, touchEnd through the DevTools protocol."""
    box = page.locator("#sign-canvas").bounding_box()
    cdp = context.new_cdp_session(page)

    def send(kind: str, points: list[tuple[float, float]]) -> None:
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y} for x, y in points]})

    x0, y0, w, h = box["x"], box["y"], box["width"], box["height"]
    for stroke in ([(0.1, 0.75), (0.15, 0.3), (0.2, 0.75), (0.25, 0.5), (0.3, 0.7)],
                   [(0.4, 0.6), (0.5, 0.3), (0.6, 0.65), (0.7, 0.35), (0.8, 0.6), (0.9, 0.4)]):
        points = [(x0 + fx * w, y0 + fy * h) for fx, fy in stroke]
        send("touchStart", points[:1])
        for a, b in zip(points, points[1:], strict=False):
            for t in (0.25, 0.5, 0.75, 1.0):
                send("touchMove", [(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)])
        # The finger rests before it lifts, as a hand does: lifted at full speed, the stroke would end
        # in a fling, and the browser takes the next tap as "stop the fling" rather than a tap.
        for _ in range(3):
            page.wait_for_timeout(40)
            send("touchMove", points[-1:])
        send("touchEnd", [])
    cdp.detach()


def saved(page) -> None:  # noqa: ANN001
    """Wait until the entry screen says its last score is saved."""
    expect(page.locator("#save-text")).to_have_text("저장됨")
