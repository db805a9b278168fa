"""Reading a published result: the latest ResultSnapshot of a contest, as display-ready rows.

Everything shown after publication (the ceremony, the public results page, certificates, the
result report, exports) reads the frozen snapshot through this module, never the live scores, so
what the audience sees is exactly what was published. The snapshot's JSON payload is written by
``judging.services.publishing.publish`` (see ``docs/results.md``); this module is the one place that
knows its shape.

Nothing here writes; nothing here carries a judge's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from sqlalchemy import orm

from judging.messages import kept_text
from judging.models import Contest, Entrant, Entry, ResultSnapshot

PENDING = "pending"


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def _int(value: object) -> int:
    try:
        return int(value or 0)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


def _dicts(value: object) -> list[dict]:
    return [item for item in value or [] if isinstance(item, dict)] if isinstance(value, list) else []


def _kept(row: dict, key: str) -> object:
    kept = row.get("messages")
    return kept.get(key) if isinstance(kept, dict) else None


def _text(row: dict, key: str) -> str | None:
    """A word the snapshot keeps: a ``Text`` (its Korean text and its message, rendered in the
    reader's language at the edge) when the snapshot kept the message, else the stored text."""
    return kept_text(row.get(key), _kept(row, key))


def _texts(row: dict, key: str) -> tuple[str, ...]:
    """A list of words the snapshot keeps, each read like :func:`_text`."""
    value = row.get(key)
    if not isinstance(value, list):
        return ()
    kept = _kept(row, key)
    messages = kept if isinstance(kept, list) and len(kept) == len(value) else [None] * len(value)
    return tuple(kept_text(str(line), message) or "" for line, message in zip(value, messages, strict=True))


@dataclass(frozen=True, slots=True)
class PublishedContest:
    """The payload's ``contest`` block: the rules the result was computed under, in words."""

    slug: str = ""
    title: str = ""
    final_mode: str = ""
    method: str = ""
    method_text: tuple[str, ...] = ()
    rank_rule: str = ""
    tie_break_text: tuple[str, ...] = ()
    judge_count: int = 0


@dataclass(frozen=True, slots=True)
class PublishedCriterion:
    """One criterion of a published round: its maximum and its maximum after the weight."""

    key: str
    title: str
    max: str | None = None
    weighted_max: str | None = None


@dataclass(frozen=True, slots=True)
class PublishedRound:
    key: str
    title: str
    method: str | None = None
    max_total: str | None = None
    criteria: tuple[PublishedCriterion, ...] = ()


@dataclass(frozen=True, slots=True)
class PublishedTier:
    key: str
    title: str
    award_name: str
    threshold: str | None = None


@dataclass(frozen=True, slots=True)
class PublishedEntryCriterion:
    """One entry's figure on one criterion of the last round (points of the total), with its maximum."""

    key: str
    title: str
    score: str | None
    max: str | None


@dataclass(frozen=True, slots=True)
class PublishedEntry:
    """One entry of the published final ranking, with its display names.

    score: the published figure as shown ("91.33"), or None when it has none. tier: a tier key,
    ``pending`` or None; tier_title / award_name: "최우수" / "최우수상" for a tier key.
    """

    key: str
    entry_id: int | None
    name: str
    district: str
    title: str
    rank: int | None
    tier: str | None
    tier_title: str | None
    award_name: str | None
    score: str | None
    n: int
    criteria: tuple[tuple[str, str | None], ...] = ()  # (criterion key, displayed aggregate)
    #: (judge key, total) of every counted judge in the last round, and the highest possible total:
    #: organizer-facing only (exports); never shown to entrants
    judge_totals: tuple[tuple[str, str], ...] = ()
    max_total: str | None = None
    criterion_rows: tuple[PublishedEntryCriterion, ...] = ()
    recused: int = 0
    message: str | None = None
    tie_break: str | None = None  # the deciding cascade step (a ``Text`` when the snapshot kept its message)
    disclosure: tuple[str, ...] = ()  # what the entrant's council may read
    #: judge keys trimmed from the aggregate (organizer-facing); None when the snapshot did not record them
    dropped: tuple[str, ...] | None = None

    @property
    def score_decimal(self) -> Decimal | None:
        if self.score is None:
            return None
        try:
            return Decimal(self.score)
        except InvalidOperation:
            return None


@dataclass(frozen=True, slots=True)
class PublishedAward:
    """One award held by one entry: a tier place or a designated special award."""

    key: str  # the tier key or the special award key
    kind: str  # "tier" | "special"
    title: str  # "최우수", "특별상"
    award_name: str  # "최우수상", "특별상"
    position: int  # the award's order in the contest (tiers best first, then special awards)
    entry: PublishedEntry
    reason: str = ""


@dataclass(frozen=True, slots=True)
class PublishedDecision:
    """A recorded organizer decision as the snapshot holds it (entry keys, tier/award/round keys)."""

    kind: str
    tier: str | None = None
    award: str | None = None
    round: str | None = None
    entries: tuple[str, ...] = ()
    reason: str = ""
    minutes: str | None = None
    decided_at: str | None = None
    #: False: recorded but not used by this result; None when an older snapshot did not say
    applied: bool | None = None


@dataclass(frozen=True, slots=True)
class PublishedComponent:
    """One part of a weighted final (a round or the audience): announced and effective weight, in %."""

    key: str
    title: str | None
    announced: str | None = None
    effective: str | None = None
    departure: str | None = None
    warning: bool = False


@dataclass(frozen=True, slots=True)
class PublishedContribution:
    key: str
    contribution: str | None


@dataclass(frozen=True, slots=True)
class PublishedCombination:
    """The payload's ``combination`` (a weighted final): the components, the margin they are checked
    against, and what each part contributed to each entry's final score."""

    margin: str | None
    reason: str | None
    components: tuple[PublishedComponent, ...]
    warnings: tuple[str, ...]
    parts: tuple[tuple[str, tuple[PublishedContribution, ...]], ...]  # (entry key, its contributions)

    def parts_of(self, entry: str) -> tuple[PublishedContribution, ...]:
        return next((p for key, p in self.parts if key == entry), ())


@dataclass(frozen=True, slots=True)
class PublishedTurnout:
    issued: object = None
    revoked: object = None
    cast: object = None
    percent_display: str | None = None


@dataclass(frozen=True, slots=True)
class PublishedAudienceRound:
    """One audience round of the payload's ``audience``: its maximum, ballots and turnout."""

    key: str
    title: str | None
    max: str | None
    ballots: object
    turnout: PublishedTurnout | None


@dataclass(frozen=True, slots=True)
class PublishedResult:
    """A published result payload, read (:func:`read_payload`). ``payload`` keeps the raw JSON for
    the parts the audience service owns (``combination``, ``audience``) and for exact re-export."""

    schema: int | None
    contest: PublishedContest
    rounds: tuple[PublishedRound, ...]
    tiers: tuple[PublishedTier, ...]
    entries: tuple[PublishedEntry, ...]
    awards: tuple[PublishedAward, ...]
    decisions: tuple[PublishedDecision, ...]
    unresolved_ties: tuple[dict, ...]
    payload: dict
    combination: PublishedCombination | None = None
    audience: tuple[PublishedAudienceRound, ...] = ()

    @property
    def last_round(self) -> PublishedRound | None:
        return self.rounds[-1] if self.rounds else None

    def entry(self, key: str) -> PublishedEntry | None:
        for item in self.entries:
            if item.key == key:
                return item
        return None


@dataclass(frozen=True, slots=True)
class Published:
    """A published snapshot, read: the snapshot's version and digest and its payload's reading."""

    contest_id: int
    slug: str
    version: int
    published_at: dt.datetime
    digest: str
    content: PublishedResult

    @property
    def method(self) -> str:
        return self.content.contest.method

    @property
    def entries(self) -> tuple[PublishedEntry, ...]:
        return self.content.entries

    @property
    def awards(self) -> tuple[PublishedAward, ...]:
        return self.content.awards

    @property
    def payload(self) -> dict:
        return self.content.payload

    def awards_of(self, key: str) -> tuple[PublishedAward, ...]:
        return tuple(a for a in self.awards if a.key == key)

    def entry(self, key: str) -> PublishedEntry | None:
        return self.content.entry(key)


# --- finding the snapshot --------------------------------------------------------------------

def latest_snapshot(session: orm.Session, contest: Contest) -> ResultSnapshot | None:
    """The highest-numbered snapshot of the contest, or None if it was never published."""
    return session.scalar(sa.select(ResultSnapshot).where(ResultSnapshot.contest_id == contest.id)
                          .order_by(ResultSnapshot.version.desc()).limit(1))


def published_snapshot(session: orm.Session, contest: Contest) -> ResultSnapshot | None:
    """The snapshot the public may see: the latest one. It stays public while the contest is unlocked
    for a correction, until the next version is published."""
    return latest_snapshot(session, contest)


def load(session: orm.Session, contest: Contest, *, public: bool = True) -> Published | None:
    """Read the contest's published result. ``public=False`` (organizer's paperwork) reads the
    latest snapshot even if the contest's status has moved on. None if there is none."""
    snapshot = published_snapshot(session, contest) if public else latest_snapshot(session, contest)
    return None if snapshot is None else read(session, contest, snapshot)


# --- reading the payload (schema 1, docs/results.md) ----------------------------------------
# The one reader of the payload written by ``publishing.build_payload``. Older snapshots may lack
# keys added later: every field has a default, so they still read (and render).

def _entry_key(row: dict) -> str:
    value = row.get("entry", row.get("key"))
    return str(value) if value is not None else ""


def _read_entry(row: dict, entry_ids: Mapping[str, int], ranked: bool = True) -> PublishedEntry:
    """``ranked=False``: a special-award row of an entry outside the final ranking (its award_name
    is the special award's, not a tier's)."""
    key = _entry_key(row)
    if not ranked:
        row = {k: v for k, v in row.items() if k in ("entry", "name", "district", "project_title")}
    criteria = _dicts(row.get("criteria"))
    dropped = row.get("dropped")
    return PublishedEntry(
        key=key,
        entry_id=entry_ids.get(key),
        name=str(row.get("name") or key),
        district=str(row.get("district") or ""),
        title=str(row.get("project_title") or ""),
        rank=row.get("rank") if isinstance(row.get("rank"), int) else None,
        tier=row.get("tier") if isinstance(row.get("tier"), str) else None,
        tier_title=row.get("tier_title"),
        award_name=row.get("award_name"),
        score=row.get("score"),
        n=_int(row.get("n")),
        criteria=tuple((str(c.get("key")), c.get("score")) for c in criteria),
        judge_totals=tuple((str(j), str(t)) for j, t in row.get("judge_totals") or []),
        max_total=row.get("max_total"),
        criterion_rows=tuple(PublishedEntryCriterion(str(c.get("key")), str(c.get("title")), c.get("score"),
                                                     _str(c.get("max"))) for c in criteria),
        recused=_int(row.get("recused")),
        message=_text(row, "message"),
        tie_break=_text(row, "tie_break"),
        disclosure=_texts(row, "disclosure"),
        dropped=tuple(str(j) for j in dropped) if isinstance(dropped, list) else None,
    )


def _read_round(row: dict) -> PublishedRound:
    key = str(row.get("key") or "")
    return PublishedRound(
        key=key, title=str(row.get("title") or ""), method=_text(row, "method"),
        max_total=_str(row.get("max_total")),
        criteria=tuple(PublishedCriterion(str(c.get("key")), str(c.get("title")), _str(c.get("max")),
                                          _str(c.get("weighted_max"))) for c in _dicts(row.get("criteria"))),
    )


def _read_decision(row: dict) -> PublishedDecision:
    applied = row.get("applied")
    return PublishedDecision(
        kind=str(row.get("kind") or ""), tier=_str(row.get("tier")), award=_str(row.get("award")),
        round=_str(row.get("round")), entries=tuple(str(k) for k in row.get("entries") or []),
        reason=str(row.get("reason") or ""), minutes=_str(row.get("minutes")) if row.get("minutes") else None,
        decided_at=_str(row.get("decided_at")), applied=applied if isinstance(applied, bool) else None,
    )


def _read_combination(value: object) -> PublishedCombination | None:
    if not isinstance(value, dict):
        return None
    return PublishedCombination(
        margin=_str(value.get("margin")), reason=_text(value, "reason") if value.get("reason") else None,
        components=tuple(PublishedComponent(str(c.get("key")), _str(c.get("title")), _str(c.get("announced")),
                                            _str(c.get("effective")), _str(c.get("departure")),
                                            bool(c.get("warning"))) for c in _dicts(value.get("components"))),
        warnings=_texts(value, "warnings"),
        parts=tuple((str(e.get("entry")), tuple(PublishedContribution(str(p.get("key")), _str(p.get("contribution")))
                                                for p in _dicts(e.get("parts"))))
                    for e in _dicts(value.get("entries"))),
    )


def _read_audience(row: dict) -> PublishedAudienceRound:
    turnout = row.get("turnout")
    return PublishedAudienceRound(
        key=str(row.get("key")), title=_str(row.get("title")), max=_str(row.get("max")), ballots=row.get("ballots"),
        turnout=PublishedTurnout(turnout.get("issued"), turnout.get("revoked"), turnout.get("cast"),
                                 _str(turnout.get("percent_display")) if turnout.get("percent_display") else None)
        if isinstance(turnout, dict) and turnout else None,
    )


def read_payload(payload: Mapping | None, entry_ids: Mapping[str, int] | None = None) -> PublishedResult:
    """Read a snapshot payload into typed rows. ``entry_ids`` (entrant key → Entry id) fills each
    entry's ``entry_id`` (for certificates); without it those are None. Missing or malformed parts
    read as empty, so a snapshot published before a key existed still reads."""
    raw = dict(payload or {})
    ids: Mapping[str, int] = entry_ids or {}
    found = raw.get("contest")
    info: dict = found if isinstance(found, dict) else {}
    contest = PublishedContest(
        slug=str(info.get("slug") or ""), title=str(info.get("title") or ""),
        final_mode=str(info.get("final_mode") or ""), method=_text(info, "method") or "",
        method_text=_texts(info, "method_text"),
        rank_rule=_text(info, "rank_rule") or "",
        tie_break_text=_texts(info, "tie_break_text"),
        judge_count=_int(info.get("judge_count")),
    )
    tier_rows = _dicts(raw.get("tiers"))
    tiers = tuple(PublishedTier(str(t.get("key")), str(t.get("title")),
                                str(t.get("award_name") or t.get("title") or t.get("key")),
                                _str(t.get("threshold"))) for t in tier_rows)
    special_types = _dicts(raw.get("special_award_types"))

    entries = tuple(_read_entry(r, ids) for r in _dicts(raw.get("entries")))
    by_key = {e.key: e for e in entries}

    awards: list[PublishedAward] = []
    for position, tier in enumerate(tier_rows):
        holders = sorted((e for e in entries if e.tier == tier.get("key")),
                         key=lambda e: (e.rank if e.rank is not None else 10**9, e.name))
        for holder in holders:
            awards.append(PublishedAward(str(tier["key"]), "tier", str(tier.get("title") or tier["key"]),
                                         str(tier.get("award_name") or tier.get("title") or tier["key"]),
                                         position, holder))
    special_position = {str(s.get("key")): len(tier_rows) + i for i, s in enumerate(special_types)}
    for row in _dicts(raw.get("special_awards")):
        key = str(row.get("award", ""))
        holder = by_key.get(_entry_key(row)) or _read_entry(row, ids, ranked=False)
        awards.append(PublishedAward(
            key, "special", str(row.get("title") or key), str(row.get("award_name") or row.get("title") or key),
            special_position.get(key, 10**6), holder, str(row.get("reason") or ""),
        ))
    awards.sort(key=lambda a: (a.position, a.entry.rank if a.entry.rank is not None else 10**9, a.entry.name))
    schema = raw.get("schema")
    return PublishedResult(
        schema=schema if isinstance(schema, int) else None,
        contest=contest,
        rounds=tuple(_read_round(r) for r in _dicts(raw.get("rounds"))),
        tiers=tiers,
        entries=entries,
        awards=tuple(awards),
        decisions=tuple(_read_decision(d) for d in _dicts(raw.get("decisions"))),
        unresolved_ties=tuple(_dicts(raw.get("unresolved_ties"))),
        payload=raw,
        combination=_read_combination(raw.get("combination")),
        audience=tuple(_read_audience(a) for a in _dicts(raw.get("audience"))),
    )


def read(session: orm.Session, contest: Contest, snapshot: ResultSnapshot) -> Published:
    """Turn a snapshot into display rows. Names, titles and award names come from the payload
    (frozen at publication); only the entry ids are looked up, for certificates."""
    entry_ids = dict(list(session.execute(
        sa.select(Entrant.key, Entry.id).join(Entry, Entry.entrant_id == Entrant.id)
        .where(Entrant.contest_id == contest.id)
    )))
    return Published(
        contest_id=contest.id,
        slug=contest.slug,
        version=snapshot.version,
        published_at=snapshot.published_at,
        digest=snapshot.digest,
        content=read_payload(snapshot.payload, entry_ids),
    )
