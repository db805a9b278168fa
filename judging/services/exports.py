"""Exports of a published result: the Excel workbook, CSV rows and the tally JSON.

Two audiences. The organizer's versions add one sheet per round with every judge's scores (by
name) and the judges dropped by trimming. The public versions (the results page's downloads)
carry no judge at all, and scores only when the organizer chose to publish them
(``Contest.public_scores``).
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import orm

from judging.documents.data import JudgeScore, JudgeTotal, ResultLine, RoundScores, WorkbookData
from judging.models import Contest, Criterion, Entrant, Entry, Round, Score, User
from judging.scoring.rounding import plain
from judging.services import published, rubric

ORGANIZER, PUBLIC = "organizer", "public"

CSV_HEADERS = ("순위", "참가 단위", "지역", "사업명", "점수", "심사위원 수", "시상")
JUDGE_TOTALS_HEADER = "심사위원별 합계"
PUBLIC_CSV_HEADERS = ("참가 단위", "지역", "사업명", "시상")
PUBLIC_CSV_HEADERS_SCORED = ("순위", "참가 단위", "지역", "사업명", "점수", "시상")


def _award_label(entry: published.PublishedEntry, specials: dict[str, str]) -> str:
    labels = [entry.award_name] if entry.award_name else []
    if entry.key in specials:
        labels.append(specials[entry.key])
    return ", ".join(labels)


def _specials(result: published.Published) -> dict[str, str]:
    out: dict[str, str] = {}
    for award in result.awards:
        if award.kind == "special":
            out[award.entry.key] = ", ".join(filter(None, (out.get(award.entry.key), award.award_name)))
    return out


def _public_lines(contest: Contest, result: published.Published) -> list[published.PublishedEntry]:
    """Entries the public sees: award holders only (tiers first, then special awards), or, with
    public scores, the whole published ranking plus special-award holders outside it."""
    if contest.public_scores:
        lines = list(result.entries)
        keys = {e.key for e in lines}
        lines += [a.entry for a in result.awards if a.kind == "special" and a.entry.key not in keys]
        return lines
    seen: set[str] = set()
    lines = []
    for award in result.awards:
        if award.entry.key not in seen:
            lines.append(award.entry)
            seen.add(award.entry.key)
    return lines


def workbook(session: orm.Session, contest: Contest, result: published.Published, audience: str) -> WorkbookData:
    """The Excel export. ``audience`` ORGANIZER adds the per-round judge sheets."""
    specials = _specials(result)
    if audience == ORGANIZER:
        entries = list(result.entries)
        keys = {e.key for e in entries}
        entries += [a.entry for a in result.awards if a.kind == "special" and a.entry.key not in keys]
        show_scores = True
    else:
        entries = _public_lines(contest, result)
        show_scores = contest.public_scores
    lines = tuple(
        ResultLine(
            rank=e.rank if show_scores else None,
            entrant=e.name,
            district=e.district,
            title=e.title,
            score=e.score_decimal if show_scores else None,
            n=e.n if show_scores else 0,
            tier=_award_label(e, specials) or None,
        )
        for e in entries
    )
    rounds = round_scores(session, contest) if audience == ORGANIZER else ()
    return WorkbookData(contest_title=contest.title, results=lines, rounds=rounds)


def round_scores(session: orm.Session, contest: Contest) -> tuple[RoundScores, ...]:
    """Every judge's scores per round (judges by name): for the organizer only."""
    out = []
    for rnd in session.scalars(sa.select(Round).where(Round.contest_id == contest.id).order_by(Round.position)):
        criteria = list(rnd.criteria)
        titles = {c.id: rubric.criterion_heading(c) for c in criteria}
        rows = session.execute(
            sa.select(User.name, User.judge_key, Entrant.name, Criterion.id, Criterion.position, Score.value,
                      Score.judge_id, Score.entry_id)
            .join(User, User.id == Score.judge_id)
            .join(Entry, Entry.id == Score.entry_id)
            .join(Entrant, Entrant.id == Entry.entrant_id)
            .join(Criterion, Criterion.id == Score.criterion_id)
            .where(Criterion.round_id == rnd.id)
            .order_by(User.judge_key, Entrant.name, Criterion.position)
        ).all()
        scores = tuple(JudgeScore(judge=judge, entrant=entrant, criterion=titles[cid], score=value)
                       for judge, _key, entrant, cid, _pos, value, _j, _e in rows)
        sheets: dict[tuple[int, int], tuple[str, str, dict[int, Decimal | None]]] = {}
        for judge, _key, entrant, cid, _pos, value, judge_id, entry_id in rows:
            sheets.setdefault((judge_id, entry_id), (judge, entrant, {}))[2][cid] = value
        totals = tuple(
            JudgeTotal(judge, entrant, rubric.judge_total(criteria, values) if _complete(criteria, values) else None)
            for judge, entrant, values in sheets.values()
        )
        out.append(RoundScores(title=rnd.title, criteria=tuple(titles[c.id] for c in criteria), scores=scores,
                               totals=totals, max_total=plain(rubric.max_total(criteria))))
    return tuple(out)


def _complete(criteria: list[Criterion], values: dict[int, Decimal | None]) -> bool:
    return all(values.get(c.id) is not None for c in criteria)


def csv_rows(contest: Contest, result: published.Published, audience: str) -> list[tuple]:
    """CSV rows (header first). Organizer: the whole ranking with scores and n. Public: award
    holders (or, with public scores, the ranking with scores), never n or a judge."""
    specials = _specials(result)
    if audience == ORGANIZER:
        rows: list[tuple] = [CSV_HEADERS + (JUDGE_TOTALS_HEADER,)]
        entries = list(result.entries)
        keys = {e.key for e in entries}
        entries += [a.entry for a in result.awards if a.kind == "special" and a.entry.key not in keys]
        rows += [(e.rank, e.name, e.district, e.title, e.score, e.n, _award_label(e, specials), _judge_totals(e))
                 for e in entries]
        return rows
    if contest.public_scores:
        rows = [PUBLIC_CSV_HEADERS_SCORED]
        rows += [(e.rank, e.name, e.district, e.title, e.score, _award_label(e, specials))
                 for e in _public_lines(contest, result)]
        return rows
    rows = [PUBLIC_CSV_HEADERS]
    rows += [(e.name, e.district, e.title, _award_label(e, specials)) for e in _public_lines(contest, result)]
    return rows


def _judge_totals(entry: published.PublishedEntry) -> str:
    """"j1 40/40 · j2 38/40": each counted judge's total against the highest possible one."""
    top = f"/{entry.max_total}" if entry.max_total else ""
    return " · ".join(f"{judge} {total}{top}" for judge, total in entry.judge_totals)


def tally(contest: Contest, result: published.Published, audience: str) -> dict:
    """The tally JSON (the shape of ``judging tally --format json``, docs/results.md), read from the
    published snapshot, plus the snapshot's version and digest.

    ``score``: 2 decimals or null; ``tier``: a tier key, ``pending`` or null; ``tie_break``: the
    deciding step in Korean or null. The organizer's version adds each entry's ``dropped`` judges
    (keys, as the snapshot holds them) and the unresolved ties. The public version names no judge
    and has scores, ranks and n only when the organizer made scores public; without them it lists
    the award holders only.
    """
    organizer = audience == ORGANIZER
    show_scores = organizer or contest.public_scores
    last = result.content.last_round
    source = result.entries if show_scores else tuple(e for e in _public_lines(contest, result) if e.tier)
    entries = []
    for e in source:
        row: dict = {"entry": e.key, "name": e.name}
        if show_scores:
            row.update({"score": e.score, "rank": e.rank})
        row["tier"] = e.tier
        if show_scores:
            row["judges"] = e.n
        if organizer and e.dropped is not None:  # only if the snapshot recorded them
            row["dropped"] = list(e.dropped)
        if organizer and e.judge_totals:
            row["judge_totals"] = {judge: total for judge, total in e.judge_totals}
            row["max_total"] = e.max_total
        if show_scores:
            row["tie_break"] = e.tie_break
        entries.append(row)
    data = {
        "contest": contest.slug,
        "round": last.key if last is not None else None,
        "method": result.method or (last.method if last is not None else None),
        "snapshot": {"version": result.version, "digest": result.digest},
        "entries": entries,
        "unresolved_ties": list(result.content.unresolved_ties) if organizer else [],
        "special_awards": [
            {"entry": a.entry.key, "name": a.entry.name, "award": a.key, "reason": a.reason}
            for a in result.awards if a.kind == "special"
        ],
    }
    return data
