"""Exports over plain values (no database): the public and organizer CSV rows and tally JSON."""

from __future__ import annotations

import json

from judging.services import exports
from tests.support.published import JUDGE_NAMES, plain_contest, published_result


def test_public_csv_lists_award_holders_without_scores_or_judges():
    rows = exports.csv_rows(plain_contest(), published_result(), exports.PUBLIC)
    assert rows[0] == exports.PUBLIC_CSV_HEADERS
    names = [r[0] for r in rows[1:]]
    assert names == ["가동 협의체", "나동 협의체", "라동 협의체", "다동 협의체", "하동 협의체"]
    text = json.dumps(rows, ensure_ascii=False)
    for forbidden in ("95.50", "마동", *JUDGE_NAMES):
        assert forbidden not in text


def test_public_csv_shows_scores_only_when_the_organizer_made_them_public():
    rows = exports.csv_rows(plain_contest(public_scores=True), published_result(), exports.PUBLIC)
    assert rows[0] == exports.PUBLIC_CSV_HEADERS_SCORED
    assert rows[1] == (1, "가동 협의체", "테스트시 가동", "가동 사업", "95.50", "최우수상")
    assert "마동 협의체" in [r[1] for r in rows]


def test_organizer_csv_has_every_entry_with_score_and_n():
    rows = exports.csv_rows(plain_contest(), published_result(), exports.ORGANIZER)
    assert rows[0] == exports.CSV_HEADERS + (exports.JUDGE_TOTALS_HEADER,)
    assert rows[4][:7] == (4, "다동 협의체", "테스트시 다동", "다동 사업", "80.00", 3, "장려상")
    assert rows[-1][1] == "하동 협의체" and rows[-1][6] == "특별상"


def test_public_tally_json_names_no_judge_and_hides_scores():
    data = exports.tally(plain_contest(), published_result(), exports.PUBLIC)
    text = json.dumps(data, ensure_ascii=False)
    for forbidden in ("dropped", "j1", "95.50", "judges", *JUDGE_NAMES):
        assert forbidden not in text
    assert [e["entry"] for e in data["entries"]] == ["a", "b", "d", "c"]
    assert data["special_awards"] == [{"entry": "z", "name": "하동 협의체", "award": "special",
                                       "reason": "주민 발굴 활동이 돋보임"}]


def test_organizer_tally_json_has_the_documented_fields():
    data = exports.tally(plain_contest(), published_result(), exports.ORGANIZER)
    assert data["contest"] == "t-2024" and data["round"] == "final" and data["method"] == "trimmed_mean k=1"
    first = data["entries"][0]
    assert first == {"entry": "a", "name": "가동 협의체", "score": "95.50", "rank": 1, "tier": "best", "judges": 4,
                     "dropped": ["j1", "j4"], "tie_break": None}
    assert data["snapshot"] == {"version": 2, "digest": "d" * 64}
    assert data["unresolved_ties"] == []
