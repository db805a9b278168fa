"""The one reader of a published result payload: a current payload reads into typed rows, and an
older snapshot that lacks keys added later still reads (with empty defaults) instead of failing."""

from __future__ import annotations

import json

from judging.messages import N_, Message, Text, keep_messages
from judging.services.published import read_payload

CURRENT = {
    "schema": 1,
    "contest": {
        "slug": "c", "title": "공모전", "final_mode": "last", "method": "trimmed_mean",
        "method_text": ["최고·최저 점수를 뺀 평균"], "rank_rule": "소수 둘째 자리에서 비교",
        "tie_break": ["criterion"], "tie_break_text": ["기준 점수 비교"], "judge_count": 5,
    },
    "rounds": [{
        "key": "final", "title": "본선", "method": "절사평균", "max_total": "100", "weight": "1",
        "advance": None, "entry_count": 2,
        "criteria": [{"key": "idea", "title": "창의성", "max": "50", "scale": "points", "weight": "1",
                      "weighted_max": "50"}],
    }],
    "tiers": [{"key": "gold", "title": "최우수", "award_name": "최우수상", "count": 1, "threshold": "80"}],
    "special_award_types": [{"key": "spirit", "title": "특별상", "award_name": "특별상"}],
    "entries": [
        {"entry": "A", "name": "가 협의체", "district": "동구", "project_title": "사업 가", "rank": 1,
         "tier": "gold", "tier_title": "최우수", "award_name": "최우수상", "score": "91.33", "exact": "91.333",
         "status": "ok", "message": None, "n": 5, "dropped": ["j1"], "recused": 1,
         "judge_totals": [["j2", "90"], ["j3", "92"]], "max_total": "100",
         "criteria": [{"key": "idea", "title": "창의성", "max": "50", "score": "45.5"}],
         "rounds": [], "tie_break": "기준 점수 비교로 결정", "tie_breaks": [], "tier_rule": None,
         "explanation": [], "disclosure": ["최고·최저 점수를 뺐습니다."], "special_award": None},
        {"entry": "B", "name": "나 협의체", "district": "서구", "project_title": "사업 나", "rank": 2,
         "tier": None, "tier_title": None, "award_name": None, "score": "80.10", "n": 5,
         "criteria": [], "message": "심사위원 한 명이 빠졌습니다"},
    ],
    "screening": [],
    "unresolved_ties": [],
    "special_awards": [
        {"entry": "C", "name": "다 협의체", "district": "남구", "project_title": "사업 다", "award": "spirit",
         "title": "특별상", "award_name": "특별상", "reason": "꾸준한 활동", "finalist": False},
    ],
    "decisions": [
        {"kind": "tier", "tier": "gold", "award": None, "round": None, "entries": ["A"], "reason": "회의 결과",
         "minutes": "회의록 1", "decided_at": "2024-12-04T06:20:00", "applied": False},
    ],
    "combination": {
        "margin": "10", "n": 2, "reason": None, "warnings": ["현장평가단 비중이 큽니다"],
        "components": [{"key": "final", "title": "심사위원", "kind": "round", "weight": "0.7", "announced": "70",
                        "effective": "62.5", "departure": "7.5", "low": None, "high": None, "warning": False}],
        "entries": [{"entry": "A", "total": "91.33",
                     "parts": [{"key": "final", "score": "90", "normalised": "90", "contribution": "63.00"}]}],
    },
    "audience": [{"key": "crowd", "title": "현장평가단", "weight": "0.3", "max": "30", "ballots": 40,
                  "turnout": {"issued": 50, "revoked": 2, "cast": 40, "percent_display": "83.3"},
                  "scale": [], "entries": []}],
}


def test_current_payload_reads_into_typed_rows():
    result = read_payload(CURRENT, {"A": 11, "B": 12})

    assert result.schema == 1
    assert result.contest.method == "trimmed_mean"
    assert result.contest.method_text == ("최고·최저 점수를 뺀 평균",)
    assert result.contest.tie_break_text == ("기준 점수 비교",)
    assert result.contest.judge_count == 5
    assert result.contest.rank_rule == "소수 둘째 자리에서 비교"
    assert result.last_round is not None and result.last_round.key == "final"
    assert result.last_round.criteria[0].weighted_max == "50"
    assert [(t.key, t.title, t.award_name, t.threshold) for t in result.tiers] == [("gold", "최우수", "최우수상", "80")]

    a = result.entry("A")
    assert a is not None
    assert (a.entry_id, a.name, a.rank, a.tier, a.score, a.n) == (11, "가 협의체", 1, "gold", "91.33", 5)
    assert a.criteria == (("idea", "45.5"),)
    assert a.criterion_rows[0].title == "창의성" and a.criterion_rows[0].max == "50"
    assert a.judge_totals == (("j2", "90"), ("j3", "92"))
    assert a.dropped == ("j1",) and a.recused == 1
    assert a.tie_break == "기준 점수 비교로 결정"
    assert a.disclosure == ("최고·최저 점수를 뺐습니다.",)
    assert result.entry("B").message == "심사위원 한 명이 빠졌습니다"

    assert [(w.kind, w.key, w.entry.key) for w in result.awards] == [("tier", "gold", "A"), ("special", "spirit", "C")]
    special = result.awards[1]
    assert special.entry.entry_id is None and special.entry.name == "다 협의체" and special.reason == "꾸준한 활동"

    combination = result.combination
    assert combination is not None and combination.margin == "10" and combination.warnings == ("현장평가단 비중이 큽니다",)
    assert [(c.title, c.announced, c.effective, c.warning) for c in combination.components] == [
        ("심사위원", "70", "62.5", False)]
    assert [(p.key, p.contribution) for p in combination.parts_of("A")] == [("final", "63.00")]
    assert combination.parts_of("B") == ()
    (crowd,) = result.audience
    assert (crowd.title, crowd.max, crowd.ballots) == ("현장평가단", "30", 40)
    assert crowd.turnout is not None and (crowd.turnout.cast, crowd.turnout.percent_display) == (40, "83.3")

    (decision,) = result.decisions
    assert (decision.kind, decision.tier, decision.entries, decision.minutes, decision.applied) == (
        "tier", "gold", ("A",), "회의록 1", False)


def test_older_payload_missing_newer_keys_still_reads():
    old = {
        "contest": {"method": "mean"},
        "rounds": [{"key": "final", "title": "본선"}],
        "tiers": [{"key": "gold", "title": "최우수"}],
        "entries": [{"entry": "A", "name": "가 협의체", "rank": 1, "tier": "gold", "score": "90.00", "n": 3,
                     "criteria": [{"key": "idea", "score": "45.00"}]}],
        "special_awards": [{"entry": "A", "award": "spirit", "reason": "활동"}],
    }
    result = read_payload(old)

    assert result.schema is None
    assert result.contest.method_text == () and result.contest.judge_count == 0 and result.contest.rank_rule == ""
    assert result.last_round.max_total is None and result.last_round.criteria == ()
    assert result.tiers[0].award_name == "최우수" and result.tiers[0].threshold is None
    a = result.entry("A")
    assert a.dropped is None  # not recorded, unlike an empty list
    assert (a.recused, a.message, a.tie_break, a.disclosure, a.judge_totals, a.max_total) == (0, None, None, (), (), None)
    assert a.criteria == (("idea", "45.00"),)
    assert [(w.kind, w.title, w.award_name) for w in result.awards] == [("tier", "최우수", "최우수"),
                                                                        ("special", "spirit", "spirit")]
    assert result.decisions == () and result.unresolved_ties == ()
    assert result.combination is None and result.audience == ()


def test_empty_or_malformed_payload_reads_as_nothing():
    for payload in (None, {}, {"entries": "x", "tiers": None, "contest": [], "decisions": [1, None]}):
        result = read_payload(payload)
        assert result.entries == () and result.awards == () and result.decisions == ()
        assert result.contest.method == ""


def test_words_kept_with_their_messages_read_as_text_in_either_language(english) -> None:  # noqa: ANN001
    rule = Text(N_("순위·동점·수상 기준·진출 경계와 동점 처리의 모든 단계는 {where}로 비교합니다"),
                where=Message(N_("소수 셋째 자리에서 반올림한 소수 둘째 자리까지의 점수")))
    line = Text(N_("최종 점수 {display}점"), display="91.33")
    payload = keep_messages({**CURRENT, "contest": {**CURRENT["contest"], "rank_rule": rule, "method_text": [line]},
                             "entries": [{**CURRENT["entries"][0], "disclosure": [line, "자료"]}]})
    result = read_payload(json.loads(json.dumps(payload, ensure_ascii=False)))  # as stored
    assert result.contest.rank_rule == str(rule) and isinstance(result.contest.rank_rule, Text)
    assert result.contest.rank_rule.render(english.gettext).startswith("Ranks, ties, award thresholds")
    assert result.contest.method_text[0].render(english.gettext) == "Final score 91.33 points"
    assert result.entries[0].disclosure == (str(line), "자료")
    assert isinstance(result.entries[0].disclosure[0], Text) and not isinstance(result.entries[0].disclosure[1], Text)


def test_an_older_snapshot_keeps_its_korean_words_as_plain_text():
    result = read_payload(CURRENT)
    assert result.contest.rank_rule == "소수 둘째 자리에서 비교" and type(result.contest.rank_rule) is str
    assert all(type(line) is str for line in (*result.contest.method_text, *result.entries[0].disclosure))
