"""Entrant import (CSV and Excel, all or nothing, row-numbered errors) and council invitations."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from judging.models import Entrant, User
from judging.services import auth, entrants
from judging.services.entrants import EntrantImportError
from judging.services.errors import DomainError
from tests.support.files import make_xlsx

GOOD_CSV = (
    "이름,행정구역,담당자,이메일\n"
    "고봉동 지역사회보장협의체,고양특례시 일산동구 고봉동,김담당,gobong@example.org\n"
    "탄현1동 지역사회보장협의체,고양특례시 일산서구 탄현1동,이담당,\n"
)


def _count(session, contest) -> int:  # noqa: ANN001
    return session.scalar(sa.select(sa.func.count()).select_from(Entrant).where(Entrant.contest_id == contest.id))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp949"])
def test_csv_import_creates_entrants_with_draft_entries(session, make_contest, encoding):
    contest = make_contest(status="draft")
    before = _count(session, contest)
    created = entrants.import_entrants(session, contest, "참가자.csv", GOOD_CSV.encode(encoding))
    assert [e.name for e in created] == ["고봉동 지역사회보장협의체", "탄현1동 지역사회보장협의체"]
    assert [e.key for e in created] == ["e001", "e002"]
    assert created[0].contact_email == "gobong@example.org" and created[0].contact_name == "김담당"
    assert all(e.entry is not None and e.entry.status == "draft" for e in created)
    assert _count(session, contest) == before + 2


def test_a_csv_with_bad_rows_imports_nothing_and_names_every_bad_row(session, make_contest):
    contest = make_contest(status="draft")
    before = _count(session, contest)
    text = (
        "이름,행정구역,담당자,이메일,키\n"
        "주교동 지역사회보장협의체,덕양구,박담당,jugyo@example.org,jugyo\n"  # row 2: good
        ",덕양구,최담당,,\n"  # row 3: no name
        "원신동 지역사회보장협의체,덕양구,,not-an-email,\n"  # row 4: bad e-mail
        "주교동 지역사회보장협의체,덕양구,,,\n"  # row 5: same name as row 2
        "흥도동 지역사회보장협의체,덕양구,,,JUGYO\n"  # row 6: key repeats row 2's
        "가동 지역사회보장협의체,,,,\n"  # row 7: already an entrant (alpha)
    )
    with pytest.raises(EntrantImportError) as info:
        entrants.import_entrants(session, contest, "bad.csv", text.encode("utf-8"))
    rows = sorted({row for row, _ in info.value.problems})
    assert rows == [3, 4, 5, 6, 7]
    message = info.value.message
    assert "3행: 이름이 비어 있습니다." in message
    assert "4행: 이메일 'not-an-email'의 형식이 올바르지 않습니다." in message
    assert "5행" in message and "2행과 겹칩니다" in message
    assert "6행" in message and "키 'jugyo'" in message
    assert "7행" in message and "이미 등록된 참가자" in message
    assert _count(session, contest) == before


def test_excel_import_works_and_bad_rows_name_their_spreadsheet_row(session, make_contest):
    contest = make_contest(status="draft")
    before = _count(session, contest)
    good = make_xlsx([["참가자명", "행정구역", "담당자", "이메일"],
                  ["성사1동 지역사회보장협의체", "고양특례시 덕양구 성사1동", "정담당", "seongsa1@example.org"],
                  [None, None, None, None],
                  ["성사2동 지역사회보장협의체", "고양특례시 덕양구 성사2동", None, None]])
    created = entrants.import_entrants(session, contest, "참가자.xlsx", good)
    assert [e.name for e in created] == ["성사1동 지역사회보장협의체", "성사2동 지역사회보장협의체"]
    assert _count(session, contest) == before + 2

    bad = make_xlsx([["이름", "이메일"], ["효자동 지역사회보장협의체", "hyoja@example.org"], ["삼송1동", "x@"],
                 ["성사1동 지역사회보장협의체", None], ["가" * 121, None]])
    with pytest.raises(EntrantImportError) as info:
        entrants.import_entrants(session, contest, "참가자.xlsx", bad)
    assert sorted({row for row, _ in info.value.problems}) == [3, 4, 5]
    assert "5행: 이름은(는) 120자 이내여야 합니다." in info.value.message
    assert _count(session, contest) == before + 2  # the good first row was not imported either


@pytest.mark.parametrize(("name", "data", "message"), [
    ("x.csv", b"", "빈 파일"),
    ("x.csv", "행정구역,담당자\n덕양구,김\n".encode(), "'이름' 열이 없습니다"),
    ("x.xlsx", b"PK\x03\x04 not really a workbook", "Excel 파일(.xlsx)을 읽을 수 없습니다"),
    ("x.xls", b"\xd0\xcf\x11\xe0 old excel", ".xls"),
    ("x.csv", "이름\n".encode(), "불러올 참가자가 없습니다"),
])
def test_unreadable_files_are_refused_with_a_message(session, make_contest, name, data, message):
    contest = make_contest(status="draft")
    with pytest.raises(EntrantImportError) as info:
        entrants.import_entrants(session, contest, name, data)
    assert message in info.value.message


def test_no_import_once_judging_started(session, make_contest):
    contest = make_contest(status="judging")
    with pytest.raises(DomainError, match="심사가 시작된"):
        entrants.import_entrants(session, contest, "x.csv", GOOD_CSV.encode())


def test_council_accounts_get_a_first_sign_in_link_that_is_used_up_by_the_password(session, make_contest):
    contest = make_contest(status="open")
    secret = "test-secret"
    created = entrants.create_council_accounts(session, contest, secret)
    assert len(created) == len(contest.entrants)
    assert all(u.password_hash is None and u.link_digest for u in created)
    assert entrants.create_council_accounts(session, contest, secret) == []  # idempotent
    user = created[0]
    assert user.login == f"{contest.slug}-{user.entrant.key}"
    invitation = next(i for i in entrants.invitations(session, contest, secret) if i.user.id == user.id)
    signed_in = auth.authenticate_link(session, invitation.token, address="127.0.0.1")
    assert signed_in.id == user.id
    with pytest.raises(DomainError, match="서로 다릅니다"):
        entrants.first_password(session, user, "long-enough-1", "long-enough-2")
    with pytest.raises(DomainError, match="8자 이상"):
        entrants.first_password(session, user, "short", "short")
    entrants.first_password(session, user, "long-enough-1", "long-enough-1")
    assert user.link_digest is None
    with pytest.raises(DomainError):
        auth.authenticate_link(session, invitation.token, address="127.0.0.1")
    assert auth.authenticate(session, user.login, "long-enough-1", address="127.0.0.1").id == user.id
    # A reissued invitation revokes the old password and gives a new link.
    token = entrants.reissue_invitation(session, user, secret)
    assert user.password_hash is None
    assert auth.authenticate_link(session, token, address="127.0.0.1").id == user.id
    assert session.scalar(sa.select(sa.func.count()).select_from(User).where(
        User.role == "council", User.contest_id == contest.id)) == len(contest.entrants)
