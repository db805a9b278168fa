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
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from sqlalchemy import orm

from judging.models import Contest, Entrant, Entry, ResultSnapshot

PENDING = "pending"


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
class Published:
    """A published snapshot, read."""

    contest_id: int
    slug: str
    version: int
    published_at: dt.datetime
    digest: str
    method: str
    entries: tuple[PublishedEntry, ...]
    awards: tuple[PublishedAward, ...]
    payload: dict

    def awards_of(self, key: str) -> tuple[PublishedAward, ...]:
        return tuple(a for a in self.awards if a.key == key)

    def entry(self, key: str) -> PublishedEntry | None:
        for item in self.entries:
            if item.key == key:
                return item
        return None


# --- finding the snapshot --------------------------------------------------------------------

def latest_snapshot(session: orm.Session, contest: Contest) -> ResultSnapshot | None:
    """The highest-numbered snapshot of the contest, or None if it was never published."""
    from judging.services import snapshots

    return snapshots.latest_snapshot(session, contest)


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

def _entry_key(row: dict) -> str:
    value = row.get("entry", row.get("key"))
    return str(value) if value is not None else ""


def read(session: orm.Session, contest: Contest, snapshot: ResultSnapshot) -> Published:
    """Turn a snapshot into display rows. Names, titles and award names come from the payload
    (frozen at publication); only the entry ids are looked up, for certificates."""
    payload = snapshot.payload or {}
    entry_ids = dict(list(session.execute(
        sa.select(Entrant.key, Entry.id).join(Entry, Entry.entrant_id == Entrant.id)
        .where(Entrant.contest_id == contest.id)
    )))
    tier_rows = [t for t in payload.get("tiers") or [] if isinstance(t, dict)]
    special_types = [s for s in payload.get("special_award_types") or [] if isinstance(s, dict)]

    def make_entry(row: dict, ranked: bool = True) -> PublishedEntry:
        """``ranked=False``: a special-award row of an entry outside the final ranking (its
        award_name is the special award's, not a tier's)."""
        key = _entry_key(row)
        if not ranked:
            row = {k: v for k, v in row.items() if k in ("entry", "name", "district", "project_title")}
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
            n=int(row.get("n") or 0),
            criteria=tuple((str(c.get("key")), c.get("score")) for c in row.get("criteria") or []
                           if isinstance(c, dict)),
            judge_totals=tuple((str(j), str(t)) for j, t in row.get("judge_totals") or []),
            max_total=row.get("max_total"),
        )

    entries = tuple(make_entry(r) for r in payload.get("entries") or [] if isinstance(r, dict))
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
    for row in payload.get("special_awards") or []:
        if not isinstance(row, dict):
            continue
        key = str(row.get("award", ""))
        holder = by_key.get(_entry_key(row)) or make_entry(row, ranked=False)
        awards.append(PublishedAward(
            key, "special", str(row.get("title") or key), str(row.get("award_name") or row.get("title") or key),
            special_position.get(key, 10**6), holder, str(row.get("reason") or ""),
        ))
    awards.sort(key=lambda a: (a.position, a.entry.rank if a.entry.rank is not None else 10**9, a.entry.name))
    info = payload.get("contest") or {}
    return Published(
        contest_id=contest.id,
        slug=contest.slug,
        version=snapshot.version,
        published_at=snapshot.published_at,
        digest=snapshot.digest,
        method=str(info.get("method") or ""),
        entries=entries,
        awards=tuple(awards),
        payload=payload,
    )
