"""A council's certificate through the test client: its own only, and none before publication."""

from __future__ import annotations

import sqlalchemy as sa

from judging.models import Certificate
from judging.services import certificates
from tests.support.demo import DEMO_JUDGE_NAMES, load_demo, sign_in_council
from tests.support.documents import pdf_text, squeeze


def test_a_council_downloads_its_own_certificate_only(client, session, published_demo):
    sign_in_council(client, "gobong")
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
    sign_in_council(client, "gobong")
    assert "아직 공개된 결과가 없습니다" in client.get("/council/certificates").get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0
