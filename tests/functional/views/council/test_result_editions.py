"""A council across editions: the 고봉동 account of 2024 also reaches its 2023 result and certificate;
a revoked certificate is reissued under a new number, which verifies, and the revoked number's page
points to it."""

from __future__ import annotations

import sqlalchemy as sa

from judging.models import Certificate, Contest
from judging.services import certificates, demo
from tests.support.demo import publish_demo, sign_in_council
from tests.support.pages import page_text


def _gobong_certificate(session, contest) -> Certificate:  # noqa: ANN001
    entrant = next(e for e in contest.entrants if e.key == "gobong")
    return session.scalar(sa.select(Certificate).where(Certificate.entry_id == entrant.entry.id,
                                                       Certificate.revoked_at.is_(None)))


def test_a_council_reaches_both_editions_and_a_reissued_certificate_verifies(app, client, session):  # noqa: ANN001
    this_year = publish_demo(session, app.config["SECRET_KEY"])
    last_year = session.scalar(sa.select(Contest).where(Contest.slug == demo.PAST_SLUG))
    certificates.allocate(session, last_year)
    certificates.allocate(session, this_year)
    session.commit()

    sign_in_council(client, "gobong")
    home = page_text(client.get("/council/"))
    assert "우리 단체가 참가한 공모전" in home
    assert this_year.title in home and last_year.title in home

    for contest in (this_year, last_year):
        page = page_text(client.get(f"/council/result?contest={contest.slug}"))
        assert contest.title in page and "고봉동 지역사회보장협의체" in page and "최우수" in page
        page = page_text(client.get(f"/council/certificates?contest={contest.slug}"))
        cert = _gobong_certificate(session, contest)
        assert cert.number in page
        pdf = client.get(f"/council/certificates/{cert.id}.pdf")
        assert pdf.status_code == 200 and pdf.get_data().startswith(b"%PDF")
    # Another council's certificate of last year stays out of reach, and so does a contest it did not enter.
    other = session.scalar(sa.select(Certificate).where(Certificate.contest_id == last_year.id,
                                                        Certificate.recipient.not_like("고봉동%")))
    assert client.get(f"/council/certificates/{other.id}.pdf").status_code == 404
    assert client.get("/council/result?contest=nowhere-2020").status_code == 404

    # The organizer revokes this year's certificate (a misspelt name) and reissues it.
    old = _gobong_certificate(session, this_year)
    certificates.revoke(session, this_year, old.id, "단체명 오기")
    new = certificates.reissue(session, this_year, old.id)
    session.commit()
    assert new.number != old.number and old.replaced_by_id == new.id
    page = page_text(client.get(f"/council/certificates?contest={this_year.slug}"))
    assert new.number in page and old.number not in page

    valid = page_text(client.get(f"/verify/{new.verify_token}"))
    assert "정상 발급된 상장입니다" in valid
    revoked = client.get(f"/verify/{old.verify_token}")
    assert revoked.status_code == 200
    page = page_text(revoked)
    assert "폐기된 상장입니다" in page and f"이 상장은 {new.number}(으)로 다시 발급되었습니다." in page


def test_reissue_only_a_revoked_certificate_once_and_through_the_organizers_page(app, client, session,  # noqa: ANN001
                                                                                   make_user, login):
    import pytest

    from judging.services.errors import DomainError

    contest = publish_demo(session, app.config["SECRET_KEY"])
    certificates.allocate(session, contest)
    session.commit()
    cert = _gobong_certificate(session, contest)
    with pytest.raises(DomainError, match="먼저 사유를 적어 폐기해 주세요"):
        certificates.reissue(session, contest, cert.id)
    certificates.revoke(session, contest, cert.id, "단체명 오기")
    session.commit()
    organizer, password = make_user("organizer")
    login(organizer, password)
    response = client.post(f"/organizer/c/{contest.slug}/certificates/{cert.id}/reissue", follow_redirects=True)
    page = page_text(response)
    new = session.scalar(sa.select(Certificate).where(Certificate.id != cert.id,
                                                      Certificate.entry_id == cert.entry_id))
    assert f"{new.number}(으)로 다시 발급했습니다." in page
    response = client.post(f"/organizer/c/{contest.slug}/certificates/{cert.id}/reissue", follow_redirects=True)
    assert f"이미 {new.number}(으)로" in page_text(response)
    assert session.scalar(sa.select(sa.func.count()).select_from(Certificate)
                          .where(Certificate.entry_id == cert.entry_id)) == 2
