"""Settings the scoring core cannot run are refused where they are entered — in the contest file and
in the set-up form — with the reason, and nothing is stored. The rule is the core's own
(``scoring.round_problems``, ``scoring.criterion_problems``), asked in both places."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from judging.models import (
    Contest,
    Criterion,
    Round,
)
from judging.services import contest_file, contest_file_format
from tests.support.contests import SMALL_CONTEST
from tests.support.pages import field_errors, flashes, page_text


def small(**swap: str) -> str:
    text = SMALL_CONTEST.format(slug="refused-2024")
    for old, new in swap.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


NEED = '{ key = "need", title = "사업의 필요성", max = 20, scale = "grades" }'

REFUSED = {
    "trimmed mean with trim 0": (small(**{"trim = 1": "trim = 0"}), "rounds[final].trim", "제외 개수가 1 이상"),
    "trimmed mean without trim": (small(**{"trim = 1\n": ""}), "rounds[final].trim", "제외 개수가 1 이상"),
    "trim with the plain mean": (small(**{'aggregation = "trimmed_mean"': 'aggregation = "mean"'}),
                                 "rounds[final].trim", "trimmed_mean)에서만"),
    "criterion weight 0": (small(**{NEED: NEED.replace(' }', ', weight = 0 }')}),
                           "rounds[final].criteria[need].weight", "0보다 커야"),
    "criterion weight below 0": (small(**{NEED: NEED.replace(' }', ', weight = -2 }')}),
                                 "rounds[final].criteria[need].weight", "0보다 커야"),
    "a maximum the scale cannot reach": (
        small(**{'max = 10, scale = "half_points"': 'max = 7.3, scale = "half_points"'}),
        "rounds[final].criteria[outcome].scale", "0.5점 단위"),
    "a round weight 0 in a weighted final": (
        small(**{'held_on = 2024-12-04': 'held_on = 2024-12-04\nfinal = "weighted"',
                 'key = "final"\n': 'key = "final"\nweight = 0\n'}),
        "rounds[final].weight", "0보다 커야"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_the_contest_file_refuses_what_the_core_cannot_run(session, case):
    text, place, words = REFUSED[case]
    with pytest.raises(contest_file_format.ContestFileError) as caught:
        contest_file.load(session, text)
    problems = dict(caught.value.problems)
    assert place in problems, problems
    assert words in problems[place], problems[place]
    session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(Contest)) == 0


def test_the_uploaded_contest_file_shows_the_reason_and_stores_nothing(client, session, organizer):
    text, place, words = REFUSED["trimmed mean with trim 0"]
    response = client.post("/organizer/contest-file", data={"file-file": (io.BytesIO(text.encode()), "c.toml")},
                           follow_redirects=True)
    shown = " ".join(flashes(response))
    assert "아무것도 바꾸지 않았습니다" in shown and place in shown and words in shown
    assert session.scalar(sa.select(sa.func.count()).select_from(Contest)) == 0


ROUND_FORM_REFUSED = {
    "trimmed mean with trim 0": ({"aggregation": "trimmed_mean", "trim": "0", "weight": "1"}, "제외 개수가 1 이상"),
    "trim with the plain mean": ({"aggregation": "mean", "trim": "2", "weight": "1"}, "trimmed_mean)에서만"),
    "round weight 0": ({"aggregation": "mean", "trim": "0", "weight": "0"}, "라운드 가중치는 0보다 커야"),
}


@pytest.mark.parametrize("case", sorted(ROUND_FORM_REFUSED))
def test_the_round_form_refuses_what_the_core_cannot_run(client, session, organizer, make_contest, case):
    contest = make_contest(slug="form-2024", status="draft")
    fields, words = ROUND_FORM_REFUSED[case]
    before = session.scalar(sa.select(sa.func.count()).select_from(Round))
    data = {"nr-key": "second", "nr-title": "2차", **{f"nr-{k}": v for k, v in fields.items()}}
    response = client.post(f"/organizer/c/{contest.slug}/setup/rounds", data=data, follow_redirects=True)
    assert any(words in f for f in field_errors(response)), field_errors(response)  # beside the field, as typed
    assert session.scalar(sa.select(sa.func.count()).select_from(Round)) == before


CRITERION_FORM_REFUSED = {
    "weight 0": ({"max_points": "20", "scale": "points", "weight": "0"}, "0보다 커야"),
    "weight below 0": ({"max_points": "20", "scale": "points", "weight": "-1"}, "0"),
    "a maximum the scale cannot reach": ({"max_points": "7.3", "scale": "half_points", "weight": "1"}, "0.5점 단위"),
}


@pytest.mark.parametrize("case", sorted(CRITERION_FORM_REFUSED))
def test_the_criterion_form_refuses_what_the_core_cannot_run(client, session, organizer, make_contest, case):
    contest = make_contest(slug="crit-2024", status="draft")
    rnd = contest.rounds[0]
    fields, words = CRITERION_FORM_REFUSED[case]
    before = session.scalar(sa.select(sa.func.count()).select_from(Criterion))
    data = {f"nc{rnd.id}-key": "extra", f"nc{rnd.id}-title": "추가", **{f"nc{rnd.id}-{k}": v for k, v in fields.items()}}
    response = client.post(f"/organizer/c/{contest.slug}/setup/rounds/{rnd.id}/criteria", data=data,
                           follow_redirects=True)
    assert any(words in f for f in field_errors(response)), field_errors(response)  # beside the field, as typed
    assert session.scalar(sa.select(sa.func.count()).select_from(Criterion)) == before


def test_building_a_contest_through_the_forms(client, organizer, session):
    response = client.post("/organizer/contests", data={
        "title": "2025년 성과보고회", "slug": "goyang-2025", "organizer": "고양특례시", "issuer": "고양특례시장",
        "held_on": "2025-12-03"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/organizer/c/goyang-2025/setup")
    base = "/organizer/c/goyang-2025/setup"
    client.post(f"{base}/rounds", data={"nr-key": "final", "nr-title": "발표심사", "nr-aggregation": "trimmed_mean",
                                         "nr-trim": "1", "nr-weight": "1"})
    contest = session.scalar(sa.select(Contest).where(Contest.slug == "goyang-2025"))
    session.refresh(contest)
    rnd = contest.rounds[0]
    assert (rnd.key, rnd.aggregation, rnd.trim) == ("final", "trimmed_mean", 1)
    response = client.post(f"{base}/rounds/{rnd.id}/criteria", data={
        f"nc{rnd.id}-key": "need", f"nc{rnd.id}-title": "사업의 필요성", f"nc{rnd.id}-max_points": "20",
        f"nc{rnd.id}-scale": "grades", f"nc{rnd.id}-weight": "1"}, follow_redirects=True)
    assert "심사 기준을 더했습니다." in flashes(response)
    response = client.post(f"{base}/rounds/{rnd.id}/criteria", data={
        f"nc{rnd.id}-key": "half", f"nc{rnd.id}-title": "반점", f"nc{rnd.id}-max_points": "7.25",
        f"nc{rnd.id}-scale": "half_points"}, follow_redirects=True)
    # The form comes back as typed, the reason beside the field.
    assert response.status_code == 400 and any("0.5점 단위" in f for f in field_errors(response))
    assert 'value="7.25"' in page_text(response) and 'value="반점"' in page_text(response)
    client.post(f"{base}/tiers", data={"nt-key": "best", "nt-title": "최우수", "nt-count": "1"})
    client.post(f"{base}/specials", data={"ns-key": "special", "ns-title": "특별상"})
    client.post(f"{base}/tie-break", data={"step1": "criterion:need", "step2": "untrimmed_mean", "step3": ""})
    session.refresh(contest)
    assert [c.key for c in contest.rounds[0].criteria] == ["need"]
    assert [t.key for t in contest.tiers] == ["best"] and [s.key for s in contest.special_awards] == ["special"]
    assert contest.tie_break == ["criterion:need", "untrimmed_mean"]
    page = client.get(base).get_data(as_text=True)
    assert "사업의 필요성" in page and "5등급" in page


def test_a_frozen_setting_is_refused_on_the_page_with_the_reason(client, organizer, make_contest):
    contest = make_contest(status="judging")
    crit = contest.rounds[0].criteria[0]
    prefix = f"c{crit.id}"
    response = client.post(f"/organizer/c/{contest.slug}/setup/criteria/{crit.id}", data={
        f"{prefix}-title": crit.title, f"{prefix}-max_points": "30", f"{prefix}-scale": crit.scale,
        f"{prefix}-weight": "1"}, follow_redirects=True)
    assert any("심사가 시작된 공모전입니다. 지금 배점을(를) 바꾸면" in f for f in field_errors(response))
    page = client.get(f"/organizer/c/{contest.slug}/setup").get_data(as_text=True)
    assert "점수나 순위를 바꿀 수 있는 항목" in page


def test_organizer_forms_carry_the_csrf_token(csrf_app, make_user, make_contest):
    client = csrf_app.test_client()
    contest = make_contest(slug="csrf-2024")
    user, password = make_user("organizer")
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/sign-in", data={"login": user.login, "password": password, "csrf_token": token})
    assert client.post(f"/organizer/c/{contest.slug}/unlock", data={"reason": "x"}).status_code == 400
    page = client.get(f"/organizer/c/{contest.slug}/setup").get_data(as_text=True)
    forms_ = re.findall(r"<form method=\"post\".*?</form>", page, re.S)
    assert len(forms_) > 10 and all(re.search(r'name="[\w-]*csrf_token"', f) for f in forms_)
    rnd = contest.rounds[0]
    token = re.search(rf'name="r{rnd.id}-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {f"r{rnd.id}-csrf_token": token, f"r{rnd.id}-title": "본선", f"r{rnd.id}-aggregation": rnd.aggregation,
            f"r{rnd.id}-trim": str(rnd.trim), f"r{rnd.id}-weight": "1"}
    response = client.post(f"/organizer/c/{contest.slug}/setup/rounds/{rnd.id}", data=data, follow_redirects=True)
    assert "라운드를 저장했습니다." in flashes(response)
