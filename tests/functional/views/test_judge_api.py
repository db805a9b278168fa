"""The autosave JSON endpoints through the test client: the happy path and every refusal the API
knows (over the max, off the scale, another round's criterion, a conflicted or unassigned entry, a
submitted sheet, a missing or forged CSRF token, a stale version, malformed JSON, a flood), each with
a reason the page can show and the stored value left as it was."""

from __future__ import annotations

import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from judging.models import Assignment, AuditEvent, Criterion, EntryComment, Round, RoundEntry, Score
from judging.services import declarations, rate_limit
from tests.support.accounts import sign_in


@pytest.fixture()
def three_judges(session, make_contest, make_user):
    """A judging contest with its round open and judges j1, j2, j3 (with codes), pledged and declared."""
    contest = make_contest(status="judging")
    rnd = contest.rounds[0]
    rnd.status = "open"
    judges, codes = {}, {}
    for key in ("j1", "j2", "j3"):
        judge, code = make_user("judge", contest=contest, judge_key=key)
        declarations.pledge(session, judge)
        declarations.declare_conflicts(session, judge, dict.fromkeys(r.entry_id for r in declarations.declaration(session, judge)
                                                               .pending))
        judges[key], codes[key] = judge, code
    session.commit()
    return SimpleNamespace(contest=contest, round=rnd, judges=judges, codes=codes,
                           entries={e.key: e.entry for e in contest.entrants},
                           criteria={c.key: c for c in rnd.criteria})



def post_score(client, three_judges, entry="alpha", criterion="need", value="18", version=0, **extra):  # noqa: ANN001, ANN201
    body = {"entry": three_judges.entries[entry].id, "criterion": three_judges.criteria[criterion].id, "value": value,
            "version": version, **extra}
    return client.post("/judge/api/scores", json=body)


def stored(session, three_judges, judge="j1", entry="alpha", criterion="need"):  # noqa: ANN001, ANN201
    session.expire_all()
    row = session.execute(sa.select(Score.value, Score.version).where(
        Score.judge_id == three_judges.judges[judge].id, Score.entry_id == three_judges.entries[entry].id,
        Score.criterion_id == three_judges.criteria[criterion].id)).one_or_none()
    return None if row is None else (row.value, row.version)


def test_autosave_returns_the_new_version_and_the_judges_total(client, session, three_judges):
    sign_in(client, three_judges.judges["j1"], three_judges.codes["j1"])
    response = post_score(client, three_judges, criterion="outcome", value=7.5)  # a JSON number is read exactly
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"ok", "version", "value", "total", "max_total", "saved_at"}
    assert (body["ok"], body["version"], body["value"], body["total"]) == (True, 1, "7.5", "7.5")
    body = post_score(client, three_judges, criterion="need", value="18").get_json()
    assert body["total"] == "25.5"
    body = post_score(client, three_judges, criterion="need", value=None, version=1).get_json()
    assert (body["version"], body["value"], body["total"]) == (2, None, "7.5")
    assert stored(session, three_judges) == (None, 2)
    assert response.headers["Cache-Control"] == "no-store"


def test_comment_autosave(client, session, three_judges):
    sign_in(client, three_judges.judges["j1"], three_judges.codes["j1"])
    body = {"round": three_judges.round.id, "entry": three_judges.entries["alpha"].id, "body": "주민 참여가 돋보임", "version": 0}
    response = client.post("/judge/api/comments", json=body)
    assert response.status_code == 200 and response.get_json()["version"] == 1
    stale = client.post("/judge/api/comments", json={**body, "body": "덮어쓰기"})
    assert stale.status_code == 409
    assert stale.get_json()["current"] == {"value": "주민 참여가 돋보임", "version": 1}
    too_long = client.post("/judge/api/comments", json={**body, "body": "가" * 4001, "version": 1})
    assert too_long.status_code == 422 and "4000자" in too_long.get_json()["message"]
    comment = session.scalar(sa.select(EntryComment))
    assert (comment.body, comment.version) == ("주민 참여가 돋보임", 1)


@pytest.mark.parametrize(("criterion", "value", "message"), [
    ("need", "22", "최대 20점을 넘습니다"),
    ("need", "17", "등급 점수(20, 18, 16, 14, 12) 중 하나여야 합니다"),
    ("partnership", "21", "최대 20점을 넘습니다"),
    ("partnership", 12.5, "정수 점수만 허용됩니다"),
    ("outcome", "3.3", "0.5점 단위만 허용됩니다"),
    ("outcome", -1, "0점보다 작을 수 없습니다"),
    ("outcome", "다섯", "숫자가 아닙니다"),
    ("outcome", True, "정확한 십진수"),
])
def test_value_over_the_max_or_off_the_scale_is_422_and_changes_nothing(client, session, three_judges, criterion, value,
                                                                       message):
    sign_in(client, three_judges.judges["j1"], three_judges.codes["j1"])
    start = {"need": "16", "partnership": "10", "outcome": "10"}[criterion]
    assert post_score(client, three_judges, criterion=criterion, value=start).status_code == 200
    response = post_score(client, three_judges, criterion=criterion, value=value, version=1)
    assert response.status_code == 422
    body = response.get_json()
    assert (body["ok"], body["error"]) == (False, "invalid_value")
    assert message in body["message"]
    assert stored(session, three_judges, criterion=criterion) == (Decimal(start), 1)


def test_criterion_of_another_round_is_422(client, session, three_judges):
    other = Round(contest_id=three_judges.contest.id, key="screening", title="서면심사", position=2, status="open")
    other.criteria.append(Criterion(key="doc", title="서류", max_points=Decimal(10), scale="points", position=1))
    other.round_entries.append(RoundEntry(entry_id=three_judges.entries["delta"].id, position=1))
    session.add(other)
    session.commit()
    sign_in(client, three_judges.judges["j1"], three_judges.codes["j1"])
    response = client.post("/judge/api/scores", json={"entry": three_judges.entries["alpha"].id,
                                                      "criterion": other.criteria[0].id, "value": "5", "version": 0})
    assert response.status_code == 422 and response.get_json()["error"] == "other_round"
    assert "라운드" in response.get_json()["message"]
    assert session.scalar(sa.select(sa.func.count()).select_from(Score)) == 0


def test_unknown_ids_are_404(client, three_judges):
    sign_in(client, three_judges.judges["j1"], three_judges.codes["j1"])
    response = client.post("/judge/api/scores", json={"entry": three_judges.entries["alpha"].id, "criterion": 999_999,
                                                      "value": "5", "version": 0})
    assert response.status_code == 404 and response.get_json()["message"] == "평가 항목을 찾을 수 없습니다."
    response = client.post("/judge/api/scores", json={"entry": 999_999, "criterion": three_judges.criteria["need"].id,
                                                      "value": "20", "version": 0})
    assert response.status_code == 404


def test_conflicted_entry_is_403(client, session, three_judges):
    sign_in(client, three_judges.judges["j3"], three_judges.codes["j3"])
    response = post_score(client, three_judges, entry="gamma")
    assert response.status_code == 403
    assert response.get_json()["error"] == "conflict" and "이해충돌" in response.get_json()["message"]
    assert stored(session, three_judges, "j3", "gamma") is None
    assert client.get(f"/judge/rounds/{three_judges.round.id}/entries/{three_judges.entries['gamma'].id}").status_code == 403


def test_unassigned_entry_is_403(client, session, three_judges):
    session.add(Assignment(round_id=three_judges.round.id, judge_id=three_judges.judges["j1"].id, entry_id=three_judges.entries["beta"].id))
    session.commit()
    sign_in(client, three_judges.judges["j1"], three_judges.codes["j1"])
    response = post_score(client, three_judges, entry="alpha")
    assert response.status_code == 403 and response.get_json()["error"] == "not_assigned"
    assert post_score(client, three_judges, entry="beta").status_code == 200
    assert client.get(f"/judge/rounds/{three_judges.round.id}/entries/{three_judges.entries['alpha'].id}").status_code == 404


def test_submitted_sheet_is_403_for_scores_and_comments(client, session, three_judges):
    sign_in(client, three_judges.judges["j1"], three_judges.codes["j1"])
    for entry in ("alpha", "beta", "gamma"):
        for criterion, value in (("need", "20"), ("partnership", "15"), ("outcome", "7.5")):
            assert post_score(client, three_judges, entry=entry, criterion=criterion, value=value).status_code == 200
    assert client.post(f"/judge/rounds/{three_judges.round.id}/submit").status_code == 302
    response = post_score(client, three_judges, value="18", version=1)
    assert response.status_code == 403 and response.get_json()["error"] == "submitted"
    response = client.post("/judge/api/comments", json={"round": three_judges.round.id, "entry": three_judges.entries["alpha"].id,
                                                        "body": "늦게", "version": 0})
    assert response.status_code == 403
    assert stored(session, three_judges) == (Decimal(20), 1)


def test_stale_version_is_409_with_the_current_value(client, session, three_judges):
    sign_in(client, three_judges.judges["j1"], three_judges.codes["j1"])
    post_score(client, three_judges, value="18")
    post_score(client, three_judges, value="20", version=1)
    response = post_score(client, three_judges, value="12", version=1)
    assert response.status_code == 409
    body = response.get_json()
    assert (body["error"], body["current"]) == ("stale", {"value": "20", "version": 2})
    assert "20점" in body["message"]
    assert stored(session, three_judges) == (Decimal(20), 2)


def test_refusals_reach_the_judge_in_english(client, session, three_judges):
    sign_in(client, three_judges.judges["j1"], three_judges.codes["j1"])
    client.get("/judge/?lang=en")
    post_score(client, three_judges, value="18")
    stale = post_score(client, three_judges, value="12", version=0).get_json()
    assert stale["message"] == ("It was changed first on another device or window. The value now saved "
                                "(18 points) is shown. Choose again if needed.")
    unknown = client.post("/judge/api/scores", json={"entry": three_judges.entries["alpha"].id, "criterion": 987654,
                                                     "value": "1", "version": 0}).get_json()
    assert unknown["message"] == "The criterion was not found."
    long = client.post("/judge/api/comments", json={"round": three_judges.round.id, "entry": three_judges.entries["alpha"].id,
                                                    "body": "가" * 4001, "version": 0}).get_json()
    assert long["message"] == "Please keep the comment within 4000 characters (now 4001)."


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"text"', b"", b'{"entry": NaN}', "\ufffd".encode("utf-16")])
def test_malformed_json_is_400(client, three_judges, raw):
    sign_in(client, three_judges.judges["j1"], three_judges.codes["j1"])
    response = client.post("/judge/api/scores", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"] == "malformed" and "형식" in response.get_json()["message"]


@pytest.mark.parametrize("body", [
    {"criterion": 1, "value": "5", "version": 0},
    {"entry": "1", "criterion": 1, "value": "5", "version": 0},
    {"entry": 1, "criterion": 1, "value": "5", "version": True},
    {"entry": 1, "criterion": 1, "value": "5", "version": -1},
    {"entry": 1, "criterion": 1, "version": 0},
])
def test_missing_or_mistyped_fields_are_400(client, three_judges, body):
    sign_in(client, three_judges.judges["j1"], three_judges.codes["j1"])
    response = client.post("/judge/api/scores", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"] == "malformed"


def test_a_flood_is_429_across_requests_and_counts_refusals_too(client, app, session, three_judges, monkeypatch):
    app.config["AUTOSAVE_MAX_PER_MINUTE"] = 5
    monkeypatch.setattr(rate_limit, "clock", lambda: 1_000_020.0)  # one window for the whole test
    sign_in(client, three_judges.judges["j1"], three_judges.codes["j1"])
    statuses = [post_score(client, three_judges, value="18", version=0).status_code for _ in range(3)]
    statuses += [client.post("/judge/api/scores", data=b"{", content_type="application/json").status_code]
    statuses += [post_score(client, three_judges, value="20", version=1).status_code]
    flood = post_score(client, three_judges, value="12", version=2)
    assert statuses == [200, 409, 409, 400, 200]
    assert flood.status_code == 429
    assert flood.get_json()["error"] == "throttled" and "너무 많습니다" in flood.get_json()["message"]
    assert 1 <= int(flood.headers["Retry-After"]) <= 60
    assert stored(session, three_judges) == (Decimal(20), 2)
    sign_in(client, three_judges.judges["j2"], three_judges.codes["j2"])  # the limit is per judge
    assert post_score(client, three_judges, value="12").status_code == 200


def test_missing_or_forged_csrf_token_is_refused(csrf_app, session, three_judges):
    client = csrf_app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    assert client.post("/sign-in/code", data={"code": three_judges.codes["j1"], "csrf_token": token}).status_code == 302
    body = {"entry": three_judges.entries["alpha"].id, "criterion": three_judges.criteria["need"].id, "value": "18", "version": 0}
    missing = client.post("/judge/api/scores", json=body)
    forged = client.post("/judge/api/scores", json=body, headers={"X-CSRFToken": token[:-4] + "AAAA"})
    for response in (missing, forged):
        assert response.status_code == 400
        assert response.get_json()["error"] == "csrf" and "보안 토큰" in response.get_json()["message"]
    assert stored(session, three_judges) is None
    fresh = client.get("/judge/api/csrf").get_json()["token"]
    assert client.post("/judge/api/scores", json=body, headers={"X-CSRFToken": fresh}).status_code == 200


def test_signed_out_autosave_gets_401_json_not_a_redirect(client, three_judges):
    response = post_score(client, three_judges)
    assert response.status_code == 401
    assert response.get_json()["error"] == "signed_out" and "로그인" in response.get_json()["message"]
    assert client.get("/judge/api/csrf").status_code == 401


def test_other_roles_cannot_use_the_judge_api(client, three_judges, make_user, login):
    organizer, password = make_user("organizer")
    login(organizer, password)
    response = post_score(client, three_judges)
    assert response.status_code == 403 and response.get_json()["ok"] is False


def test_judge_of_another_contest_cannot_touch_this_one(client, session, three_judges, make_contest, make_user):
    other = make_contest(slug="other-2024", status="judging")
    other.rounds[0].status = "open"
    judge, code = make_user("judge", contest=other, judge_key="j1")
    declarations.pledge(session, judge)
    declarations.declare_conflicts(session, judge, dict.fromkeys(r.entry_id for r in declarations.declaration(session, judge)
                                                           .pending))
    session.commit()
    client.post("/sign-in/code", data={"code": code})
    assert post_score(client, three_judges).status_code == 404
    assert client.get(f"/judge/rounds/{three_judges.round.id}/entries/{three_judges.entries['alpha'].id}").status_code == 404
    assert stored(session, three_judges) is None


def test_each_saved_change_is_audited(client, session, three_judges):
    sign_in(client, three_judges.judges["j1"], three_judges.codes["j1"])
    post_score(client, three_judges, value="18")
    post_score(client, three_judges, value="16", version=1)
    events = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "score.saved")
                             .order_by(AuditEvent.id)).all()
    assert [(e.actor_id, e.before["value"], e.after["value"]) for e in events] == [
        (three_judges.judges["j1"].id, None, "18"), (three_judges.judges["j1"].id, "18", "16")]
    assert all(e.address for e in events)


def test_no_judge_endpoint_returns_another_judges_scores_or_any_aggregate(client, session, three_judges, app):
    """Crawl every judge GET route as j1 after j2 scored and commented: nothing of j2's shows."""
    secret = "둘째위원비밀의견-7Q"
    sign_in(client, three_judges.judges["j2"], three_judges.codes["j2"])
    for entry in ("alpha", "beta", "gamma"):
        for criterion, value in (("need", "12"), ("partnership", "3"), ("outcome", "0.5")):
            assert post_score(client, three_judges, entry=entry, criterion=criterion, value=value).status_code == 200
        client.post("/judge/api/comments", json={"round": three_judges.round.id, "entry": three_judges.entries[entry].id,
                                                 "body": secret, "version": 0})
    client.post("/sign-out")
    sign_in(client, three_judges.judges["j1"], three_judges.codes["j1"])
    assert post_score(client, three_judges, entry="alpha", criterion="need", value="20").get_json()["total"] == "20"

    routes = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("judge.") and "GET" in rule.methods]
    assert len(routes) >= 6
    values = {"round_id": three_judges.round.id, "entry_id": three_judges.entries["alpha"].id}
    seen = 0
    for rule in routes:
        if "attachment_id" in rule.arguments:
            continue
        for entry in ("alpha", "beta", "gamma"):
            url = rule.build({**values, "entry_id": three_judges.entries[entry].id}, append_unknown=False)[1]
            response = client.get(url)
            text = response.get_data(as_text=True)
            assert secret not in text, url
            # j2 gave 15.5 per entry: neither that total, nor a 2-judge mean, nor j2's 3-point partnership
            for leak in ("15.5", "17.75", 'value="3" checked'):
                assert leak not in text, (url, leak)
            seen += 1
    assert seen >= 15
    page = client.get(f"/judge/rounds/{three_judges.round.id}/entries/{three_judges.entries['beta'].id}").get_data(as_text=True)
    assert "checked" not in page  # j1 has not scored beta; j2 has
