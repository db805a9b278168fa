"""The judge's pages through the test client: pledge and conflict declaration before scoring, home
with states and progress, the entry screen and its plain-form fallback, materials, review, submit."""

from __future__ import annotations

import gzip as gzip_module
import re
import uuid
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from judging.models import Attachment, AuditEvent, Conflict, Score, Sheet
from judging.services import sheets
from tests.support.judge_pages import entry_url, html_of, score, sign_in


def test_pledge_then_declaration_before_scoring(client, session, one_judge):
    sign_in(client, one_judge)
    assert client.get("/judge/").headers["Location"].endswith("/judge/pledge")
    assert client.get(entry_url(one_judge, "alpha")).headers["Location"].endswith("/judge/pledge")
    api = client.post("/judge/api/scores", json={"entry": one_judge.entries["alpha"].id,
                                                 "criterion": one_judge.criteria["need"].id, "value": "20", "version": 0})
    assert api.status_code == 403 and api.get_json()["error"] == "pledge_required"

    page = html_of(client.get("/judge/pledge"))
    assert "공정·비밀유지 서약" in page and "누설하지 않겠습니다" in page
    refused = client.post("/judge/pledge", data={})
    assert refused.status_code == 400 and "서약 내용에 동의해 주세요" in html_of(refused)
    assert client.post("/judge/pledge", data={"agree": "y"}).headers["Location"].endswith("/judge/conflicts")
    assert client.get("/judge/").headers["Location"].endswith("/judge/conflicts")

    page = html_of(client.get("/judge/conflicts"))
    for name in ("가동 지역사회보장협의체", "나동 지역사회보장협의체", "다동 지역사회보장협의체"):
        assert name in page
    assert "라동" not in page  # delta is in no round
    ids = {k: one_judge.entries[k].id for k in ("alpha", "beta", "gamma")}
    incomplete = client.post("/judge/conflicts", data={f"choice-{ids['alpha']}": "none"})
    assert incomplete.status_code == 400 and "골라 주세요" in html_of(incomplete)
    no_reason = client.post("/judge/conflicts", data={f"choice-{ids['alpha']}": "none",
                                                      f"choice-{ids['beta']}": "conflict",
                                                      f"choice-{ids['gamma']}": "none"})
    assert no_reason.status_code == 400 and "이해충돌 사유를 적어 주세요" in html_of(no_reason)
    assert session.scalar(sa.select(sa.func.count()).select_from(Conflict).where(Conflict.source == "judge")) == 0

    done = client.post("/judge/conflicts", data={f"choice-{ids['alpha']}": "none",
                                                 f"choice-{ids['beta']}": "conflict",
                                                 f"reason-{ids['beta']}": "배우자가 협의체 위원",
                                                 f"choice-{ids['gamma']}": "none"})
    assert done.headers["Location"].endswith("/judge/")
    conflict = session.scalar(sa.select(Conflict).where(Conflict.source == "judge"))
    assert (conflict.judge_id, conflict.entry_id, conflict.reason) == (one_judge.judge.id, ids["beta"], "배우자가 협의체 위원")
    home = html_of(client.get("/judge/"))
    assert "이해충돌 1건을 신고했습니다" in home
    assert "가동 지역사회보장협의체" in home and "나동 지역사회보장협의체" not in home
    assert "이해충돌로 제외된 사업 1건" in home
    assert re.search(r"완료\s*<strong>0 / 2</strong>", home)
    assert client.get(entry_url(one_judge, "beta")).status_code == 403
    # The organizer is told.
    told = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "conflict.declared"))
    assert told.contest_id == one_judge.contest.id and told.after["reason"] == "배우자가 협의체 위원"
    # Declared entries are listed as done; nothing is left to declare.
    again = html_of(client.get("/judge/conflicts"))
    assert "신고를 마친 사업" in again and "새로 신고할 사업이 없습니다" in again


def test_home_shows_states_in_presentation_order_and_progress(client, ready):
    sign_in(client, ready)
    for criterion, value in (("need", "20"), ("partnership", "15"), ("outcome", "7.5")):
        score(client, ready, "beta", criterion, value)
    score(client, ready, "gamma", "need", "16")
    page = html_of(client.get("/judge/"))
    names = re.findall(r'entry-link__name">([^<]+)<', page)
    assert [n[:2] for n in names] == ["가동", "나동", "다동"]
    states = re.findall(r'class="state state--(\w+)">([^<]+)<', page)
    assert [(s, label.strip()) for s, label in states] == [
        ("not_started", "시작 전"), ("complete", "완료"), ("in_progress", "작성 중 1/3")]
    assert re.search(r"완료\s*<strong>1 / 3</strong>", page)
    assert "42.5점" in page and "16점" in page
    assert f'href="/judge/rounds/{ready.round.id}/review"' in page


def test_entry_screen_has_grade_buttons_segments_guidance_comment_and_navigation(client, ready):
    sign_in(client, ready)
    score(client, ready, "beta", "need", "18")
    page = html_of(client.get(entry_url(ready, "beta")))
    assert "나동 지역사회보장협의체" in page and "나동 돌봄 사업" in page and "테스트시 나동" in page
    need = ready.criteria["need"].id
    for label, value in (("매우 우수", 20), ("우수", 18), ("보통", 16), ("부족", 14), ("매우 부족", 12)):
        assert re.search(rf'name="score-{need}" value="{value}"[^>]*>\s*<span class="seg__face"><span class="seg__label">'
                         rf'{label}</span> ', page), label
    assert re.search(rf'name="score-{need}" value="18" checked', page)
    assert re.search(rf'data-criterion="{need}" data-version="1"\s+data-value="18"', page)
    partnership = ready.criteria["partnership"].id
    assert len(re.findall(rf'name="score-{partnership}" value="\d+"', page)) == 21
    outcome = ready.criteria["outcome"].id
    assert re.search(rf'name="score-{outcome}" value="9.5"', page)
    assert 'type="number"' not in page and 'type="text"' not in page  # no tiny free-text number boxes
    assert "지역 욕구 조사에 근거했는지 봅니다." in page and f'aria-describedby="guide-{need}"' in page
    assert '<textarea id="comment"' in page and "담당자가 읽습니다" in page
    assert 'class="js-total">18<' in page and "/ 50점" in page
    assert f'href="{entry_url(ready, "alpha")}" rel="prev"' in page
    assert f'href="{entry_url(ready, "gamma")}" rel="next"' in page
    assert 'role="status" aria-live="polite"' in page and "저장됨" in page
    last = html_of(client.get(entry_url(ready, "gamma")))
    assert f'href="/judge/rounds/{ready.round.id}/review"' in last and 'rel="next"' not in last


def test_plain_form_fallback_saves_changed_values_and_the_comment(client, session, ready):
    sign_in(client, ready)
    need, outcome = ready.criteria["need"].id, ready.criteria["outcome"].id
    response = client.post(entry_url(ready, "alpha"), data={
        f"score-{need}": "16", f"version-{need}": "0", f"score-{outcome}": "4.5", f"version-{outcome}": "0",
        "comment": "발표가 명료함", "comment_version": "0"})
    assert response.status_code == 302
    page = html_of(client.get(entry_url(ready, "alpha")))
    assert "저장했습니다" in page and "발표가 명료함</textarea>" in page
    values = dict(session.execute(sa.select(Score.criterion_id, Score.value).where(Score.judge_id == ready.judge.id)).all())
    assert values == {need: Decimal(16), outcome: Decimal("4.5")}
    # A stale form (an old tab) is refused per criterion, nothing overwritten.
    client.post(entry_url(ready, "alpha"), data={f"score-{need}": "12", f"version-{need}": "0"})
    page = html_of(client.get(entry_url(ready, "alpha")))
    assert "먼저 바뀌었습니다" in page
    assert session.scalar(sa.select(Score.value).where(Score.criterion_id == need)) == Decimal(16)
    off_scale = client.post(entry_url(ready, "alpha"), data={f"score-{need}": "17", f"version-{need}": "1"})
    assert off_scale.status_code == 400


def test_plain_form_saves_all_of_its_changes_or_none(client, session, ready):
    """One refused change (a stale version) keeps every other change of the same form unsaved too."""
    sign_in(client, ready)
    need, partnership, outcome = (ready.criteria[k].id for k in ("need", "partnership", "outcome"))
    client.post(entry_url(ready, "alpha"), data={f"score-{need}": "16", f"version-{need}": "0"})
    response = client.post(entry_url(ready, "alpha"), data={
        f"score-{need}": "12", f"version-{need}": "0",  # stale: need is at version 1 now
        f"score-{partnership}": "15", f"version-{partnership}": "0",
        f"score-{outcome}": "4.5", f"version-{outcome}": "0",
        "comment": "함께 저장되면 안 됨", "comment_version": "0"})
    assert response.status_code == 302
    page = html_of(client.get(entry_url(ready, "alpha")))
    assert "먼저 바뀌었습니다" in page and "하나도 저장하지 않았습니다" in page
    session.expire_all()
    values = dict(session.execute(sa.select(Score.criterion_id, Score.value).where(Score.judge_id == ready.judge.id)).all())
    assert values == {need: Decimal(16)}
    assert "함께 저장되면 안 됨</textarea>" not in page
    # A tampered version field is refused the same way, never a 500.
    response = client.post(entry_url(ready, "alpha"), data={f"score-{outcome}": "4.5", f"version-{outcome}": str(2**64)})
    assert response.status_code in (302, 400)
    session.expire_all()
    assert session.scalar(sa.select(Score.value).where(Score.criterion_id == outcome)) is None


def test_review_highlights_missing_and_submit_makes_it_read_only(client, session, ready, make_user):
    sign_in(client, ready)
    for entry in ("alpha", "beta"):
        for criterion, value in (("need", "20"), ("partnership", "15"), ("outcome", "7.5")):
            score(client, ready, entry, criterion, value)
    score(client, ready, "gamma", "need", "14")
    review_url = f"/judge/rounds/{ready.round.id}/review"
    page = html_of(client.get(review_url))
    assert page.count("review__row--missing") == 1
    assert "민관협력" in page and "빠진 항목 2개" in page and "42.5" in page
    assert 'id="submit-open"' not in page
    refused = client.post(f"/judge/rounds/{ready.round.id}/submit", data={})
    assert refused.status_code == 302 and "채점하지 않은 항목이 2개" in html_of(client.get(review_url))
    assert session.scalar(sa.select(Sheet)) is None

    score(client, ready, "gamma", "partnership", "10")
    score(client, ready, "gamma", "outcome", "5")
    page = html_of(client.get(review_url))
    assert 'id="submit-open"' in page and '<dialog id="submit-dialog"' in page
    assert "제출하면 점수와 의견을 더 이상 바꿀 수 없습니다" in page
    confirm = html_of(client.get(f"/judge/rounds/{ready.round.id}/submit"))
    assert "채점표를 제출할까요?" in confirm
    assert client.post(f"/judge/rounds/{ready.round.id}/submit", data={}).status_code == 302
    page = html_of(client.get(review_url))
    assert "제출 완료" in page and "읽기 전용" in page
    entry_page = html_of(client.get(entry_url(ready, "alpha")))
    assert entry_page.count("<fieldset class=\"crit\"") == 3 and entry_page.count(" disabled>") == 3
    assert 'data-locked="1"' in entry_page and "readonly" in entry_page
    home = html_of(client.get("/judge/"))
    assert "제출됨" in home

    organizer, _ = make_user("organizer")
    sheets.reopen_sheet(session, ready.judge, ready.round, "정정 요청", organizer)
    session.commit()
    entry_page = html_of(client.get(entry_url(ready, "alpha")))
    assert "data-locked" not in entry_page and " disabled>" not in entry_page
    assert client.post("/judge/api/scores", json={"entry": ready.entries["alpha"].id,
                                                  "criterion": ready.criteria["need"].id, "value": "18",
                                                  "version": 1}).status_code == 200
    actions = [a for (a,) in session.execute(sa.select(AuditEvent.action).where(
        AuditEvent.action.in_(["sheet.submitted", "sheet.reopened"])).order_by(AuditEvent.id))]
    assert actions == ["sheet.submitted", "sheet.reopened"]


def _upload(app, session, entry, name: str, content_type: str, data: bytes) -> Attachment:  # noqa: ANN001
    stored = uuid.uuid4().hex + "." + name.rsplit(".", 1)[-1]  # as uploads stores them
    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored).write_bytes(data)
    att = Attachment(entry_id=entry.id, original_name=name, stored_name=stored, kind="report",
                     content_type=content_type, size=len(data), sha256="0" * 64)
    session.add(att)
    session.commit()
    return att


def test_materials_pdf_inline_images_shown_other_files_downloaded(app, client, session, ready):
    pdf = _upload(app, session, ready.entries["alpha"], "2024 사례.보고서.pdf", "application/pdf", b"%PDF-1.4\n%%EOF\n")
    png = _upload(app, session, ready.entries["alpha"], "현장 사진.png", "image/png", b"\x89PNG\r\n\x1a\n")
    hwp = _upload(app, session, ready.entries["alpha"], "사업 계획서.v2.hwp", "application/x-hwp", b"HWP")
    sign_in(client, ready)
    page = html_of(client.get(entry_url(ready, "alpha")))
    assert f'data-src="/judge/files/{pdf.id}" data-kind="pdf"' in page
    assert f'data-src="/judge/files/{png.id}" data-kind="image"' in page
    assert f'href="/judge/files/{hwp.id}"' in page and "사업 계획서.v2.hwp" in page

    response = client.get(f"/judge/files/{pdf.id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.data.startswith(b"%PDF")
    download = client.get(f"/judge/files/{pdf.id}?download=1")
    assert download.headers["Content-Disposition"].startswith("attachment")
    other = client.get(f"/judge/files/{hwp.id}")
    disposition = other.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and other.mimetype == "application/octet-stream"
    assert "filename*=UTF-8''%EC%82%AC%EC%97%85%20%EA%B3%84%ED%9A%8D%EC%84%9C.v2.hwp" in disposition
    assert client.get(f"/judge/files/{png.id}").mimetype == "image/png"


def test_materials_refused_for_conflict_missing_file_and_unknown(app, client, session, ready):
    pdf = _upload(app, session, ready.entries["beta"], "자료.pdf", "application/pdf", b"%PDF")
    sign_in(client, ready)
    session.add(Conflict(judge_id=ready.judge.id, entry_id=ready.entries["beta"].id, source="organizer",
                         reason="담당자 등록"))
    session.commit()
    assert client.get(f"/judge/files/{pdf.id}").status_code == 403
    lost = _upload(app, session, ready.entries["alpha"], "잃어버린.pdf", "application/pdf", b"%PDF")
    (Path(app.config["UPLOAD_FOLDER"]) / lost.stored_name).unlink()
    missing = client.get(f"/judge/files/{lost.id}")
    assert missing.status_code == 404 and "자료 파일을 찾을 수 없습니다" in html_of(missing)
    assert client.get("/judge/files/999999").status_code == 404


def test_scoring_page_weight_is_within_budget(client, ready):
    """First load (page and its assets, compressed) within 60 KB; the next load fetches the page only,
    every asset being cached as immutable under its content-hashed name, within 15 KB."""
    sign_in(client, ready)
    gzip = {"Accept-Encoding": "gzip"}
    page = client.get(entry_url(ready, "alpha"), headers=gzip)
    assert page.headers["Content-Encoding"] == "gzip"
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', gzip_module.decompress(page.data).decode())
    assert {re.sub(r"\.[0-9a-f]{12}\.", ".", a) for a in assets} >= {"/static/js/judge.js", "/static/css/judge.css"}
    responses = [client.get(a, headers=gzip) for a in assets]
    assert all(r.status_code == 200 and "immutable" in r.headers["Cache-Control"] for r in responses)
    first = len(page.data) + sum(len(r.data) for r in responses)
    assert first <= 60 * 1024, first
    assert len(client.get(entry_url(ready, "alpha"), headers=gzip).data) <= 15 * 1024


def test_session_lasts_a_contest_day(app):
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() >= 12 * 3600
