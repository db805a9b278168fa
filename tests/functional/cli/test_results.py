"""The results commands through the CLI runner: tally (json, table, csv), import, decide, special, publish."""

from __future__ import annotations

import csv
import io
import json
import re

import sqlalchemy as sa

from judging.cli.common import display_width
from judging.models import AuditEvent, Decision, ResultSnapshot, Score
from tests.support.scores import TIED, put_scores, ready_contest

ENTRY_FIELDS = {"entry", "name", "score", "rank", "tier", "judges", "dropped", "tie_break"}


def tally_json(runner, slug: str, *extra: str) -> dict:  # noqa: ANN001
    result = runner.invoke(args=["tally", slug, "--format", "json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_tally_json_has_exactly_the_documented_shape(runner, make_contest, session):
    contest = ready_contest(make_contest, session, slug="json-2024")
    runner.invoke(args=["special", "json-2024", "e", "--award", "special", "--reason", "주민 발굴단"])
    data = tally_json(runner, contest.slug)
    assert {"contest", "round", "method", "entries", "unresolved_ties", "special_awards"} <= set(data)
    assert (data["contest"], data["round"], data["method"]) == ("json-2024", "final", "mean")
    first = data["entries"][0]
    assert ENTRY_FIELDS <= set(first)
    assert {k: first[k] for k in ENTRY_FIELDS} == {
        "entry": "a", "name": "가동 지역사회보장협의체", "score": "38.00", "rank": 1, "tier": "best", "judges": 2,
        "dropped": [], "tie_break": None,
    }
    for entry in data["entries"]:
        assert re.fullmatch(r"\d+\.\d\d", entry["score"])
        assert entry["tier"] in ("best", "excellence", "encouragement", "pending", None)
        assert isinstance(entry["judges"], int) and isinstance(entry["dropped"], list)
    assert [e["entry"] for e in data["entries"]] == ["a", "b", "c", "d"]
    assert data["entries"][3]["tier"] is None
    assert data["unresolved_ties"] == []
    assert data["special_awards"] == [{"entry": "e", "award": "special", "reason": "주민 발굴단"}]


def test_tally_json_reports_trimmed_judges_pending_tiers_and_unresolved_ties(runner, make_contest, session):
    contest = ready_contest(make_contest, session, slug="pend-2024", table=TIED)
    data = tally_json(runner, contest.slug)
    by_entry = {e["entry"]: e for e in data["entries"]}
    assert by_entry["b"]["tier"] == by_entry["c"]["tier"] == "pending"
    assert by_entry["b"]["rank"] == by_entry["c"]["rank"] == 2
    assert data["unresolved_ties"] == [{"kind": "tier", "boundary": "excellence", "next_tier": "encouragement",
                                        "entries": ["b", "c"], "places": 1, "rank": 2}]


def test_tally_json_names_the_dropped_judges_of_a_trimmed_mean(runner, make_contest, session):
    contest = make_contest(slug="trim-2024")
    rows = []
    for judge, (need, partnership, outcome) in {"j1": (20, 20, 10), "j2": (18, 15, 8), "j3": (12, 5, 2)}.items():
        rows += [("final", judge, "alpha", "need", need), ("final", judge, "alpha", "partnership", partnership),
                 ("final", judge, "alpha", "outcome", outcome)]
    put_scores(session, contest, rows)
    alpha = next(e for e in tally_json(runner, "trim-2024")["entries"] if e["entry"] == "alpha")
    assert (alpha["score"], alpha["judges"], sorted(alpha["dropped"])) == ("41.00", 3, ["j1", "j3"])


def test_tally_table_is_aligned_korean(runner, make_contest, session):
    ready_contest(make_contest, session, slug="table-2024")
    result = runner.invoke(args=["tally", "table-2024"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("동점 공모전 · 발표심사(final)")
    header = next(i for i, line in enumerate(lines) if line.startswith("순위"))
    rows = lines[header + 2: header + 6]
    assert [row.split()[1] for row in rows] == ["가동", "나동", "다동", "라동"]
    assert "최우수" in rows[0] and "우수" in rows[1] and "장려" in rows[2]
    # the score column ends at the same display column on every row, Hangul counted double
    ends = {display_width(row[: row.index(score) + len(score)])
            for row, score in zip(rows, ["38.00", "35.00", "34.00", "26.00"], strict=True)}
    assert len(ends) == 1
    assert display_width(lines[header]) >= display_width("순위  가동 지역사회보장협의체")


def test_display_width_counts_hangul_twice():
    assert display_width("고봉동") == 6 and display_width("ab") == 2 and display_width("1위 최우수") == 10


def test_tally_csv_has_a_header_and_one_row_per_entry(runner, make_contest, session):
    ready_contest(make_contest, session, slug="csv-2024")
    result = runner.invoke(args=["tally", "csv-2024", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["rank"], r["entry"], r["score"], r["tier"]) for r in rows] == [
        ("1", "a", "38.00", "best"), ("2", "b", "35.00", "excellence"), ("3", "c", "34.00", "encouragement"),
        ("4", "d", "26.00", ""),
    ]


def test_tally_errors_exit_non_zero_in_korean(runner, make_contest, session):
    ready_contest(make_contest, session, slug="err-2024")
    result = runner.invoke(args=["tally", "nope"])
    assert result.exit_code == 1 and "공모전 'nope'이(가) 없습니다" in result.output
    result = runner.invoke(args=["tally", "err-2024", "--round", "semi"])
    assert result.exit_code == 1 and "라운드 'semi'" in result.output


def test_scores_import_through_the_cli(runner, make_contest, session, tmp_path):
    contest = make_contest(slug="imp-2024", status="judging")
    good = tmp_path / "good.csv"
    good.write_bytes("\ufeffround,judge,entry,criterion,score\nfinal,j1,alpha,need,18\nfinal,j1,alpha,outcome,9.5\n"
                     .encode("utf-8"))
    result = runner.invoke(args=["scores", "import", "imp-2024", str(good)])
    assert result.exit_code == 0, result.output
    assert "2행을 불러왔습니다 (새 점수 2" in result.output
    assert "점수 확인: 2/2" in result.output and "점수 저장: 2/2" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("round,judge,entry,criterion,score\nfinal,j1,beta,need,18\nfinal,j1,beta,partnership,25\n",
                   encoding="utf-8")
    before = session.scalar(sa.select(sa.func.count()).select_from(Score))
    result = runner.invoke(args=["scores", "import", "imp-2024", str(bad)])
    assert result.exit_code == 1
    assert "3행 score 열: 최대 20점을 넘습니다" in result.output
    assert session.scalar(sa.select(sa.func.count()).select_from(Score)) == before == 2
    assert contest.id


def test_decide_special_and_publish_through_the_cli(runner, make_contest, session):
    ready_contest(make_contest, session, slug="pub-2024", table=TIED)
    result = runner.invoke(args=["publish", "pub-2024"])
    assert result.exit_code == 1 and "확정(잠금)한 뒤에만 결과를 공개할 수 있습니다" in result.output
    result = runner.invoke(args=["lock", "pub-2024", "--yes"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["publish", "pub-2024"])
    assert result.exit_code == 1 and "동점 결정이 필요합니다" in result.output

    result = runner.invoke(args=["decide", "pub-2024", "--tier", "excellence", "--entries", "c",
                                 "--reason", "발표 파급력", "--minutes", "회의록 1호"])
    assert result.exit_code == 0, result.output
    assert "동점 결정을 기록했습니다" in result.output
    result = runner.invoke(args=["special", "pub-2024", "e", "--award", "special", "--reason", "발굴단 활동"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["special", "pub-2024", "c", "--award", "special", "--reason", "중복"])
    assert result.exit_code == 1 and "한 성과에 한 포상" in result.output

    result = runner.invoke(args=["publish", "pub-2024", "--note", "최초"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "1"
    assert "제1판을 발표했습니다" in result.output
    data = tally_json(runner, "pub-2024")
    assert {e["entry"]: e["tier"] for e in data["entries"]}["c"] == "excellence"
    assert session.scalar(sa.select(ResultSnapshot.version)) == 1
    decisions = session.scalars(sa.select(Decision.kind).order_by(Decision.id)).all()
    assert decisions == ["tier", "special"]
    actions = set(session.scalars(sa.select(AuditEvent.action)))
    assert {"result.decision.tier", "result.special", "result.publish"} <= actions

    result = runner.invoke(args=["publish", "pub-2024"])
    assert result.exit_code == 1 and "이미 공개되었습니다" in result.output


def test_decide_order_and_its_refusals_through_the_cli(runner, make_contest, session):
    ready_contest(make_contest, session, slug="ord-2024", table=TIED)
    result = runner.invoke(args=["decide", "ord-2024", "--order", "c,b", "--reason", "회의 결과"])
    assert result.exit_code == 0, result.output
    assert "c > b" in result.output
    data = tally_json(runner, "ord-2024")
    assert [(e["entry"], e["rank"]) for e in data["entries"]] == [("a", 1), ("c", 2), ("b", 3), ("d", 4)]
    assert data["entries"][1]["tie_break"].startswith("심사위원회 결정(회의록) (사유: 회의 결과)")

    for args, message in [
        (["decide", "ord-2024", "--reason", "x"], "하나만 지정하세요"),
        (["decide", "ord-2024", "--tier", "excellence", "--reason", "x"], "--entries A,B가 필요합니다"),
        (["decide", "ord-2024", "--tier", "excellence", "--entries", "b", "--reason", "x"], "동점이 없습니다"),
        (["decide", "nope", "--order", "a,b", "--reason", "x"], "공모전 'nope'이(가) 없습니다"),
    ]:
        result = runner.invoke(args=args)
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
