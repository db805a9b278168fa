"""The SVG renderers on their own: valid SVG, a title and a description with every plotted figure,
no inline style, and axes that keep values inside the plot."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

from judging import charts

SVG = "{http://www.w3.org/2000/svg}"


def _plotted_figures_are_described(markup: str) -> ET.Element:
    svg = ET.fromstring(str(markup))
    desc = svg.find(f"{SVG}desc").text
    assert svg.get("role") == "img" and svg.find(f"{SVG}title").text
    for el in svg.iter():
        assert "style" not in el.attrib
        if el.get("data-value"):
            assert el.get("data-value") in desc, el.attrib
    return svg


def test_weights_chart_shows_announced_and_effective_weights():
    chart = charts.WeightsChart("", (
        charts.WeightBar("심사위원", Decimal(70), "70.00", Decimal("81.5"), "81.50", True),
        charts.WeightBar("현장평가단", Decimal(30), "30.00", Decimal("18.5"), "18.50", True),
    ))
    svg = _plotted_figures_are_described(charts.svg_weights(chart))
    bars = {(r.get("data-measure"), r.get("data-value")) for r in svg.iter(f"{SVG}rect") if r.get("data-measure")}
    assert bars == {("announced", "70.00"), ("effective", "81.50"), ("announced", "30.00"), ("effective", "18.50")}


def test_day_chart_steps_up_to_the_cells_expected():
    start = dt.datetime(2024, 12, 4, 13, 0)
    points = tuple(charts.DayPoint(start + dt.timedelta(minutes=7 * i), i) for i in range(1, 6))
    marks = (charts.DayMark(start + dt.timedelta(minutes=40), "김정희"),)
    chart = charts.DayChart("", 8, points, marks, start, start + dt.timedelta(minutes=60))
    svg = _plotted_figures_are_described(charts.svg_day(chart))
    assert svg.find(f".//{SVG}path[@data-measure='done']").get("data-count") == "5"
    assert "김정희 13:40" in "".join(svg.itertext())


def test_a_judge_without_scores_is_said_so_not_none():
    chart = charts.JudgesChart("", Decimal(100), (
        charts.JudgeBar("j1", "하나", 3, "80.00", Decimal("1.5"), "1.50", Decimal(4), "4.00"),
        charts.JudgeBar("j2", "둘", 0, None, None, None, None, None),
    ), None, None, None, "모든 심사위원이 모든 참가팀을 채점하지 않아 계산하지 않습니다", None, None, ())
    svg = _plotted_figures_are_described(charts.svg_judges(chart))
    text = "".join(svg.itertext())
    assert "None" not in text and "채점 없음" in text


def test_the_value_axis_zooms_in_on_close_scores_but_not_past_zero():
    assert charts.value_range([Decimal("88.5"), Decimal("61")], Decimal(100)) == (Decimal(60), Decimal(100))
    assert charts.value_range([Decimal("60")], Decimal(100)) == (Decimal(50), Decimal(100))
    assert charts.value_range([Decimal(12)], Decimal(100)) == (Decimal(0), Decimal(100))
    axis = charts.Axis(Decimal(60), Decimal(100), 0, 400)
    assert axis.at(Decimal(80)) == 200 and axis.at(Decimal(10)) == 0 and axis.at(Decimal(120)) == 400
    assert axis.ticks() == [Decimal(60 + 5 * i) for i in range(9)]
