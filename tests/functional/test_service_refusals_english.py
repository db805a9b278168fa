"""Refusals of the assignments, approvals and entrants services, and the scoring core's explanation of
a result, reach the page in the request's language, parameters and all; Korean stays the default and reads as
before."""

from __future__ import annotations

import html
import io

from tests.support.lifecycle import contest_in
from tests.support.pages import FLASH


def _errors(response) -> list[str]:  # noqa: ANN001
    return [html.unescape(text).strip() for kind, text in FLASH.findall(response.get_data(as_text=True))
            if kind == "error"]


def _add_judge(client, slug: str, key: str):  # noqa: ANN001, ANN202
    return client.post(f"/organizer/c/{slug}/judges", data={"name": "새 심사위원", "key": key},
                       follow_redirects=True)


def test_a_refusal_with_a_parameter_is_flashed_in_english(client, session, organizer) -> None:  # noqa: ANN001
    contest = contest_in(session, "draft", slug="judge-key-en-2024")
    client.get("/?lang=en")
    assert _errors(_add_judge(client, contest.slug, "j1")) == ["The judge key 'j1' already exists."]


def test_the_same_refusal_reads_in_korean_by_default(client, session, organizer) -> None:  # noqa: ANN001
    contest = contest_in(session, "draft", slug="judge-key-ko-2024")
    assert _errors(_add_judge(client, contest.slug, "j1")) == ["심사위원 키 'j1'가 이미 있습니다."]


def test_an_approval_refusal_is_flashed_in_english(client, session, organizer) -> None:  # noqa: ANN001
    contest = contest_in(session, "locked", slug="approval-en-2024")
    client.get("/?lang=en")
    response = client.post(f"/organizer/c/{contest.slug}/results/approval/request", data={"note": ""},
                           follow_redirects=True)
    assert _errors(response) == ["This contest publishes without a second organizer's approval."]


def _results(client, slug: str) -> str:  # noqa: ANN001
    return html.unescape(client.get(f"/organizer/c/{slug}/results").get_data(as_text=True))


def test_the_scoring_explanation_reads_in_english(client, session, organizer) -> None:  # noqa: ANN001
    contest = contest_in(session, "locked", slug="explain-en-2024")
    client.get("/?lang=en")
    page = _results(client, contest.slug)
    # the core's sentences are translated around the data (round and tier titles, judge keys, figures)
    assert ("[발표심사] trimmed_mean k=1 · 3 judges · full marks per judge 30 · "
            "j1 27(lowest dropped), j2 27, j3 27(highest dropped) → 27.00 (exact 27)") in page
    assert "Rank 1 → 최우수 (1 place(s))" in page
    assert "Rank 3 → no award tier" in page
    assert "Ranks, ties, award thresholds, screening cuts and every tie-break step compare the score rounded " \
           "half-up to 2 decimal places" in page
    assert "심사위원 3명" not in page and "수상 등급 없음" not in page


def test_the_scoring_explanation_reads_in_korean_by_default(client, session, organizer) -> None:  # noqa: ANN001
    contest = contest_in(session, "locked", slug="explain-ko-2024")
    page = _results(client, contest.slug)
    assert ("[발표심사] trimmed_mean k=1 · 심사위원 3명 · 심사위원별 만점 30 · "
            "j1 27(최저점 제외), j2 27, j3 27(최고점 제외) → 27.00 (정확값 27)") in page
    assert "순위 1위 → 최우수 (정원 1)" in page
    assert "순위 3위 → 수상 등급 없음" in page


def test_entrant_file_problems_are_flashed_in_english_row_by_row(client, session, organizer, make_contest) -> None:  # noqa: ANN001, E501
    contest = make_contest(slug="import-en-2024", status="draft")
    client.get("/?lang=en")
    bad = "이름,이메일\n화정1동 지역사회보장협의체,ok@example.org\n,x@example.org\n화정2동,wrong\n"
    response = client.post(f"/organizer/c/{contest.slug}/entrants/import",
                           data={"file": (io.BytesIO(bad.encode()), "entrants.csv")},
                           content_type="multipart/form-data", follow_redirects=True)
    errors = _errors(response)
    assert "Row 3: The name is empty." in errors
    assert "Row 4: The e-mail 'wrong' is not well formed." in errors
