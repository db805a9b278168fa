"""Signing through the test client: the submit form carries the drawn strokes, a bad signature is
refused with a message and nothing is submitted, the judge's review shows the signature; the organizer
prints every signed sheet of a round in one PDF and sees on the day board who has signed."""

from __future__ import annotations

import io
import json

import sqlalchemy as sa
from pypdf import PdfReader

from judging.models import Sheet
from judging.services import judge_screens
from tests.support.judge_pages import html_of, score, sign_in

STROKES = [[[100, 300], [160, 120], [220, 300], [260, 200]], [[320, 250], [380, 150], [440, 250], [500, 160],
                                                               [560, 260], [640, 140], [700, 280]]]


def fill(client, w) -> None:  # noqa: ANN001
    for entry in ("alpha", "beta", "gamma"):
        for criterion, value in (("need", "18"), ("partnership", "15"), ("outcome", "7")):
            score(client, w, entry, criterion, value)


def test_submit_with_a_drawn_signature_and_print_the_signed_sheets(client, session, ready, make_user):
    sign_in(client, ready)
    fill(client, ready)
    review = html_of(client.get(f"/judge/rounds/{ready.round.id}/review"))
    assert 'id="sign-canvas"' in review and 'name="signature"' in review
    assert 'id="submit-confirm" disabled' in review  # the dialog's button waits for a signature

    refused = client.post(f"/judge/rounds/{ready.round.id}/submit", data={"signature": "[[[1, 2]]]"},
                          follow_redirects=True)
    assert "서명이 너무 짧습니다" in html_of(refused)
    refused = client.post(f"/judge/rounds/{ready.round.id}/submit", data={"signature": "{not json"},
                          follow_redirects=True)
    assert "서명을 읽을 수 없습니다" in html_of(refused)
    assert session.scalar(sa.select(Sheet.status).where(Sheet.judge_id == ready.judge.id)) is None

    done = client.post(f"/judge/rounds/{ready.round.id}/submit", data={"signature": json.dumps(STROKES)},
                       follow_redirects=True)
    page = html_of(done)
    assert "서명한 채점표를 제출했습니다" in page and "태블릿에서 서명함" in page
    sheet = session.scalar(sa.select(Sheet).where(Sheet.judge_id == ready.judge.id))
    digest = judge_screens.active_signature(session, sheet.id).content_hash
    assert digest[:16] in page

    client.post("/sign-out")
    organizer, password = make_user("organizer")
    assert client.post("/sign-in", data={"login": organizer.login, "password": password}).status_code == 302
    slug = ready.contest.slug
    documents = html_of(client.get(f"/organizer/c/{slug}/documents"))
    assert f"/organizer/c/{slug}/score-sheets/final/signed.pdf" in documents
    pdf = client.get(f"/organizer/c/{slug}/score-sheets/final/signed.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    printed = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.get_data())).pages).replace("\n", "")
    assert digest in printed and ready.judge.name in printed
    day = html_of(client.get(f"/organizer/c/{slug}/day"))
    assert "✍ 서명함" in day
    board = client.get(f"/organizer/c/{slug}/progress.json").get_json()["board"]
    assert {j["key"]: j["signed"] for j in board["judges"]}["j1"] == "tablet"


def test_no_signed_sheet_yet_is_said_plainly(client, ready, make_user):
    organizer, password = make_user("organizer")
    assert client.post("/sign-in", data={"login": organizer.login, "password": password}).status_code == 302
    response = client.get(f"/organizer/c/{ready.contest.slug}/score-sheets/final/signed.pdf", follow_redirects=True)
    assert response.status_code == 200 and "아직 서명한 채점표가 없습니다" in html_of(response)
