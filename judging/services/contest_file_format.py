"""The contest file's format (TOML): its tables and fields, and ``parse``, which checks a whole file
and raises ``ContestFileError`` listing every problem with its place
(``rounds[final].criteria[need].scale: reason``). Pure: no database. Loading a parsed file is
``contest_file.load``, writing a contest back ``contest_file_dump.dump``; the format is documented in
``docs/contest-file.md``.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from judging import scoring
from judging.inputs import CONTROL_MESSAGE, InputError, bounded_decimal, check_texts
from judging.messages import N_, Message, Refusal, joined
from judging.models import AGGREGATIONS, FINAL_MODES, SCALES
from judging.patterns import KEY_PATTERN, SLUG_PATTERN
from judging.scoring.model import parse_tie_break
from judging.services.errors import DomainError


class ContestFileError(DomainError):
    """A contest file the rules refuse. ``reasons`` lists (place, message) pairs, ``lines`` the same as
    messages ``table[key].field: reason`` (for a page or the command line) and ``problems`` the pairs
    with the reason in Korean (logs, tests)."""

    def __init__(self, reasons: list[tuple[str, Message]]) -> None:
        self.reasons = reasons
        self.lines = [Message("{place}: {reason}", {"place": place, "reason": reason}) if place else reason
                      for place, reason in reasons]
        self.problems = [(place, reason.render()) for place, reason in reasons]
        super().__init__(joined([Message(N_("공모전 파일에 문제가 있습니다.")), *self.lines], sep="\n"),
                         details={"problems": self.lines})


class _Wrong(Exception):
    """A converter's refusal of one value: ``reason`` says why."""

    def __init__(self, reason: Message) -> None:
        super().__init__(reason.render())
        self.reason = reason


def _m(message_id: str, **params: Any) -> Message:
    return Message(message_id, params)


def _reason(error: Exception) -> Message:
    """The message of a refusal from elsewhere (the scoring core, the input checks)."""
    return error.text if isinstance(error, Refusal) else Message(str(error))


# ---------------------------------------------------------------------------------------------
# Field specifications: name -> (converter, required, default)

Converter = Callable[[Any], Any]
#: A table's fields: name -> (converter, default); no converter: the value is checked by the caller.
Spec = dict[str, tuple[Converter | None, Any]]

#: The input checks' refusals of a number, said of a value in the file (without naming the field twice).
_NUMBER_REASONS: dict[str, Callable[[Any], Message]] = {
    N_("{what}은(는) 숫자여야 합니다."): lambda params: _m(N_("숫자여야 합니다")),
    N_("{what}이(가) 너무 큽니다 ({limit} 이하)."): lambda params: _m(N_("너무 큽니다 ({limit} 이하)"),
                                                                  limit=params.get("limit")),
    N_("{what}은(는) 소수 {places}자리까지만 쓸 수 있습니다."): lambda params: _m(
        N_("소수 {places}자리까지만 쓸 수 있습니다"), places=params.get("places")),
}


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise _Wrong(_m(N_("문자열이어야 합니다")))
    return value.strip()


def _key(value: Any) -> str:
    text = _str(value)
    if not KEY_PATTERN.match(text):
        raise _Wrong(_m(N_("키는 영문 소문자·숫자·-·_ 로 1~40자여야 합니다")))
    return text


def _slug(value: Any) -> str:
    text = _str(value)
    if not SLUG_PATTERN.match(text):
        raise _Wrong(_m(N_("slug는 영문 소문자·숫자·- 로 1~80자여야 합니다")))
    return text


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Wrong(_m(N_("정수여야 합니다")))
    return value


def _non_negative_int(value: Any) -> int:
    number = _int(value)
    if number < 0:
        raise _Wrong(_m(N_("0 이상이어야 합니다")))
    return number


def _positive_int(value: Any) -> int:
    number = _int(value)
    if number <= 0:
        raise _Wrong(_m(N_("1 이상이어야 합니다")))
    return number


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Wrong(_m(N_("숫자여야 합니다")))
    # TOML floats are what the organizer typed; str() gives back the shortest literal.
    try:
        return bounded_decimal(value if isinstance(value, int) else str(value), Message(N_("값")))
    except InputError as error:
        raise _Wrong(_NUMBER_REASONS[error.message_id](error.params) if error.message_id in _NUMBER_REASONS
                     else error.text) from None


def _non_negative_decimal(value: Any) -> Decimal:
    number = _decimal(value)
    if number < 0:
        raise _Wrong(_m(N_("0 이상이어야 합니다")))
    return number


def _positive_decimal(value: Any) -> Decimal:
    number = _decimal(value)
    if number <= 0:
        raise _Wrong(_m(N_("0보다 커야 합니다")))
    return number


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise _Wrong(_m(N_("날짜(예: 2024-12-04)여야 합니다")))
    return value


def _datetime(value: Any) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise _Wrong(_m(N_("날짜와 시각(예: 2024-11-20T18:00:00)이어야 합니다")))
    return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(dt.UTC).replace(tzinfo=None)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Wrong(_m(N_("true 또는 false여야 합니다")))
    return value


def _str_list(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Wrong(_m(N_("문자열 목록이어야 합니다")))
    return [v.strip() for v in value]


def _key_list(value: Any) -> list[str]:
    items = _str_list(value)
    for item in items:
        if not KEY_PATTERN.match(item):
            raise _Wrong(_m(N_("'{key}'은(는) 올바른 키가 아닙니다"), key=item))
    return items


def _one_of(options: tuple[str, ...]) -> Converter:
    def convert(value: Any) -> str:
        text = _str(value)
        if text not in options:
            raise _Wrong(_m(N_("다음 중 하나여야 합니다: {options}"), options=", ".join(options)))
        return text

    return convert


def _rank_precision(value: Any) -> str:
    """[contest] rank_precision: 0-4 or "exact", stored as text ("2", "exact")."""
    try:
        return scoring.rounding.rank_precision_text(scoring.rounding.parse_rank_precision(value))
    except ValueError as exc:
        raise _Wrong(_reason(exc)) from None


REQUIRED = object()
NO_ENTRANT = N_("'{key}'은(는) entrants에 없는 참가자입니다")

CONTEST_FIELDS: Spec = {
    "slug": (_slug, REQUIRED),
    "title": (_str, REQUIRED),
    "organizer": (_str, REQUIRED),
    "issuer": (_str, REQUIRED),
    "issuer_name": (_str, ""),
    "held_on": (_date, REQUIRED),
    "venue": (_str, ""),
    "tie_break": (_str_list, []),
    "final": (_one_of(FINAL_MODES), "last"),
    "submission_deadline": (_datetime, None),
    "certificate_body": (_str, ""),
    "certificate_year": (_positive_int, None),
    "public_scores": (_bool, False),
    "ceremony_order": (_key_list, []),
    "review_notes": (_str, ""),
    "weight_margin": (_non_negative_decimal, Decimal(10)),
    "rank_precision": (_rank_precision, str(scoring.rounding.DEFAULT_RANK_PRECISION)),
}
#: A round is scored by the judges (the default) or by the audience panel (현장평가단).
ROUND_KINDS = ("judges", "audience")
ROUND_FIELDS: Spec = {
    "key": (_key, REQUIRED),
    "title": (_str, REQUIRED),
    "weight": (_non_negative_decimal, Decimal(1)),
    "aggregation": (_one_of(AGGREGATIONS), "mean"),
    "trim": (_non_negative_int, 0),
    "advance": (_positive_int, None),
    "criteria": (None, REQUIRED),
    "entries": (_key_list, []),
    "kind": (_one_of(ROUND_KINDS), "judges"),
}
AUDIENCE_FIELDS: Spec = {
    "key": (_key, REQUIRED),
    "title": (_str, REQUIRED),
    "kind": (_one_of(ROUND_KINDS), REQUIRED),
    "weight": (_positive_decimal, Decimal(1)),
    "max": (_positive_decimal, Decimal(100)),
    "entries": (_key_list, []),
}
CRITERION_FIELDS: Spec = {
    "key": (_key, REQUIRED),
    "title": (_str, REQUIRED),
    "max": (_positive_decimal, REQUIRED),
    "scale": (_one_of(SCALES), REQUIRED),
    "weight": (_positive_decimal, Decimal(1)),
    "guidance": (_str, ""),
}
TIER_FIELDS: Spec = {
    "key": (_key, REQUIRED),
    "title": (_str, REQUIRED),
    "award": (_str, ""),
    "count": (_positive_int, None),
    "threshold": (_non_negative_decimal, None),
}
SPECIAL_FIELDS: Spec = {
    "key": (_key, REQUIRED),
    "title": (_str, REQUIRED),
    "award": (_str, ""),
}
ENTRANT_FIELDS: Spec = {
    "key": (_key, REQUIRED),
    "name": (_str, REQUIRED),
    "district": (_str, ""),
    "contact_name": (_str, ""),
    "contact_email": (_str, ""),
    "title": (_str, ""),
    "summary": (_str, ""),
}
JUDGE_FIELDS: Spec = {
    "key": (_key, REQUIRED),
    "name": (_str, REQUIRED),
    "affiliation": (_str, ""),
    "email": (_str, ""),
}
CONFLICT_FIELDS: Spec = {
    "judge": (_key, REQUIRED),
    "entry": (_key, REQUIRED),
    "reason": (_str, REQUIRED),
}
TOP_LEVEL = ("contest", "rounds", "tiers", "special_awards", "entrants", "judges", "conflicts")


@dataclass
class ContestFile:
    """A validated contest file: plain values only."""

    contest: dict[str, Any]
    rounds: list[dict[str, Any]] = field(default_factory=list)
    tiers: list[dict[str, Any]] = field(default_factory=list)
    special_awards: list[dict[str, Any]] = field(default_factory=list)
    entrants: list[dict[str, Any]] = field(default_factory=list)
    judges: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    audience: list[dict[str, Any]] = field(default_factory=list)


class _Problems:
    def __init__(self) -> None:
        self.items: list[tuple[str, Message]] = []

    def add(self, place: str, message: Message) -> None:
        self.items.append((place, message))


def _table(raw: Any, spec: Spec, place: str, problems: _Problems) -> dict[str, Any]:
    if not isinstance(raw, dict):
        problems.add(place, _m(N_("표(table)여야 합니다")))
        return {}
    out: dict[str, Any] = {}
    for name in raw:
        if name not in spec:
            problems.add(f"{place}.{name}", _m(N_("알 수 없는 항목입니다 (가능한 항목: {names})"), names=", ".join(spec)))
    for name, (convert, default) in spec.items():
        if name not in raw:
            if default is REQUIRED:
                problems.add(f"{place}.{name}", _m(N_("필수 항목이 없습니다")))
            else:
                out[name] = list(default) if isinstance(default, list) else default
            continue
        if convert is None:
            out[name] = raw[name]
            continue
        try:
            value = convert(raw[name])
        except _Wrong as exc:
            problems.add(f"{place}.{name}", _m(N_("{reason} (값: {value})"), reason=exc.reason, value=_show(raw[name])))
            continue
        if default is REQUIRED and value == "":
            problems.add(f"{place}.{name}", _m(N_("비어 있으면 안 됩니다")))
        out[name] = value
    return out


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _array(raw: dict, name: str, problems: _Problems) -> list[Any]:
    value = raw.get(name, [])
    if not isinstance(value, list):
        problems.add(name, _m(N_("[[{name}]] 표의 배열이어야 합니다"), name=name))
        return []
    return value


def _label(index: int, item: Any, key: str = "key") -> str:
    if isinstance(item, dict) and isinstance(item.get(key), str) and item.get(key):
        return item[key]
    return f"#{index + 1}"


def _unique(items: list[dict[str, Any]], place: str, problems: _Problems, key: str = "key") -> set[str]:
    seen: set[str] = set()
    for item in items:
        value = item.get(key)
        if value is None:
            continue
        if value in seen:
            problems.add(f"{place}[{value}].{key}", _m(N_("키 '{key}'가 중복되었습니다"), key=value))
        seen.add(value)
    return seen


def parse(text: str) -> ContestFile:
    """Parse and validate contest-file text. Raises ``ContestFileError`` naming every problem."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContestFileError([("TOML", _m(N_("문법 오류: {error}"), error=str(exc)))]) from None
    except RecursionError:
        raise ContestFileError([("TOML", _m(N_("문법 오류: 배열이나 표가 너무 깊게 중첩되었습니다")))]) from None
    try:
        check_texts(raw)
    except InputError:
        raise ContestFileError([("TOML", _m(CONTROL_MESSAGE))]) from None
    problems = _Problems()
    for name in raw:
        if name not in TOP_LEVEL:
            problems.add(name, _m(N_("알 수 없는 항목입니다 (가능한 항목: {names})"), names=", ".join(TOP_LEVEL)))
    if "contest" not in raw:
        problems.add("contest", _m(N_("[contest] 표가 없습니다")))
    contest = _table(raw.get("contest", {}), CONTEST_FIELDS, "contest", problems)

    rounds = []
    audience = []
    for i, item in enumerate(_array(raw, "rounds", problems)):
        place = f"rounds[{_label(i, item)}]"
        if isinstance(item, dict) and item.get("kind") == "audience":
            audience.append(_table(item, AUDIENCE_FIELDS, place, problems))
            continue
        data = _table(item, ROUND_FIELDS, place, problems)
        criteria_raw = data.get("criteria")
        criteria = []
        if criteria_raw is not None:
            if not isinstance(criteria_raw, list) or not criteria_raw:
                problems.add(f"{place}.criteria", _m(N_("심사 기준이 하나 이상 있어야 합니다")))
            else:
                for j, c in enumerate(criteria_raw):
                    cplace = f"{place}.criteria[{_label(j, c)}]"
                    crit = _table(c, CRITERION_FIELDS, cplace, problems)
                    if "scale" in crit and "max" in crit:
                        # what the scoring core cannot score (its own rule, asked here where it is entered)
                        for field, reason in scoring.criterion_problems(crit["scale"], crit["max"],
                                                                        crit.get("weight", 1)):
                            if field == "scale":
                                reason = _m(N_("척도 '{scale}'가 최대 점수에 맞지 않습니다: {reason}"),
                                            scale=crit["scale"], reason=reason)
                            problems.add(f"{cplace}.{field}", reason)
                    criteria.append(crit)
                _unique(criteria, f"{place}.criteria", problems)
        data["criteria"] = criteria
        if "aggregation" in data and "trim" in data:
            # a round weight only counts in a weighted final (elsewhere 0 is allowed and unused)
            weight = data.get("weight", 1) if contest.get("final") == "weighted" else 1
            for field, reason in scoring.round_problems(data["aggregation"], data["trim"], data.get("advance"),
                                                        weight):
                if field == "weight":
                    reason = _m(N_("{reason} (가중 합산(final = \"weighted\")에서는 모든 라운드가 점수에 들어갑니다)"),
                                reason=reason)
                problems.add(f"{place}.{field}", reason)
        rounds.append(data)
    if not rounds and "rounds" not in [p for p, _ in problems.items]:
        problems.add("rounds", _m(N_("심사 라운드가 하나 이상 있어야 합니다")))
    _unique(rounds + audience, "rounds", problems)

    def tables(name: str, spec: Spec, key: str = "key") -> list[dict[str, Any]]:
        out = [
            _table(item, spec, f"{name}[{_label(i, item, key)}]", problems)
            for i, item in enumerate(_array(raw, name, problems))
        ]
        if key == "key":
            _unique(out, name, problems)
        return out

    tiers = tables("tiers", TIER_FIELDS)
    specials = tables("special_awards", SPECIAL_FIELDS)
    entrants = tables("entrants", ENTRANT_FIELDS)
    judges = tables("judges", JUDGE_FIELDS)
    conflicts = [
        _table(item, CONFLICT_FIELDS, f"conflicts[#{i + 1}]", problems)
        for i, item in enumerate(_array(raw, "conflicts", problems))
    ]

    # Cross references.
    for tier in tiers:
        place = f"tiers[{tier.get('key')}]"
        if tier.get("key") == "pending":
            problems.add(f"{place}.key", _m(N_("'pending'은 예약된 키라 쓸 수 없습니다")))
        if (tier.get("count") is None) == (tier.get("threshold") is None):
            problems.add(place, _m(N_("count(정원)와 threshold(기준 점수) 중 정확히 하나를 정해야 합니다")))
        if not tier.get("award") and tier.get("title"):
            tier["award"] = tier["title"] + "상"
    for special in specials:
        if not special.get("award") and special.get("title"):
            special["award"] = special["title"]
    award_keys = [t.get("key") for t in tiers] + [s.get("key") for s in specials]
    for key in {k for k in award_keys if k and award_keys.count(k) > 1}:
        problems.add(f"special_awards[{key}].key", _m(N_("키 '{key}'가 상 등급(tiers)과 겹칩니다"), key=key))
    entrant_keys = {e["key"] for e in entrants if "key" in e}
    judge_keys = {j["key"] for j in judges if "key" in j}
    round_keys = {r["key"] for r in rounds if "key" in r}
    for r in rounds:
        seen: set[str] = set()
        for key in r.get("entries", []):
            if key not in entrant_keys:
                problems.add(f"rounds[{r.get('key')}].entries", _m(NO_ENTRANT, key=key))
            if key in seen:
                problems.add(f"rounds[{r.get('key')}].entries", _m(N_("'{key}'가 두 번 들어 있습니다"), key=key))
            seen.add(key)
        if r.get("advance") is not None and r is rounds[-1]:
            problems.add(f"rounds[{r.get('key')}].advance", _m(N_("마지막 라운드에는 진출 인원(advance)을 둘 수 없습니다")))
    for a in audience:
        place = f"rounds[{a.get('key')}]"
        for key in a.get("entries", []):
            if key not in entrant_keys:
                problems.add(f"{place}.entries", _m(NO_ENTRANT, key=key))
        if len(set(a.get("entries", []))) != len(a.get("entries", [])):
            problems.add(f"{place}.entries", _m(N_("같은 참가자가 두 번 들어 있습니다")))
        if contest.get("final") != "weighted":
            problems.add(f"{place}.kind", _m(N_("현장평가단 라운드는 최종 점수를 가중 합산할 때만 쓸 수 있습니다 "
                                             "([contest] final = \"weighted\")")))
    seen_pairs: set[tuple[str, str]] = set()
    for i, c in enumerate(conflicts):
        place = f"conflicts[#{i + 1}]"
        if c.get("judge") and c["judge"] not in judge_keys:
            problems.add(f"{place}.judge", _m(N_("'{key}'은(는) judges에 없는 심사위원입니다"), key=c["judge"]))
        if c.get("entry") and c["entry"] not in entrant_keys:
            problems.add(f"{place}.entry", _m(NO_ENTRANT, key=c["entry"]))
        pair = (c.get("judge", ""), c.get("entry", ""))
        if pair in seen_pairs:
            problems.add(place, _m(N_("심사위원 '{judge}'와 '{entry}'의 이해충돌이 중복되었습니다"), judge=pair[0], entry=pair[1]))
        seen_pairs.add(pair)
    tie_break = contest.get("tie_break", [])
    try:
        steps = parse_tie_break(tie_break)
    except ValueError as exc:
        problems.add("contest.tie_break", _reason(exc))
        steps = ()
    criterion_keys = {c["key"] for r in rounds for c in r.get("criteria", []) if "key" in c}
    for step in steps:
        kind, ref = str(step.kind), step.key
        if kind == "round" and ref not in round_keys:
            problems.add("contest.tie_break", _m(N_("'round:{key}'의 라운드 '{key}'가 없습니다"), key=ref))
        if kind == "criterion" and ref not in criterion_keys:
            problems.add("contest.tie_break", _m(N_("'criterion:{key}'의 심사 기준 '{key}'가 없습니다"), key=ref))
    for key in contest.get("ceremony_order", []):
        if key not in award_keys:
            problems.add("contest.ceremony_order", _m(N_("'{key}'은(는) tiers나 special_awards에 없는 상입니다"), key=key))
    if contest.get("final") == "weighted" and rounds and all(r.get("weight", 1) == 0 for r in rounds):
        problems.add("contest.final", _m(N_("가중 합산(weighted)에는 가중치가 0보다 큰 라운드가 있어야 합니다")))
    if problems.items:
        raise ContestFileError(problems.items)
    return ContestFile(contest, rounds, tiers, specials, entrants, judges, conflicts, audience)
