"""The voting page /v/<token>: no account, one submit per card, a used or revoked card says only
that; audience and judges never mix."""

from __future__ import annotations

import re

import sqlalchemy as sa

from judging.models import AudienceRating, Score
from judging.services import audience, lifecycle
from tests.support.audience import BALLOTS, audience_contest, entry_ids


def _ready(session, make_contest, slug="crowd-web", count=3, open_=True):  # noqa: ANN001, ANN202
    contest = audience_contest(make_contest, session, slug=slug)
    aud = audience.get_round(session, contest, "crowd")
    batch = audience.issue_ballots(session, aud, count)
    if open_:
        lifecycle.open_voting(session, aud)
    session.commit()
    return contest, aud, [c.token for c in batch.cards]


def _form(contest, ratings):  # noqa: ANN001, ANN202
    ids = entry_ids(contest)
    return {f"r{ids[k]}": str(v) for k, v in ratings.items()}


def test_the_ballot_page_lists_every_finalist_with_five_choices_and_no_script(client, session, make_contest):
    contest, _aud, tokens = _ready(session, make_contest)
    page = client.get(f"/v/{tokens[0]}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "현장평가단 투표" in html and "가동 지역사회보장협의체" in html and "다동 안부" in html
    assert html.count('type="radio"') == 15
    assert "<script" not in html and "style=" not in html
    assert len(page.data) < 12_000


def test_a_card_votes_once_then_says_only_that_it_was_used(client, session, make_contest):
    contest, _aud, tokens = _ready(session, make_contest)
    done = client.post(f"/v/{tokens[0]}", data=_form(contest, BALLOTS[0]))
    assert done.status_code == 303 and done.headers["Location"].endswith("/v/done")
    assert "투표가 완료되었습니다" in client.get("/v/done").get_data(as_text=True)
    again = client.post(f"/v/{tokens[0]}", data=_form(contest, BALLOTS[1]))
    text = again.get_data(as_text=True)
    assert again.status_code == 409 and "이미 사용된 투표권입니다" in text
    assert "가동" not in text and "No." not in text  # nothing else about the card
    page = client.get(f"/v/{tokens[0]}").get_data(as_text=True)
    assert "이미 사용된 투표권입니다" in page and "radio" not in page
    assert session.scalar(sa.select(sa.func.count()).select_from(AudienceRating)) == 3


def test_a_revoked_card_is_refused(client, session, make_contest):
    contest, aud, tokens = _ready(session, make_contest)
    audience.revoke_ballot(session, aud, 2, "분실")
    session.commit()
    refused = client.post(f"/v/{tokens[1]}", data=_form(contest, BALLOTS[0]))
    assert refused.status_code == 409 and "취소된 투표권입니다" in refused.get_data(as_text=True)
    assert "취소된 투표권입니다" in client.get(f"/v/{tokens[1]}").get_data(as_text=True)


def test_a_partial_ballot_keeps_the_choices_and_names_what_is_missing(client, session, make_contest):
    contest, _aud, tokens = _ready(session, make_contest)
    ids = entry_ids(contest)
    page = client.post(f"/v/{tokens[0]}", data={f"r{ids['a']}": "4"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "모든 참가작을 평가해 주세요" in html
    assert f'href="#e{ids["b"]}"' in html and f'href="#e{ids["a"]}"' not in html
    assert re.search(rf'id="r{ids["a"]}-4" value="4" required checked', html)
    bad = client.post(f"/v/{tokens[0]}", data={f"r{ids['a']}": "9", f"r{ids['b']}": "1", f"r{ids['c']}": "1"})
    assert bad.status_code == 400 and "1점부터 5점" in bad.get_data(as_text=True)


def test_unknown_waiting_and_closed_cards(client, session, make_contest):
    contest, aud, tokens = _ready(session, make_contest, open_=False)
    assert client.get("/v/not-a-real-token").status_code == 404
    assert "투표권을 찾을 수 없습니다" in client.post("/v/not-a-real-token", data={}).get_data(as_text=True)
    assert "아직 투표가 시작되지 않았습니다" in client.get(f"/v/{tokens[0]}").get_data(as_text=True)
    early = client.post(f"/v/{tokens[0]}", data=_form(contest, BALLOTS[0]))
    assert early.status_code == 409
    lifecycle.open_voting(session, aud)
    lifecycle.close_voting(session, aud)
    session.commit()
    assert "투표가 끝났습니다" in client.get(f"/v/{tokens[0]}").get_data(as_text=True)


def test_submissions_are_rate_limited_per_address(app, client, session, make_contest):
    contest, _aud, tokens = _ready(session, make_contest)
    app.config["VOTE_UNKNOWN_MAX_PER_MINUTE"] = 3
    codes = [client.post(f"/v/guess{n}", data={}).status_code for n in range(5)]
    assert codes[:3] == [404, 404, 404] and codes[3:] == [429, 429]
    assert "요청이 너무 많습니다" in client.post("/v/guess9", data={}).get_data(as_text=True)


def test_a_judge_cannot_vote_and_a_card_reaches_no_judge_page(client, session, make_contest, make_user, login):
    contest, aud, tokens = _ready(session, make_contest)
    judge, code = make_user("judge", contest=contest, judge_key="j1")
    login(judge, code)
    # a judge's session cannot cast a ballot, even holding a card
    page = client.get(f"/v/{tokens[0]}")
    assert page.status_code == 403 and "심사위원은 현장평가단 투표를 할 수 없습니다" in page.get_data(as_text=True)
    refused = client.post(f"/v/{tokens[0]}", data=_form(contest, BALLOTS[0]))
    assert refused.status_code == 403
    assert audience.turnout(session, aud).cast == 0
    assert audience.ballot_state(session, tokens[0]).state == "ready"  # the card stays unused
    # the judge's own pages never show the audience round
    home = client.get("/judge/", follow_redirects=True).get_data(as_text=True)
    assert "현장평가단" not in home
    client.post("/sign-out")

    fresh = client.application.test_client()
    # a card's token is no sign-in: judge pages stay closed to its holder
    assert fresh.get(f"/j/{tokens[1]}").status_code in (400, 401, 403, 404)
    assert fresh.post(f"/j/{tokens[1]}").status_code in (400, 401, 403, 404)
    response = fresh.get("/judge/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert fresh.get(f"/v/{tokens[1]}").status_code == 200
    # and a vote is never a score
    scores_before = session.scalar(sa.select(sa.func.count()).select_from(Score))
    assert fresh.post(f"/v/{tokens[1]}", data=_form(contest, BALLOTS[0])).status_code == 303
    assert session.scalar(sa.select(sa.func.count()).select_from(Score)) == scores_before


def test_the_organizer_issues_revokes_opens_and_sees_turnout(client, session, make_contest, make_user, login):
    from pypdf import PdfReader

    audience_contest(make_contest, session, slug="crowd-org")
    organizer, password = make_user("organizer")
    login(organizer, password)
    page = client.get("/organizer/c/crowd-org/audience")
    assert page.status_code == 200 and "투표권 발급" in page.get_data(as_text=True)
    pdf = client.post("/organizer/c/crowd-org/audience/crowd/issue", data={"count": "9"})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "crowd-org-crowd-ballots-0001-0009.pdf" in pdf.headers["Content-Disposition"]
    import io

    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 2 and "No. 0009" in reader.pages[1].extract_text()
    bad = client.post("/organizer/c/crowd-org/audience/crowd/issue", data={"count": "0"}, follow_redirects=True)
    assert "2000장까지" in bad.get_data(as_text=True)
    client.post("/organizer/c/crowd-org/audience/crowd/open", data={})
    client.post("/organizer/c/crowd-org/audience/crowd/revoke", data={"serial": "4", "reason": "분실"})
    listing = client.get("/organizer/c/crowd-org/audience").get_data(as_text=True)
    assert "투표 중" in listing and "취소 (분실)" in listing
    day = client.get("/organizer/c/crowd-org/day").get_data(as_text=True)
    assert "현장평가단 투표율" in day and 'data-turnout="crowd:cast">0<' in day
    data = client.get("/organizer/c/crowd-org/progress.json").get_json()
    assert data["audience"][0]["turnout"] == {"issued": 9, "revoked": 1, "cast": 0, "valid": 8,
                                              "percent": "0", "percent_display": "0.00"}
    closed = client.post("/organizer/c/crowd-org/audience/crowd/close", data={}, follow_redirects=True)
    assert "집계를 감사 기록에 남겼습니다" in closed.get_data(as_text=True)


def test_the_results_page_shows_announced_and_effective_weights_and_publishing_asks_to_confirm(
        client, session, make_contest, make_user, login):
    contest, aud, tokens = _ready(session, make_contest, slug="crowd-res", count=4)
    for token, ballot in zip(tokens, [{"a": 4, "b": 4, "c": 4}] * 3 + [{"a": 4, "b": 4, "c": 3}], strict=True):
        assert client.post(f"/v/{token}", data=_form(contest, ballot)).status_code == 303
    contest.status = "locked"
    session.commit()
    organizer, password = make_user("organizer")
    login(organizer, password)
    html = client.get("/organizer/c/crowd-res/results").get_data(as_text=True)
    assert "가중 합산과 실제 가중치" in html
    assert 'data-effective="crowd">12.22%' in html and 'data-effective="final">87.78%' in html
    assert "투표 4표" in html
    confirm = client.get("/organizer/c/crowd-res/results/publish").get_data(as_text=True)
    assert "실제 가중치 경고를 확인했고 이대로 공개합니다" in confirm and "12.22%만 좌우합니다" in confirm
    refused = client.post("/organizer/c/crowd-res/results/publish", data={"note": "", "confirm": "y"},
                          follow_redirects=True)
    assert "확인란에 표시한 뒤 다시 공개해 주세요" in refused.get_data(as_text=True)
    done = client.post("/organizer/c/crowd-res/results/publish",
                       data={"note": "", "confirm": "y", "accept_weights": "y"}, follow_redirects=True)
    assert "제1판" in done.get_data(as_text=True)


def test_the_set_up_page_adds_edits_and_removes_an_audience_round_and_sets_the_margin(
        client, session, make_contest, make_user, login):
    from tests.support.scores import tie_contest_text

    contest = make_contest(slug="crowd-setup", text=tie_contest_text("crowd-setup"))
    organizer, password = make_user("organizer")
    login(organizer, password)
    data = {"na-key": "crowd", "na-title": "현장평가단", "na-weight": "30", "na-max_points": "100"}
    refused = client.post("/organizer/c/crowd-setup/setup/audience", data=data, follow_redirects=True)
    assert "가중 합산" in refused.get_data(as_text=True) and not contest.audience_rounds
    contest.final_mode = "weighted"
    session.commit()
    client.post("/organizer/c/crowd-setup/setup/audience", data=data)
    session.refresh(contest)
    [aud] = contest.audience_rounds
    assert (aud.key, aud.weight, aud.max_points) == ("crowd", 30, 100)
    page = client.get("/organizer/c/crowd-setup/setup").get_data(as_text=True)
    assert "현장평가단 라운드" in page and "(crowd)" in page
    clash = client.post("/organizer/c/crowd-setup/setup/audience", data={**data, "na-key": "final"},
                        follow_redirects=True)
    assert "이미 있습니다" in clash.get_data(as_text=True)
    client.post("/organizer/c/crowd-setup/setup/audience/crowd", data={
        f"a{aud.id}-title": "시민평가단", f"a{aud.id}-weight": "20", f"a{aud.id}-max_points": "100"})
    session.refresh(aud)
    assert (aud.title, aud.weight) == ("시민평가단", 20)
    last = client.post("/organizer/c/crowd-setup/setup/contest", data={
        "title": contest.title, "organizer": contest.organizer, "issuer": contest.issuer,
        "held_on": "2024-12-04", "final_mode": "last"}, follow_redirects=True)
    assert "현장평가단 라운드가 있어" in last.get_data(as_text=True)
    client.post("/organizer/c/crowd-setup/setup/weight-margin", data={"margin": "5"})
    session.refresh(contest)
    assert contest.weight_margin == 5
    bad = client.post("/organizer/c/crowd-setup/setup/weight-margin", data={"margin": "150"}, follow_redirects=True)
    assert "0부터 100까지" in bad.get_data(as_text=True)
    client.post("/organizer/c/crowd-setup/setup/audience/crowd/delete", data={})
    session.refresh(contest)
    assert contest.audience_rounds == []
