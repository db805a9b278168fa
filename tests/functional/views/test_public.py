"""Public results and certificate verification through the test client."""

from __future__ import annotations

from judging.services import certificates
from tests.support.demo import DEMO_JUDGE_NAMES, TOP_SCORE, load_demo
from tests.support.documents import workbook_text


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
