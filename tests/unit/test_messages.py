"""Refusals are data until the edge (judging/messages.py): the scoring core and the services raise a
message id with parameters, never a finished Korean sentence, so the web and the CLI can render it in
the reader's language.

The guard reads the source with ``ast``: a ``raise SomethingError(...)`` whose message is an f-string,
a Korean literal not wrapped in ``N_``, a string built with ``+`` or ``.format`` fails it. It covers every
module of the scoring core and of the services (found by globbing, so a new module is guarded too), and
judging/inputs.py and judging/security.py."""

from __future__ import annotations

import ast
import json
import pickle
from decimal import Decimal
from pathlib import Path

import pytest

from judging import scoring
from judging.messages import (
    N_,
    Message,
    Text,
    joined,
    keep_messages,
    kept_text,
    message_from_json,
    message_json,
)
from judging.services.errors import DomainError, Invalid
from tests.support.korean import HANGUL

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "judging" / "translations" / "en" / "LC_MESSAGES" / "messages.po"

SCORING = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "judging" / "scoring").glob("*.py"))
SERVICES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "judging" / "services").glob("*.py"))
CONVERTED = SCORING + SERVICES + ["judging/inputs.py", "judging/security.py"]


def _is_marked(node: ast.expr) -> bool:
    """``N_("...")`` or ``Message(...)``: a message id, not a finished text."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("N_", "Message")


def _built_text(node: ast.expr) -> str | None:
    """Why ``node`` is a finished text rather than a message id (None when it is not)."""
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and HANGUL.search(node.value):
        return "a Korean literal not wrapped in N_"
    if isinstance(node, ast.BinOp) and any(_built_text(side) or isinstance(side, ast.Constant)
                                           for side in (node.left, node.right)):
        return "a string built with + or %"
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
            and isinstance(node.func.value, ast.Constant)):
        return "a string built with .format"
    if isinstance(node, ast.IfExp):
        return _built_text(node.body) or _built_text(node.orelse)
    return None


def refusals_with_finished_text(source: str, filename: str = "<source>") -> list[str]:
    """Every ``raise X(message, ...)`` in ``source`` whose message is built text, as "file:line: why"."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args):
            continue
        message = node.exc.args[0]
        if _is_marked(message):
            continue
        why = _built_text(message)
        if why:
            found.append(f"{filename}:{node.lineno}: {why}")
    return found


def test_the_guard_catches_each_kind_of_finished_text() -> None:
    source = (
        "def f(x):\n"
        "    raise DomainError(f'{x}은(는) 없습니다')\n"
        "    raise DomainError('없습니다')\n"
        "    raise DomainError('없습니다: ' + x)\n"
        "    raise DomainError('{x} 없음'.format(x=x))\n"
        "    raise DomainError('없음' if x else '있음')\n"
        "    raise DomainError(N_('{x}은(는) 없습니다'), x=x)\n"
        "    raise DomainError(N_('없음') if x else N_('있음'))\n"
        "    raise DomainError(exc.text)\n"
        "    raise KeyError(x)\n"
    )
    assert [line.split(":")[1] for line in refusals_with_finished_text(source)] == ["2", "3", "4", "5", "6"]


@pytest.mark.parametrize("path", CONVERTED)
def test_refusals_carry_a_message_id_not_a_finished_text(path: str) -> None:
    source = (ROOT / path).read_text(encoding="utf-8")
    assert refusals_with_finished_text(source, path) == []



def test_a_core_refusal_renders_in_either_language(english) -> None:  # noqa: ANN001
    with pytest.raises(scoring.ScaleError) as refused:
        scoring.check_score("points", 20, Decimal(21))
    error = refused.value
    assert str(error) == "최대 20점을 넘습니다"  # the Korean source text, as before
    assert error.message_id == "최대 {top}점을 넘습니다"
    assert error.params == {"top": "20"}
    assert error.render(english.gettext) == "Exceeds the maximum of 20 points"


def test_a_label_passed_as_a_message_is_translated_with_the_sentence(english) -> None:  # noqa: ANN001
    with pytest.raises(scoring.SpecError) as refused:
        scoring.CriterionSpec("need", "필요성", "abc")
    assert str(refused.value) == "심사 기준 need 배점: 숫자가 아닙니다: 'abc'"
    assert refused.value.render(english.gettext) == "Criterion need maximum points: Not a number: 'abc'"


def test_a_service_passes_the_core_message_on_unchanged(english) -> None:  # noqa: ANN001
    try:
        scoring.check_score("half_points", 10, Decimal("0.3"))
    except scoring.ScaleError as exc:
        passed_on = Invalid(exc.text, field="score")
    assert passed_on.message_id == "0.5점 단위만 허용됩니다"
    assert passed_on.field == "score"
    assert passed_on.render(english.gettext) == "Only steps of 0.5 points are allowed"


def test_a_prefix_is_its_own_message_around_the_core_one(english) -> None:  # noqa: ANN001
    try:
        scoring.check_score("points", 5, Decimal(6))
    except scoring.ScaleError as exc:
        wrapped = DomainError(N_("현장평가단 설정으로 결과를 계산할 수 없습니다: {reason}"), reason=exc.text)
    assert str(wrapped) == "현장평가단 설정으로 결과를 계산할 수 없습니다: 최대 5점을 넘습니다"
    assert wrapped.render(english.gettext) == (
        "The result cannot be computed with these audience settings: Exceeds the maximum of 5 points")


def test_scale_problems_are_messages_for_the_form_that_asked() -> None:
    reason = scoring.scale_fits("points", Decimal("7.5"))
    assert isinstance(reason, Message)
    assert reason.render() == "정수 점수 척도의 최대 점수는 정수여야 합니다 (현재 7.5점)"
    [(field, problem)] = scoring.round_problems("median", 1)
    assert field == "trim" and isinstance(problem, Message)


def test_a_text_is_its_korean_string_and_renders_in_english(english) -> None:  # noqa: ANN001
    rule = scoring.rounding.rank_rule_text(1)
    assert rule == "순위·동점·수상 기준·진출 경계와 동점 처리의 모든 단계는 소수 둘째 자리에서 반올림한 소수 첫째 자리까지의 점수로 비교합니다"
    assert isinstance(rule, str) and f"[{rule}]"[1:-1] == rule
    assert rule.render(english.gettext) == (
        "Ranks, ties, award thresholds, screening cuts and every tie-break step compare the score rounded "
        "half-up to 1 decimal place")
    assert pickle.loads(pickle.dumps(rule)).render(english.gettext) == rule.render(english.gettext)
    assert json.dumps({"rule": rule}, ensure_ascii=False) == json.dumps({"rule": str(rule)}, ensure_ascii=False)


def _tied_contest() -> tuple[scoring.ContestSpec, list[tuple[str, str, str, str, Decimal]]]:
    spec = scoring.ContestSpec(
        rounds=(scoring.RoundSpec("final", "본선", (scoring.CriterionSpec("c", "성과", Decimal(10)),)),),
        judges=("j1", "j2"), entries=("a", "b", "c"),
        tiers=(scoring.TierSpec("gold", "대상", 0, count=1), scoring.TierSpec("silver", "우수상", 1, count=1)),
        tie_break=["decision"],
    )
    rows = [("final", j, e, "c", Decimal(v)) for j in ("j1", "j2") for e, v in (("a", 9), ("b", 9), ("c", 5))]
    return spec, rows


def test_a_tier_rule_and_its_tie_decision_render_in_english(english) -> None:  # noqa: ANN001
    spec, rows = _tied_contest()
    pending = scoring.compute_contest(spec, rows)
    assert pending.entry("a").tier_rule == "순위 1위 동점 2팀이 대상 남은 1자리 경계에 걸림 → 결정 대기"
    assert pending.entry("a").tier_rule.render(english.gettext) == (
        "Rank 1: 2 tied entries straddle the 1 remaining places of 대상 → awaiting a decision")
    decided = scoring.compute_contest(spec, rows, tier_decisions=[scoring.TierDecision("gold", ("a",), "회의록 3쪽")])
    assert decided.entry("a").tier_rule.render(english.gettext) == "Rank 1 tied → 대상 (tie decision: 회의록 3쪽)"
    assert decided.entry("b").tier_rule == "순위 1위 → 우수상 (정원 1) (동점 결정으로 대상에서 제외: 회의록 3쪽)"
    assert decided.entry("b").tier_rule.render(english.gettext) == (
        "Rank 1 → 우수상 (1 place(s)) (left out of 대상 by a tie decision: 회의록 3쪽)")


def test_every_explanation_line_has_an_english_rendering_without_korean_words(english) -> None:  # noqa: ANN001
    spec, rows = _tied_contest()
    result = scoring.compute_contest(spec, rows, order_decisions=[scoring.OrderDecision(("b", "a"), "회의 결과")])
    lines = result.entry("a").explanation.lines()
    assert all(isinstance(line, str) for line in lines)
    data = ("본선", "대상", "우수상", "회의 결과")  # titles and reasons people typed stay as typed
    for line in lines:
        english_line = line.render(english.gettext)
        for word in data:
            english_line = english_line.replace(word, "")
        assert not HANGUL.search(english_line), english_line


def test_a_refusal_of_a_text_keeps_its_message(english) -> None:  # noqa: ANN001
    reason = Text(N_("'{title}' 투표가 끝나 투표권을 더 발급할 수 없습니다."), title="현장평가")
    error = DomainError(reason)
    assert error.message_id == "'{title}' 투표가 끝나 투표권을 더 발급할 수 없습니다." and error.params == {"title": "현장평가"}
    assert error.render(english.gettext) == "Voting in '현장평가' has ended, so no more ballots can be issued."


def test_a_message_kept_in_json_reads_back_and_renders_the_same(english) -> None:  # noqa: ANN001
    rule = scoring.rounding.rank_rule_text(2)  # a label passed as a message, inside the sentence
    line = Text(N_("최종 점수 {display}점"), display=Decimal("91.33"))
    parts = joined([Message(N_("{entry} 없음"), {"entry": "a"}), "b 9.00"], ", ")
    for message in (rule, line, parts):
        data = json.loads(json.dumps(message_json(message), ensure_ascii=False))  # plain JSON values
        back = message_from_json(data)
        assert back is not None and back.render() == str(message)
        assert back.render(english.gettext) == message.render(english.gettext)
        assert kept_text(str(message), data).render(english.gettext) == message.render(english.gettext)
    assert kept_text("정정된 문장", message_json(rule)) == "정정된 문장"  # the stored text wins
    assert not isinstance(kept_text("정정된 문장", message_json(rule)), Text)
    assert type(kept_text("예전 문장", None)) is str and kept_text(None, None) is None

    tree = keep_messages({"rule": rule, "lines": [line, "자료"], "rows": [{"why": Message(N_("집계할 점수가 없습니다"))}],
                          "n": 3})
    assert json.loads(json.dumps(tree, ensure_ascii=False)) == {
        "rule": str(rule), "lines": [str(line), "자료"], "rows": [{"why": "집계할 점수가 없습니다",
                                                                 "messages": {"why": {"id": "집계할 점수가 없습니다",
                                                                                      "params": {}}}}],
        "n": 3,
        "messages": {"rule": message_json(rule), "lines": [message_json(line), None]},
    }
    assert message_json(line)["params"] == {"display": "91.33"}  # a number is data, kept as its text
