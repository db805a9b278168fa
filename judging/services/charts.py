"""Chart data from the scoring core's results (and from the live board's timestamps).

Every figure placed on a chart is one the core returned — a final score, a judge's total, an
offset, a spread, the panel's agreement — with the text the core's display rule gave it; this module
only picks them out and names the entries and judges. Nothing here adds, averages or ranks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation

from judging import charts, scoring
from judging.services import progress as board_progress
from judging.services.published import PENDING, Published

_TRIMMED = (scoring.DROP_HIGH, scoring.DROP_LOW)


def _decimal(text: object) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return None


def _tied_ranks(ranks: list[int | None]) -> set[int]:
    seen: dict[int, int] = {}
    for rank in ranks:
        if rank is not None:
            seen[rank] = seen.get(rank, 0) + 1
    return {rank for rank, count in seen.items() if count > 1}


def _bands(tiers: list[tuple[str, str, Decimal | None]], rows: list[charts.RankingRow]) -> tuple[charts.TierBand, ...]:
    """Each tier with the lowest final score holding it (the cut-off as it fell)."""
    out = []
    for key, title, threshold in tiers:
        holders = [r for r in rows if r.tier == key and r.value is not None]
        low = min(holders, key=lambda r: r.value) if holders else None  # type: ignore[arg-type, return-value]
        out.append(charts.TierBand(key, title, low.value if low else None, low.display if low else None, threshold))
    return tuple(out)


#: rows a ranking chart draws at most (the page) and in the result report (one A4 page)
MOST_ROWS = 60
MOST_ROWS_REPORT = 40


def ranking_chart(inputs: object, result: scoring.ContestResult, caption: str = "",
                  judge_name: Callable[[str], str] | None = None, most: int = MOST_ROWS) -> charts.RankingChart:
    """The final ranking of ``result`` (``inputs`` are the service's ``ContestInputs`` of it).

    Judges' totals are the last round's counted totals (``EntryRoundResult.totals``); those the
    method trimmed are hollow. They are drawn only when the final is the last round alone (a
    weighted final is on another scale). ``judge_name`` names a judge by key (default: the name).
    Only the first ``most`` entries are drawn; the tiers' cut-offs are those of the whole ranking."""
    names = {k: info.name for k, info in inputs.entrants.items()}  # type: ignore[attr-defined]
    judges: Mapping[str, str] = inputs.judges  # type: ignore[attr-defined]
    name_of = judge_name or (lambda key: judges.get(key, key))
    tiers = [(t.key, t.title, t.threshold) for t in inputs.tiers]  # type: ignore[attr-defined]
    titles = {key: title for key, title, _ in tiers}
    last = result.rounds[-1]
    with_dots = str(result.final_mode) == str(scoring.FinalMode.LAST)
    flagged = {d.entry for d in last.analytics.disagreements}
    tied = _tied_ranks([fe.rank for fe in result.final])
    rows = []
    bands = _bands(tiers, [charts.RankingRow(fe.entry, "", fe.rank, fe.exact, fe.display, fe.tier, "", False, fe.n)
                           for fe in result.final])
    for fe in result.final[:most]:
        dots: tuple[charts.Dot, ...] = ()
        recused = 0
        try:
            er = last.entry(fe.entry)
        except KeyError:
            er = None
        if er is not None:
            recused = len(er.recused)
            trimmed = {d.judge for d in er.dropped if d.reason in _TRIMMED}
            dots = tuple(charts.Dot(name_of(judge), total, scoring.display(total) or "", judge not in trimmed)
                         for judge, total in er.totals)
        rows.append(charts.RankingRow(
            key=fe.entry, name=names.get(fe.entry, fe.entry), rank=fe.rank, value=fe.exact, display=fe.display,
            tier=fe.tier, tier_title=titles.get(fe.tier or "", ""), tied=fe.rank in tied, n=fe.n,
            recused=recused, disagreement=fe.entry in flagged, dots=dots if with_dots else (),
        ))
    scale = last.max_total if with_dots else result.final_max
    return charts.RankingChart(caption, scale, tuple(rows), bands, with_dots, len(result.final))


def ranking_chart_of_snapshot(result: Published, caption: str = "", most: int = MOST_ROWS_REPORT) -> charts.RankingChart:
    """The same chart from a published snapshot (for the result report): the published scores and
    each entry's counted judges' totals (``judge_totals``; those in ``dropped`` were trimmed),
    without judges' names."""
    content = result.content
    with_dots = content.contest.final_mode == str(scoring.FinalMode.LAST) and any(e.judge_totals for e in result.entries)
    tiers = [(t.key, t.title, _decimal(t.threshold)) for t in content.tiers]
    titles = {key: title for key, title, _ in tiers}
    tied = _tied_ranks([e.rank for e in result.entries])
    rows = []
    for e in result.entries:
        dots = []
        trimmed = set(e.dropped or ())
        for judge, total in e.judge_totals if with_dots else ():
            value = _decimal(total)
            if value is not None:
                dots.append(charts.Dot("", value, scoring.display(value) or "", judge not in trimmed))
        rows.append(charts.RankingRow(
            key=e.key, name=e.name, rank=e.rank, value=e.score_decimal, display=e.score, tier=e.tier,
            tier_title=titles.get(e.tier or "", "") if e.tier != PENDING else "", tied=e.rank in tied, n=e.n,
            recused=e.recused, dots=tuple(dots),
        ))
    last = content.last_round
    scale = _decimal(last.max_total) if last is not None and with_dots else Decimal(100)
    return charts.RankingChart(caption, scale or Decimal(100), tuple(rows[:most]), _bands(tiers, rows), with_dots,
                               len(rows))


def judges_charts(inputs: object, result: scoring.ContestResult) -> list[charts.JudgesChart]:
    """One chart per round: each judge's offset and spread, the panel agreement, the flagged entries."""
    names = {k: info.name for k, info in inputs.entrants.items()}  # type: ignore[attr-defined]
    judges: Mapping[str, str] = inputs.judges  # type: ignore[attr-defined]
    out = []
    for rnd in result.rounds:
        a = rnd.analytics
        bars = tuple(
            charts.JudgeBar(j.judge, judges.get(j.judge, j.judge), j.n, scoring.display(j.mean), j.offset,
                            scoring.display(j.offset), j.std, scoring.display(j.std))
            for j in a.judges
        )
        agreement = a.agreement
        flagged = tuple(
            charts.Flagged(names.get(d.entry, d.entry), scoring.display(d.spread) or "", d.lowest, d.highest,
                           tuple(charts.Dot(judges.get(j, j), t, scoring.display(t) or "", True) for j, t in d.totals))
            for d in sorted(a.disagreements, key=lambda d: (-d.spread, d.entry))
        )
        out.append(charts.JudgesChart(
            caption=rnd.title, scale_max=rnd.max_total, judges=bars,
            agreement=agreement.icc, agreement_display=scoring.display(agreement.icc),
            agreement_band=agreement.icc_band, agreement_note=agreement.reason,
            kendall_display=scoring.display(agreement.kendall_w), kendall_band=agreement.kendall_band,
            flagged=flagged,
        ))
    return out


def weights_chart(check: object, turnouts: Sequence[object] = (), caption: str = "") -> charts.WeightsChart | None:
    """Announced against effective weight of each component of a weighted final, from the core's
    ``combination_check``, and each audience round's turnout (``services.audience.contest_turnout``:
    the core's ``Turnout``). None when there is neither."""
    if check is None and not turnouts:
        return None
    bars = tuple(
        charts.WeightBar(c.title, c.announced, c.announced_display, c.effective, c.effective_display, bool(c.warning))
        for c in (check.components if check is not None else ())  # type: ignore[attr-defined]
    )
    shown = tuple(
        charts.TurnoutBar(t.title, t.turnout.cast, t.turnout.valid, t.turnout.percent,  # type: ignore[attr-defined]
                          t.turnout.percent_display)  # type: ignore[attr-defined]
        for t in turnouts
    )
    return charts.WeightsChart(caption, bars, shown, check.reason if check is not None else None)  # type: ignore[attr-defined]


def day_chart(board: board_progress.Board, to_local: Callable[[dt.datetime], dt.datetime], now: dt.datetime,
              caption: str = "", name: Callable[[str], str] = str) -> charts.DayChart:
    """A round's scoring over time, read off its live board (``services.progress.board``): when each
    expected judge × entry cell became complete (its last score saved), cumulated, up to the cells
    expected; and when each judge submitted the sheet (marked with ``name(judge's name)``)."""
    points = tuple(charts.DayPoint(to_local(at), i) for i, at in enumerate(board.completed_at, start=1))
    marks = tuple(sorted(
        (charts.DayMark(to_local(dt.datetime.fromisoformat(row.submitted_at)), name(row.name))
         for row in board.judges if row.sheet == "submitted" and row.submitted_at),
        key=lambda m: m.at,
    ))
    times = [p.at for p in points] + [m.at for m in marks]
    end = to_local(now)
    start = min(times) if times else end - dt.timedelta(hours=1)
    if times and max(times) > end:
        end = max(times)
    if end - start < dt.timedelta(minutes=30):
        start = end - dt.timedelta(minutes=30)
    return charts.DayChart(caption, board.cells_expected, points, marks, start, end)
