"""``rank_precision`` where it is entered (the contest file, the set-up form) and where the rule is
stated in words (the result sheet's method, the report, the ceremony). The worked examples of the
rule itself are in tests/unit/scoring/test_rounding.py."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from judging.models import Contest
from judging.services import contest_file, contest_file_dump, contest_file_format
from tests.support.contests import SMALL_CONTEST
from tests.support.demo import publish_demo
from tests.support.documents import pdf_text, squeeze
from tests.support.pages import field_errors, flashes

RULE_2 = "순위·동점·수상 기준·진출 경계와 동점 처리의 모든 단계는 소수 셋째 자리에서 반올림한 소수 둘째 자리까지의 점수로 비교합니다"


def with_precision(line: str, slug: str = "precision-2024") -> str:
    return SMALL_CONTEST.format(slug=slug).replace('held_on = 2024-12-04', f'held_on = 2024-12-04\n{line}', 1)


@pytest.mark.parametrize(("line", "stored"), [("", "2"), ('rank_precision = "exact"', "exact"),
                                               ("rank_precision = 0", "0"), ("rank_precision = 4", "4")])
def test_the_contest_file_sets_the_precision_and_writes_it_back(session, line, stored):
    contest = contest_file.load(session, with_precision(line))
    assert contest.rank_precision == stored
    dumped = contest_file_dump.dump_contest(session, contest)
    assert (line in dumped) if line else ("rank_precision" not in dumped)


@pytest.mark.parametrize("bad", ["rank_precision = 5", 'rank_precision = "two"', "rank_precision = 2.5"])
def test_the_contest_file_refuses_a_precision_the_core_cannot_use(session, bad):
    with pytest.raises(contest_file_format.ContestFileError) as caught:
        contest_file.load(session, with_precision(bad))
    assert "0~4의 정수나" in dict(caught.value.problems)["contest.rank_precision"]
    session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(Contest)) == 0


def _contest_form(contest: Contest, **extra: str) -> dict:
    return {"title": contest.title, "organizer": contest.organizer, "issuer": contest.issuer,
            "held_on": contest.held_on.isoformat(), "final_mode": contest.final_mode, **extra}


def test_the_setup_form_sets_the_precision_and_refuses_nonsense(client, session, organizer, make_contest):
    contest = make_contest(slug="form-precision", status="draft")
    page = client.get(f"/organizer/c/{contest.slug}/setup").get_data(as_text=True)
    assert "순위 비교 자릿수" in page
    response = client.post(f"/organizer/c/{contest.slug}/setup/contest",
                           data=_contest_form(contest, rank_precision="exact"), follow_redirects=True)
    assert "공모전 정보를 저장했습니다." in flashes(response)
    session.refresh(contest)
    assert contest.rank_precision == "exact"
    response = client.post(f"/organizer/c/{contest.slug}/setup/contest",
                           data=_contest_form(contest, rank_precision="9"), follow_redirects=True)
    shown = flashes(response) + field_errors(response)
    assert any("0~4의 정수나" in f for f in shown), shown
    session.refresh(contest)
    assert contest.rank_precision == "exact"
    # a form without the field leaves the precision alone
    client.post(f"/organizer/c/{contest.slug}/setup/contest", data=_contest_form(contest))
    session.refresh(contest)
    assert contest.rank_precision == "exact"


def test_the_result_sheet_the_report_and_the_ceremony_state_the_rule(client, session):
    contest = publish_demo(session)
    assert contest.rank_precision == "2"
    assert client.post("/sign-in", data={"login": "organizer", "password": "demo-organizer-2024"}).status_code == 302
    base = f"/organizer/c/{contest.slug}"
    assert RULE_2 in client.get(f"{base}/results").get_data(as_text=True)
    assert squeeze(RULE_2) in squeeze(pdf_text(client.get(f"{base}/report.pdf").get_data()))
    html = client.get(f"/ceremony/{contest.slug}").get_data(as_text=True)
    data = json.loads(re.search(r'<script type="application/json" id="ceremony-data">(.*?)</script>', html,
                                re.S).group(1))
    assert data["slides"][0]["rule"] == RULE_2
