"""One weighted contest (criterion weights 2, 0.5 and 1; a screening round and a final): every surface
that shows a judge's total or the highest total shows the scoring core's figures — the autosave
reply, the judge's entry and review pages, the organizer's results, the explanation, the council's
disclosure, the printed score sheet, the result report, and the Excel, CSV and JSON exports.

j1 scores entry "a" in the final need 9 (×2 = 18), talk 8 (×0.5 = 4), effect 17 (×1 = 17): total 39 of
a highest 45 (10×2 + 10×0.5 + 20). The unweighted sum would be 34 of 40; the screening round's scores
must never leak into the final's total.
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap

import pytest

from judging import scoring
from judging.models import Round
from judging.services import autosave, declarations, publishing, result_inputs, results, sheets
from tests.support.documents import pdf_text, squeeze, workbook_text

WEIGHTED = textwrap.dedent(
    """
    [contest]
    slug = "weighted-2024"
    title = "가중치 공모전"
    organizer = "테스트시"
    issuer = "테스트시장"
    issuer_name = "홍길동"
    held_on = 2024-12-04
    tie_break = ["untrimmed_mean"]

    [[rounds]]
    key = "document"
    title = "서면심사"
    aggregation = "mean"
    advance = 2
    entries = ["a", "b", "c"]
    criteria = [
      { key = "dneed", title = "서면 필요성", max = 10, scale = "points", weight = 2 },
      { key = "dtalk", title = "서면 표현", max = 10, scale = "points", weight = 0.5 },
      { key = "deffect", title = "서면 효과", max = 20, scale = "points", weight = 1 },
    ]

    [[rounds]]
    key = "final"
    title = "발표심사"
    aggregation = "mean"
    entries = ["a", "b"]
    criteria = [
      { key = "need", title = "필요성", max = 10, scale = "points", weight = 2 },
      { key = "talk", title = "발표력", max = 10, scale = "points", weight = 0.5 },
      { key = "effect", title = "효과성", max = 20, scale = "points", weight = 1 },
    ]

    [[tiers]]
    key = "best"
    title = "최우수"
    count = 1

    [[entrants]]
    key = "a"
    name = "가동 지역사회보장협의체"
    title = "가동 나눔"

    [[entrants]]
    key = "b"
    name = "나동 지역사회보장협의체"
    title = "나동 돌봄"

    [[entrants]]
    key = "c"
    name = "다동 지역사회보장협의체"
    title = "다동 안부"

    [[judges]]
    key = "j1"
    name = "심사위원 하나"

    [[judges]]
    key = "j2"
    name = "심사위원 둘"
    """
)

#: (judge, round, entry) -> scores by criterion key
SCORES = {
    ("j1", "document", "a"): {"dneed": 8, "dtalk": 6, "deffect": 15},  # 16 + 3 + 15 = 34
    ("j1", "document", "b"): {"dneed": 7, "dtalk": 6, "deffect": 14},  # 14 + 3 + 14 = 31
    ("j1", "document", "c"): {"dneed": 5, "dtalk": 4, "deffect": 10},  # 10 + 2 + 10 = 22
    ("j2", "document", "a"): {"dneed": 9, "dtalk": 8, "deffect": 16},  # 18 + 4 + 16 = 38
    ("j2", "document", "b"): {"dneed": 6, "dtalk": 4, "deffect": 12},  # 12 + 2 + 12 = 26
    ("j2", "document", "c"): {"dneed": 4, "dtalk": 2, "deffect": 9},   # 8 + 1 + 9 = 18
    ("j1", "final", "a"): {"need": 9, "talk": 8, "effect": 17},        # 18 + 4 + 17 = 39
    ("j1", "final", "b"): {"need": 6, "talk": 5, "effect": 13},        # 12 + 2.5 + 13 = 27.5
    ("j2", "final", "a"): {"need": 7, "talk": 4, "effect": 15},        # 14 + 2 + 15 = 31
    ("j2", "final", "b"): {"need": 8, "talk": 9, "effect": 16},        # 16 + 4.5 + 16 = 36.5
}


@pytest.fixture()
def world(app, session, make_contest, make_user):  # noqa: ANN001, ANN201
    contest = make_contest(text=WEIGHTED, status="judging")
    for rnd in contest.rounds:
        rnd.status = "open"
    judges, codes = {}, {}
    for key in ("j1", "j2"):
        judge, code = make_user("judge", contest=contest, judge_key=key)
        declarations.pledge(session, judge)
        declarations.declare_conflicts(session, judge, dict.fromkeys(
            r.entry_id for r in declarations.declaration(session, judge).pending))
        judges[key], codes[key] = judge, code
    session.commit()
    rounds = {r.key: r for r in contest.rounds}
    entries = {e.key: e.entry for e in contest.entrants}
    criteria = {c.key: c for r in contest.rounds for c in r.criteria}
    return contest, rounds, entries, criteria, judges, codes


def test_every_surface_shows_the_cores_weighted_totals_and_maxima(app, session, world, make_user):  # noqa: ANN001
    contest, rounds, entries, criteria, judges, codes = world
    judge_client = app.test_client()
    assert judge_client.post("/sign-in/code", data={"code": codes["j1"]}).status_code == 302

    # j1 scores through the autosave API; the screening round first
    replies = {}
    for (judge, round_key, entry), by_criterion in SCORES.items():
        for key, value in by_criterion.items():
            if judge == "j1":
                response = judge_client.post("/judge/api/scores", json={
                    "entry": entries[entry].id, "criterion": criteria[key].id, "value": str(value), "version": 0})
                assert response.status_code == 200, response.get_data(as_text=True)
                replies.setdefault((round_key, entry), []).append(response.get_json())
            else:
                autosave.save_score(session, judges[judge], entry_id=entries[entry].id,
                                  criterion_id=criteria[key].id, value=str(value), version=0)
    session.commit()

    # the autosave reply: the final's first tap counts the final's criteria only (18, not 34 + 18)
    final_a = replies[("final", "a")]
    assert [r["total"] for r in final_a] == ["18", "22", "39"]
    assert {r["max_total"] for r in final_a} == {"45"}
    assert replies[("document", "a")][-1]["total"] == "34"

    # the judge's entry page and review page
    final_id = rounds["final"].id
    page = judge_client.get(f"/judge/rounds/{final_id}/entries/{entries['a'].id}").get_data(as_text=True)
    assert 'class="js-total" id="total">39</strong> / 45' in page
    assert 'data-weight="0.5"' in page and 'data-weight="2"' in page
    review = judge_client.get(f"/judge/rounds/{final_id}/review").get_data(as_text=True)
    assert "39" in review and "27.5" in review and "/ 45" in review
    # the review table's visible figures (not its links, whose ids may contain the digits 34)
    shown = squeeze(re.sub(r"<[^>]*>", " ", review.split("<tbody>")[1].split("</tbody>")[0]))
    assert re.search(r"(?<![\d.])34(?![\d.])", shown) is None

    # the core agrees: the same totals from the result
    for judge in judges.values():
        for rnd in contest.rounds:
            sheets.submit_sheet(session, judge, rnd.id)
    session.commit()
    result = results.compute(session, contest)
    final = result.round("final")
    assert final.max_total == 45
    assert dict(final.entry("a").totals) == {"j1": 39, "j2": 31}
    assert dict(result.round("document").entry("a").totals) == {"j1": 34, "j2": 38}

    snapshot = publishing.publish(session, contest)
    session.commit()
    row = next(e for e in snapshot.payload["entries"] if e["entry"] == "a")
    # explanation: each judge's total and the highest total
    explanation = " ".join(row["explanation"])
    assert "j1 39" in explanation and "j2 31" in explanation and "심사위원별 만점 45" in explanation
    assert "j1 34" in explanation and "j2 38" in explanation  # the screening round's own totals
    # the per-criterion figures are points of the total, against the weighted maxima, and add up to the mean
    assert [(c["key"], c["score"], c["max"]) for c in row["criteria"]] == [
        ("need", "16.00", "20"), ("talk", "3.00", "5"), ("effect", "16.00", "20")]
    assert row["score"] == "35.00"
    assert row["judge_totals"] == [["j1", "39"], ["j2", "31"]] and row["max_total"] == "45"

    organizer, password = make_user("organizer")
    org = app.test_client()
    assert org.post("/sign-in", data={"login": organizer.login, "password": password}).status_code == 302
    base = f"/organizer/c/{contest.slug}"
    page = org.get(f"{base}/results").get_data(as_text=True)
    assert "j1 39" in page and "심사위원별 만점 45" in page
    assert "16.00/20" in page and "3.00/5" in page

    # the council's disclosure: its own per-criterion figures against the weighted maxima
    entrant = next(e for e in contest.entrants if e.key == "a")
    council, council_password = make_user("council", contest=contest, entrant=entrant)
    cc = app.test_client()
    assert cc.post("/sign-in", data={"login": council.login, "password": council_password}).status_code == 302
    disclosure = squeeze(cc.get("/council/result").get_data(as_text=True))
    assert "필요성</td><tdclass=\"num\">16.00</td><tdclass=\"num\">20</td>" in disclosure
    assert "발표력</td><tdclass=\"num\">3.00</td><tdclass=\"num\">5</td>" in disclosure

    # the printed score sheet the judge signs
    sheet_pdf = squeeze(pdf_text(org.get(f"{base}/score-sheets/final/j1.pdf").data))
    assert "합계(45)" in sheet_pdf and "39" in sheet_pdf and "27.5" in sheet_pdf
    assert "필요성(10×2)" in sheet_pdf and "발표력(10×0.5)" in sheet_pdf
    # the result report: the round's highest total and the weighted criterion maxima
    report_pdf = squeeze(pdf_text(org.get(f"{base}/report.pdf").data))
    assert "배점45점" in report_pdf and "필요성(20)" in report_pdf and "발표력(5)" in report_pdf

    # Excel: the per-judge sheet's 합계 is the core's total
    xlsx = org.get(f"{base}/export.xlsx").data
    text = workbook_text(xlsx)
    assert "합계 (45)" in text
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx))["발표심사"]
    totals = {(r[0], r[1]): r[-1] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert totals[("심사위원 하나", "가동 지역사회보장협의체")] == 39
    assert totals[("심사위원 둘", "나동 지역사회보장협의체")] == 36.5

    # CSV and JSON
    rows = list(csv.reader(io.StringIO(org.get(f"{base}/export.csv").data.decode("utf-8-sig"))))
    line = next(r for r in rows if r[1] == "가동 지역사회보장협의체")
    assert line[-1] == "j1 39/45 · j2 31/45"
    data = json.loads(org.get(f"{base}/export.json").data)
    item = next(e for e in data["entries"] if e["entry"] == "a")
    assert item["judge_totals"] == {"j1": "39", "j2": "31"} and item["max_total"] == "45"

    # and they are all what the core adds up
    spec = result_inputs.contest_spec(session, contest).spec.round("final")
    assert scoring.max_total(spec.criteria) == 45
    assert scoring.running_total(spec.criteria, {"need": 9, "talk": 8, "effect": 17}) == 39
    assert session.get(Round, final_id).key == "final"
