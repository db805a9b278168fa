"""The audience panel (현장평가단): ballots issued, revoked and cast; voting opened and closed; turnout.

Ballots are single-use cards. A card carries a random token (128 bits, ``secrets``); the database keeps
only its SHA-256 and the number printed on the card (``serial``), so a lost card can be revoked by
its number. Casting a ballot is one transaction: a conditional UPDATE marks the card used only if it
is neither used nor revoked (the database applies it at most once, whatever the concurrency), and
only then are the ratings stored — in ``audience_votes``/``audience_ratings``, under a random key,
with no time and no reference to the card, the address or anyone. The tally is worked out by the
scoring core from those stored ratings every time (``results.compute``); closing the voting audits
the count with a digest of the stored ratings, so it can be reproduced later.

Services flush, never commit. Refusals are ``DomainError``s with a Korean message.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import orm

from judging import scoring
from judging.documents.data import BallotCard as PrintedCard
from judging.documents.data import BallotCardsData
from judging.formatting import date_dot
from judging.inputs import bounded_decimal
from judging.messages import N_, Message, Text
from judging.models import (
    AudienceBallot,
    AudienceRating,
    AudienceRound,
    AudienceRoundEntry,
    AudienceVote,
    Contest,
    Entry,
    User,
    utcnow,
)
from judging.services import audit, setup
from judging.services.assignments import round_entries
from judging.services.errors import DomainError, NotFound, Throttled
from judging.services.rate_limit import hit_rate

#: Random bytes in a ballot token (128 bits; 64 would already defeat guessing).
TOKEN_BYTES = 16
#: The most ballots one issue may print (a large hall; several batches for more).
MAX_BATCH = 2000

USED_MESSAGE = N_("이미 사용된 투표권입니다")
REVOKED_MESSAGE = N_("취소된 투표권입니다")
UNKNOWN_MESSAGE = N_("투표권을 찾을 수 없습니다. 카드의 QR 코드를 다시 찍어 주세요.")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------
# Look-ups


def audience_rounds(session: orm.Session, contest: Contest) -> list[AudienceRound]:
    return list(session.scalars(sa.select(AudienceRound).where(AudienceRound.contest_id == contest.id)
                                .order_by(AudienceRound.position)))


def get_round(session: orm.Session, contest: Contest, key: str) -> AudienceRound:
    """The contest's audience round ``key``. Raises ``NotFound`` naming the keys there are."""
    found = session.scalar(sa.select(AudienceRound).where(AudienceRound.contest_id == contest.id,
                                                          AudienceRound.key == key))
    if found is None:
        known = ", ".join(r.key for r in audience_rounds(session, contest)) or Message(N_("없음"))
        raise NotFound(N_("현장평가단 라운드 '{key}'이(가) 없습니다 (있는 라운드: {known})."), key=key, known=known)
    return found


def ballot_entries(session: orm.Session, aud: AudienceRound) -> list[Entry]:
    """The entries on the ballot, in presentation order: the round's own list, else the entries of
    the contest's last judges' round (the finalists)."""
    if aud.round_entries:
        return [re.entry for re in aud.round_entries]
    rounds = aud.contest.rounds
    return round_entries(session, rounds[-1]) if rounds else []


def core_inputs(
    session: orm.Session, contest: Contest, entry_keys: Mapping[int, str]
) -> tuple[tuple[AudienceRound, ...], tuple[scoring.AudienceSpec, ...], tuple[scoring.AudienceBallot, ...],
           dict[str, scoring.Turnout]]:
    """The audience rounds, their core specs, every cast ballot and each round's turnout, for
    ``results`` (keys as the contest file's). Raises ``DomainError`` when a stored round cannot be
    scored."""
    rounds = tuple(audience_rounds(session, contest))
    if not rounds:
        return (), (), (), {}
    listed: dict[int, list[tuple[int, str]]] = {}
    for round_id, entry_id, position in session.execute(
        sa.select(AudienceRoundEntry.round_id, AudienceRoundEntry.entry_id, AudienceRoundEntry.position)
        .where(AudienceRoundEntry.round_id.in_([r.id for r in rounds]))
    ):
        if entry_id in entry_keys:
            listed.setdefault(round_id, []).append((position, entry_keys[entry_id]))
    try:
        specs = tuple(
            scoring.AudienceSpec(
                r.key, r.title, r.weight, r.max_points, r.position,
                tuple(k for _p, k in sorted(listed[r.id])) if r.id in listed else None,
            )
            for r in rounds
        )
    except scoring.ScoringError as exc:
        raise DomainError(N_("현장평가단 설정으로 결과를 계산할 수 없습니다: {reason}"), reason=exc.text) from None
    keys = {r.id: r.key for r in rounds}
    rows = session.execute(
        sa.select(AudienceVote.round_id, AudienceRating.vote_id, AudienceRating.entry_id, AudienceRating.rating)
        .join(AudienceVote, AudienceVote.id == AudienceRating.vote_id)
        .where(AudienceVote.round_id.in_(list(keys)))
    )
    ballots = scoring.audience_ballots_from(
        (keys[r], vote, entry_keys[e], rating) for r, vote, e, rating in rows if e in entry_keys
    )
    return rounds, specs, tuple(ballots), {r.key: turnout(session, r) for r in rounds}


def turnout(session: orm.Session, aud: AudienceRound) -> scoring.Turnout:
    """Ballots issued, revoked and cast in the round (counts only)."""
    issued, revoked, cast = session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count(AudienceBallot.revoked_at),
            sa.func.count(AudienceBallot.used_at),
        ).where(AudienceBallot.round_id == aud.id)
    ).one()
    return scoring.Turnout(issued, revoked, cast)


@dataclass(frozen=True)
class RoundTurnout:
    """One audience round's state and turnout, for the day board, charts and the result report."""

    key: str
    title: str
    status: str
    weight: str
    turnout: scoring.Turnout

    def to_json(self) -> dict:
        return {"key": self.key, "title": self.title, "status": self.status, "weight": self.weight,
                "turnout": self.turnout.to_dict()}


def contest_turnout(session: orm.Session, contest: Contest) -> list[RoundTurnout]:
    return [RoundTurnout(r.key, r.title, r.status, scoring.rounding.plain(r.weight), turnout(session, r))
            for r in audience_rounds(session, contest)]


def ballots(session: orm.Session, aud: AudienceRound) -> list[AudienceBallot]:
    """Every card of the round by number (the organizer's list: state only, never a vote)."""
    return list(session.scalars(sa.select(AudienceBallot).where(AudienceBallot.round_id == aud.id)
                                .order_by(AudienceBallot.serial)))


# ---------------------------------------------------------------------------------------------
# Issuing and revoking


@dataclass(frozen=True)
class BallotCard:
    """A printed card: its number and its token (the token exists only here and on the card)."""

    serial: int
    token: str


@dataclass(frozen=True)
class IssuedBatch:
    round_key: str
    round_title: str
    batch: int
    cards: tuple[BallotCard, ...]


def issue_ballots(session: orm.Session, aud: AudienceRound, count: object, *, actor: User | None = None,
                  actor_label: str | None = None) -> IssuedBatch:
    """Issue ``count`` new single-use ballots, numbered after the last one. Returns the tokens once:
    only their digests are stored. Raises ``DomainError`` for a bad count or a closed round."""
    if isinstance(count, bool) or not isinstance(count, int):
        try:
            count = int(str(count).strip())
        except ValueError:
            raise DomainError(N_("투표권 수는 정수로 적어 주세요."), field="count") from None
    if not 1 <= count <= MAX_BATCH:
        raise DomainError(N_("투표권은 한 번에 1장부터 {most}장까지 발급할 수 있습니다."), most=MAX_BATCH, field="count")
    if aud.status == "closed":
        raise DomainError(N_("'{title}' 투표가 끝나 투표권을 더 발급할 수 없습니다."), title=aud.title)
    if aud.contest.status == "published":
        raise DomainError(N_("결과가 공개된 공모전에는 투표권을 발급할 수 없습니다."))
    last_serial, last_batch = session.execute(
        sa.select(sa.func.coalesce(sa.func.max(AudienceBallot.serial), 0),
                  sa.func.coalesce(sa.func.max(AudienceBallot.batch), 0))
        .where(AudienceBallot.round_id == aud.id)
    ).one()
    batch = last_batch + 1
    cards = []
    rows = []
    for serial in range(last_serial + 1, last_serial + count + 1):
        token = secrets.token_urlsafe(TOKEN_BYTES)
        cards.append(BallotCard(serial, token))
        rows.append({"round_id": aud.id, "serial": serial, "batch": batch, "token_digest": token_digest(token),
                     "issued_at": utcnow(), "revoke_reason": ""})
    session.execute(sa.insert(AudienceBallot), rows)
    session.flush()
    audit.record(session, "audience.ballots.issue", actor=actor, actor_label=actor_label,
                 contest_id=aud.contest_id, target_type="audience_round", target_id=aud.key,
                 after={"batch": batch, "count": count, "serials": [last_serial + 1, last_serial + count]})
    return IssuedBatch(aud.key, aud.title, batch, tuple(cards))


def revoke_ballot(session: orm.Session, aud: AudienceRound, serial: object, reason: str, *,
                  actor: User | None = None, actor_label: str | None = None) -> AudienceBallot:
    """Revoke the card numbered ``serial`` (lost, damaged). A used card cannot be revoked: its vote
    is counted and, by design, cannot be found again."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(N_("취소 사유를 적어 주세요."), field="reason")
    try:
        number = int(str(serial).strip())
    except ValueError:
        raise DomainError(N_("투표권 번호는 정수로 적어 주세요."), field="serial") from None
    ballot = session.scalar(sa.select(AudienceBallot).where(AudienceBallot.round_id == aud.id,
                                                            AudienceBallot.serial == number))
    if ballot is None:
        raise DomainError(N_("{number}번 투표권이 없습니다."), number=number, field="serial")
    # the same guard as casting: only a card neither used nor revoked changes, once
    done = typing.cast(sa.CursorResult[typing.Any], session.execute(
        sa.update(AudienceBallot)
        .where(AudienceBallot.id == ballot.id, AudienceBallot.used_at.is_(None),
               AudienceBallot.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoke_reason=reason)
        .execution_options(synchronize_session=False)
    ))
    session.refresh(ballot)
    if done.rowcount != 1:
        if ballot.used_at is not None:
            raise DomainError(N_("{number}번 투표권은 이미 사용되어 취소할 수 없습니다."), number=number, field="serial")
        raise DomainError(N_("{number}번 투표권은 이미 취소되었습니다."), number=number, field="serial")
    audit.record(session, "audience.ballot.revoke", actor=actor, actor_label=actor_label,
                 contest_id=aud.contest_id, target_type="audience_round", target_id=aud.key,
                 after={"serial": number, "reason": reason})
    return ballot


# ---------------------------------------------------------------------------------------------
# The count (opening and closing the voting are life-cycle transitions: ``lifecycle.open_voting``,
# ``lifecycle.close_voting``; locking the scores closes an open vote too)


def count_record(session: orm.Session, aud: AudienceRound) -> dict:
    """The count as audited: turnout, each entry's ratings (how many 1..5) and the digest of the stored
    ratings. Recomputing it from the database gives the same digest while nothing was changed."""
    keys = {e.id: e.entrant.key for e in aud.contest.entries}
    rows = sorted(
        (vote, keys.get(entry, str(entry)), rating)
        for vote, entry, rating in session.execute(
            sa.select(AudienceRating.vote_id, AudienceRating.entry_id, AudienceRating.rating)
            .join(AudienceVote, AudienceVote.id == AudienceRating.vote_id)
            .where(AudienceVote.round_id == aud.id)
        )
    )
    per_entry: dict[str, list[int]] = {}
    for _vote, entry, rating in rows:
        per_entry.setdefault(entry, [0] * (scoring.RATING_MAX - scoring.RATING_MIN + 1))[
            rating - scoring.RATING_MIN] += 1
    canonical = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return {
        "turnout": turnout(session, aud).to_dict(),
        "votes": len({vote for vote, _e, _r in rows}),
        "ratings": {entry: counts for entry, counts in sorted(per_entry.items())},
        "digest": hashlib.sha256(canonical).hexdigest(),
    }


# ---------------------------------------------------------------------------------------------
# The voting page


@dataclass(frozen=True)
class BallotState:
    """What the voting page may know about a card: ``state`` is ``ready`` (can vote now), ``waiting``
    (voting not open yet), ``closed``, ``used`` or ``revoked``; ``entries`` the entries to rate."""

    state: str
    contest_title: str
    round_title: str
    entries: tuple[tuple[int, str, str], ...]  # (entry id, entrant name, project title)


def _find(session: orm.Session, token: str) -> AudienceBallot | None:
    if not token or len(token) > 64:
        return None
    return session.scalar(sa.select(AudienceBallot).where(AudienceBallot.token_digest == token_digest(token)))


def check_rate(session: orm.Session, address: str, limit: int, *, what: str = "vote") -> None:
    """Count a request from ``address`` (per minute, in the database, across workers); refuse beyond
    ``limit`` with a Korean message."""
    try:
        hit_rate(session, f"audience-{what}:{address}"[:120], limit)
    except Throttled as exc:
        retry = exc.details.get("retry_after", 60)
        raise Throttled(N_("요청이 너무 많습니다. {retry}초 뒤에 다시 시도해 주세요."), retry=retry,
                        details={"code": "throttled", "retry_after": retry}) from None


def ballot_state(session: orm.Session, token: str) -> BallotState:
    """The card's state for the voting page. Raises ``NotFound`` for an unknown token. A used or
    revoked card is answered with that word only: no time, no number, nothing else."""
    ballot = _find(session, token)
    if ballot is None:
        raise NotFound(UNKNOWN_MESSAGE)
    aud = session.get(AudienceRound, ballot.round_id)
    assert aud is not None
    contest = aud.contest
    if ballot.used_at is not None:
        return BallotState("used", "", "", ())
    if ballot.revoked_at is not None:
        return BallotState("revoked", "", "", ())
    entries = tuple((e.id, e.entrant.name, e.title or "") for e in ballot_entries(session, aud))
    if aud.status == "pending":
        return BallotState("waiting", contest.title, aud.title, entries)
    if aud.status == "closed":
        return BallotState("closed", contest.title, aud.title, ())
    return BallotState("ready", contest.title, aud.title, entries)


def cast(session: orm.Session, token: str, ratings: Mapping[object, object]) -> None:
    """Cast the card's ballot: ``ratings`` maps every entry on the ballot (id) to 1..5.

    Raises ``NotFound`` (unknown token), ``DomainError`` with ``USED_MESSAGE`` or ``REVOKED_MESSAGE``
    (only that), or a ``DomainError`` naming what is missing or wrong on the form. The card is marked
    used by one conditional UPDATE; only if it changed a row are the ratings stored (same
    transaction), so two submissions of one card, however close, store one vote."""
    ballot = _find(session, token)
    if ballot is None:
        raise NotFound(UNKNOWN_MESSAGE)
    if ballot.used_at is not None:
        raise DomainError(USED_MESSAGE, details={"code": "used"})
    if ballot.revoked_at is not None:
        raise DomainError(REVOKED_MESSAGE, details={"code": "revoked"})
    aud = session.get(AudienceRound, ballot.round_id)
    assert aud is not None
    if aud.status != "open":
        raise DomainError(N_("지금은 투표 시간이 아닙니다.") if aud.status == "pending" else N_("투표가 끝났습니다."),
                          details={"code": aud.status})
    entries = ballot_entries(session, aud)
    wanted = {e.id: e for e in entries}
    chosen: dict[int, int] = {}
    for raw_entry, raw_rating in ratings.items():
        try:
            entry_id = int(str(raw_entry))
        except ValueError:
            raise DomainError(N_("투표 내용이 올바르지 않습니다. 페이지를 새로 고쳐 주세요.")) from None
        if entry_id not in wanted:
            raise DomainError(N_("투표 대상이 아닌 참가작이 있습니다. 페이지를 새로 고쳐 주세요."))
        text = str(raw_rating or "").strip()
        if not text:
            continue
        if text not in {str(r) for r in range(scoring.RATING_MIN, scoring.RATING_MAX + 1)}:
            raise DomainError(N_("평가는 {low}점부터 {high}점까지 고를 수 있습니다."), low=scoring.RATING_MIN,
                              high=scoring.RATING_MAX)
        chosen[entry_id] = int(text)
    missing = [e.entrant.name for e in entries if e.id not in chosen]
    if missing:
        raise DomainError(N_("모든 참가작을 평가해 주세요. 남은 참가작: {missing}"), missing=", ".join(missing),
                          details={"code": "incomplete", "missing": [e.id for e in entries if e.id not in chosen]})
    done = typing.cast(sa.CursorResult[typing.Any], session.execute(
        sa.update(AudienceBallot)
        .where(AudienceBallot.id == ballot.id, AudienceBallot.used_at.is_(None),
               AudienceBallot.revoked_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ))
    if done.rowcount != 1:
        session.refresh(ballot)
        if ballot.revoked_at is not None:
            raise DomainError(REVOKED_MESSAGE, details={"code": "revoked"})
        raise DomainError(USED_MESSAGE, details={"code": "used"})
    vote_id = secrets.token_hex(16)
    session.add(AudienceVote(id=vote_id, round_id=aud.id))
    session.flush()
    session.execute(sa.insert(AudienceRating), [
        {"vote_id": vote_id, "entry_id": entry_id, "rating": rating} for entry_id, rating in sorted(chosen.items())
    ])
    session.flush()


def cards_data(contest: Contest, batch: IssuedBatch, base_url: str):  # noqa: ANN201
    """What the ballot-card PDF prints for an issued batch (``documents.ballots.BallotCardsData``);
    ``base_url`` is the public address of the app (``/v/<token>`` is added)."""
    base = base_url.rstrip("/")
    return BallotCardsData(
        contest_title=contest.title,
        round_title=batch.round_title,
        organizer=contest.organizer,
        held_on=date_dot(contest.held_on),
        cards=tuple(PrintedCard(card.serial, f"{base}/v/{card.token}") for card in batch.cards),
        scale=scoring.RATING_LABELS,
    )


# ---------------------------------------------------------------------------------------------
# The combination: announced vs effective weight, and what the published result carries


def weight_check(contest: Contest, inputs, result) -> scoring.CombinationCheck | None:  # noqa: ANN001
    """The weighted final taken apart (``scoring.combination_check``) at the contest's margin; None
    when the final is the last round alone."""
    return scoring.combination_check(inputs.spec, result, contest.weight_margin)


def weight_warnings(contest: Contest, inputs, result) -> tuple[str, ...]:  # noqa: ANN001
    check = weight_check(contest, inputs, result)
    return check.warnings if check is not None else ()


def payload_part(contest: Contest, inputs, result) -> dict:  # noqa: ANN001
    """The snapshot payload's ``combination`` (a weighted final) and ``audience`` (audience rounds)
    sections; empty for a contest that has neither, so its payload and digest stay as they were."""
    part: dict = {}
    check = weight_check(contest, inputs, result)
    if check is not None:
        part["combination"] = {
            "margin": scoring.rounding.plain(check.margin),
            "n": check.n,
            "reason": check.reason,
            "components": [
                {"key": c.key, "title": c.title, "kind": c.kind, "weight": scoring.rounding.plain(c.weight),
                 "announced": scoring.display(c.announced), "effective": scoring.display(c.effective),
                 "departure": scoring.display(c.departure),
                 "low": scoring.display(c.low), "high": scoring.display(c.high), "warning": c.warning}
                for c in check.components
            ],
            "entries": [
                {"entry": e.entry, "total": scoring.display(e.total),
                 "parts": [{"key": p.key, "score": scoring.display(p.score),
                            "normalised": scoring.display(p.normalised),
                            "contribution": scoring.display(p.contribution)} for p in e.parts]}
                for e in check.entries
            ],
            "warnings": list(check.warnings),
        }
    if result.audience:
        turnouts = dict(getattr(inputs, "audience_turnout", {}) or {})
        part["audience"] = [
            {"key": a.key, "title": a.title, "weight": scoring.rounding.plain(a.weight),
             "max": scoring.rounding.plain(a.max_total), "ballots": a.ballots,
             "turnout": turnouts[a.key].to_dict() if a.key in turnouts else None,
             "scale": [[value, label] for value, label in scoring.RATING_LABELS],
             "entries": [{"entry": i.entry, "n": i.n, "counts": list(i.counts), "mean": scoring.display(i.mean),
                          "score": i.display, "status": i.status} for i in a.entries]}
            for a in result.audience
        ]
    return part


# ---------------------------------------------------------------------------------------------
# Set-up: audience rounds and the effective-weight margin (the contest file does the same)

AUDIENCE_AUDIT = ("key", "title", "weight", "max_points")


def _snapshot(aud: AudienceRound) -> dict:
    return {name: (scoring.rounding.plain(v) if isinstance(v, Decimal) else v)
            for name, v in ((n, getattr(aud, n)) for n in AUDIENCE_AUDIT)}


def _weights(weight: object, max_points: object) -> tuple[Decimal, Decimal]:
    weight_value = bounded_decimal(weight if weight not in (None, "") else 1, Message(N_("가중치")), field="weight")
    max_value = bounded_decimal(max_points if max_points not in (None, "") else 100, Message(N_("배점")), field="max_points")
    if weight_value <= 0:
        raise DomainError(N_("가중치는 0보다 커야 합니다."), field="weight")
    if max_value <= 0 or max_value >= Decimal(100000):
        raise DomainError(N_("배점은 0보다 크고 100000보다 작아야 합니다."), field="max_points")
    return weight_value, max_value


def add_round(session: orm.Session, contest: Contest, *, key: str, title: str, weight: object = 1,
              max_points: object = 100, actor: User | None = None) -> AudienceRound:
    """Add an audience round (set-up). It needs a weighted final; frozen once judging started."""
    setup._guard(session, contest, "라운드 구성")
    if contest.final_mode != "weighted":
        raise DomainError(N_("현장평가단 라운드는 최종 점수를 가중 합산할 때만 쓸 수 있습니다. 먼저 공모전 정보에서 최종 순위 방식을 '가중 합산'으로 바꿔 주세요."))
    key = setup._key(key, "라운드")
    if any(r.key == key for r in contest.rounds) or any(a.key == key for a in contest.audience_rounds):
        raise DomainError(N_("라운드 키 '{key}'가 이미 있습니다."), key=key, field="key")
    weight_value, max_value = _weights(weight, max_points)
    position = max([r.position for r in contest.rounds] + [a.position for a in contest.audience_rounds],
                   default=0) + 1
    aud = AudienceRound(key=key, title=setup._text(title, "라운드 이름", 120), position=position,
                        weight=weight_value, max_points=max_value, status="pending")
    contest.audience_rounds.append(aud)
    session.flush()
    audit.record(session, "audience.round.add", actor=actor, contest_id=contest.id, target_type="audience_round",
                 target_id=key, after=_snapshot(aud))
    return aud


def update_round(session: orm.Session, aud: AudienceRound, *, title: str, weight: object, max_points: object,
                 actor: User | None = None) -> None:
    """Edit an audience round: the title always; the weight and scale until judging starts."""
    before = _snapshot(aud)
    weight_value, max_value = _weights(weight, max_points)
    if weight_value != aud.weight or max_value != aud.max_points:
        setup._guard(session, aud.contest, "가중치·배점")
    aud.title = setup._text(title, "라운드 이름", 120)
    aud.weight, aud.max_points = weight_value, max_value
    session.flush()
    after = _snapshot(aud)
    if before != after:
        audit.record(session, "audience.round.update", actor=actor, contest_id=aud.contest_id,
                     target_type="audience_round", target_id=aud.key, before=before, after=after)


def delete_round(session: orm.Session, aud: AudienceRound, *, actor: User | None = None) -> None:
    """Remove an audience round that has issued no ballot (set-up)."""
    setup._guard(session, aud.contest, "라운드 구성")
    if turnout(session, aud).issued:
        raise DomainError(N_("'{title}'에는 이미 발급한 투표권이 있어 지울 수 없습니다."), title=aud.title)
    before = _snapshot(aud)
    contest = aud.contest
    contest.audience_rounds.remove(aud)
    session.flush()
    audit.record(session, "audience.round.delete", actor=actor, contest_id=contest.id,
                 target_type="audience_round", target_id=before["key"], before=before)


def set_weight_margin(session: orm.Session, contest: Contest, margin: object, *, actor: User | None = None) -> None:
    """The percentage points an effective weight may depart from the announced one before publishing
    warns (0–100)."""
    value = bounded_decimal(margin, Message(N_("허용 차이")), field="margin")
    if not Decimal(0) <= value <= Decimal(100):
        raise DomainError(N_("허용 차이는 0부터 100까지(%p)입니다."), field="margin")
    before = scoring.rounding.plain(contest.weight_margin)
    contest.weight_margin = value
    session.flush()
    audit.record(session, "contest.weight_margin", actor=actor, contest_id=contest.id, target_type="contest",
                 target_id=contest.slug, before={"weight_margin": before},
                 after={"weight_margin": scoring.rounding.plain(value)})


def extend_disclosure(payload: dict) -> None:
    """Add to each entry's ``disclosure`` (what its council may see) its audience result and what
    each component contributed to its final score. Nothing about any other entry or any judge."""
    combination = payload.get("combination") or {}
    titles = {c["key"]: c["title"] for c in combination.get("components") or []}
    parts = {e["entry"]: e for e in combination.get("entries") or []}
    for item in payload.get("entries") or []:
        lines = item.setdefault("disclosure", [])
        for aud in payload.get("audience") or []:
            mine = next((e for e in aud.get("entries") or [] if e.get("entry") == item.get("entry")), None)
            if mine is None:
                continue
            if mine.get("score") is None:
                lines.append(Text(N_("{title}: 투표가 없어 집계하지 못했습니다"), title=aud["title"]))
            else:
                lines.append(Text(N_("{title}: 관객 {n}명 평가 평균 {mean}점(1~5점) → {top}점 만점 환산 {score}점"),
                                  title=aud["title"], n=mine["n"], mean=mine["mean"], top=aud["max"],
                                  score=mine["score"]))
        mine = parts.get(item.get("entry"))
        if mine is not None:
            shown = " + ".join(f"{titles.get(p['key'], p['key'])} {p['contribution']}" for p in mine["parts"])
            lines.append(Text(N_("최종 점수 구성: {parts} = {total}점"), parts=shown, total=mine["total"]))
