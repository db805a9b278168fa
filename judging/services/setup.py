"""Contest set-up in the browser: the contest, rounds, criteria and scales, tiers, special awards,
the tie-break cascade. The status steps live in ``lifecycle``.

Once judging has started (status ``judging`` or later, or any score entered) nothing may change that
would alter a score, an aggregate or a rank: scales, maxima, weights, aggregation and trimming,
rounds and criteria themselves, tier places and the tie-break cascade. Titles, guidance and the
certificate wording stay editable. Every refusal says why; every change is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import orm

from judging import scoring
from judging.inputs import bounded_decimal
from judging.messages import N_, Message, Refusal, joined
from judging.models import (
    AGGREGATIONS,
    FINAL_MODES,
    SCALES,
    AwardTier,
    Contest,
    Criterion,
    Decision,
    Entrant,
    Entry,
    Organization,
    Round,
    RoundEntry,
    Score,
    SpecialAward,
    User,
)
from judging.patterns import KEY_PATTERN, SLUG_PATTERN
from judging.scoring.errors import ScoringError
from judging.scoring.model import CriterionSpec, TierSpec, parse_tie_break
from judging.services import audit, organizations
from judging.services.errors import DomainError, NotFound

T = TypeVar("T")

SCORING_STARTED = ("judging", "locked", "published")


# ---------------------------------------------------------------------------------------------
# Guards


def _refusal_text(exc: Exception) -> Message:
    """A core error's message (its id and parameters when it carries them)."""
    return exc.text if isinstance(exc, Refusal) else Message(str(exc))


def has_scores(session: orm.Session, contest: Contest) -> bool:
    """Whether any judge has entered a score in the contest."""
    return bool(session.scalar(
        sa.select(sa.func.count()).select_from(Score).join(Entry, Entry.id == Score.entry_id)
        .where(Entry.contest_id == contest.id, Score.value.is_not(None))
    ))


def scoring_started(session: orm.Session, contest: Contest) -> bool:
    return contest.status in SCORING_STARTED or has_scores(session, contest)


def frozen_reason(session: orm.Session, contest: Contest) -> Message | None:
    """Why score-affecting settings are frozen now, or None when they can still change."""
    if contest.status in SCORING_STARTED:
        return Message(N_("심사가 시작된 공모전입니다"))
    if has_scores(session, contest):
        return Message(N_("이미 입력된 점수가 있습니다"))
    return None


def _name(what: str | Message) -> Message:
    """A setting's name (a message id marked where it is written) as a message parameter."""
    return what if isinstance(what, Message) else Message(what)


def _guard(session: orm.Session, contest: Contest, what: str | Message) -> None:
    reason = frozen_reason(session, contest)
    if reason:
        raise DomainError(N_("{reason}. 지금 {what}을(를) 바꾸면 이미 매긴 점수나 순위가 달라지므로 바꿀 수 없습니다."),
                          reason=reason, what=_name(what))


def _guard_published(contest: Contest, what: str) -> None:
    if contest.status == "published":
        raise DomainError(N_("결과가 공개된 공모전은 {what}을(를) 바꿀 수 없습니다."), what=_name(what))


def _key(value: str, what: str) -> str:
    key = (value or "").strip()
    if not KEY_PATTERN.match(key):
        raise DomainError(N_("{what} 키는 영문 소문자·숫자·-·_ 로 1~40자여야 합니다 (예: need, final-1)."),
                          what=_name(what), field="key")
    return key


def _text(value: str | None, what: str, limit: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(N_("{what}을(를) 입력해 주세요."), what=_name(what))
    if len(text) > limit:
        raise DomainError(N_("{what}은(는) {limit}자 이내여야 합니다."), what=_name(what), limit=limit)
    return text


def _decimal(value: Any, what: str) -> Decimal:
    return bounded_decimal(value, _name(what))


def _snapshot(obj: object, names: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for name in names:
        value = getattr(obj, name)
        out[name] = str(value) if isinstance(value, Decimal | dt.date | dt.datetime) else value
    return out


# ---------------------------------------------------------------------------------------------
# Contest

CONTEST_TEXT_FIELDS = {
    "title": (N_("공모전 이름"), 200, True),
    "organizer": (N_("주최"), 120, True),
    "issuer": (N_("상장 발급자(직함)"), 120, True),
    "issuer_name": (N_("발급자 이름"), 80, False),
    "venue": (N_("장소"), 200, False),
    "certificate_body": (N_("상장 본문"), 2000, False),
    "review_notes": (N_("심사평"), 5000, False),
}


def create_contest(session: orm.Session, *, slug: str, title: str, organizer: str, issuer: str,
                   held_on: dt.date, issuer_name: str = "", venue: str = "", actor: User | None = None,
                   organization: Organization | None = None) -> Contest:
    """Create an empty draft contest of ``organization`` (default: the actor's, else the only one).
    Raises ``DomainError`` for a bad or taken slug."""
    slug = (slug or "").strip().lower()
    if not SLUG_PATTERN.match(slug):
        raise DomainError(N_("주소 이름(slug)은 영문 소문자·숫자·- 로 1~80자여야 합니다 (예: goyang-2025)."), field="slug")
    if session.scalar(sa.select(Contest.id).where(Contest.slug == slug)) is not None:
        raise DomainError(N_("주소 이름 '{slug}'은(는) 이미 쓰이고 있습니다."), slug=slug, field="slug")
    if not isinstance(held_on, dt.date):
        raise DomainError(N_("개최일을 입력해 주세요."), field="held_on")
    if organization is None:
        organization = (actor.organization if actor is not None else None) or \
            organizations.sole_organization(session)
    contest = Contest(
        organization_id=organization.id,
        slug=slug,
        title=_text(title, N_("공모전 이름"), 200),
        organizer=_text(organizer, N_("주최"), 120),
        issuer=_text(issuer, N_("상장 발급자(직함)"), 120),
        issuer_name=_text(issuer_name, N_("발급자 이름"), 80, required=False),
        venue=_text(venue, N_("장소"), 200, required=False),
        held_on=held_on,
        certificate_year=held_on.year,
        tie_break=[],
        ceremony_order=[],
    )
    session.add(contest)
    session.flush()
    audit.record(session, "contest.create", actor=actor, contest_id=contest.id, target_type="contest",
                 target_id=slug, after={"title": contest.title})
    return contest


def update_contest(session: orm.Session, contest: Contest, *, actor: User | None = None, **changes: Any) -> None:
    """Change the contest's own fields. ``final_mode`` is frozen once judging started."""
    names = tuple(changes)
    before = _snapshot(contest, names)
    for name, value in changes.items():
        if name in CONTEST_TEXT_FIELDS:
            label, limit, required = CONTEST_TEXT_FIELDS[name]
            setattr(contest, name, _text(value, label, limit, required))
        elif name == "held_on":
            if not isinstance(value, dt.date):
                raise DomainError(N_("개최일을 입력해 주세요."), field="held_on")
            contest.held_on = value
        elif name == "certificate_year":
            if value is not None and not (1900 < int(value) < 3000):
                raise DomainError(N_("상장 연도가 올바르지 않습니다."), field="certificate_year")
            contest.certificate_year = value
        elif name == "rank_precision":
            try:
                text = scoring.rounding.rank_precision_text(scoring.rounding.parse_rank_precision(value))
            except ValueError as exc:
                raise DomainError(_refusal_text(exc), field="rank_precision") from None
            if text != contest.rank_precision:
                _guard(session, contest, N_("순위 비교 자릿수"))
            contest.rank_precision = text
        elif name == "public_scores":
            contest.public_scores = bool(value)
        elif name == "final_mode":
            if value not in FINAL_MODES:
                raise DomainError(N_("최종 순위 방식이 올바르지 않습니다."), field="final_mode")
            if value != contest.final_mode:
                _guard(session, contest, N_("최종 순위 방식"))
                if value != "weighted" and contest.audience_rounds:
                    raise DomainError(N_("현장평가단 라운드가 있어 최종 점수는 가중 합산이어야 합니다. "
                                         "먼저 현장평가단 라운드를 지워 주세요."), field="final_mode")
            contest.final_mode = value
        else:
            raise DomainError(N_("바꿀 수 없는 항목입니다: {name}"), name=name)
    session.flush()
    after = _snapshot(contest, names)
    if before != after:
        audit.record(session, "contest.update", actor=actor, contest_id=contest.id, target_type="contest",
                     target_id=contest.slug, before=before, after=after)


def set_tie_break(session: orm.Session, contest: Contest, steps: list[str], *, actor: User | None = None) -> None:
    """Set the announced tie-break cascade (validated against the contest's rounds and criteria)."""
    steps = [s.strip() for s in steps if s and s.strip()]
    if steps == list(contest.tie_break or []):
        return
    _guard(session, contest, N_("동점 처리 순서"))
    try:
        parsed = parse_tie_break(steps)
    except ScoringError as exc:
        raise DomainError(exc.text, field="tie_break") from None
    rounds = {r.key for r in contest.rounds}
    criteria = {c.key for r in contest.rounds for c in r.criteria}
    for step in parsed:
        if str(step.kind) == "round" and step.key not in rounds:
            raise DomainError(N_("동점 처리 단계 'round:{key}'의 라운드가 없습니다."), key=step.key, field="tie_break")
        if str(step.kind) == "criterion" and step.key not in criteria:
            raise DomainError(N_("동점 처리 단계 'criterion:{key}'의 심사 기준이 없습니다."), key=step.key,
                              field="tie_break")
    before = list(contest.tie_break or [])
    contest.tie_break = [s.label for s in parsed]
    session.flush()
    audit.record(session, "contest.tie_break", actor=actor, contest_id=contest.id, target_type="contest",
                 target_id=contest.slug, before={"tie_break": before}, after={"tie_break": contest.tie_break})


# ---------------------------------------------------------------------------------------------
# Rounds and criteria


def _round_fields(aggregation: str, trim: int, weight: Any, advance: int | None) -> tuple[str, int, Decimal, int | None]:
    """The round's settings, or ``DomainError`` naming the field the scoring core could not run
    (``scoring.round_problems``: the same rule the contest file and the core apply)."""
    if aggregation not in AGGREGATIONS:
        raise DomainError(N_("집계 방식이 올바르지 않습니다."), field="aggregation")
    trim = int(trim or 0)
    weight_value = _decimal(weight if weight not in (None, "") else 1, N_("라운드 가중치"))
    advance = None if advance is None else int(advance)
    for field_name, reason in scoring.round_problems(aggregation, trim, advance, weight_value)[:1]:
        raise DomainError(N_("{reason}."), reason=reason, field=field_name)
    return aggregation, trim, weight_value, advance


def add_round(session: orm.Session, contest: Contest, *, key: str, title: str, aggregation: str = "mean",
              trim: int = 0, weight: Any = 1, advance: int | None = None, actor: User | None = None) -> Round:
    """Add a round at the end. New rounds change how entries are scored: frozen once judging started."""
    _guard(session, contest, N_("라운드 구성"))
    key = _key(key, N_("라운드"))
    if any(r.key == key for r in contest.rounds) or any(a.key == key for a in contest.audience_rounds):
        raise DomainError(N_("라운드 키 '{key}'가 이미 있습니다."), key=key, field="key")
    aggregation, trim, weight_value, advance = _round_fields(aggregation, trim, weight, advance)
    position = max((r.position for r in contest.rounds), default=0) + 1
    rnd = Round(key=key, title=_text(title, N_("라운드 이름"), 120), position=position, weight=weight_value,
                aggregation=aggregation, trim=trim, advance=advance, status="pending")
    contest.rounds.append(rnd)
    session.flush()
    audit.record(session, "round.add", actor=actor, contest_id=contest.id, target_type="round", target_id=key,
                 after=_snapshot(rnd, ROUND_AUDIT))
    return rnd


ROUND_AUDIT = ("key", "title", "weight", "aggregation", "trim", "advance")


def update_round(session: orm.Session, rnd: Round, *, title: str, aggregation: str, trim: int, weight: Any,
                 advance: int | None, actor: User | None = None) -> None:
    """Edit a round. The title may always change; the method, trimming, weight and advance count are
    frozen once judging started (they change the aggregates)."""
    contest = rnd.contest
    before = _snapshot(rnd, ROUND_AUDIT)
    aggregation, trim, weight_value, advance = _round_fields(aggregation, trim, weight, advance)
    changed = [label for label, old, new in (
        (N_("집계 방식"), rnd.aggregation, aggregation), (N_("제외 개수"), rnd.trim, trim),
        (N_("라운드 가중치"), Decimal(rnd.weight), weight_value), (N_("진출 수"), rnd.advance, advance),
    ) if old != new]
    if changed:
        _guard(session, contest, joined((Message(label) for label in changed), "·"))
    rnd.title = _text(title, N_("라운드 이름"), 120)
    rnd.aggregation, rnd.trim, rnd.weight, rnd.advance = aggregation, trim, weight_value, advance
    session.flush()
    after = _snapshot(rnd, ROUND_AUDIT)
    if before != after:
        audit.record(session, "round.update", actor=actor, contest_id=contest.id, target_type="round",
                     target_id=rnd.key, before=before, after=after)


def delete_round(session: orm.Session, rnd: Round, *, actor: User | None = None) -> None:
    contest = rnd.contest
    _guard(session, contest, N_("라운드 구성"))
    for step in contest.tie_break or []:
        if step == f"round:{rnd.key}" or any(step == f"criterion:{c.key}" for c in rnd.criteria):
            raise DomainError(N_("동점 처리 순서가 이 라운드('{step}')를 쓰고 있습니다. 먼저 동점 처리 순서에서 빼 주세요."),
                              step=step)
    before = _snapshot(rnd, ROUND_AUDIT)
    contest.rounds.remove(rnd)
    session.flush()
    _renumber(contest.rounds)
    audit.record(session, "round.delete", actor=actor, contest_id=contest.id, target_type="round",
                 target_id=before["key"], before=before)


def _renumber(items: list) -> None:
    """Close gaps in ``position`` without tripping the (parent, position) unique constraint."""
    session = orm.object_session(items[0]) if items else None
    if session is None:
        return
    ordered = sorted(items, key=lambda x: x.position)
    for offset, item in enumerate(ordered, start=1):
        item.position = 100000 + offset
    session.flush()
    for offset, item in enumerate(ordered, start=1):
        item.position = offset
    session.flush()


CRITERION_AUDIT = ("key", "title", "max_points", "scale", "weight", "guidance")


def _criterion_fields(key: str, title: str, max_points: Any, scale: str, weight: Any) -> tuple[Decimal, str, Decimal]:
    if scale not in SCALES:
        raise DomainError(N_("채점 척도가 올바르지 않습니다."), field="scale")
    top = _decimal(max_points, N_("배점"))
    weight_value = _decimal(weight if weight not in (None, "") else 1, N_("기준 가중치"))
    try:
        CriterionSpec(key, title, top, scoring.Scale(scale), weight_value)
    except ScoringError as exc:
        raise DomainError(exc.text, field="max_points") from None
    return top, scale, weight_value


def add_criterion(session: orm.Session, rnd: Round, *, key: str, title: str, max_points: Any, scale: str,
                  weight: Any = 1, guidance: str = "", actor: User | None = None) -> Criterion:
    contest = rnd.contest
    _guard(session, contest, N_("심사 기준"))
    key = _key(key, N_("심사 기준"))
    if any(c.key == key for r in contest.rounds for c in r.criteria if r.id == rnd.id):
        raise DomainError(N_("이 라운드에 심사 기준 키 '{key}'가 이미 있습니다."), key=key, field="key")
    title = _text(title, N_("심사 기준 이름"), 120)
    top, scale, weight_value = _criterion_fields(key, title, max_points, scale, weight)
    position = max((c.position for c in rnd.criteria), default=0) + 1
    criterion = Criterion(key=key, title=title, max_points=top, scale=scale, weight=weight_value,
                          position=position, guidance=_text(guidance, N_("채점 안내"), 2000, required=False))
    rnd.criteria.append(criterion)
    session.flush()
    audit.record(session, "criterion.add", actor=actor, contest_id=contest.id, target_type="criterion",
                 target_id=f"{rnd.key}:{key}", after=_snapshot(criterion, CRITERION_AUDIT))
    return criterion


def update_criterion(session: orm.Session, criterion: Criterion, *, title: str, max_points: Any, scale: str,
                     weight: Any = 1, guidance: str = "", actor: User | None = None) -> None:
    """Edit a criterion. Its name and guidance may always change; its maximum, scale and weight are
    frozen once judging started."""
    rnd = criterion.round
    contest = rnd.contest
    before = _snapshot(criterion, CRITERION_AUDIT)
    title = _text(title, N_("심사 기준 이름"), 120)
    top, scale, weight_value = _criterion_fields(criterion.key, title, max_points, scale, weight)
    changed = [label for label, old, new in (
        (N_("배점"), Decimal(criterion.max_points), top), (N_("채점 척도"), criterion.scale, scale),
        (N_("기준 가중치"), Decimal(criterion.weight), weight_value),
    ) if old != new]
    if changed:
        _guard(session, contest, joined((Message(label) for label in changed), "·"))
    criterion.title, criterion.max_points, criterion.scale, criterion.weight = title, top, scale, weight_value
    criterion.guidance = _text(guidance, N_("채점 안내"), 2000, required=False)
    session.flush()
    after = _snapshot(criterion, CRITERION_AUDIT)
    if before != after:
        audit.record(session, "criterion.update", actor=actor, contest_id=contest.id, target_type="criterion",
                     target_id=f"{rnd.key}:{criterion.key}", before=before, after=after)


def delete_criterion(session: orm.Session, criterion: Criterion, *, actor: User | None = None) -> None:
    rnd = criterion.round
    contest = rnd.contest
    _guard(session, contest, N_("심사 기준"))
    if f"criterion:{criterion.key}" in (contest.tie_break or []):
        raise DomainError(N_("동점 처리 순서가 이 기준('criterion:{key}')을 쓰고 있습니다. "
                             "먼저 동점 처리 순서에서 빼 주세요."), key=criterion.key)
    before = _snapshot(criterion, CRITERION_AUDIT)
    rnd.criteria.remove(criterion)
    session.flush()
    _renumber(rnd.criteria)
    audit.record(session, "criterion.delete", actor=actor, contest_id=contest.id, target_type="criterion",
                 target_id=f"{rnd.key}:{before['key']}", before=before)


# ---------------------------------------------------------------------------------------------
# Tiers and special awards

TIER_AUDIT = ("key", "title", "award_name", "count", "threshold")


def _tier_fields(key: str, title: str, count: Any, threshold: Any) -> tuple[int | None, Decimal | None]:
    count_value = None if count in (None, "") else int(count)
    threshold_value = None if threshold in (None, "") else _decimal(threshold, N_("기준 점수"))
    if (count_value is None) == (threshold_value is None):
        raise DomainError(N_("정원과 기준 점수 중 정확히 하나만 정해 주세요."), field="count")
    try:
        TierSpec(key, title, 0, count_value, threshold_value)
    except ScoringError as exc:
        raise DomainError(exc.text, field="count") from None
    if threshold_value is not None and threshold_value < 0:
        raise DomainError(N_("기준 점수는 0 이상이어야 합니다."), field="threshold")
    return count_value, threshold_value


def add_tier(session: orm.Session, contest: Contest, *, key: str, title: str, award_name: str = "",
             count: Any = None, threshold: Any = None, actor: User | None = None) -> AwardTier:
    _guard(session, contest, N_("상 등급"))
    key = _key(key, N_("상 등급"))
    if key == "pending":
        raise DomainError(N_("'pending'은 예약된 키라 쓸 수 없습니다."), field="key")
    if any(t.key == key for t in contest.tiers) or any(s.key == key for s in contest.special_awards):
        raise DomainError(N_("상 키 '{key}'가 이미 있습니다."), key=key, field="key")
    title = _text(title, N_("등급 이름"), 80)
    count_value, threshold_value = _tier_fields(key, title, count, threshold)
    position = max((t.position for t in contest.tiers), default=0) + 1
    tier = AwardTier(key=key, title=title, award_name=_text(award_name, N_("상 이름"), 80, required=False) or f"{title}상",
                     position=position, count=count_value, threshold=threshold_value)
    contest.tiers.append(tier)
    session.flush()
    audit.record(session, "tier.add", actor=actor, contest_id=contest.id, target_type="tier", target_id=key,
                 after=_snapshot(tier, TIER_AUDIT))
    return tier


def update_tier(session: orm.Session, tier: AwardTier, *, title: str, award_name: str = "", count: Any = None,
                threshold: Any = None, actor: User | None = None) -> None:
    """Edit a tier: its names always (before publication); its places frozen once judging started."""
    contest = tier.contest
    _guard_published(contest, N_("상 등급"))
    before = _snapshot(tier, TIER_AUDIT)
    title = _text(title, N_("등급 이름"), 80)
    count_value, threshold_value = _tier_fields(tier.key, title, count, threshold)
    if count_value != tier.count or threshold_value != (None if tier.threshold is None else Decimal(tier.threshold)):
        _guard(session, contest, N_("상 등급의 정원·기준 점수"))
    tier.title = title
    tier.award_name = _text(award_name, N_("상 이름"), 80, required=False) or f"{title}상"
    tier.count, tier.threshold = count_value, threshold_value
    session.flush()
    after = _snapshot(tier, TIER_AUDIT)
    if before != after:
        audit.record(session, "tier.update", actor=actor, contest_id=contest.id, target_type="tier",
                     target_id=tier.key, before=before, after=after)


def delete_tier(session: orm.Session, tier: AwardTier, *, actor: User | None = None) -> None:
    contest = tier.contest
    _guard(session, contest, N_("상 등급"))
    if session.scalar(sa.select(Decision.id).where(Decision.tier_id == tier.id)) is not None:
        raise DomainError(N_("이 등급에 기록된 결정이 있어 지울 수 없습니다."))
    before = _snapshot(tier, TIER_AUDIT)
    contest.tiers.remove(tier)
    session.flush()
    _renumber(contest.tiers)
    audit.record(session, "tier.delete", actor=actor, contest_id=contest.id, target_type="tier",
                 target_id=before["key"], before=before)


SPECIAL_AUDIT = ("key", "title", "award_name")


def add_special(session: orm.Session, contest: Contest, *, key: str, title: str, award_name: str = "",
                actor: User | None = None) -> SpecialAward:
    """Add a special award type. It sits outside the rank order, so it may be added at any time
    before publication."""
    _guard_published(contest, N_("특별상"))
    key = _key(key, N_("특별상"))
    if any(t.key == key for t in contest.tiers) or any(s.key == key for s in contest.special_awards):
        raise DomainError(N_("상 키 '{key}'가 이미 있습니다."), key=key, field="key")
    title = _text(title, N_("특별상 이름"), 80)
    position = max((s.position for s in contest.special_awards), default=0) + 1
    special = SpecialAward(key=key, title=title, award_name=_text(award_name, N_("상 이름"), 80, required=False) or title,
                           position=position)
    contest.special_awards.append(special)
    session.flush()
    audit.record(session, "special_award.add", actor=actor, contest_id=contest.id, target_type="special_award",
                 target_id=key, after=_snapshot(special, SPECIAL_AUDIT))
    return special


def update_special(session: orm.Session, special: SpecialAward, *, title: str, award_name: str = "",
                   actor: User | None = None) -> None:
    contest = special.contest
    _guard_published(contest, N_("특별상"))
    before = _snapshot(special, SPECIAL_AUDIT)
    special.title = _text(title, N_("특별상 이름"), 80)
    special.award_name = _text(award_name, N_("상 이름"), 80, required=False) or special.title
    session.flush()
    after = _snapshot(special, SPECIAL_AUDIT)
    if before != after:
        audit.record(session, "special_award.update", actor=actor, contest_id=contest.id,
                     target_type="special_award", target_id=special.key, before=before, after=after)


def delete_special(session: orm.Session, special: SpecialAward, *, actor: User | None = None) -> None:
    contest = special.contest
    _guard_published(contest, N_("특별상"))
    if session.scalar(sa.select(Decision.id).where(Decision.special_award_id == special.id)) is not None:
        raise DomainError(N_("이 특별상에 지정된 수상작이 있어 지울 수 없습니다. 먼저 지정을 철회해 주세요."))
    before = _snapshot(special, SPECIAL_AUDIT)
    contest.special_awards.remove(special)
    session.flush()
    _renumber(contest.special_awards)
    audit.record(session, "special_award.delete", actor=actor, contest_id=contest.id,
                 target_type="special_award", target_id=before["key"], before=before)


# ---------------------------------------------------------------------------------------------
# Look-ups used by the views


def list_contests(session: orm.Session, organization_id: int | None = None) -> list[Contest]:
    """Every contest (of one organization when ``organization_id`` is given), the most recent first."""
    query = sa.select(Contest).order_by(Contest.held_on.desc(), Contest.id.desc())
    if organization_id is not None:
        query = query.where(Contest.organization_id == organization_id)
    return list(session.scalars(query))


def get_contest(session: orm.Session, slug: str, organization_id: int | None = None) -> Contest:
    """The contest ``slug``; with ``organization_id``, only that organization's (another organization's
    contest is ``NotFound`` exactly like a missing one)."""
    return organizations.contest_of(session, slug, organization_id)


def _owned(session: orm.Session, model: type[T], item_id: int, contest: Contest, missing: str | Message,
           contest_id_of: Callable[[Any], int | None] = lambda item: item.contest_id) -> T:
    """The row ``item_id`` of ``model`` if it belongs to ``contest``; otherwise ``NotFound(missing)``
    (another contest's id is answered exactly like an unknown one)."""
    item = session.get(model, item_id)
    if item is None or contest_id_of(item) != contest.id:
        raise NotFound(missing)
    return item


def get_round(session: orm.Session, contest: Contest, round_id: int) -> Round:
    return _owned(session, Round, round_id, contest, N_("라운드를 찾을 수 없습니다."))


def get_criterion(session: orm.Session, contest: Contest, criterion_id: int) -> Criterion:
    return _owned(session, Criterion, criterion_id, contest, N_("심사 기준을 찾을 수 없습니다."),
                  lambda crit: crit.round.contest_id)


def get_tier(session: orm.Session, contest: Contest, tier_id: int) -> AwardTier:
    return _owned(session, AwardTier, tier_id, contest, N_("상 등급을 찾을 수 없습니다."))


def get_special(session: orm.Session, contest: Contest, special_id: int) -> SpecialAward:
    return _owned(session, SpecialAward, special_id, contest, N_("특별상을 찾을 수 없습니다."))


def get_entry(session: orm.Session, contest: Contest, entry_id: int) -> Entry:
    return _owned(session, Entry, entry_id, contest, N_("참가작을 찾을 수 없습니다."))


def get_judge(session: orm.Session, contest: Contest, judge_id: int) -> User:
    return _owned(session, User, judge_id, contest, N_("심사위원을 찾을 수 없습니다."),
                  lambda user: user.contest_id if user.role == "judge" else None)


def get_entrant(session: orm.Session, contest: Contest, entrant_id: int) -> Entrant:
    return _owned(session, Entrant, entrant_id, contest, N_("참가자를 찾을 수 없습니다."))


def round_entry_count(session: orm.Session, rnd: Round) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(RoundEntry).where(RoundEntry.round_id == rnd.id)) or 0
