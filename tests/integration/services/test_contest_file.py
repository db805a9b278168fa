"""The contest file: load, dump, round-trip, replace, and every bad file refused cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from judging.models import Base, Contest
from judging.services import contest_file, contest_file_dump, contest_file_format
from judging.services.contest_file_format import ContestFileError
from judging.services.errors import DomainError
from tests.support.contests import SMALL_CONTEST

DEMO = Path(__file__).resolve().parents[3] / "judging" / "demo" / "goyang-2024.toml"


def table_counts(session) -> dict[str, int]:  # noqa: ANN001
    return {t.name: session.scalar(sa.select(sa.func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def small(**replacements: str) -> str:
    text = SMALL_CONTEST.format(slug="file-test")
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("text", [small(), DEMO.read_text(encoding="utf-8")], ids=["small", "demo"])
def test_load_then_dump_round_trips(session, text):
    contest = contest_file.load(session, text)
    session.commit()
    dumped = contest_file_dump.dump(session, contest.slug)
    assert contest_file_format.parse(dumped) == contest_file_format.parse(text)
    # and the dump is itself loadable into an identical contest
    again = contest_file.load(session, dumped.replace(f'slug = "{contest.slug}"', 'slug = "copy"'))
    session.flush()
    assert contest_file_dump.dump(session, "copy") == dumped.replace(f'slug = "{contest.slug}"', 'slug = "copy"')
    assert [c.key for c in again.rounds[0].criteria] == [c.key for c in contest.rounds[0].criteria]


def test_load_builds_the_contest(session):
    contest = contest_file.load(session, small())
    session.commit()
    final = contest.rounds[0]
    assert (final.aggregation, final.trim) == ("trimmed_mean", 1)
    assert [(c.key, c.scale, int(c.max_points)) for c in final.criteria] == [
        ("need", "grades", 20), ("partnership", "points", 20), ("outcome", "half_points", 10)]
    assert [re.entry.entrant.key for re in final.round_entries] == ["alpha", "beta", "gamma"]
    assert [(t.key, t.count, t.award_name) for t in contest.tiers] == [("best", 1, "최우수상"), ("excellence", 1, "우수상")]
    assert contest.tie_break == ["criterion:partnership", "untrimmed_mean", "decision"]
    assert contest.status == "draft"


def test_replace_updates_a_draft_and_keeps_people(session):
    contest = contest_file.load(session, small())
    session.commit()
    entrant_ids = {e.key: e.id for e in contest.entrants}
    contest_file.load(session, small(**{'title = "발표심사"': 'title = "본선 발표심사"'}), replace=True)
    session.commit()
    session.expire_all()
    contest = session.scalar(sa.select(Contest).where(Contest.slug == "file-test"))
    assert contest.rounds[0].title == "본선 발표심사"
    assert {e.key: e.id for e in contest.entrants} == entrant_ids


def test_replace_refuses_an_open_contest_and_changes_nothing(session):
    contest = contest_file.load(session, small())
    contest.status = "judging"
    session.commit()
    before = table_counts(session)
    with pytest.raises(DomainError, match="draft"):
        contest_file.load(session, small(**{'title = "발표심사"': 'title = "바뀐 제목"'}), replace=True)
    session.rollback()
    assert table_counts(session) == before


def test_loading_an_existing_slug_without_replace_is_refused(session):
    contest_file.load(session, small())
    session.commit()
    with pytest.raises(DomainError, match="--replace"):
        contest_file.load(session, small())
    session.rollback()


BAD_FILES = {
    "TOML syntax": (small(**{'title = "테스트 공모전"': 'title = "테스트 공모전'}), ["TOML", "문법 오류", "line"]),
    "missing key": (small(**{'organizer = "테스트시"\n': ""}), ["contest.organizer", "필수 항목이 없습니다"]),
    "unknown key": (small(**{'issuer = "테스트시장"': 'issuer = "테스트시장"\nvenu = "시청"'}),
                    ["contest.venu", "알 수 없는 항목"]),
    "wrong type": (small(**{"trim = 1": 'trim = "one"'}), ["rounds[final].trim", "정수여야 합니다"]),
    "wrong date": (small(**{"held_on = 2024-12-04": 'held_on = "2024. 12. 4."'}), ["contest.held_on", "날짜"]),
    "duplicate keys": (small(**{'key = "beta"': 'key = "alpha"'}), ["entrants[alpha].key", "중복"]),
    "unknown tie-break criterion": (small(**{"criterion:partnership": "criterion:budget"}),
                                    ["contest.tie_break", "criterion:budget", "없습니다"]),
    "unknown tie-break step": (small(**{'"untrimmed_mean"': '"coin_flip"'}), ["contest.tie_break", "coin_flip"]),
    "round entry that is no entrant": (small(**{'entries = ["alpha", "beta", "gamma"]':
                                                'entries = ["alpha", "beta", "omega"]'}),
                                       ["rounds[final].entries", "omega", "entrants에 없는"]),
    "scale does not fit the max": (small(**{'max = 10, scale = "half_points"': 'max = 7.3, scale = "half_points"'}),
                                   ["rounds[final].criteria[outcome].scale", "맞지 않습니다"]),
    "grades that do not fit": (small(**{'max = 20, scale = "grades"': 'max = 7.5, scale = "grades"'}),
                               ["rounds[final].criteria[need].scale", "등급"]),
    "unknown scale": (small(**{'scale = "points"': 'scale = "stars"'}),
                      ["rounds[final].criteria[partnership].scale", "다음 중 하나"]),
    "conflict with unknown judge": (small(**{'judge = "j3"': 'judge = "j9"'}), ["conflicts[#1].judge", "j9"]),
    "tier with count and threshold": (small(**{"count = 1\n\n[[tiers]]": "count = 1\nthreshold = 90\n\n[[tiers]]"}),
                                      ["tiers[best]", "정확히 하나"]),
    "no rounds": (small()[: small().index("[[rounds]]")].replace(
        'tie_break = ["criterion:partnership", "untrimmed_mean", "decision"]', "")
        + small()[small().index("[[tiers]]"):], ["rounds", "하나 이상"]),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_contest_file_is_refused_with_its_place_and_leaves_the_database_unchanged(session, name):
    contest_file.load(session, small(**{'slug = "file-test"': 'slug = "existing"'}))
    session.commit()
    before = table_counts(session)
    text, expected = BAD_FILES[name]
    with pytest.raises(ContestFileError) as caught:
        contest_file.load(session, text)
    session.rollback()
    message = caught.value.message
    for fragment in expected:
        assert fragment in message, (fragment, message)
    assert table_counts(session) == before


def test_every_problem_is_reported_at_once():
    text = small(**{"trim = 1": 'trim = "one"', 'key = "beta"': 'key = "alpha"'})
    with pytest.raises(ContestFileError) as caught:
        contest_file_format.parse(text)
    places = [place for place, _ in caught.value.problems]
    assert "rounds[final].trim" in places and "entrants[alpha].key" in places


def test_the_example_in_the_documentation_is_a_valid_contest_file():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "contest-file.md").read_text(encoding="utf-8")
    example = doc.split("```toml", 1)[1].split("```", 1)[0]
    parsed = contest_file_format.parse(example)
    assert parsed.contest["slug"] == "goyang-2024" and len(parsed.entrants) == 2
