"""The charts plot the core's figures: a contest with trimming, a recusal and a tie across a tier
boundary, drawn as SVG and as the report's reportlab drawing, every mark checked against the core's
result, and every figure also in the chart's text alternative."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from reportlab.graphics.shapes import Circle, Drawing

from judging import charts, scoring
from judging.documents.chart import ranking_drawing
from judging.services import charts as service_charts
from judging.services import decisions, lifecycle, published, results
from tests.support.contests import CHART_CONTEST, TOTALS
from tests.support.scores import put_scores, submit_sheets

SVG = "{http://www.w3.org/2000/svg}"

@pytest.fixture()
def charted(make_contest, session):  # noqa: ANN001, ANN201
    contest = make_contest(slug="chart-2024", text=CHART_CONTEST, status="judging")
    put_scores(session, contest, [("final", j, e, "score", v) for e, row in TOTALS.items() for j, v in row.items()])
    submit_sheets(session, contest)
    inputs, result = results.compute_with_inputs(session, contest)
    return contest, inputs, result


def test_the_contest_has_trimming_a_recusal_and_a_boundary_tie(charted):
    _contest, _inputs, result = charted
    final = {fe.entry: fe for fe in result.final}
    assert final["b"].tier == final["c"].tier == scoring.PENDING and final["b"].rank == final["c"].rank == 2
    assert result.round("final").entry("c").recused == ("j4",)
    assert {d.reason for d in result.round("final").entry("a").dropped} == {scoring.DROP_HIGH, scoring.DROP_LOW}


def test_the_ranking_chart_data_is_the_core_result(charted):
    _contest, inputs, result = charted
    chart = service_charts.ranking_chart(inputs, result)
    last = result.round("final")
    assert [r.key for r in chart.rows] == [fe.entry for fe in result.final]
    for row, fe in zip(chart.rows, result.final, strict=True):
        er = last.entry(fe.entry)
        assert (row.value, row.display, row.rank, row.n) == (fe.exact, fe.display, fe.rank, fe.n)
        assert [(d.value, d.display) for d in row.dots] == [(t, scoring.display(t)) for _j, t in er.totals]
        trimmed = {d.judge for d in er.dropped if d.reason in (scoring.DROP_HIGH, scoring.DROP_LOW)}
        assert [d.counted for d in row.dots] == [j not in trimmed for j, _t in er.totals]
    rows = {r.key: r for r in chart.rows}
    assert len(rows["c"].dots) == 3 and rows["c"].recused == 1
    assert rows["b"].tied and rows["c"].tied and not rows["a"].tied
    cutoffs = {t.key: t.cutoff_display for t in chart.tiers}
    assert cutoffs == {"best": "91.00", "excellence": None, "encouragement": "70.50"}
    assert chart.scale_max == last.max_total == Decimal(100)


def test_the_svg_plots_exactly_those_figures_where_the_axis_puts_them(charted):
    _contest, inputs, result = charted
    chart = service_charts.ranking_chart(inputs, result)
    markup = str(charts.svg_ranking(chart))
    svg = ET.fromstring(markup)
    axis = charts.ranking_axis(chart)
    assert svg.get("role") == "img"
    labelled = svg.get("aria-labelledby").split()
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert [title.get("id"), desc.get("id")] == labelled
    for fe in result.final:
        group = svg.find(f".//{SVG}g[@data-entry='{fe.entry}']")
        final = group.find(f"{SVG}rect[@data-final='yes']")
        assert final.get("data-value") == fe.display
        assert float(final.get("x")) + 3 == pytest.approx(axis.at(fe.exact), abs=0.06)
        totals = result.round("final").entry(fe.entry).totals
        circles = group.findall(f"{SVG}circle")
        assert [c.get("data-value") for c in circles] == [scoring.display(t) for _j, t in totals]
        for circle, (_j, total) in zip(circles, totals, strict=True):
            assert float(circle.get("cx")) == pytest.approx(axis.at(total), abs=0.06)
        hollow = [c.get("data-counted") == "no" for c in circles]
        assert [c.get("fill") == "#ffffff" for c in circles] == hollow
        # the text alternative names the same figures
        assert fe.display in desc.text and all(scoring.display(t) in desc.text for _j, t in totals)
    assert sum(c.get("data-counted") == "no" for c in svg.iter(f"{SVG}circle")) == 2 * 4 + 2  # a,b,d,e: 2; c: 2
    assert len(svg.findall(f".//{SVG}path[@data-tie='yes']")) == 1
    cut = {line.get("data-cutoff"): line.get("data-value") for line in svg.iter(f"{SVG}line") if line.get("data-cutoff")}
    assert cut == {"best": "91.00", "encouragement": "70.50"}
    assert all("style" not in el.attrib for el in svg.iter())  # the pages' CSP forbids inline styles


def test_the_report_drawing_has_the_same_marks(charted):
    _contest, inputs, result = charted
    chart = service_charts.ranking_chart(inputs, result)
    drawing = ranking_drawing(chart, 480)
    assert isinstance(drawing, Drawing)
    circles = [s for s in drawing.contents if isinstance(s, Circle) and s.r == pytest.approx(2.6)]
    dots = [d for r in chart.rows for d in r.dots]
    legend = 2
    assert len(circles) == len(dots) + legend
    axis = charts.Axis(*charts.value_range([r.value for r in chart.rows] + [d.value for d in dots], chart.scale_max),
                       480 * 0.36 + 6, 480 - 34 - 6)
    assert sorted(round(c.cx, 3) for c in circles[:-legend]) == sorted(round(axis.at(d.value), 3) for d in dots)


def test_the_snapshot_keeps_the_totals_the_report_draws(charted, session):
    contest, inputs, result = charted
    contest.status = "locked"
    session.commit()
    for tie in result.unresolved_ties:
        decisions.record_tier_decision(session, contest, tie.boundary, ["b"], "협의 결과", actor_label="test")
    lifecycle.publish(session, contest, actor_label="test")
    session.commit()

    snapshot = published.load(session, contest, public=False)
    chart = service_charts.ranking_chart_of_snapshot(snapshot)
    _inputs, live = results.compute_with_inputs(session, contest)
    assert [(r.key, r.display) for r in chart.rows] == [(fe.entry, fe.display) for fe in live.final]
    for row in chart.rows:
        er = live.round("final").entry(row.key)
        assert [d.display for d in row.dots] == [scoring.display(t) for _j, t in er.totals]
        assert all(d.judge == "" for d in row.dots)  # the report names no judge
    assert {t.key: t.cutoff_display for t in chart.tiers} == {"best": "91.00", "excellence": "85.50",
                                                            "encouragement": "70.50"}


def test_the_judges_chart_is_the_core_analytics(charted):
    _contest, inputs, result = charted
    (chart,) = service_charts.judges_charts(inputs, result)
    a = result.round("final").analytics
    assert [(j.key, j.n, j.offset, j.std) for j in chart.judges] == [(s.judge, s.n, s.offset, s.std) for s in a.judges]
    assert chart.agreement == a.agreement.icc and chart.agreement_note == a.agreement.reason
    svg = ET.fromstring(str(charts.svg_judges(chart)))
    desc = svg.find(f"{SVG}desc").text
    for s in a.judges:
        group = svg.find(f".//{SVG}g[@data-judge='{s.judge}']")
        bar = group.find(f"{SVG}rect[@data-measure='offset']")
        assert bar.get("data-value") == scoring.display(s.offset)
        assert scoring.display(s.offset) in desc and scoring.display(s.std) in desc
    flagged = {d.entry for d in a.disagreements}
    assert len(svg.findall(f".//{SVG}line[@data-measure='disagreement']")) == len(flagged)


def test_a_long_ranking_draws_its_top_with_the_whole_rankings_cut_offs(charted):
    _contest, inputs, result = charted
    chart = service_charts.ranking_chart(inputs, result, most=2)
    assert [r.key for r in chart.rows] == [fe.entry for fe in result.final[:2]] and chart.total == 5
    assert {t.key: t.cutoff_display for t in chart.tiers}["encouragement"] == "70.50"  # d, not drawn
    svg = ET.fromstring(str(charts.svg_ranking(chart)))
    assert "전체 5곳 가운데 상위 2곳" in svg.find(f"{SVG}desc").text
    assert len(svg.findall(f".//{SVG}g[@data-entry]")) == 2
    line = next(el for el in svg.iter(f"{SVG}line") if el.get("data-cutoff") == "encouragement")
    assert float(line.get("x1")) == pytest.approx(charts.ranking_axis(chart).at(Decimal("70.5")), abs=0.06)
    assert charts.ranking_axis(chart).lo <= Decimal("70.5")
