"""Signed sheets against a real database: the signature drawn at submit is stored with the SHA-256 of
the sheet's content; a signed sheet cannot change without being reopened, which voids the signature;
sheets imported from paper are marked as signed on paper; the day board and the score-sheet PDF show
who has signed (the PDF with the drawing, the time and the hash, checked against the content now)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from judging import migrate
from judging.db import Database
from judging.documents import render_score_sheet, render_score_sheets
from judging.models import AuditEvent, Round, Score, Sheet, SheetSignature, User
from judging.services import autosave, contest_file, judge_screens, progress, reports, scores_import, sheets
from judging.services.errors import Forbidden, Invalid
from tests.support.contests import SMALL_CONTEST
from tests.support.databases import drop_database, fresh_database_url
from tests.support.sheets import fill, save, stored

#: A signature as the pad sends it: two strokes in the 1000 x 400 box.
STROKES = [[[100, 300], [160, 120], [220, 300], [260, 200]],
           [[320, 250], [380, 150], [440, 250], [500, 160], [560, 260], [640, 140], [700, 280]]]


def signed(session, w):  # noqa: ANN001, ANN201
    fill(session, w)
    sheet = sheets.submit_sheet(session, w.judges["j1"], w.round.id, signature=STROKES)
    session.commit()
    return sheet


def test_the_signature_is_stored_with_the_hash_of_the_sheet_content(session, pledged):  # noqa: F811
    sheet = signed(session, pledged)
    signature = judge_screens.active_signature(session, sheet.id)
    assert signature.method == "tablet" and signature.strokes == STROKES
    content = sheets.sheet_content(session, pledged.judges["j1"], pledged.round)
    assert signature.content_hash == sheets.content_hash(content)
    assert len(signature.content_hash) == 64
    # The content names the judge, the round, every entry's scores with versions and the comments.
    assert content["judge"]["id"] == pledged.judges["j1"].id and content["round"]["key"] == pledged.round.key
    assert [e["entry"] for e in content["entries"]] == [pledged.entries[k].id for k in ("alpha", "beta", "gamma")]
    assert content["entries"][0]["scores"][0] == {"criterion": "need", "value": "20", "version": 1}
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "sheet.signed"))
    assert event.after["content_hash"] == signature.content_hash and event.after["method"] == "tablet"
    view = judge_screens.round_sheet(session, pledged.judges["j1"], pledged.round)
    assert view.signature.method == "tablet" and view.signature.content_hash == signature.content_hash


def test_the_hash_follows_every_score_version_and_comment(session, pledged):  # noqa: F811
    fill(session, pledged)
    judge = pledged.judges["j1"]
    before = sheets.content_hash(sheets.sheet_content(session, judge, pledged.round))
    save(session, pledged, "j1", "beta", "need", "20", stored(session, pledged, "j1", "beta", "need")[1])  # same value
    assert sheets.content_hash(sheets.sheet_content(session, judge, pledged.round)) != before  # version moved
    again = sheets.content_hash(sheets.sheet_content(session, judge, pledged.round))
    autosave.save_comment(session, judge, round_id=pledged.round.id, entry_id=pledged.entries["gamma"].id, body="좋음",
                        version=0)
    assert sheets.content_hash(sheets.sheet_content(session, judge, pledged.round)) != again


@pytest.mark.parametrize("bad", [
    "unreadable", [], [[]], [[[1, 2, 3]]], [[["a", "b"]] * 20], [[[-5, 10]] * 20], [[[1001, 10]] * 20],
    [[[10, 401]] * 20], [[[10, 10], [12, 12]]],  # too short to be a signature
    [[[True, 10]] * 20], [[[10, 10]] * 7000],
], ids=["text", "no strokes", "empty stroke", "three numbers", "letters", "negative", "too wide", "too tall",
        "too short", "booleans", "too many points"])
def test_a_signature_that_is_not_one_is_refused_and_nothing_is_submitted(session, pledged, bad):  # noqa: F811
    fill(session, pledged)
    with pytest.raises(sheets.Invalid) as raised:
        sheets.submit_sheet(session, pledged.judges["j1"], pledged.round.id, signature=bad)
    assert isinstance(raised.value, Invalid) and "서명" in raised.value.message
    session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(Sheet).where(Sheet.status == "submitted")) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(SheetSignature)) == 0


def test_a_signed_sheet_cannot_change_and_reopening_voids_the_signature(session, pledged, make_user):  # noqa: F811
    sheet = signed(session, pledged)
    first = judge_screens.active_signature(session, sheet.id)
    with pytest.raises(Forbidden):
        save(session, pledged, "j1", "alpha", "need", "12", 1)
    session.rollback()
    sheets.reopen_sheet(session, sheet, None, "민관협력 점수 정정", make_user("organizer")[0])
    session.commit()
    assert judge_screens.active_signature(session, sheet.id) is None
    session.refresh(first)
    assert first.voided_at is not None and first.void_reason == "민관협력 점수 정정"
    assert judge_screens.round_sheet(session, pledged.judges["j1"], pledged.round).signature is None

    save(session, pledged, "j1", "alpha", "need", "12", 1)
    sheets.submit_sheet(session, pledged.judges["j1"], pledged.round.id, signature=STROKES)
    session.commit()
    second = judge_screens.active_signature(session, sheet.id)
    assert second.id != first.id and second.content_hash != first.content_hash
    assert session.scalar(sa.select(sa.func.count()).select_from(SheetSignature)) == 2


def test_only_one_signature_of_a_sheet_stands_in_the_database(session, pledged):  # noqa: F811
    sheet = signed(session, pledged)
    session.add(SheetSignature(sheet_id=sheet.id, method="paper", content_hash="0" * 64))
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()
    session.rollback()


def test_the_score_sheet_pdf_carries_the_signature_the_time_and_the_hash(session, pledged, tmp_path):  # noqa: F811
    sheet = signed(session, pledged)
    digest = judge_screens.active_signature(session, sheet.id).content_hash
    data = reports.score_sheet_data(session, pledged.contest, pledged.round, pledged.judges["j1"])
    assert data.signature.matches and data.signature.strokes[0][0] == (100, 300)
    pdf = render_score_sheet(data)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "태블릿 서명" in text and digest in text.replace("\n", "") and "서명 당시 내용과 같음" in text
    (tmp_path / "sheet.pdf").write_bytes(pdf)
    if shutil.which("pdftoppm"):  # looked at as a picture: the drawn strokes are ink in the signature box
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(tmp_path / "sheet.pdf"),
                        str(tmp_path / "sheet")], check=True)
        assert (tmp_path / "sheet.png").stat().st_size > 0

    # A score changed behind the signature (an organizer's import): the sheet says the signature no
    # longer covers it.
    session.execute(sa.update(Score).where(Score.judge_id == pledged.judges["j1"].id,
                                           Score.entry_id == pledged.entries["beta"].id)
                    .values(version=Score.version + 1))
    session.commit()
    changed = reports.score_sheet_data(session, pledged.contest, pledged.round, pledged.judges["j1"])
    assert not changed.signature.matches
    text = PdfReader(io.BytesIO(render_score_sheet(changed))).pages[0].extract_text()
    assert "서명 뒤 내용이 바뀜" in text


def test_all_signed_sheets_in_one_pdf_for_the_file(session, pledged):  # noqa: F811
    signed(session, pledged)
    fill(session, pledged, "j2")
    sheets.submit_sheet(session, pledged.judges["j2"], pledged.round.id)  # submitted without a signature
    session.commit()
    data = reports.signed_score_sheets(session, pledged.contest, pledged.round)
    assert [d.judge_name for d in data] == [pledged.judges["j1"].name]
    reader = PdfReader(io.BytesIO(render_score_sheets(data, "서명한 채점표")))
    assert len(reader.pages) >= 1 and "태블릿 서명" in reader.pages[-1].extract_text()


def test_the_day_board_shows_who_has_signed(session, pledged):  # noqa: F811
    signed(session, pledged)
    fill(session, pledged, "j2")
    sheets.submit_sheet(session, pledged.judges["j2"], pledged.round.id)
    session.commit()
    board = progress.board(session, pledged.round)
    rows = {r.key: r for r in board.judges}
    assert (rows["j1"].sheet, rows["j1"].signed) == ("submitted", "tablet")
    assert (rows["j2"].sheet, rows["j2"].signed) == ("submitted", "")
    assert [j["signed"] for j in board.to_json()["judges"] if j["key"] in ("j1", "j2")] == ["tablet", ""]


def test_sheets_imported_from_paper_are_marked_signed_on_paper(session, pledged):  # noqa: F811
    rows = []
    judge = pledged.judges["j2"]
    visible = [r.entry_id for r in judge_screens.round_sheet(session, judge, pledged.round).rows]
    keys = {e.id: k for k, e in pledged.entries.items()}
    for entry_id in visible:
        for c, v in (("need", "18"), ("partnership", "14"), ("outcome", "6")):
            rows.append(f"{pledged.round.key},j2,{keys[entry_id]},{c},{v}\n")
    csv = "round,judge,entry,criterion,score\n" + "".join(rows)
    scores_import.import_scores(session, pledged.contest, csv, submit_sheets=True, actor_label="cli")
    session.commit()
    sheet = session.scalar(sa.select(Sheet).where(Sheet.judge_id == judge.id))
    signature = judge_screens.active_signature(session, sheet.id)
    assert signature.method == "paper" and signature.strokes is None
    assert signature.content_hash == sheets.content_hash(sheets.sheet_content(session, judge, pledged.round))
    assert {r.key: r.signed for r in progress.board(session, pledged.round).judges}["j2"] == "paper"
    text = PdfReader(io.BytesIO(render_score_sheet(
        reports.score_sheet_data(session, pledged.contest, pledged.round, judge)))).pages[-1].extract_text()
    assert "종이 채점표에 서명 (가져옴)" in text


def test_a_populated_database_of_the_previous_head_upgrades(backend: str, tmp_path):  # noqa: ANN001
    url = fresh_database_url(backend, tmp_path)
    try:
        migrate.upgrade(url, "0007_organization_approval")
        database = Database(url)
        with database.session() as s:
            contest = contest_file.load(s, SMALL_CONTEST.format(slug="upgrade-2024"))
            judge = s.scalar(sa.select(User).where(User.contest_id == contest.id, User.judge_key == "j1"))
            s.execute(sa.text("INSERT INTO sheets (judge_id, round_id, status, submitted_at, reopen_reason) "
                              "VALUES (:j, :r, 'submitted', '2024-12-04 06:00:00', '')"),
                      {"j": judge.id, "r": contest.rounds[0].id})
            s.commit()
        database.engine.dispose()
        migrate.upgrade(url)
        database = Database(url)
        with database.session() as s:
            rnd = s.scalar(sa.select(Round))
            sheet = s.scalar(sa.select(Sheet))
            assert judge_screens.active_signature(s, sheet.id) is None  # signed before there were signatures: none
            assert {r.key: (r.sheet, r.signed) for r in progress.board(s, rnd).judges}["j1"] == ("submitted", "")
            with database.engine.connect() as conn:
                assert migrate.pending_changes(conn) == []
        database.engine.dispose()
    finally:
        drop_database(url)
