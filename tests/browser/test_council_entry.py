"""A dong council on a tablet: draft the entry → attach `사업보고서.최종.hwp` (a real OLE2 file) and a PDF
→ submit → receipt with number and time → after the deadline everything is read-only."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import sqlalchemy as sa
from playwright.sync_api import expect

from judging.models import Attachment, Entry, User, utcnow
from judging.services import auth, contest_file
from tests.support.browser import TABLET, screenshot
from tests.support.contests import DAY_CONTEST
from tests.support.files import make_hwp, make_pdf

PASSWORD = "council-pass-2024"


def arrange(live) -> dict:  # noqa: ANN001
    slug = f"intake-{uuid.uuid4().hex[:6]}"
    s = live.session()
    contest = contest_file.load(s, DAY_CONTEST.format(slug=slug))
    contest.status = "open"
    contest.submission_deadline = utcnow() + dt.timedelta(days=1)
    entrant = next(e for e in contest.entrants if e.key == "delta")
    login = f"juyeop1-{uuid.uuid4().hex[:4]}"
    s.add(User(role="council", login=login, name=entrant.name, contest_id=contest.id, entrant_id=entrant.id,
               password_hash=auth.hash_password(PASSWORD)))
    s.commit()
    world = {"slug": slug, "login": login, "entry_id": entrant.entry.id, "contest_id": contest.id}
    s.close()
    return world


def test_a_council_drafts_attaches_submits_and_is_read_only_after_the_deadline(live_server, new_context):
    world = arrange(live_server)
    page = new_context(TABLET).new_page()
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("아이디").fill(world["login"])
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").tap()
    expect(page.get_by_role("heading", name="주엽1동 지역사회보장협의체")).to_be_visible()
    page.get_by_role("link", name="참가작 쓰기").tap()

    # Draft.
    page.get_by_label("사업명").fill("주엽1동 1인 가구 안부 살피기")
    page.get_by_label("사업 요약").fill("혼자 사는 이웃을 주민 안부지기가 주 1회 방문하고 위기 가구를 복지관과 연결")
    page.get_by_label("협력 기관").fill("주엽종합사회복지관, 주엽1동 행정복지센터")
    page.get_by_label("사업 기간").fill("2024. 3. ~ 2024. 11.")
    page.get_by_label("사업 예산").fill("8,000,000원")
    page.get_by_label("자유 기술 (추진 과정, 성과, 주민 반응 등)").fill("주민 안부지기 32명이 124가구를 살폈습니다.")
    page.get_by_role("button", name="임시 저장").tap()
    expect(page.get_by_text("임시 저장했습니다.")).to_be_visible()
    expect(page.get_by_label("사업명")).to_have_value("주엽1동 1인 가구 안부 살피기")

    # Attachments: a Korean name with an extra dot, and a PDF.
    page.get_by_label("올릴 파일").set_input_files(
        {"name": "사업보고서.최종.hwp", "mimeType": "application/x-hwp", "buffer": make_hwp(extra=4000)})
    page.get_by_role("button", name="올리기").tap()
    expect(page.get_by_text("'사업보고서.최종.hwp'을(를) 올렸습니다.")).to_be_visible()
    page.get_by_label("올릴 파일").set_input_files(
        {"name": "개인정보 동의서.pdf", "mimeType": "application/pdf", "buffer": make_pdf()})
    page.get_by_role("button", name="올리기").tap()
    expect(page.get_by_text("'개인정보 동의서.pdf'을(를) 올렸습니다.")).to_be_visible()
    files = page.locator("#files .file-list")
    expect(files).to_contain_text("사업보고서.최종.hwp")
    expect(files).to_contain_text("한글(HWP)")
    expect(files).to_contain_text("개인정보 동의서.pdf")
    # Text typed and not yet saved goes up with the file: nothing typed is lost.
    page.get_by_label("사업 예산").fill("8,500,000원")
    # A picture renamed to .pdf is refused with the reason; nothing is added.
    page.get_by_label("올릴 파일").set_input_files(
        {"name": "사진.pdf", "mimeType": "application/pdf", "buffer": bytes.fromhex("89504E470D0A1A0A") + b"\0" * 64})
    page.get_by_role("button", name="올리기").tap()
    expect(page.get_by_text("'사진.pdf': 파일 이름은 PDF 형식인데 내용은 PNG 그림 파일입니다.", exact=False)).to_be_visible()
    expect(page.locator("#files .file-list li")).to_have_count(2)
    expect(page.get_by_label("사업 예산")).to_have_value("8,500,000원")
    with page.expect_download() as download:
        page.get_by_role("link", name="사업보고서.최종.hwp").tap()
    assert download.value.suggested_filename == "사업보고서.최종.hwp"
    screenshot(page, "council-entry-draft-820x1180")

    # Submit → receipt with number and time.
    page.get_by_label("제출한 뒤에는 고칠 수 없음을 확인했습니다").check()
    page.get_by_role("button", name="제출하기").tap()
    expect(page.get_by_role("heading", name="접수증")).to_be_visible()
    expect(page.locator(".receipt-number")).to_have_text("2024-001")
    expect(page.locator(".receipt")).to_contain_text(re.compile(r"\d{4}\. \d{1,2}\. \d{1,2}\. \d{2}:\d{2}"))
    expect(page.locator(".receipt")).to_contain_text("사업보고서.최종.hwp")
    screenshot(page, "council-receipt-820x1180")

    # The organizer returns it for a fix, but the deadline passes first: everything is read-only.
    s = live_server.session()
    entry = s.get(Entry, world["entry_id"])
    entry.status, entry.return_reason = "returned", "동의서 서명이 빠졌습니다"
    entry.contest.submission_deadline = utcnow() - dt.timedelta(minutes=1)
    s.commit()
    s.close()
    page.goto(live_server.url + "/council/entry")
    expect(page.get_by_text("동의서 서명이 빠졌습니다")).to_be_visible()
    expect(page.get_by_text("접수 마감 시각이 지나 더 이상 고치거나 제출할 수 없습니다.")).to_be_visible()
    expect(page.get_by_role("textbox")).to_have_count(0)
    expect(page.get_by_role("button", name="임시 저장")).to_have_count(0)
    expect(page.get_by_role("button", name="올리기")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^지우기"))).to_have_count(0)
    expect(page.get_by_role("button", name="제출하기")).to_have_count(0)
    expect(page.locator(".readonly")).to_contain_text("주엽1동 1인 가구 안부 살피기")
    screenshot(page, "council-entry-closed-820x1180")
    # Even a hand-made request (with a valid CSRF token) changes nothing.
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    response = page.request.post(live_server.url + "/council/entry", form={"csrf_token": token, "title": "늦은 수정"})
    assert "접수 마감 시각이 지나" in response.text()
    s = live_server.session()
    entry = s.get(Entry, world["entry_id"])
    assert entry.title == "주엽1동 1인 가구 안부 살피기" and entry.status == "returned"
    assert sorted(a.original_name for a in s.scalars(sa.select(Attachment).where(Attachment.entry_id == entry.id))) \
        == ["개인정보 동의서.pdf", "사업보고서.최종.hwp"]
    s.close()
