"""The organizer's documents page through the test client: certificates allocated, downloaded and revoked,
the seal and the body template, the ceremony order, the report, score sheets and exports."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
import sqlalchemy as sa

from judging.models import AuditEvent, Certificate, Contest
from tests.support.demo import TOP_SCORE, load_demo, publish_demo, sign_in_council
from tests.support.document_data import SEAL
from tests.support.documents import A4_PT, embedded_fonts, pdf_pages, pdf_text, squeeze, workbook_text
from tests.support.pages import ceremony_data, page_text

DOCS = "/organizer/c/goyang-2024"


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


def test_a_certificate_of_a_revoked_award_says_so_in_the_readers_language(client, session, published_demo,
                                                                         as_organizer):
    as_organizer()
    client.post(f"{DOCS}/certificates/allocate")
    cert = session.scalar(sa.select(Certificate).where(Certificate.award_key == "special").limit(1))
    client.post(f"{DOCS}/awards/revoke",
                data={"award": f"{cert.entry_id}:special", "reason": "제출 자료가 사실과 달랐습니다."})
    assert "수상 취소: 제출 자료가 사실과 달랐습니다." in page_text(client.get(f"{DOCS}/documents"))
    english = page_text(client.get(f"{DOCS}/documents?lang=en"))
    assert "Award revoked: 제출 자료가 사실과 달랐습니다." in english and "수상 취소" not in english


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
    data = ceremony_data(client.get("/ceremony/goyang-2024").get_data(as_text=True))
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
    sign_in_council(client, "gobong")
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
