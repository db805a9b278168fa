"""The long commands' progress: a bar in a terminal, plain lines without control characters elsewhere."""

from __future__ import annotations

import io
import re

from judging.cli.progress import ProgressDisplay
from judging.steps import counted

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_counted_reports_the_start_every_item_and_the_end():
    calls = []
    items = list(counted(["a", "b", "c"], lambda *args: calls.append(args), "단계"))
    assert items == ["a", "b", "c"]
    assert calls == [("단계", 0, 3), ("단계", 1, 3), ("단계", 2, 3), ("단계", 3, 3)]


def test_counted_without_a_listener_just_yields():
    assert list(counted((1, 2), None, "단계")) == [1, 2]


def test_piped_output_is_one_plain_line_per_step():
    out = io.StringIO()
    with ProgressDisplay(out) as progress:
        for _ in counted(range(250), progress, "상장 PDF"):
            pass
        for _ in counted(range(3), progress, "일괄 PDF"):
            pass
    lines = out.getvalue().splitlines()
    assert [line.split(" (")[0] for line in lines] == ["상장 PDF: 250/250", "일괄 PDF: 3/3"]
    assert all(line.endswith("초)") for line in lines)
    assert not CONTROL.search(out.getvalue().replace("\n", ""))


def test_a_step_left_unfinished_still_gets_its_line_with_the_count_reached():
    out = io.StringIO()
    with ProgressDisplay(out) as progress:
        progress("점수 확인", 0, 10)
        progress("점수 확인", 4, 10)
    assert out.getvalue().startswith("점수 확인: 4/10 (")


def test_a_terminal_gets_a_bar_with_counts_and_percent():
    out = FakeTerminal()
    display = ProgressDisplay(out)
    display.redraw = 0  # draw every step
    assert display.terminal
    with display as progress:
        for _ in counted(range(40), progress, "상장 PDF"):
            pass
    text = out.getvalue()
    assert "상장 PDF" in text and "40/40" in text and "100%" in text and "\r" in text
    assert "초)" not in text  # no plain summary line in a terminal


def test_a_pipe_or_a_dumb_terminal_is_not_a_terminal(monkeypatch):
    assert not ProgressDisplay(io.StringIO()).terminal
    monkeypatch.setenv("TERM", "xterm")
    assert ProgressDisplay(FakeTerminal()).terminal
    monkeypatch.setenv("TERM", "dumb")
    assert not ProgressDisplay(FakeTerminal()).terminal
