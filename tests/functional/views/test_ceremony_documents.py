"""The ceremony, public results, verification, the organizer's documents and the council's
certificate through the test client; the certificates and export commands through the runner."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
import sqlalchemy as sa

from judging.models import AuditEvent, Certificate, Contest
from judging.services import certificates
from tests.support.demo import DEMO_JUDGE_NAMES, TOP_SCORE, load_demo, publish_demo
from tests.support.document_data import SEAL
from tests.support.documents import A4_PT, embedded_fonts, pdf_pages, pdf_text, squeeze, workbook_text

DOCS = "/organizer/c/goyang-2024"


@pytest.fixture()
def as_organizer(client):  # noqa: ANN001, ANN201
    def sign_in():  # noqa: ANN202
        response = client.post("/sign-in", data={"login": "organizer", "password": "demo-organizer-2024"})
        assert response.status_code == 302
        return client

    return sign_in


def _council(client, login: str) -> None:  # noqa: ANN001
    response = client.post("/sign-in", data={"login": login, "password": "demo-council-2024"})
    assert response.status_code == 302


def _ceremony_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="ceremony-data">(.*?)</script>', html, re.S)
    assert match, "the page embeds the sequence"
    return json.loads(match.group(1))


# --- ceremony --------------------------------------------------------------------------------

def test_ceremony_embeds_the_whole_published_sequence(client, published_demo, as_organizer):
    as_organizer()
    response = client.get("/ceremony/goyang-2024")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    data = _ceremony_data(html)
    assert data["version"] == 1 and data["role"] == "audience"
    reveals = [s for s in data["slides"] if s["kind"] == "reveal"]
    assert len(reveals) == 12
    assert [s["award"] for s in data["slides"] if s["kind"] == "award"] == ["장려상", "우수상", "최우수상", "특별상"]
    assert reveals[-2]["recipient"] == "고봉동 지역사회보장협의체"
    assert "notes" not in data  # the 심사평 is for the presenter
    assert re.search(r"/static/js/ceremony\.[0-9a-f]{12}\.js", html) and re.search(r"/static/css/ceremony\.[0-9a-f]{12}\.css", html)
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html  # no CDN
    for name in DEMO_JUDGE_NAMES:
        assert name not in html
    assert TOP_SCORE not in html


def test_presenter_view_has_the_review_notes(client, published_demo, as_organizer):
    as_organizer()
    html = client.get("/ceremony/goyang-2024/presenter").get_data(as_text=True)
    data = _ceremony_data(html)
    assert data["role"] == "presenter"
    assert "민관협력의 폭이 넓어졌습니다" in data["notes"]
    assert "심사평" in html and "다음 화면" in html


def test_unpublished_contest_shows_nothing_on_the_ceremony(client, session, as_organizer):
    load_demo(session)
    session.commit()
    as_organizer()
    response = client.get("/ceremony/goyang-2024")
    html = response.get_data(as_text=True)
    assert "아직 공개된 결과가 없습니다" in html
    assert "ceremony-data" not in html and "ceremony.js" not in html
    assert "고봉동" not in html and "지역사회보장협의체" not in html


def test_ceremony_is_for_organizers_only(client, published_demo):
    assert client.get("/ceremony/goyang-2024").status_code == 302  # to sign-in
    _council(client, "gobong")
    assert client.get("/ceremony/goyang-2024").status_code == 403
    assert client.get("/ceremony/fonts/NanumMyeongjo.ttf").status_code == 403


def test_ceremony_fonts_are_served_from_the_app(client, published_demo, as_organizer):
    as_organizer()
    response = client.get("/ceremony/fonts/NanumMyeongjoBold.ttf")
    assert response.status_code == 200 and response.mimetype == "font/ttf"
    assert response.get_data()[:4] == b"\x00\x01\x00\x00"
    assert client.get("/ceremony/fonts/..%2Fconfig.py").status_code == 404
    assert client.get("/ceremony/nope-2024").status_code == 404


# --- public results --------------------------------------------------------------------------

def test_public_results_show_tiers_and_names_without_scores(client, published_demo):
    response = client.get("/results/goyang-2024")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for award in ("최우수상", "우수상", "장려상", "특별상"):
        assert award in html
    assert "고봉동 지역사회보장협의체" in html and "주엽1동 지역사회보장협의체" in html
    assert TOP_SCORE not in html and "점수와 순위" not in html
    for name in DEMO_JUDGE_NAMES:
        assert name not in html


def test_public_results_show_scores_when_the_organizer_chooses(client, session, published_demo):
    published_demo.public_scores = True
    session.commit()
    html = client.get("/results/goyang-2024").get_data(as_text=True)
    assert "점수와 순위" in html and TOP_SCORE in html
    for name in DEMO_JUDGE_NAMES:
        assert name not in html


def test_public_results_of_an_unpublished_contest_are_empty(client, session):
    load_demo(session)
    session.commit()
    response = client.get("/results/goyang-2024")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "아직 공개된 결과가 없습니다" in html and "고봉동" not in html
    assert client.get("/results/goyang-2024.csv").status_code == 404


def test_public_downloads_carry_no_judge(client, published_demo):
    csv_text = client.get("/results/goyang-2024.csv").get_data().decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "참가 단위,지역,사업명,시상"
    assert "고봉동 지역사회보장협의체" in csv_text and TOP_SCORE not in csv_text
    response = client.get("/results/goyang-2024.xlsx")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    book = workbook_text(response.get_data())
    for name in DEMO_JUDGE_NAMES:
        assert name not in csv_text and name not in book


# --- verification ----------------------------------------------------------------------------

def test_verification_of_a_real_an_unknown_and_a_revoked_number(client, session, published_demo):
    first, second = certificates.allocate(session, published_demo)[:2]
    certificates.revoke(session, published_demo, second.id, "수상 취소")
    session.commit()

    real = client.get(f"/verify/{first.verify_token}")
    html = real.get_data(as_text=True)
    assert real.status_code == 200
    assert "정상 발급된 상장입니다" in html
    for part in ("제 2024-001 호", "고봉동 지역사회보장협의체", "최우수상", published_demo.title):
        assert part in html

    by_number = client.get("/verify/제 2024-001 호")
    assert by_number.status_code == 200 and "정상 발급된 상장입니다" in by_number.get_data(as_text=True)

    unknown = client.get("/verify/제 2024-777 호")
    assert unknown.status_code == 404
    text = unknown.get_data(as_text=True)
    assert "등록되지 않은 번호입니다" in text and "정상 발급" not in text

    revoked = client.get(f"/verify/{second.verify_token}")
    text = revoked.get_data(as_text=True)
    assert "폐기된 상장입니다" in text and "효력이 없습니다" in text and "정상 발급" not in text
    assert "수상 취소" not in text  # the internal reason stays with the organizer


def test_verification_form_redirects_to_the_number(client, published_demo):
    response = client.get("/verify?q=2024-001")
    assert response.status_code == 302 and response.headers["Location"].endswith("/verify/2024-001")
    assert "상장 번호" in client.get("/verify").get_data(as_text=True)


# --- organizer documents ---------------------------------------------------------------------

def test_documents_page_allocates_and_lists_certificates(client, session, published_demo, as_organizer):
    as_organizer()
    page = client.get(f"{DOCS}/documents")
    assert page.status_code == 200 and "번호가 없는 상이 12개" in page.get_data(as_text=True)
    response = client.post(f"{DOCS}/certificates/allocate", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "상장 번호 12개를 부여했습니다" in html and "제 2024-012 호" in html
    again = client.post(f"{DOCS}/certificates/allocate", follow_redirects=True).get_data(as_text=True)
    assert "새로 부여할 상장이 없습니다" in again
    assert session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 12
    assert session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "certificates.allocate")) is not None


def test_certificate_pdfs_download(client, session, published_demo, as_organizer):
    as_organizer()
    client.post(f"{DOCS}/certificates/allocate")
    batch = client.get(f"{DOCS}/certificates.pdf")
    assert batch.status_code == 200 and batch.mimetype == "application/pdf"
    pages = pdf_pages(batch.get_data())
    assert len(pages) == 12
    assert all(float(p.mediabox.height) == pytest.approx(A4_PT[1], abs=0.01) for p in pages)
    assert {"NanumMyeongjo", "NanumMyeongjoBold"} <= embedded_fonts(batch.get_data())
    cert = session.scalar(sa.select(Certificate).where(Certificate.serial == 1))
    one = client.get(f"{DOCS}/certificates/{cert.id}.pdf")
    assert one.status_code == 200
    assert "2024-001" in one.headers["Content-Disposition"]
    assert "제2024-001호" in squeeze(pdf_text(one.get_data()))
    sample = client.get(f"{DOCS}/certificate-sample.pdf")
    assert sample.status_code == 200 and "견본" in pdf_text(sample.get_data())


def test_revoking_through_the_page(client, session, published_demo, as_organizer):
    as_organizer()
    client.post(f"{DOCS}/certificates/allocate")
    cert = session.scalar(sa.select(Certificate).where(Certificate.serial == 3))
    empty = client.post(f"{DOCS}/certificates/{cert.id}/revoke", data={"reason": ""}, follow_redirects=True)
    assert "폐기 사유를 입력해 주세요" in empty.get_data(as_text=True)
    session.refresh(cert)
    assert cert.revoked_at is None
    done = client.post(f"{DOCS}/certificates/{cert.id}/revoke", data={"reason": "수상 단체명 오기"},
                       follow_redirects=True).get_data(as_text=True)
    assert "제 2024-003 호 상장을 폐기했습니다" in done
    session.refresh(cert)
    assert cert.revoked_at is not None
    assert client.get(f"{DOCS}/certificates/{cert.id}.pdf").status_code == 400
    assert len(pdf_pages(client.get(f"{DOCS}/certificates.pdf").get_data())) == 11


def test_seal_upload_checks_the_content_and_keeps_the_bytes(client, session, published_demo, as_organizer):
    as_organizer()
    session.get(Contest, published_demo.id).seal_png = None  # the published_demo ships a seal; start without one
    session.commit()
    fake = client.post(f"{DOCS}/seal", data={"seal": (io.BytesIO(b"\xff\xd8\xff\xe0JFIF" + b"\0" * 300), "직인.png")},
                       content_type="multipart/form-data", follow_redirects=True)
    assert "PNG 이미지가 아닙니다" in fake.get_data(as_text=True)
    assert session.get(Contest, published_demo.id).seal_png is None
    ok = client.post(f"{DOCS}/seal", data={"seal": (io.BytesIO(SEAL), "seal.final.PNG")},
                     content_type="multipart/form-data", follow_redirects=True)
    assert "직인 이미지를 저장했습니다" in ok.get_data(as_text=True)
    session.expire_all()
    assert session.get(Contest, published_demo.id).seal_png == SEAL
    image = client.get(f"{DOCS}/seal.png")
    assert image.mimetype == "image/png" and image.get_data() == SEAL
    missing = client.post(f"{DOCS}/seal", data={}, content_type="multipart/form-data", follow_redirects=True)
    assert "직인 PNG 파일을 골라 주세요" in missing.get_data(as_text=True)


def test_body_template_edit(client, session, published_demo, as_organizer):
    as_organizer()
    bad = client.post(f"{DOCS}/certificate-body", data={"body": "{recipient}에게 {prize}을 드립니다"},
                      follow_redirects=True).get_data(as_text=True)
    assert "{prize}" in bad and "자리표시자" in bad
    good = client.post(f"{DOCS}/certificate-body", data={"body": "{recipient}은 「{contest}」에서 {award}을 받았습니다."},
                       follow_redirects=True).get_data(as_text=True)
    assert "상장 본문을 저장했습니다" in good
    session.expire_all()
    assert session.get(Contest, published_demo.id).certificate_body.startswith("{recipient}은")
    text = squeeze(pdf_text(client.get(f"{DOCS}/certificate-sample.pdf").get_data()))
    assert "「2024년복지업무우수동성과보고회」에서최우수상을받았습니다." in text


def test_ceremony_order_moves_and_refuses_nonsense(client, session, published_demo, as_organizer):
    as_organizer()
    moved = client.post(f"{DOCS}/ceremony-order", data={"order": "special,encouragement,excellence,best"},
                        follow_redirects=True).get_data(as_text=True)
    assert "발표 순서를 바꿨습니다" in moved
    session.expire_all()
    assert session.get(Contest, published_demo.id).ceremony_order == ["special", "encouragement", "excellence", "best"]
    data = _ceremony_data(client.get("/ceremony/goyang-2024").get_data(as_text=True))
    assert [s["award"] for s in data["slides"] if s["kind"] == "award"][0] == "특별상"
    bad = client.post(f"{DOCS}/ceremony-order", data={"order": "best,gold"}, follow_redirects=True)
    assert "없는 상입니다: gold" in bad.get_data(as_text=True)
    session.expire_all()
    assert session.get(Contest, published_demo.id).ceremony_order[0] == "special"


def test_report_score_sheets_and_exports(client, published_demo, as_organizer):
    as_organizer()
    report = client.get(f"{DOCS}/report.pdf")
    assert report.status_code == 200 and "심사결과보고" in squeeze(pdf_text(report.get_data()))
    hwpx = client.get(f"{DOCS}/report.hwpx")
    assert hwpx.status_code == 200 and hwpx.mimetype == "application/hwp+zip"
    assert ".hwpx" in hwpx.headers["Content-Disposition"]
    assert "고봉동 지역사회보장협의체" in zipfile.ZipFile(io.BytesIO(hwpx.get_data())).read(
        "Contents/section0.xml").decode("utf-8")
    sheet = client.get(f"{DOCS}/score-sheets/final/j1.pdf")
    assert sheet.status_code == 200 and "김정희" in pdf_text(sheet.get_data())
    assert client.get(f"{DOCS}/score-sheets/final/j9.pdf").status_code == 404
    xlsx = client.get(f"{DOCS}/export.xlsx")
    assert "김정희" in workbook_text(xlsx.get_data())
    csv_text = client.get(f"{DOCS}/export.csv").get_data().decode("utf-8-sig")
    assert csv_text.splitlines()[1].startswith("1,고봉동 지역사회보장협의체")
    tally = json.loads(client.get(f"{DOCS}/export.json").get_data())
    assert tally["contest"] == "goyang-2024" and tally["entries"][0]["score"] == TOP_SCORE
    assert client.get(f"{DOCS}/export.pdf").status_code == 400


def test_paperwork_before_publication_is_refused_plainly(client, session, as_organizer):
    load_demo(session)
    session.commit()
    as_organizer()
    assert "아직 공개된 결과가 없습니다" in client.get(f"{DOCS}/documents").get_data(as_text=True)
    response = client.get(f"{DOCS}/report.pdf")
    assert response.status_code == 400 and "아직 공개된 결과가 없습니다" in response.get_data(as_text=True)
    assert client.get(f"{DOCS}/certificate-sample.pdf").status_code == 200
    assert client.get(f"{DOCS}/score-sheets/final/j4.pdf").status_code == 200


def test_documents_are_for_organizers_only(client, published_demo):
    _council(client, "gobong")
    for path in (f"{DOCS}/documents", f"{DOCS}/certificates.pdf", f"{DOCS}/export.xlsx", f"{DOCS}/report.pdf"):
        assert client.get(path).status_code == 403
    assert client.post(f"{DOCS}/certificates/allocate").status_code == 403


def test_writes_need_the_csrf_token(csrf_app, session):
    publish_demo(session)
    client = csrf_app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    signed_in = client.post("/sign-in", data={"login": "organizer", "password": "demo-organizer-2024",
                                              "csrf_token": token})
    assert signed_in.status_code == 302 and "/organizer" in signed_in.headers["Location"]
    refused = client.post(f"{DOCS}/certificates/allocate")
    assert refused.status_code == 400 and "보안 토큰" in refused.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0
    page = client.get(f"{DOCS}/documents").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(f"{DOCS}/certificates/allocate", data={"csrf_token": token}).status_code == 302
    assert session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 12


# --- council ---------------------------------------------------------------------------------

def test_a_council_downloads_its_own_certificate_only(client, session, published_demo):
    _council(client, "gobong")
    page = client.get("/council/certificates").get_data(as_text=True)
    assert "담당자가 상장 번호를 부여하면" in page  # reading the page numbers nothing
    assert session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0
    certificates.allocate(session, published_demo)
    session.commit()
    page = client.get("/council/certificates").get_data(as_text=True)
    assert "최우수상" in page and "제 2024-001 호" in page
    own = session.scalar(sa.select(Certificate).where(Certificate.number == "제 2024-001 호"))
    other = session.scalar(sa.select(Certificate).where(Certificate.number == "제 2024-002 호"))
    response = client.get(f"/council/certificates/{own.id}.pdf")
    assert response.status_code == 200
    text = squeeze(pdf_text(response.get_data()))
    assert "고봉동지역사회보장협의체" in text
    for name in DEMO_JUDGE_NAMES:
        assert name not in text
    assert client.get(f"/council/certificates/{other.id}.pdf").status_code == 404
    assert client.get("/council/certificates/999999.pdf").status_code == 404


def test_a_council_sees_no_certificate_before_publication(client, session):
    load_demo(session)
    session.commit()
    _council(client, "gobong")
    assert "아직 공개된 결과가 없습니다" in client.get("/council/certificates").get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0


# --- command line ----------------------------------------------------------------------------

def test_certificates_command_writes_one_pdf_per_award_and_a_batch(runner, session, published_demo, tmp_path):
    out = tmp_path / "certs"
    result = runner.invoke(args=["certificates", "goyang-2024", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "상장 번호 12개를 새로 부여했습니다" in result.output
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 13 and "goyang-2024-상장-전체.pdf" in files
    assert files[0] == "2024-001_최우수상_고봉동 지역사회보장협의체.pdf"
    assert len(pdf_pages((out / "goyang-2024-상장-전체.pdf").read_bytes())) == 12
    # not a terminal: one plain line per step with its count, no control characters
    for step in ("상장 자료: 12/12", "상장 PDF: 12/12", "일괄 PDF: 12/12"):
        assert step in result.output
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", result.output.replace("\n", ""))
    again = runner.invoke(args=["certificates", "goyang-2024", "--out", str(tmp_path / "again")])
    assert again.exit_code == 0 and "새로 부여" not in again.output
    assert sorted(p.name for p in (tmp_path / "again").iterdir()) == files


def test_certificates_command_refuses_an_unpublished_contest(runner, session, tmp_path):
    load_demo(session)
    session.commit()
    result = runner.invoke(args=["certificates", "goyang-2024", "--out", str(tmp_path / "x")])
    assert result.exit_code == 1 and "아직 공개된 결과가 없습니다" in result.output
    missing = runner.invoke(args=["certificates", "nope", "--out", str(tmp_path / "x")])
    assert missing.exit_code == 1 and "공모전을 찾을 수 없습니다" in missing.output


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_export_command(runner, published_demo, tmp_path, fmt):
    out = tmp_path / f"result.{fmt}"
    result = runner.invoke(args=["export", "goyang-2024", "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if fmt == "xlsx":
        assert re.search(r"발표심사 점수: (\d+)/\1 ", result.output)
        assert "김정희" in workbook_text(data)  # the organizer's export has the per-judge sheet
    elif fmt == "csv":
        assert data.decode("utf-8-sig").splitlines()[0] == "순위,참가 단위,지역,사업명,점수,심사위원 수,시상,심사위원별 합계"
    else:
        assert json.loads(data)["entries"][0]["entry"] == "gobong"


def test_export_command_refuses_an_unknown_format(runner, published_demo, tmp_path):
    result = runner.invoke(args=["export", "goyang-2024", "--format", "pdf", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
