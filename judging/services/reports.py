"""Paperwork for the approval file: the result report (from the published snapshot) and each
judge's score sheet (from the judge's own scores, for signature).

The report names no judge: only their count. The score sheet is the one document with a judge's
name on it and is for the organizer's file only.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import overload

import sqlalchemy as sa
from sqlalchemy import orm

from judging.documents.data import (
    ReportData,
    ReportRow,
    ScoreSheetData,
    SheetRow,
    SignatureData,
    SpecialAward,
    WeightRow,
)
from judging.formatting import date_dot, datetime_dot, local_time, number
from judging.messages import N_
from judging.models import (
    Conflict,
    Contest,
    Criterion,
    Entrant,
    Entry,
    EntryComment,
    Round,
    RoundEntry,
    Score,
    Sheet,
    SheetSignature,
    User,
)
from judging.services import approvals, charts, judge_screens, published, rubric, sheets
from judging.services.errors import NotFound


@overload
def _local(value: dt.datetime) -> dt.datetime: ...
@overload
def _local(value: None) -> None: ...
def _local(value: dt.datetime | None) -> dt.datetime | None:
    """Stored times are naive UTC; documents print Korea time."""
    if value is None:
        return None
    return local_time(value).replace(tzinfo=None)


def _short(name: str) -> str:
    """"고봉동 지역사회보장협의체" -> "고봉동" (the report's tie lines stay readable)."""
    return name.split()[0] if name.split() else name


def _with_names(text: str, names: dict[str, str]) -> str:
    """Replace entry keys in a tie-break sentence by the entrants' short names."""
    if not names:
        return text
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
                         + r")(?![\w-])")
    return pattern.sub(lambda m: names[m.group(1)], text)


# --- the result report -----------------------------------------------------------------------

def approval_lines(session: orm.Session, contest: Contest, version: int) -> tuple[tuple[str, ...],
                                                                               tuple[tuple[str, str], ...], str]:
    """The 결재란 of a published version: (box labels, (label, "name\ndate") marks, a note line).
    A version published after a second organizer's approval prints who asked and who approved."""
    approval = approvals.for_version(session, contest, version)
    if approval is None:
        return (("담당", "팀장", "과장"), (),
                f"제{version}판은 2인 결재(다른 주최자의 승인) 없이 공개했습니다.")
    asked, approved = approval.requester, approval.decider
    when = [date_dot(_local(t).date()) if t else "" for t in (approval.requested_at, approval.decided_at)]
    marks = (("기안", f"{asked.name if asked else '—'}\n{when[0]}"),
             ("결재", f"{approved.name if approved else '—'}\n{when[1]}"))
    note = (f"2인 결재: {asked.name if asked else '—'} 요청({when[0]}), "
            f"{approved.name if approved else '—'} 승인({when[1]}).")
    return ("기안", "결재"), marks, note


def report_data(contest: Contest, result: published.Published, session: orm.Session | None = None) -> ReportData:
    """The result report (심사 결과 보고) of a published snapshot; with ``session``, its 결재란 shows the
    approval the version went out under (or says there was none)."""
    content = result.content
    last = content.last_round
    criteria_spec = last.criteria if last is not None else ()
    # the per-criterion figures are points of the total (× weight), so the heading shows the weighted maximum
    headings = tuple(f"{c.title} ({c.weighted_max or c.max})" for c in criteria_spec)
    keys = [c.key for c in criteria_spec]
    short_names = {e.key: _short(e.name) for e in result.entries}
    for award in result.awards:
        short_names.setdefault(award.entry.key, _short(award.entry.name))

    weights, weight_notes, contributions, titles = _combination(content)
    rows = []
    tie_lines = []
    judge_count = content.contest.judge_count
    for e in result.entries:
        scores = dict(e.criteria)
        notes = []
        if e.recused:
            notes.append(f"이해충돌 회피 {e.recused}인: {e.n}인 점수로 집계")
        elif judge_count and e.n and e.n < judge_count:
            notes.append(f"심사위원 {e.n}인 점수로 집계")
        if e.message:
            notes.append(e.message)
        parts = contributions.get(e.key)
        if parts:
            notes.append(" + ".join(f"{titles.get(x.key, x.key)} {x.contribution}" for x in parts))
        tier = e.tier_title or ("미정" if e.tier == published.PENDING else None)
        rows.append(ReportRow(
            rank=e.rank, entrant=e.name, title=e.title,
            criteria=tuple(scores.get(k) or "" for k in keys),
            total=e.score or "-", n=e.n, tier=tier, note="; ".join(notes),
        ))
        if e.tie_break:
            tie_lines.append(f"{e.rank}위 {e.name}: {_with_names(e.tie_break, short_names)}")
    tiers = {t.key: t.title for t in content.tiers}
    stale_lines = []
    for d in content.decisions:
        if d.kind not in ("tier", "order", "advance"):
            continue
        names = ", ".join(short_names.get(k, k) for k in d.entries)
        what = {"tier": f"'{tiers.get(str(d.tier), d.tier)}' 경계 동점 결정",
                "order": "동순위 순서 결정", "advance": "진출 경계 동점 결정"}[d.kind]
        line = f"{what} ({names}): {d.reason}"
        if d.minutes:
            line += f" — 회의록: {d.minutes}"
        if d.applied is False:
            # recorded before a correction: the tie it settled is gone, so it decided nothing here
            stale_lines.append(f"적용되지 않은 결정 (해당 동점이 없어짐): {line}")
            continue
        tie_lines.append(line)
    tie_lines += stale_lines
    specials = tuple(SpecialAward(award=a.award_name, entrant=a.entry.name, reason=a.reason)
                     for a in result.awards if a.kind == "special")
    published_at = _local(result.published_at)
    notes = [f"이 보고서는 제{result.version}판 공개 결과(공개 {datetime_dot(published_at)})를 기준으로 작성했습니다.",
             f"제{result.version}판 요약값(sha256): {result.digest} — 감사 기록의 해시 체인에 들어 있어 "
             "`judging audit verify`로 대조할 수 있습니다."]
    return ReportData(
        contest_title=contest.title,
        round_title=last.title if last is not None else "",
        held_on=contest.held_on,
        venue=contest.venue,
        judge_count=judge_count,
        method_lines=content.contest.method_text,
        tie_break_order=content.contest.tie_break_text,
        criteria=headings,
        rows=tuple(rows),
        tie_resolutions=tuple(tie_lines),
        special_awards=specials,
        organizer=contest.organizer,
        ranking_chart=charts.ranking_chart_of_snapshot(result),
        weights=weights,
        weight_notes=weight_notes,
        **({"notes": tuple(notes)} if session is None else _approval_fields(session, contest, result.version, notes)),
    )


def _combination(result: published.PublishedResult) -> tuple[tuple[WeightRow, ...], tuple[str, ...],
                                                              dict[str, tuple], dict]:
    """A weighted final's part of the report, from the snapshot: one row per component (announced vs
    effective weight), the notes (margin, warnings, audience turnout), each entry's contributions."""
    combination = result.combination
    if combination is None:
        return (), (), {}, {}
    titles = {c.key: c.title for c in combination.components}
    rows = tuple(WeightRow(str(c.title), str(c.announced), str(c.effective or "-"), str(c.departure or "-"),
                           c.warning) for c in combination.components)
    notes = ["실제 가중치: 참가팀 최종 점수 차이(분산) 가운데 각 요소가 만든 몫 "
             f"(공분산 비율). 발표 가중치와 {combination.margin}%p 넘게 다르면 경고합니다."]
    if combination.reason:
        notes.append(combination.reason)
    notes += [f"경고: {w}" for w in combination.warnings]
    for aud in result.audience:
        turnout = aud.turnout
        line = (f"{aud.title}: 1~5점 평가, 평균을 1점 → 0점, 5점 → {aud.max}점으로 환산. "
                f"투표 {aud.ballots}표")
        if turnout:
            line += (f" (발급 {turnout.issued}장, 취소 {turnout.revoked}장, "
                     f"투표율 {turnout.percent_display or '-'}%)")
        notes.append(line + ".")
    contributions = dict(combination.parts)
    return rows, tuple(notes), contributions, titles


def _approval_fields(session: orm.Session, contest: Contest, version: int, notes: list[str]) -> dict:
    signatures, marks, note = approval_lines(session, contest, version)
    return {"signatures": signatures, "approvals": marks, "notes": (*notes, note)}


# --- a judge's score sheet -------------------------------------------------------------------

def judges(session: orm.Session, contest: Contest) -> list[User]:
    return list(session.scalars(sa.select(User).where(User.contest_id == contest.id, User.role == "judge")
                                .order_by(User.judge_key)))


def judge_by_key(session: orm.Session, contest: Contest, key: str) -> User:
    judge = session.scalar(sa.select(User).where(User.contest_id == contest.id, User.role == "judge",
                                                 User.judge_key == key))
    if judge is None:
        raise NotFound(N_("심사위원을 찾을 수 없습니다."))
    return judge


def round_by_key(session: orm.Session, contest: Contest, key: str | None) -> Round:
    """The round with ``key``, or the last round when ``key`` is None. Raises NotFound."""
    query = sa.select(Round).where(Round.contest_id == contest.id)
    rnd = session.scalar(query.where(Round.key == key) if key else query.order_by(Round.position.desc()).limit(1))
    if rnd is None:
        raise NotFound(N_("심사 단계를 찾을 수 없습니다."))
    return rnd


def score_sheet_data(session: orm.Session, contest: Contest, rnd: Round, judge: User) -> ScoreSheetData:
    """The judge's own scores and comments in the round, in presentation order."""
    criteria = list(session.scalars(sa.select(Criterion).where(Criterion.round_id == rnd.id)
                                    .order_by(Criterion.position)))
    entries = session.execute(
        sa.select(Entry, Entrant.name).join(RoundEntry, RoundEntry.entry_id == Entry.id)
        .join(Entrant, Entrant.id == Entry.entrant_id)
        .where(RoundEntry.round_id == rnd.id).order_by(RoundEntry.position)
    ).all()
    if not entries:  # a round without a list: the entries the judge scored, by name
        entries = session.execute(
            sa.select(Entry, Entrant.name).join(Entrant, Entrant.id == Entry.entrant_id)
            .where(Entry.id.in_(sa.select(Score.entry_id).join(Criterion, Criterion.id == Score.criterion_id)
                                .where(Score.judge_id == judge.id, Criterion.round_id == rnd.id)))
            .order_by(Entrant.name)
        ).all()
    scores: dict[tuple[int, int], Decimal | None] = {
        (entry_id, criterion_id): value
        for entry_id, criterion_id, value in session.execute(
            sa.select(Score.entry_id, Score.criterion_id, Score.value).join(Criterion, Criterion.id == Score.criterion_id)
            .where(Score.judge_id == judge.id, Criterion.round_id == rnd.id)
        )
    }
    comments = dict(list(session.execute(
        sa.select(EntryComment.entry_id, EntryComment.body)
        .where(EntryComment.judge_id == judge.id, EntryComment.round_id == rnd.id)
    )))
    recused = set(session.scalars(sa.select(Conflict.entry_id).where(Conflict.judge_id == judge.id)))
    sheet = session.scalar(sa.select(Sheet).where(Sheet.judge_id == judge.id, Sheet.round_id == rnd.id))
    rows = []
    for entry, name in entries:
        if entry.id in recused:
            rows.append(SheetRow(entrant=name, title=entry.title, scores=(), total="", recused=True))
            continue
        values = [scores.get((entry.id, c.id)) for c in criteria]
        complete = all(v is not None for v in values)
        total = number(rubric.judge_total(criteria, {c.id: v for c, v in zip(criteria, values, strict=True)})
                       ) if complete and criteria else ""
        rows.append(SheetRow(entrant=name, title=entry.title, scores=tuple(number(v) for v in values), total=total,
                             comment=(comments.get(entry.id) or "").strip()))
    submitted = sheet.submitted_at if sheet is not None and sheet.status == "submitted" else None
    signature = _signature(session, judge, rnd, sheet) if submitted and sheet is not None else None
    return ScoreSheetData(
        contest_title=contest.title,
        round_title=rnd.title,
        held_on=contest.held_on,
        judge_name=judge.name,
        judge_affiliation=judge.affiliation,
        criteria=tuple(rubric.criterion_heading(c) for c in criteria),
        max_total=number(rubric.max_total(criteria)),
        rows=tuple(rows),
        submitted_at=_local(submitted),
        signature=signature,
    )


def _signature(session: orm.Session, judge: User, rnd: Round, sheet: Sheet) -> SignatureData | None:
    """The sheet's signature for printing, checked against the sheet's content now."""
    signed = judge_screens.active_signature(session, sheet.id)
    if signed is None:
        return None
    now = sheets.content_hash(sheets.sheet_content(session, judge, rnd))
    strokes = tuple(tuple((int(x), int(y)) for x, y in stroke) for stroke in (signed.strokes or ()))
    return SignatureData(method=signed.method, strokes=strokes, box=sheets.SIGNATURE_BOX,
                         signed_at=_local(signed.signed_at), content_hash=signed.content_hash,
                         matches=signed.content_hash == now)


def signed_score_sheets(session: orm.Session, contest: Contest, rnd: Round) -> list[ScoreSheetData]:
    """Every judge's signed sheet of the round (on the tablet or on paper), by judge name, for the file."""
    signed = session.execute(
        sa.select(User).join(Sheet, Sheet.judge_id == User.id)
        .join(SheetSignature, sa.and_(SheetSignature.sheet_id == Sheet.id, SheetSignature.voided_at.is_(None)))
        .where(Sheet.round_id == rnd.id, Sheet.status == "submitted", User.contest_id == contest.id)
        .order_by(User.name, User.id)).scalars().all()
    return [score_sheet_data(session, contest, rnd, judge) for judge in signed]
