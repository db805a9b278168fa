"""The command line speaks the reader's language: Korean by default, English with ``JUDGING_LANG=en``,
for its own messages and for the refusals the services raise; names people typed stay as typed."""

from __future__ import annotations

import io
import re

import pytest

from judging.cli.common import format_table
from judging.cli.progress import ProgressDisplay
from tests.support.korean import HANGUL

ENGLISH = {"JUDGING_LANG": "en"}


@pytest.fixture(autouse=True)
def _korean_unless_asked(monkeypatch):  # noqa: ANN001, ANN202
    monkeypatch.delenv("JUDGING_LANG", raising=False)


def test_a_missing_contest_is_refused_in_korean_by_default(runner):  # noqa: ANN001
    result = runner.invoke(args=["status", "no-such-contest"])
    assert result.exit_code == 1
    assert "오류: 공모전 'no-such-contest'이(가) 없습니다." in result.output


def test_a_missing_contest_is_refused_in_english_with_judging_lang_en(runner):  # noqa: ANN001
    result = runner.invoke(args=["status", "no-such-contest"], env=ENGLISH)
    assert result.exit_code == 1
    assert "Error: There is no contest 'no-such-contest'." in result.output
    assert not HANGUL.search(result.output)


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "기관 주소 이름은 영문 소문자·숫자·- 로 1~40자여야 합니다"),
    (ENGLISH, "The organization's address name is 1-40 lowercase letters, digits or -"),
])
def test_a_service_refusal_is_rendered_in_the_readers_language(runner, env, expected):  # noqa: ANN001
    result = runner.invoke(args=["org", "create", "Not A Slug!", "--name", "고양시"], env=env)
    assert result.exit_code == 1
    assert expected in result.output
    if env:
        assert not HANGUL.search(result.output)


def test_english_output_keeps_typed_names_and_nothing_else_in_korean(runner):  # noqa: ANN001
    result = runner.invoke(args=["org", "create", "goyang-welfare", "--name", "고양시 복지정책과"], env=ENGLISH)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Organization 'goyang-welfare' (고양시 복지정책과) created."

    listed = runner.invoke(args=["org", "list"], env=ENGLISH)
    assert listed.exit_code == 0, listed.output
    line = next(line for line in listed.output.splitlines() if line.startswith("goyang-welfare"))
    assert line == "goyang-welfare\t고양시 복지정책과\t0 contests\t0 organizers"


def test_the_refused_unit_of_work_keeps_nothing(runner):  # noqa: ANN001
    assert runner.invoke(args=["org", "create", "twice", "--name", "한 번"]).exit_code == 0
    again = runner.invoke(args=["org", "create", "twice", "--name", "두 번"], env=ENGLISH)
    assert again.exit_code == 1
    listed = runner.invoke(args=["org", "list"])
    assert "한 번" in listed.output and "두 번" not in listed.output


def test_tables_line_up_hangul_as_double_width():
    lines = format_table(["키", "이름"], [["j1", "김심사"], ["j22", "Lee"]], right={0})
    assert lines == [" 키  이름", "---  ------", " j1  김심사", "j22  Lee"]


@pytest.mark.parametrize(("env", "line"), [
    (None, r"데이터베이스: 1/1 \(\d+\.\d초\)\n"),
    ("en", r"Database: 1/1 \(\d+\.\d s\)\n"),
])
def test_progress_lines_name_the_step_in_the_readers_language(monkeypatch, env, line):  # noqa: ANN001
    if env:
        monkeypatch.setenv("JUDGING_LANG", env)
    stream = io.StringIO()
    with ProgressDisplay(stream, terminal=False) as progress:
        progress("데이터베이스", 0, 1)
        progress("데이터베이스", 1, 1)
    assert re.fullmatch(line, stream.getvalue())


def test_help_is_in_the_readers_language(runner):  # noqa: ANN001
    korean = runner.invoke(args=["ballots", "issue", "--help"])
    assert korean.exit_code == 0, korean.output
    assert "투표권 N장을 발급하고" in korean.output and "현장평가단 라운드 키" in korean.output
    assert "이 기관의 공모전만 다룹니다" in korean.output  # --org, added to every command naming a contest

    english = runner.invoke(args=["ballots", "issue", "--help"], env=ENGLISH)
    assert english.exit_code == 0, english.output
    assert "Issue N ballots and write a PDF" in english.output and "Audience round key" in english.output
    assert not HANGUL.search(english.output)

    listing = runner.invoke(args=["ballots", "--help"], env=ENGLISH)
    assert "Revoke a lost ballot by its number" in listing.output and not HANGUL.search(listing.output)
    # the help text is translated only while it is shown: Korean readers still get Korean
    assert "투표권 N장을 발급하고" in runner.invoke(args=["ballots", "issue", "--help"]).output


def test_every_command_and_option_has_english_help(app, runner):  # noqa: ANN001
    import click

    def commands(group: click.Group, path: tuple[str, ...] = ()):  # noqa: ANN202
        for name, command in group.commands.items():
            if name in ("run", "shell", "routes"):  # Flask's own
                continue
            if isinstance(command, click.Group):
                yield from commands(command, (*path, name))
            else:
                yield (*path, name)

    paths = list(commands(app.cli))
    assert len(paths) >= 30
    for path in paths:
        result = runner.invoke(args=[*path, "--help"], env=ENGLISH)
        assert result.exit_code == 0, (path, result.output)
        assert not HANGUL.search(result.output), (path, result.output)
