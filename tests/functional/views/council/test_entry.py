"""Council pages through the test client: the entry, attachments and their attacks, the deadline,
and who may see what (another council's files, organizer pages, results before publication)."""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from judging import create_app
from judging.models import Attachment, Score, Sheet, User, utcnow
from judging.services import autosave, decisions, publishing
from tests.support.contests import DAY_CONTEST
from tests.support.databases import app_config
from tests.support.files import make_hwp, make_pdf, make_png
from tests.support.pages import flashes, page_text


def stored(app) -> list[str]:  # noqa: ANN001
    folder = app.config["UPLOAD_FOLDER"]
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


@pytest.fixture()
def open_contest(make_contest, session):  # noqa: ANN001, ANN201
    contest = make_contest(slug="intake-2024", status="open")
    contest.submission_deadline = utcnow() + dt.timedelta(days=2)
    session.commit()
    return contest


def _council(app, make_user, contest, key):  # noqa: ANN001, ANN202
    entrant = next(e for e in contest.entrants if e.key == key)
    user, password = make_user("council", contest=contest, entrant=entrant)
    client = app.test_client()
    assert client.post("/sign-in", data={"login": user.login, "password": password}).status_code == 302
    return client, user


def _upload(client, data: bytes, name: str):  # noqa: ANN001, ANN202
    return client.post("/council/entry/attachments", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def test_a_council_drafts_attaches_submits_and_gets_a_receipt(app, make_user, open_contest, session):
    client, user = _council(app, make_user, open_contest, "delta")
    response = client.post("/council/entry", data={"title": "라동 안부 사업", "summary": "홀몸 어르신 안부 확인",
                                                   "partners": "라동 복지관", "period": "2024. 3. ~ 11.",
                                                   "budget": "5,000,000원", "body": "주민 40명이 참여"},
                           follow_redirects=True)
    assert "임시 저장했습니다." in flashes(response)
    response = _upload(client, make_hwp(), "사업보고서.최종.hwp")
    assert "'사업보고서.최종.hwp'을(를) 올렸습니다." in flashes(response)
    _upload(client, make_pdf(), "동의서.pdf")
    page = page_text(client.get("/council/entry"))
    assert "사업보고서.최종.hwp" in page and "동의서.pdf" in page and "한글(HWP)" in page
    attachment = session.scalar(sa.select(Attachment).where(Attachment.original_name == "사업보고서.최종.hwp"))
    response = client.get(f"/council/attachments/{attachment.id}")
    assert response.status_code == 200 and response.data == make_hwp()
    assert response.headers["Content-Disposition"].endswith(
        "filename*=UTF-8''%EC%82%AC%EC%97%85%EB%B3%B4%EA%B3%A0%EC%84%9C.%EC%B5%9C%EC%A2%85.hwp")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response = client.post("/council/entry/submit", data={"confirm": "y"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/council/receipt")
    receipt = page_text(client.get("/council/receipt"))
    assert "2024-001" in receipt and "접수증" in receipt and re.search(r"20\d\d\. \d+\. \d+\. \d\d:\d\d", receipt)
    page = page_text(client.get("/council/entry"))
    assert "제출한 참가작입니다" in page and 'name="title"' not in page and "올리기" not in page
    response = client.post("/council/entry", data={"title": "바꾸기"}, follow_redirects=True)
    assert any("고칠 수 없습니다" in f for f in flashes(response))
    session.expire_all()
    assert session.get(User, user.id).entrant.entry.title == "라동 안부 사업"


def test_submitting_without_the_required_parts_says_what_is_missing(app, make_user, open_contest):
    client, _ = _council(app, make_user, open_contest, "delta")
    response = client.post("/council/entry/submit", data={"confirm": "y"}, follow_redirects=True)
    assert "제출하려면 다음을 채워 주세요: 사업명, 사업 요약, 첨부 파일(사례 보고서 등)" in flashes(response)
    response = client.post("/council/entry/submit", data={}, follow_redirects=True)
    assert "확인란에 표시해 주세요." in flashes(response)


@pytest.mark.parametrize(("data", "name", "message"), [
    (make_png(), "사업보고서.pdf", "'사업보고서.pdf': 파일 이름은 PDF 형식인데 내용은 PNG 그림 파일입니다."),
    (make_pdf(), "../../etc/passwd", "상위 폴더 경로(../)"),
    (make_pdf(), "../../../var/www/static/evil.pdf", "상위 폴더 경로(../)"),
    (b"root:x:0:0", "/etc/passwd", "'passwd'은(는) 확장자가 없어 받을 수 없습니다."),
    (b"", "빈파일.pdf", "'빈파일.pdf'은(는) 빈 파일(0바이트)입니다."),
    (make_pdf(), "가" * 296 + ".pdf", "파일 이름이 너무 깁니다 (300자). 255자 이하로 줄여 주세요."),
    (make_pdf(), "악성.exe", "'.exe' 파일은 받을 수 없습니다."),
])
def test_upload_attacks_are_refused_with_messages_and_nothing_is_stored(app, make_user, open_contest, session,
                                                                         data, name, message):
    client, _ = _council(app, make_user, open_contest, "delta")
    response = _upload(client, data, name)
    assert any(message in f for f in flashes(response)), flashes(response)
    assert stored(app) == []
    assert session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0
    assert not Path(app.config["UPLOAD_FOLDER"]).parent.joinpath("etc").exists()


def test_an_oversized_upload_is_refused_and_nothing_stored(tx_database, tmp_path, make_contest, make_user, session):
    small = create_app(app_config(tmp_path, DATABASE=tx_database, DATABASE_URL=tx_database.url,
                                   UPLOAD_MAX_FILE_BYTES=64 * 1024, UPLOAD_MAX_ENTRY_BYTES=100 * 1024))
    contest = make_contest(slug="small-2024", status="open")
    client, _ = _council(small, make_user, contest, "delta")
    response = _upload(client, make_pdf() + b"x" * (200 * 1024), "큰보고서.pdf")
    assert any("'큰보고서.pdf'이(가) 파일 한도(64 KB)" in f or "파일 한도" in f for f in flashes(response))
    assert stored(small) == []
    _upload(client, make_pdf() + b"x" * (60 * 1024), "하나.pdf")
    response = _upload(client, make_pdf() + b"x" * (60 * 1024), "둘.pdf")
    assert any("참가작 전체 한도" in f for f in flashes(response))
    assert len(stored(small)) == 1
    json_response = client.post("/council/entry/attachments", data={"file": (io.BytesIO(b""), "x.pdf")},
                                content_type="multipart/form-data", headers={"Accept": "application/json"})
    assert json_response.status_code == 400 and json_response.get_json()["ok"] is False


def test_after_the_deadline_everything_is_read_only(app, make_user, open_contest, session):
    client, user = _council(app, make_user, open_contest, "delta")
    client.post("/council/entry", data={"title": "라동", "summary": "요약"})
    _upload(client, make_pdf(), "보고서.pdf")
    attachment = session.scalar(sa.select(Attachment))
    open_contest.submission_deadline = utcnow() - dt.timedelta(minutes=5)
    session.commit()
    page = page_text(client.get("/council/entry"))
    assert "접수 마감 시각이 지나 더 이상 고치거나 제출할 수 없습니다." in page
    assert 'name="title"' not in page and 'type="file"' not in page and "지우기" not in page
    for response in (
        client.post("/council/entry", data={"title": "늦은 수정"}, follow_redirects=True),
        client.post("/council/entry/submit", data={"confirm": "y"}, follow_redirects=True),
        _upload(client, make_pdf(), "늦은.pdf"),
        client.post(f"/council/entry/attachments/{attachment.id}/delete", follow_redirects=True),
    ):
        assert any("마감" in f for f in flashes(response)), flashes(response)
    session.expire_all()
    entry = session.get(User, user.id).entrant.entry
    assert entry.title == "라동" and entry.status == "draft" and len(entry.attachments) == 1
    assert len(stored(app)) == 1


def test_a_council_cannot_reach_another_councils_entry_or_files(app, make_user, open_contest, session):
    mine, _ = _council(app, make_user, open_contest, "delta")
    theirs, _ = _council(app, make_user, open_contest, "alpha")
    theirs_entry = next(e for e in open_contest.entrants if e.key == "alpha").entry
    theirs_entry.status = "draft"
    session.commit()
    _upload(theirs, make_pdf(), "비공개.pdf")
    attachment = session.scalar(sa.select(Attachment).where(Attachment.original_name == "비공개.pdf"))
    for guess in (attachment.id, attachment.id + 1, 999999):
        assert mine.get(f"/council/attachments/{guess}").status_code == 404
    assert mine.post(f"/council/entry/attachments/{attachment.id}/delete").status_code == 404
    assert theirs.get(f"/council/attachments/{attachment.id}").status_code == 200
    assert len(stored(app)) == 1
    slug = open_contest.slug
    for path in (f"/organizer/c/{slug}/entries/{theirs_entry.id}", f"/organizer/c/{slug}/attachments/{attachment.id}",
                 f"/organizer/c/{slug}/intake"):
        assert mine.get(path).status_code == 403
    page = page_text(mine.get("/council/entry"))
    assert "비공개.pdf" not in page and "가동 지역사회보장협의체" not in page


def _finish_and_lock(session, contest):  # noqa: ANN001, ANN202
    rnd = contest.rounds[0]
    judges = session.scalars(sa.select(User).where(User.contest_id == contest.id, User.role == "judge")).all()
    fractions = {"alpha": Decimal(1), "beta": Decimal("0.9"), "gamma": Decimal("0.8")}
    for judge in judges:
        for entrant in contest.entrants:
            if entrant.key not in fractions or (judge.judge_key == "j3" and entrant.key == "gamma"):
                continue
            for crit in rnd.criteria:
                session.add(Score(judge_id=judge.id, entry_id=entrant.entry.id, criterion_id=crit.id,
                                  value=Decimal(crit.max_points) * fractions[entrant.key]))
        session.add(Sheet(judge_id=judge.id, round_id=rnd.id, status="submitted", submitted_at=utcnow()))
    contest.status = "locked"
    session.commit()


def test_an_unpublished_result_is_invisible_to_councils_and_the_public(app, make_contest, make_user, session):
    contest = make_contest(text=DAY_CONTEST.format(slug="secret-2024"), status="judging")
    _finish_and_lock(session, contest)
    council, _ = _council(app, make_user, contest, "beta")
    public = app.test_client()
    page = page_text(council.get("/council/result"))
    assert "아직 결과가 공개되지 않았습니다" in page and "45.00" not in page and "순위" not in page
    public_page = page_text(public.get(f"/results/{contest.slug}"))
    assert "고봉동" not in public_page and "50.00" not in public_page
    organizer, _ = make_user("organizer")
    decisions.designate_special(session, contest, "delta", "special", "1인 가구 안부 확인", organizer)
    publishing.publish(session, contest, organizer)
    session.commit()
    page = page_text(council.get("/council/result"))
    assert "탄현1동 지역사회보장협의체" in page and "2위 / 3곳" in page and "우수" in page and "45.00" in page
    assert "최우수: 50.00점" in page  # the cut-off of each tier
    for other in ("고봉동", "원신동", "주엽1동"):
        assert other not in page
    for judge in session.scalars(sa.select(User).where(User.role == "judge", User.contest_id == contest.id)):
        assert judge.name not in page
    visible = re.sub(r"<[^>]*>", " ", page)  # (a CSRF token may contain any letters)
    assert not re.search(r"\bj[1-3]\b", visible)
    assert "고봉동 지역사회보장협의체" in page_text(public.get(f"/results/{contest.slug}"))
    special, _ = _council(app, make_user, contest, "delta")
    page = page_text(special.get("/council/result"))
    assert "본선 순위에는 들지 않았습니다." in page and "특별상" in page and "1인 가구 안부 확인" in page


def test_a_judge_cannot_read_another_judges_sheet_or_organizer_pages(app, make_contest, make_user, session):
    contest = make_contest(text=DAY_CONTEST.format(slug="sheets-2024"), status="judging")
    contest.rounds[0].status = "open"
    j1, _ = make_user("judge", contest=contest, judge_key="j1")
    j2, code2 = make_user("judge", contest=contest, judge_key="j2")
    for judge in (j1, j2):
        judge.pledged_at = judge.conflicts_declared_at = utcnow()
    session.commit()
    alpha = next(e for e in contest.entrants if e.key == "alpha").entry
    rnd = contest.rounds[0]
    autosave.save_score(session, j1, entry_id=alpha.id, criterion_id=rnd.criteria[0].id, value="18", version=0)
    autosave.save_comment(session, j1, round_id=rnd.id, entry_id=alpha.id, body="j1만 아는 비밀 의견", version=0)
    session.commit()
    client = app.test_client()
    client.post("/sign-in/code", data={"code": code2})
    for path in (f"/judge/rounds/{rnd.id}/entries/{alpha.id}", f"/judge/rounds/{rnd.id}/review", "/judge/"):
        page = page_text(client.get(path))
        assert "j1만 아는 비밀 의견" not in page
    for path in (f"/organizer/c/{contest.slug}/day", f"/organizer/c/{contest.slug}/progress.json",
                 f"/organizer/c/{contest.slug}/results", "/organizer/"):
        assert client.get(path).status_code == 403


def test_text_typed_before_an_upload_is_saved_with_it_even_when_the_file_is_refused(app, make_user, open_contest,
                                                                                     session):
    from tests.support.files import make_pdf

    client, user = _council(app, make_user, open_contest, "delta")
    response = client.post("/council/entry/attachments", data={
        "title": "라동 안부 사업", "summary": "주 1회 방문", "partners": "", "period": "", "budget": "", "body": "",
        "file": (io.BytesIO(make_pdf()), "보고서.pdf")}, content_type="multipart/form-data", follow_redirects=True)
    assert "'보고서.pdf'을(를) 올렸습니다." in html.unescape(response.get_data(as_text=True))
    entry = next(e for e in open_contest.entrants if e.key == "delta").entry
    session.refresh(entry)
    assert (entry.title, entry.summary) == ("라동 안부 사업", "주 1회 방문")
    response = client.post("/council/entry/attachments", data={
        "title": "라동 안부 살피기", "summary": "주 1회 방문", "partners": "", "period": "", "budget": "", "body": "",
        "file": (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 64), "사진.pdf")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "PNG" in response.get_data(as_text=True)
    session.refresh(entry)
    assert entry.title == "라동 안부 살피기" and len(entry.attachments) == 1


def test_why_an_entry_is_locked_is_told_in_the_readers_language(app, make_user, open_contest, session):
    """The entry's lock reason is a message id from the intake service: the council's pages and the
    refusal to delete a file show it in the request's language."""
    client, user = _council(app, make_user, open_contest, "delta")
    entry = next(e for e in open_contest.entrants if e.key == "delta").entry
    entry.attachments.append(Attachment(original_name="보고서.pdf", stored_name="b" * 32 + ".pdf", kind="pdf",
                                        content_type="application/pdf", size=10, sha256="0" * 64))
    entry.status, entry.submitted_at, entry.receipt_number = "submitted", utcnow(), "2024-001"
    session.commit()
    english = "This entry has been submitted. It is waiting for the organizer's acceptance and cannot be changed."
    korean = "제출한 참가작입니다. 주최 측의 접수 확인을 기다리는 중이라 고칠 수 없습니다."
    assert korean in page_text(client.get("/council/entry"))
    for page in ("/council/?lang=en", "/council/entry"):
        text = page_text(client.get(page))
        assert english in text and korean not in text
    response = client.post(f"/council/entry/attachments/{entry.attachments[0].id}/delete", follow_redirects=True)
    assert english in flashes(response)
