"""The chart data: plain frozen dataclasses that ``judging.services.charts`` fills from the scoring
core's results (every value is a figure the core returned, with the text its display rule gave)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from judging.formatting import time_24


@dataclass(frozen=True)
class Dot:
    """One judge's total for an entry: ``counted`` False when trimmed (최고점·최저점 제외)."""

    judge: str  # the judge's name (organizer pages) or "" (the report names no judge)
    value: Decimal
    display: str
    counted: bool


@dataclass(frozen=True)
class RankingRow:
    """One entry of the ranking as the core placed it. ``tier`` is a tier key, ``pending`` or None;
    ``tied`` when it shares its rank; ``disagreement`` when the core flagged its judges' spread."""

    key: str
    name: str
    rank: int | None
    value: Decimal | None
    display: str | None
    tier: str | None
    tier_title: str
    tied: bool
    n: int
    recused: int = 0
    disagreement: bool = False
    dots: tuple[Dot, ...] = ()


@dataclass(frozen=True)
class TierBand:
    """A tier and where it starts: ``cutoff`` is the lowest final score holding it (None if nobody
    does); ``threshold`` the announced minimum, when the tier has one."""

    key: str
    title: str
    cutoff: Decimal | None
    cutoff_display: str | None
    threshold: Decimal | None = None


@dataclass(frozen=True)
class RankingChart:
    """The final ranking on the scale of ``scale_max`` (the last round's maximum, or 100 for a
    weighted final). ``dots`` says whether judges' totals share that scale (a last-round final).
    ``total`` counts the entries of the whole ranking; ``rows`` may hold only its top (a chart of a
    thousand rows is not read at a glance); the tiers' cut-offs are those of the whole ranking."""

    caption: str
    scale_max: Decimal
    rows: tuple[RankingRow, ...]
    tiers: tuple[TierBand, ...]
    dots: bool = True
    total: int = 0


@dataclass(frozen=True)
class JudgeBar:
    """A judge against the panel: ``offset`` = the judge's mean − the panel mean (severity), ``std``
    the spread of the judge's totals. None (with n = 0) for a judge who scored nothing."""

    key: str
    name: str
    n: int
    mean_display: str | None
    offset: Decimal | None
    offset_display: str | None
    std: Decimal | None
    std_display: str | None


@dataclass(frozen=True)
class Flagged:
    """An entry the core flagged: its judges' totals differ by ``spread`` (highest − lowest)."""

    name: str
    spread_display: str
    lowest: Decimal
    highest: Decimal
    dots: tuple[Dot, ...]


@dataclass(frozen=True)
class JudgesChart:
    """One round's judges. ``agreement`` is the ICC(2,1) the core computed (0–1), shown with
    ``agreement_display`` and the core's ``agreement_band``; ``agreement_note`` why it is missing."""

    caption: str
    scale_max: Decimal
    judges: tuple[JudgeBar, ...]
    agreement: Decimal | None
    agreement_display: str | None
    agreement_band: str | None
    agreement_note: str | None
    kendall_display: str | None
    kendall_band: str | None
    flagged: tuple[Flagged, ...]


@dataclass(frozen=True)
class DayPoint:
    at: dt.datetime  # local time
    done: int  # judge × entry cells complete by then


@dataclass(frozen=True)
class DayMark:
    at: dt.datetime  # local time
    label: str  # who submitted

    @property
    def time(self) -> str:
        return time_24(self.at)


@dataclass(frozen=True)
class DayChart:
    """A round's scoring over the day: cumulative complete cells, the cells expected, the sheets'
    submission times. ``start``/``end`` bound the time axis."""

    caption: str
    expected: int
    points: tuple[DayPoint, ...]
    submissions: tuple[DayMark, ...]
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class WeightBar:
    title: str
    announced: Decimal
    announced_display: str
    effective: Decimal | None
    effective_display: str | None
    warning: bool


@dataclass(frozen=True)
class TurnoutBar:
    """An audience round's turnout: ballots cast of the valid ones, and the core's percentage."""

    title: str
    cast: int
    valid: int
    percent: Decimal | None
    percent_display: str | None


@dataclass(frozen=True)
class WeightsChart:
    """A weighted final's components (announced and effective weight, in percent) and the turnout
    of each audience round. ``note`` says why no effective weight could be worked out."""

    caption: str
    components: tuple[WeightBar, ...]
    turnouts: tuple[TurnoutBar, ...] = ()
    note: str | None = None
