"""The charts on the organizer's pages: each is an SVG image with a title, a description and a table
of the same figures beside it; the judge analytics never print None; English mode translates them."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import pytest

from judging import scoring
from judging.services import results
from tests.support.contests import CHART_CONTEST, TOTALS
from tests.support.scores import put_scores, submit_sheets

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture()
def contest(make_contest, session):  # noqa: ANN001, ANN201
    contest = make_contest(slug="chart-2024", text=CHART_CONTEST, status="judging")
    put_scores(session, contest, [("final", j, e, "score", v) for e, row in TOTALS.items() for j, v in row.items()])
    submit_sheets(session, contest)
    return contest


def _svgs(page: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart .*?</svg>",
                                                 page, re.S)]


def test_every_chart_on_the_results_page_has_a_text_alternative_with_its_figures(client, organizer, contest,
                                                                                  session):
    page = client.get("/organizer/c/chart-2024/results").get_data(as_text=True)
    found = _svgs(page)
    assert {svg.get("data-chart") for svg in found} == {"chart--ranking", "chart--judges"}
    for svg in found:
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title.text and desc.text
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        for mark in svg.iter():
            if mark.get("data-value"):  # every plotted figure is also in the words
                assert mark.get("data-value") in desc.text, mark.attrib
    _inputs, result = results.compute_with_inputs(session, contest)
    table = html.unescape(page.split('data-chart-table="ranking"', 1)[1].split("</table>", 1)[0])
    for fe in result.final:
        row = table.split(f'data-entry="{fe.entry}"', 1)[1].split("</tr>", 1)[0]
        assert f'data-value="{fe.display}"' in row
        for _judge, total in result.round("final").entry(fe.entry).totals:
            assert scoring.display(total) in row
    assert "None" not in html.unescape(page)


def test_a_judge_with_no_scores_shows_a_dash_not_none(client, organizer, make_contest, session):
    make_contest(slug="empty-2024", text=CHART_CONTEST.replace("chart-2024", "empty-2024"), status="judging")
    page = html.unescape(client.get("/organizer/c/empty-2024/results").get_data(as_text=True))
    analytics = page.split('id="analytics-title"', 1)[1]
    assert "None" not in analytics and "—" in analytics


def test_the_day_page_draws_the_rounds_progress(client, organizer, contest):
    page = client.get("/organizer/c/chart-2024/day").get_data(as_text=True)
    (svg,) = _svgs(page)
    assert svg.get("data-chart") == "chart--day"
    done = svg.find(f".//{SVG}path[@data-measure='done']")
    expected = svg.find(f".//{SVG}line[@data-measure='expected']")
    assert (done.get("data-count"), expected.get("data-count")) == ("19", "19")  # 5 entries × 4 judges − 1 recusal
    assert "19/19" in svg.find(f"{SVG}desc").text


def test_charts_speak_english_in_english_mode(client, organizer, contest):
    client.get("/organizer/?lang=en")  # remembered for the session
    page = client.get("/organizer/c/chart-2024/results").get_data(as_text=True)
    svgs = _svgs(page)
    assert svgs
    names = {"가동", "나동", "다동", "라동", "마동", "심사위원 하나", "심사위원 둘", "심사위원 셋", "심사위원 넷",
             "최우수", "우수", "장려", "발표심사"}
    for svg in svgs:
        words = [t for t in svg.itertext() if t.strip()]
        left = [w for w in words if re.search("[가-힣]", w) and not any(n in w for n in names)]
        assert not left, left


def test_an_audience_round_gets_its_weights_and_turnout_chart(client, organizer, make_contest, session):
    from judging.services import audience, lifecycle
    from tests.support.audience import BALLOTS, audience_contest, entry_ids

    contest = audience_contest(make_contest, session)
    aud = audience.get_round(session, contest, "crowd")
    batch = audience.issue_ballots(session, aud, 5)
    lifecycle.open_voting(session, aud)
    session.commit()
    ids = entry_ids(contest)
    for card, ratings in zip(batch.cards, BALLOTS, strict=False):
        audience.cast(session, card.token, {ids[k]: v for k, v in ratings.items()})
        session.commit()
    page = client.get(f"/organizer/c/{contest.slug}/results").get_data(as_text=True)
    (svg,) = [s for s in _svgs(page) if s.get("data-chart") == "chart--weights"]
    inputs, result = results.compute_with_inputs(session, contest)
    check = audience.weight_check(contest, inputs, result)
    marks = {(m.get("data-measure"), m.get("data-value")) for m in svg.iter() if m.get("data-measure")}
    for c in check.components:
        assert ("announced", c.announced_display) in marks
        if c.effective_display:
            assert ("effective", c.effective_display) in marks
    assert ("turnout", "80.00") in marks  # 4 of 5 valid ballots cast
    desc = svg.find(f"{SVG}desc").text
    assert all(m[1] in desc for m in marks)


def test_no_audience_round_no_weights_chart(client, organizer, contest):
    page = client.get("/organizer/c/chart-2024/results").get_data(as_text=True)
    assert "chart--weights" not in page


def test_agreement_is_printed_with_two_decimals_and_its_band(client, organizer, make_contest, session):
    text = CHART_CONTEST.replace("chart-2024", "agree-2024").split("[[conflicts]]")[0]
    contest = make_contest(slug="agree-2024", text=text, status="judging")
    rows = [("final", j, e, "score", v) for e, row in TOTALS.items() for j, v in row.items()]
    put_scores(session, contest, rows + [("final", "j4", "c", "score", 84)])
    submit_sheets(session, contest)
    _inputs, result = results.compute_with_inputs(session, contest)
    icc = result.round("final").analytics.agreement.icc
    assert icc is not None and len(str(icc)) > 6  # a long exact figure in the core
    page = html.unescape(client.get("/organizer/c/agree-2024/results").get_data(as_text=True))
    analytics = page.split('id="analytics-title"', 1)[1]
    assert f"ICC(2,1) {scoring.display(icc)} (" in analytics
    assert not re.search(r"\d\.\d{5,}", analytics)


def test_the_progress_poll_carries_the_days_chart(client, organizer, contest):
    data = client.get("/organizer/c/chart-2024/progress.json").get_json()
    svg = ET.fromstring(data["day_chart"])
    assert svg.get("data-chart") == "chart--day"
    assert svg.find(f".//{SVG}path[@data-measure='done']").get("data-count") == str(data["board"]["cells_complete"])
