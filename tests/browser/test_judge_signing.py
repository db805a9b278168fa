"""The judge signs the score sheet on the tablet (Chromium 820×1180, touch): the signature is drawn
with touch events, stored as a vector path with the hash of the sheet's content, printed on the
score-sheet PDF (read back with pdftotext and looked at as a picture); reopening voids it and the
sheet must be signed again; a signed sheet cannot be changed."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from judging.documents import render_score_sheet
from judging.models import Contest, Round, Sheet, SheetSignature, User
from judging.services import judge_screens, organizations, reports, sheets
from tests.support.browser import SCREENSHOTS, TABLET, screenshot
from tests.support.judge_browser import (
    criterion,
    draw_signature,
    entry_url,
    make_contest,
    pledge_and_declare,
    saved,
    sign_in_by_code,
)


def fill_by_api(page, live, world) -> None:  # noqa: ANN001
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    for key in world.entries:
        for crit, value in (("need", "18"), ("partnership", "16"), ("outcome", "7")):
            response = page.request.post(live.url + "/judge/api/scores", headers={"X-CSRFToken": token}, data={
                "entry": world.entries[key], "criterion": world.criteria[crit], "value": value, "version": 0})
            assert response.status == 200, response.text()


def test_sign_with_touch_submit_print_reopen_and_sign_again(live_server, new_context, tmp_path):
    world = make_contest(live_server)
    context = new_context(TABLET)
    page = context.new_page()
    sign_in_by_code(page, live_server, world.codes["j1"])
    pledge_and_declare(page, world)
    fill_by_api(page, live_server, world)
    page.goto(f"{live_server.url}/judge/rounds/{world.round_id}/review")
    page.get_by_role("link", name="채점표 제출").tap()
    dialog = page.get_by_role("dialog", name="채점표를 제출할까요?")
    expect(dialog).to_be_visible()
    confirm = dialog.get_by_role("button", name="서명하고 제출합니다")
    expect(confirm).to_be_disabled()
    draw_signature(page, context)
    expect(dialog.locator("#sign-state")).to_have_text("서명했습니다.")
    expect(confirm).to_be_enabled()
    screenshot(page, "judge-sign-dialog")
    confirm.tap()
    expect(page.locator("#sheet-state")).to_contain_text("제출 완료")
    expect(page.locator("#sheet-signature")).to_contain_text("태블릿에서 서명함")

    s = live_server.session()
    sheet = s.scalar(sa.select(Sheet).where(Sheet.judge_id == world.judges["j1"]))
    signature = judge_screens.active_signature(s, sheet.id)
    judge, rnd = s.get(User, world.judges["j1"]), s.get(Round, world.round_id)
    assert signature.method == "tablet" and len(signature.strokes) == 2
    assert sum(len(stroke) for stroke in signature.strokes) >= 20  # a path, not two dots
    assert all(0 <= x <= 1000 and 0 <= y <= 400 for stroke in signature.strokes for x, y in stroke)
    assert signature.content_hash == sheets.content_hash(sheets.sheet_content(s, judge, rnd))
    expect(page.locator("#sheet-signature code")).to_have_text(signature.content_hash[:16] + "…")

    # The sheet PDF carries the drawing, the time and the hash.
    pdf = render_score_sheet(reports.score_sheet_data(s, s.get(Contest, world.contest_id), rnd, judge))
    s.close()
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is needed (poppler-utils, see .ci/run)")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "태블릿 서명" in text and signature.content_hash in text.replace("\n", "").replace(" ", "")
    assert "서명 당시 내용과 같음" in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", str(path), str(SCREENSHOTS / "score-sheet-signed")],
                   check=True)

    # A signed sheet cannot be changed: the page is read-only and the server refuses.
    page.goto(entry_url(live_server, world, "gobong"))
    expect(criterion(page, "민관협력").get_by_role("radio", name="16", exact=True)).to_be_disabled()
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    refused = page.request.post(live_server.url + "/judge/api/scores", headers={"X-CSRFToken": token}, data={
        "entry": world.entries["gobong"], "criterion": world.criteria["partnership"], "value": "11", "version": 1})
    assert refused.status == 403

    # Reopened: the signature is void; after a change the sheet must be signed again.
    s = live_server.session()
    organizer = User(role="organizer", login=f"org-{world.contest_id}", name="복지정책과", password_hash="x",
                     org_role="manager", organization_id=organizations.sole_organization(s).id)
    s.add(organizer)
    s.flush()
    sheets.reopen_sheet(s, world.judges["j1"], world.round_id, "민관협력 점수 정정 요청", organizer)
    s.commit()
    s.close()
    page.reload()
    criterion(page, "민관협력").get_by_role("radio", name="11", exact=True).tap()
    saved(page)
    page.goto(f"{live_server.url}/judge/rounds/{world.round_id}/review")
    expect(page.locator("#sheet-signature")).to_have_count(0)
    page.get_by_role("link", name="채점표 제출").tap()
    confirm = page.get_by_role("dialog", name="채점표를 제출할까요?").get_by_role("button", name="서명하고 제출합니다")
    expect(confirm).to_be_disabled()
    draw_signature(page, context)
    confirm.tap()
    expect(page.locator("#sheet-signature")).to_contain_text("태블릿에서 서명함")
    s = live_server.session()
    rows = s.execute(sa.select(SheetSignature.voided_at, SheetSignature.void_reason)
                     .order_by(SheetSignature.id)).all()
    s.close()
    assert [(v is not None, r) for v, r in rows][-2:] == [(True, "민관협력 점수 정정 요청"), (False, "")]
