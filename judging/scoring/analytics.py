"""Judge analytics for one round: each judge against the panel, wide disagreements, panel agreement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from judging.messages import N_, Text

from .rounding import CONTEXT, display, fraction_to_decimal

_ZERO = Decimal(0)


@dataclass(frozen=True)
class JudgeStats:
    """A judge's counted totals in a round: how many, their mean and population standard deviation,
    beside the panel's (all counted totals of the round); ``offset`` = mean − panel mean."""

    judge: str
    n: int
    mean: Decimal | None
    std: Decimal | None
    panel_mean: Decimal | None
    panel_std: Decimal | None
    offset: Decimal | None


@dataclass(frozen=True)
class Disagreement:
    """An entry whose judges' totals differ by more than the alert: ``spread`` = highest − lowest."""

    entry: str
    spread: Decimal
    lowest: Decimal
    highest: Decimal
    totals: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class Agreement:
    """Panel agreement: ICC(2,1) (two-way random effects, absolute agreement, single rater) with Koo &
    Li's bands, and Kendall's W (tie-corrected) with Schmidt's bands, computed by complete-case
    analysis (listwise deletion): over the judges who counted any total, on the entries every one of
    them has a counted total for. An entry a judge recused from (or did not finish) is left out, and
    ``excluded`` says how many; ``entries`` is how many were used. Values are None with ``reason``
    when they cannot be computed. ``method`` says in Korean what was used."""

    judges: int
    entries: int
    icc: Decimal | None
    icc_band: str | None
    kendall_w: Decimal | None
    kendall_band: str | None
    reason: str | None = None
    excluded: int = 0
    method: str = ""

    @property
    def icc_display(self) -> str | None:
        return display(self.icc)

    @property
    def kendall_w_display(self) -> str | None:
        return display(self.kendall_w)


@dataclass(frozen=True)
class RoundAnalytics:
    judges: tuple[JudgeStats, ...]
    disagreements: tuple[Disagreement, ...]
    agreement: Agreement


def icc_band(value: Decimal) -> str:
    """Koo & Li (2016): < 0.5 poor, 0.5–0.75 moderate, 0.75–0.9 good, > 0.9 excellent."""
    if value < Decimal("0.5"):
        return Text(N_("낮음 (poor)"))
    if value < Decimal("0.75"):
        return Text(N_("보통 (moderate)"))
    if value <= Decimal("0.9"):
        return Text(N_("좋음 (good)"))
    return Text(N_("매우 좋음 (excellent)"))


def kendall_band(value: Decimal) -> str:
    """Schmidt (1997): < 0.1 very weak, 0.1–0.3 weak, 0.3–0.5 moderate, 0.5–0.7 strong, ≥ 0.7 very strong."""
    if value < Decimal("0.1"):
        return Text(N_("매우 약함 (very weak)"))
    if value < Decimal("0.3"):
        return Text(N_("약함 (weak)"))
    if value < Decimal("0.5"):
        return Text(N_("보통 (moderate)"))
    if value < Decimal("0.7"):
        return Text(N_("강함 (strong)"))
    return Text(N_("매우 강함 (very strong)"))


def _scaled(matrix: Mapping[str, Mapping[str, Decimal]]) -> tuple[dict[str, dict[str, int]], int]:
    """The matrix as integers times 10**d (exact), so sums of squares need no rounding."""
    digits = 0
    seen: set[Decimal] = set()
    for row in matrix.values():
        seen.update(row.values())
    for value in seen:  # few distinct totals, so look at each once
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > digits:
            digits = -exponent
    factor = 10**digits
    scaled = {e: {j: int(v * factor) for j, v in row.items()} for e, row in matrix.items()}
    return scaled, factor


def _dec(value: Fraction) -> Decimal:
    return fraction_to_decimal(value)


def icc_2_1(
    matrix: Mapping[str, Mapping[str, Decimal]],
    judges: Sequence[str],
    scaled: Mapping[str, Mapping[str, int]] | None = None,
) -> Decimal | None:
    """ICC(2,1) of a complete matrix ``matrix[entry][judge]`` (Shrout & Fleiss; McGraw & Wong ICC(A,1)):
    (MSR − MSE) / (MSR + (k−1)·MSE + k·(MSC − MSE)/n), computed exactly. None when the denominator is 0.
    ``scaled`` may pass the matrix already as integers (any common factor: ICC is scale-free)."""
    if scaled is None:
        scaled, _factor = _scaled(matrix)
    n, k = len(scaled), len(judges)
    grand = sum(sum(row.values()) for row in scaled.values())
    squares = sum(v * v for row in scaled.values() for v in row.values())
    correction = Fraction(grand * grand, n * k)
    ss_total = squares - correction
    ss_rows = Fraction(sum(sum(row.values()) ** 2 for row in scaled.values()), k) - correction
    ss_cols = Fraction(sum(sum(row[j] for row in scaled.values()) ** 2 for j in judges), n) - correction
    ss_error = ss_total - ss_rows - ss_cols
    msr = ss_rows / (n - 1)
    msc = ss_cols / (k - 1)
    mse = ss_error / ((n - 1) * (k - 1))
    denominator = msr + (k - 1) * mse + k * (msc - mse) / n
    if denominator == 0:
        return None
    return _dec((msr - mse) / denominator)


def kendall_w(matrix: Mapping[str, Mapping[str, Decimal]], judges: Sequence[str]) -> Decimal | None:
    """Kendall's coefficient of concordance W over a complete matrix, ranking each judge's totals
    (average ranks for ties) with the tie correction: W = 12·S / (k²(n³−n) − k·ΣT). None when the
    denominator is 0 (every judge gave every entry the same total)."""
    n, k = len(matrix), len(judges)
    entries = list(matrix)
    twice_rank_sums = dict.fromkeys(entries, 0)  # ranks doubled, so average ranks stay integers
    ties = 0
    for judge in judges:
        column = {e: matrix[e][judge] for e in entries}
        ordered = sorted(entries, key=column.__getitem__)
        i = 0
        while i < n:
            j = i
            value = matrix[ordered[i]][judge]
            while j + 1 < n and matrix[ordered[j + 1]][judge] == value:
                j += 1
            for e in ordered[i : j + 1]:
                twice_rank_sums[e] += i + j + 2  # 2 × average of ranks i+1 .. j+1
            t = j - i + 1
            ties += t**3 - t
            i = j + 1
    twice_mean = k * (n + 1)
    s = Fraction(sum((r - twice_mean) ** 2 for r in twice_rank_sums.values()), 4)
    denominator = k * k * (n**3 - n) - k * ties
    if denominator == 0:
        return None
    return _dec(12 * s / denominator)


def agreement(
    matrix: Mapping[str, Mapping[str, Decimal]],
    judges: Sequence[str],
    scaled: Mapping[str, Mapping[str, int]] | None = None,
) -> Agreement:
    """ICC(2,1) and Kendall's W by complete-case analysis: the judges with any counted total, the
    entries all of them have a counted total for (a recusal or an unfinished sheet leaves that entry
    out). None with the reason (Korean) when fewer than 2 judges or 2 entries remain."""
    if scaled is None:
        scaled, _factor = _scaled(matrix)
    present = [j for j in judges if any(j in row for row in matrix.values())]
    complete = [e for e, row in matrix.items() if all(j in row for j in present)]
    k, n = len(present), len(complete)
    excluded = len(matrix) - n
    if excluded:
        method = Text(N_("완전 사례 분석: 심사위원 {judges}명이 모두 채점한 참가팀 {entries}곳 "
                         "(이해충돌 회피·미채점으로 {excluded}곳 제외)"), judges=k, entries=n, excluded=excluded)
    else:
        method = Text(N_("완전 사례 분석: 심사위원 {judges}명이 모두 채점한 참가팀 {entries}곳"), judges=k, entries=n)
    if k < 2 or n < 2:
        return Agreement(k, n, None, None, None, None,
                         Text(N_("모든 심사위원이 채점한 참가팀이 2곳 이상, 심사위원이 2명 이상이어야 계산합니다")),
                         excluded, method)
    sub = {e: {j: matrix[e][j] for j in present} for e in complete}
    sub_scaled = {e: {j: scaled[e][j] for j in present} for e in complete}
    icc = icc_2_1(sub, present, sub_scaled)
    w = kendall_w(sub, present)
    reason = None if icc is not None and w is not None else Text(N_("점수에 변동이 없어 계산할 수 없습니다"))
    return Agreement(
        k,
        n,
        icc,
        icc_band(icc) if icc is not None else None,
        w,
        kendall_band(w) if w is not None else None,
        reason,
        excluded,
        method,
    )


def analyse_round(
    matrix: Mapping[str, Mapping[str, Decimal]],
    judges: Sequence[str],
    spread_alert: Decimal,
) -> RoundAnalytics:
    """Analytics over ``matrix[entry][judge] = counted total`` for a round's panel ``judges``."""
    with localcontext(CONTEXT):
        judges = sorted(judges)
        scaled, factor = _scaled(matrix)
        everything = [v for row in scaled.values() for v in row.values()]
        panel_mean = panel_std = None
        if everything:
            panel_mean, panel_std = _mean_std(everything, factor)
        by_judge: dict[str, list[int]] = {j: [] for j in judges}
        for row in scaled.values():
            for judge, value in row.items():
                by_judge.setdefault(judge, []).append(value)
        stats = []
        for judge in sorted(by_judge):
            values = by_judge[judge]
            if not values:
                stats.append(JudgeStats(judge, 0, None, None, panel_mean, panel_std, None))
                continue
            mean, std = _mean_std(values, factor)
            offset = mean - panel_mean if panel_mean is not None else None
            stats.append(JudgeStats(judge, len(values), mean, std, panel_mean, panel_std, offset))
        disagreements = []
        for entry in sorted(matrix):
            given = matrix[entry]
            if len(given) < 2:
                continue
            low, high = min(given.values()), max(given.values())
            if high - low > spread_alert:
                disagreements.append(Disagreement(entry, high - low, low, high, tuple(sorted(given.items()))))
        return RoundAnalytics(tuple(stats), tuple(disagreements), agreement(matrix, judges, scaled))


def _mean_std(values: list[int], factor: int) -> tuple[Decimal, Decimal]:
    """Exact mean and population standard deviation of integers scaled by ``factor``."""
    n = len(values)
    total = sum(values)
    squares = sum(v * v for v in values)
    mean = Fraction(total, n * factor)
    variance = Fraction(n * squares - total * total, n * n * factor * factor)
    return _dec(mean), _dec(variance).sqrt(CONTEXT)
