"""A refusal raised by a service reaches the reader in the request's language: the life-cycle refusal
flashed after a status change, the problems and warnings on the dashboard, and the same list in the
day board's JSON. Korean stays the default and reads as before."""

from __future__ import annotations

import html

from tests.support.korean import HANGUL
from tests.support.lifecycle import contest_in
from tests.support.pages import FLASH


def _flashes(response) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(kind, html.unescape(text).strip()) for kind, text in FLASH.findall(response.get_data(as_text=True))]


def test_a_lifecycle_refusal_is_flashed_in_english(client, session, organizer) -> None:  # noqa: ANN001
    contest = contest_in(session, "draft", slug="life-en-2024")
    client.get("/?lang=en")
    response = client.post(f"/organizer/c/{contest.slug}/status", data={"target": "lock", "confirm": "y"},
                           follow_redirects=True)
    errors = [text for kind, text in _flashes(response) if kind == "error"]
    assert errors == ["Only a contest that is judging can have its scores made final (locked). "
                      "(current state: Draft)"]
    assert contest.status == "draft"


def test_the_same_refusal_reads_in_korean_by_default(client, session, organizer) -> None:  # noqa: ANN001
    contest = contest_in(session, "draft", slug="life-ko-2024")
    response = client.post(f"/organizer/c/{contest.slug}/status", data={"target": "lock", "confirm": "y"},
                           follow_redirects=True)
    errors = [text for kind, text in _flashes(response) if kind == "error"]
    assert errors == ["심사 중인 공모전만 점수를 확정(잠금)할 수 있습니다. (지금 상태: 준비)"]


def test_dashboard_warnings_and_the_lock_check_json_are_in_english(client, session, organizer) -> None:  # noqa: ANN001
    contest = contest_in(session, "judging", slug="lock-en-2024")
    page = html.unescape(client.get(f"/organizer/c/{contest.slug}/?lang=en").get_data(as_text=True))
    # j3 has not submitted: the warning is English around the judge's name and the round's title.
    assert "Judge 심사위원 셋 has not submitted the '발표심사' score sheet (3 entries)." in page
    assert "Round '발표심사' is open. Making the scores final closes it." in page
    body = client.get(f"/organizer/c/{contest.slug}/progress.json").get_json()
    warnings = body["lock"]["warnings"]
    assert "Judge 심사위원 셋 has not submitted the '발표심사' score sheet (3 entries)." in warnings
    for text in warnings:
        assert not HANGUL.search(text.replace("심사위원 셋", "").replace("발표심사", "")), text


def test_warnings_to_confirm_are_joined_in_english(client, session, organizer) -> None:  # noqa: ANN001
    contest = contest_in(session, "judging", slug="lock-confirm-2024")
    client.get("/?lang=en")
    response = client.post(f"/organizer/c/{contest.slug}/status", data={"target": "lock"}, follow_redirects=True)
    errors = [text for kind, text in _flashes(response) if kind == "error"]
    assert errors == ["Please confirm: Round '발표심사' is open. Making the scores final closes it. "
                      "Judge 심사위원 셋 has not submitted the '발표심사' score sheet (3 entries)."]
    assert contest.status == "judging"


def test_the_results_page_explains_the_method_in_english(client, session, organizer) -> None:  # noqa: ANN001
    contest = contest_in(session, "judging", slug="method-en-2024")
    page = html.unescape(client.get(f"/organizer/c/{contest.slug}/results?lang=en").get_data(as_text=True))
    assert ("발표심사: mean of the judges' totals (out of 30) without the 1 highest and 1 lowest" in page)
    assert "Final score: the 발표심사 score" in page
    assert "Ranks, ties, award thresholds, screening cuts and every tie-break step compare" in page
    assert "Mean without dropping the highest and lowest → Panel decision (minutes)" in page
    korean = html.unescape(client.get(f"/organizer/c/{contest.slug}/results?lang=ko").get_data(as_text=True))
    assert "발표심사: 심사위원별 총점(배점 30점)의 최고점 1개와 최저점 1개를 제외한 평균" in korean
