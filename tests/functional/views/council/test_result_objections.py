"""Objections through the pages: a council files one on its result page; the organizer accepts it
(the scores unlock), the correction is published as version 2 and the council reads the answer; a
second objection after the period is refused; the public page shows the result as final (확정) once
the period is over; a revoked award shows on the public page and on the certificate's verification
page."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import sqlalchemy as sa

from judging.models import Criterion, Entry, Objection, ResultSnapshot, Score, User
from judging.scoring import allowed_values
from judging.services import certificates
from tests.support.accounts import sign_in
from tests.support.files import make_pdf
from tests.support.pages import visible_text

SLUG = "goyang-2024"


def _switch_to(client, login: str, password: str) -> None:  # noqa: ANN001
    """Sign whoever is signed in out, then ``login`` in."""
    client.post("/sign-out")
    sign_in(client, login, password)


def test_an_objection_from_filing_to_the_corrected_version(client, session, published_demo):
    _switch_to(client, "gobong", "demo-council-2024")
    page = visible_text(client.get("/council/result"))
    assert "결과에 이의가 있으면" in page
    response = client.post("/council/result/objection",
                           data={"grounds": "발표력 점수 합산이 잘못되었습니다.",
                                 "attachment": (io.BytesIO(make_pdf("score sheet copy")), "근거.자료.pdf")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "이의신청을 접수했습니다." in visible_text(response)
    objection = session.scalar(sa.select(Objection).where(Objection.contest_id == published_demo.id))
    assert objection.status == "open" and objection.version == 1
    [attached] = objection.attachments
    assert attached.original_name == "근거.자료.pdf"
    assert client.get(f"/council/objections/attachments/{attached.id}").data == make_pdf("score sheet copy")
    # A file that is not what its name says is refused, and nothing is kept.
    bad = client.post("/council/result/objection",
                      data={"grounds": "다시", "attachment": (io.BytesIO(b"not a pdf"), "가짜.pdf")},
                      content_type="multipart/form-data", follow_redirects=True)
    assert "가짜.pdf" in visible_text(bad)
    assert session.scalar(sa.select(sa.func.count()).select_from(Objection)) == 1

    _switch_to(client, "organizer", "demo-organizer-2024")
    page = visible_text(client.get(f"/organizer/c/{SLUG}/objections"))
    assert "발표력 점수 합산이 잘못되었습니다." in page and "고봉동 지역사회보장협의체" in page
    assert "근거.자료.pdf" in page
    assert client.get(f"/organizer/c/{SLUG}/objections/attachments/{attached.id}").status_code == 200
    response = client.post(f"/organizer/c/{SLUG}/objections/{objection.id}/answer",
                           data={f"o{objection.id}-decision": "accept",
                                 f"o{objection.id}-answer": "확인 결과 입력 오류가 있어 바로잡습니다."},
                           follow_redirects=True)
    assert "이의신청을 인용했습니다." in visible_text(response)
    session.expire_all()
    assert published_demo.status == "judging"

    # The correction: a score fixed, locked again, published as version 2.
    entry = session.get(Entry, objection.entry_id)
    score = session.scalar(sa.select(Score).where(Score.entry_id == entry.id).order_by(Score.id).limit(1))
    criterion = session.get(Criterion, score.criterion_id)
    score.value = next(value for value in allowed_values(criterion.scale, criterion.max_points)
                       if value != Decimal(score.value))
    session.commit()
    client.post(f"/organizer/c/{SLUG}/status", data={"target": "locked", "confirm": "y"})
    response = client.post(f"/organizer/c/{SLUG}/results/publish", data={"confirm": "y", "note": "이의신청 정정"},
                           follow_redirects=True)
    assert "결과를 제2판으로 공개했습니다." in visible_text(response)
    assert session.scalar(sa.select(sa.func.max(ResultSnapshot.version))
                          .where(ResultSnapshot.contest_id == published_demo.id)) == 2

    _switch_to(client, "gobong", "demo-council-2024")
    page = visible_text(client.get("/council/result"))
    assert "인용 : 확인 결과 입력 오류가 있어 바로잡습니다." in page and "제2판으로 정정" in page


def test_after_the_period_objections_are_refused_and_the_result_is_final(client, session, published_demo):
    latest = session.scalar(sa.select(ResultSnapshot).where(ResultSnapshot.contest_id == published_demo.id))
    # The period is counted from the publication: move it back past the objection period.
    session.execute(sa.text("DROP TRIGGER IF EXISTS result_snapshots_no_update"
                            + (" ON result_snapshots" if session.bind.dialect.name == "postgresql" else "")))
    session.execute(sa.update(ResultSnapshot).where(ResultSnapshot.id == latest.id)
                    .values(published_at=latest.published_at - dt.timedelta(days=published_demo.objection_days + 1))
                    .execution_options(synchronize_session=False))
    session.commit()
    public = visible_text(client.get(f"/results/{SLUG}"))
    assert "확정" in public and "이의신청 기간이 끝나 확정된 결과입니다." in public
    _switch_to(client, "tanhyeon1", "demo-council-2024")
    page = visible_text(client.get("/council/result"))
    assert "이의신청 기간이 끝나 결과가 확정되었습니다." in page
    response = client.post("/council/result/objection", data={"grounds": "늦은 이의"}, follow_redirects=True)
    assert "이의신청 기간(공개 후 7일)이 지났습니다." in visible_text(response)
    assert session.scalar(sa.select(sa.func.count()).select_from(Objection)) == 0


def test_a_revoked_award_shows_on_the_public_and_verification_pages(client, session, published_demo):
    issued = certificates.allocate(session, published_demo)
    session.commit()
    cert = next(c for c in issued if c.award_key == "special")
    _switch_to(client, "organizer", "demo-organizer-2024")
    response = client.post(f"/organizer/c/{SLUG}/awards/revoke",
                           data={"award": f"{cert.entry_id}:special", "reason": "제출 자료가 사실과 달랐습니다."},
                           follow_redirects=True)
    assert "수상을 취소했습니다." in visible_text(response)
    public = visible_text(client.get(f"/results/{SLUG}"))
    assert "수상 취소 : 제출 자료가 사실과 달랐습니다." in public
    verify = visible_text(client.get(f"/verify/{cert.verify_token}"))
    assert "폐기된 상장입니다" in verify and "이 상장의 수상이 취소되었습니다." in verify
    assert session.scalar(sa.select(User.role).where(User.login == "organizer")) == "organizer"
