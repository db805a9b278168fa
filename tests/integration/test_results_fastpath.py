"""``results.compute`` lets the database add the score sheets up (one GROUP BY per round, scores packed
into integers); the result must be exactly the one the score rows give through the core's row path,
Decimal exponents included, on SQLite (whole scores come back as integers, others as floats) and on
PostgreSQL (numeric(7, 2))."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from judging.models import Criterion, Round, Score
from judging.scoring import allowed_values
from judging.services import results
from judging.services.errors import DomainError
from tests.integration.results_support import ids, put_scores

D = Decimal
# key, max, scale, weight
POOL = (
    ("need", 20, "grades", "1"),
    ("coop", 15, "grades", "1"),  # 15, 13.5, 12, 10.5, 9: floats on SQLite
    ("talk", 5, "half_points", "1"),
    ("plan", 10, "points", "1"),
    ("wide", 100, "points", "1"),  # 10-bit field: with several criteria the scores need two packed integers
    ("heavy", 10, "points", "1.5"),
    ("light", 4, "half_points", "0.25"),
)
SLUGS = itertools.count(1)


def contest_text(slug, entries, judges, rounds, conflicts, tie_break, final):
    lines = [
        "[contest]", f'slug = "{slug}"', 'title = "무작위 공모전"', 'organizer = "테스트시"', 'issuer = "테스트시장"',
        "held_on = 2024-12-04", f"tie_break = {list(tie_break)!r}".replace("'", '"'), f'final = "{final}"', "",
    ]
    for key, method, advance, listed, criteria in rounds:
        lines += ["[[rounds]]", f'key = "{key}"', f'title = "{key} 심사"', f'aggregation = "{method}"']
        if method == "trimmed_mean":
            lines.append("trim = 1")
        if advance is not None:
            lines.append(f"advance = {advance}")
        if listed is not None:
            lines.append("entries = [" + ", ".join(f'"{e}"' for e in listed) + "]")
        lines.append("criteria = [")
        lines += [f'  {{ key = "{k}", title = "{k}", max = {top}, scale = "{scale}", weight = {weight} }},'
                  for k, top, scale, weight in criteria]
        lines += ["]", ""]
    lines += ["[[tiers]]", 'key = "best"', 'title = "최우수"', "count = 1", "",
              "[[tiers]]", 'key = "good"', 'title = "우수"', "count = 2", ""]
    for e in entries:
        lines += ["[[entrants]]", f'key = "{e}"', f'name = "{e} 협의체"', ""]
    for j in judges:
        lines += ["[[judges]]", f'key = "{j}"', f'name = "심사위원 {j}"', ""]
    for j, e in conflicts:
        lines += ["[[conflicts]]", f'judge = "{j}"', f'entry = "{e}"', 'reason = "소속 기관"', ""]
    return "\n".join(lines)


@st.composite
def stored_contests(draw):
    entries = [f"e{i}" for i in range(draw(st.integers(2, 6)))]
    judges = [f"j{i}" for i in range(1, draw(st.integers(2, 5)) + 1)]
    two = draw(st.booleans())
    rounds = []
    for key in (["doc", "live"] if two else ["live"]):
        criteria = draw(st.lists(st.sampled_from(POOL), min_size=1, max_size=len(POOL), unique=True))
        method = draw(st.sampled_from(["mean", "trimmed_mean", "median", "zscore_mean"]))
        # the first round lists every entry; a later one takes those advancing, or lists its own
        listed = entries if not rounds else (None if draw(st.booleans()) else entries[:-1])
        advance = draw(st.integers(1, len(entries))) if key == "doc" else None
        rounds.append((key, method, advance, listed, criteria))
    crit_keys = sorted({c[0] for r in rounds for c in r[4]})
    tie_break = [f"criterion:{draw(st.sampled_from(crit_keys))}", "untrimmed_mean", "top_count"]
    conflicts = sorted(draw(st.sets(st.tuples(st.sampled_from(judges), st.sampled_from(entries)), max_size=2)))
    scores = []
    for key, _method, _advance, _listed, criteria in rounds:
        for entry in entries:
            for judge in judges:
                if draw(st.integers(0, 7)) == 0:
                    continue  # not opened
                for crit, top, scale, _weight in criteria:
                    if draw(st.integers(0, 30)) == 0:
                        continue  # an incomplete sheet
                    values = sorted(allowed_values(scale, top))[-4:]  # near the top: ties are common
                    scores.append((key, judge, entry, crit, draw(st.sampled_from(values))))
    final = draw(st.sampled_from(["last", "weighted"])) if two else "last"
    return entries, judges, rounds, conflicts, tie_break, final, scores


def store(session, make_contest, contest):
    entries, judges, rounds, conflicts, tie_break, final, scores = contest
    slug = f"fast-{next(SLUGS)}"
    stored = make_contest(slug=slug, text=contest_text(slug, entries, judges, rounds, conflicts, tie_break, final),
                          status="judging")
    judge_ids, entry_ids, criterion_ids = ids(session, stored)
    if scores:
        session.execute(sa.insert(Score), [
            {"judge_id": judge_ids[j], "entry_id": entry_ids[e], "criterion_id": criterion_ids[(r, c)], "value": v,
             "version": 1}
            for r, j, e, c, v in scores
        ])
    session.flush()
    return stored


def both_ways(session, contest):
    inputs = results._inputs(session, contest)
    fast = results._run(inputs)
    rows = results._run(results.contest_spec(session, contest))
    return inputs, fast, rows


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(stored_contests())
def test_sheets_added_up_by_the_database_give_exactly_the_result_of_the_score_rows(session, make_contest, contest):
    stored = store(session, make_contest, contest)
    inputs, fast, rows = both_ways(session, stored)
    assert inputs.sheets, "the database added the sheets up"
    assert fast.to_dict() == rows.to_dict()
    assert results.compute(session, stored).to_dict() == rows.to_dict()  # compute loads no display fields
    assert sorted(inputs.scores) == sorted(results.contest_spec(session, stored).scores)


def test_whole_and_fractional_scores_keep_the_exponents_the_rows_have(session, make_contest):
    text = contest_text("exp-2024", ["a", "b", "c"], ["j1", "j2", "j3"],
                        [("live", "mean", None, ["a", "b", "c"], [POOL[1], POOL[2]])], [], ["untrimmed_mean"], "last")
    stored = make_contest(slug="exp-2024", text=text, status="judging")
    # a: 13.5 + 2.5 = 16.0 (fractional scores, whole total); b: 15 + 5 = 20; c: 12 + 4.5 = 16.5
    put_scores(session, stored, [("live", j, e, c, v) for j in ("j1", "j2", "j3") for e, pair in
                                 {"a": ("13.5", "2.5"), "b": ("15", "5"), "c": ("12", "4.5")}.items()
                                 for c, v in zip(("coop", "talk"), pair, strict=True)])
    inputs, fast, rows = both_ways(session, stored)
    assert inputs.sheets
    assert fast.to_dict() == rows.to_dict()
    totals = {e.entry: e.totals[0][1] for e in fast.round("live").entries}
    if session.connection().dialect.name == "postgresql":
        assert [str(totals[e]) for e in "abc"] == ["16.00", "20.00", "16.50"]
    else:
        assert [str(totals[e]) for e in "abc"] == ["16.0", "20", "16.5"]


def test_a_round_too_wide_for_one_integer_is_packed_into_two(session, make_contest):
    criteria = [(f"w{i}", 100, "points", "1") for i in range(7)]  # 7 × 10 bits > 62
    text = contest_text("wide-2024", ["a", "b"], ["j1", "j2"], [("live", "mean", None, ["a", "b"], criteria)], [],
                        [f"criterion:w{i}" for i in range(6, -1, -1)], "last")
    stored = make_contest(slug="wide-2024", text=text, status="judging")
    put_scores(session, stored, [("live", j, e, f"w{i}", 100 - i if e == "a" else 100 - (6 - i))
                                 for j in ("j1", "j2") for e in ("a", "b") for i in range(7)])
    inputs, fast, rows = both_ways(session, stored)
    assert inputs.sheets and fast.to_dict() == rows.to_dict()
    # equal totals; criterion w6 (in the second packed integer) decides: a 94, b 100
    assert [(f.entry, f.rank) for f in fast.final] == [("b", 1), ("a", 2)]
    assert fast.final[0].tie_breaks[0].values == (("a", D(94)), ("b", D(100)))


def test_a_stored_score_off_every_scale_is_still_refused_naming_it(session, make_contest):
    stored = make_contest(slug="bad-2024", status="judging")
    put_scores(session, stored, [("final", "j1", "alpha", "need", "17.25")])  # no scale has two decimals
    with pytest.raises(DomainError, match="점수로 결과를 계산할 수 없습니다"):
        results.compute(session, stored)


def test_scores_of_someone_no_longer_a_judge_are_left_out_as_by_the_rows(session, make_contest, make_user):
    stored = make_contest(slug="left-2024", status="judging")
    put_scores(session, stored, [("final", j, e, c, v) for j in ("j1", "j2") for e in ("alpha", "beta")
                                 for c, v in (("need", 18), ("partnership", 15), ("outcome", "7.5"))])
    judge_ids, entry_ids, criterion_ids = ids(session, stored)
    outsider, _password = make_user("organizer")
    session.add(Score(judge_id=outsider.id, entry_id=entry_ids["alpha"], criterion_id=criterion_ids[("final", "need")],
                      value=D(20)))
    session.flush()
    inputs, fast, rows = both_ways(session, stored)
    assert inputs.sheets and fast.to_dict() == rows.to_dict()
    assert fast.round("final").entry("alpha").n == 2


def test_the_fast_path_and_recorded_decisions_agree_with_the_rows(session, make_contest):
    # a cut tie decided by the committee, then ranked: decisions are read the same way on both paths
    text = contest_text("cut-2024", ["a", "b", "c"], ["j1", "j2"],
                        [("doc", "mean", 1, ["a", "b", "c"], [POOL[0]]), ("live", "mean", None, None, [POOL[0]])],
                        [], ["untrimmed_mean"], "last")
    stored = make_contest(slug="cut-2024", text=text, status="judging")
    put_scores(session, stored, [("doc", j, e, "need", v) for j in ("j1", "j2") for e, v in
                                 {"a": 18, "b": 18, "c": 12}.items()])
    assert results.compute(session, stored).unresolved_ties[0].entries == ("a", "b")
    results.record_advance_decision(session, stored, "doc", ["b"], "회의록 3쪽")
    inputs, fast, rows = both_ways(session, stored)
    assert fast.to_dict() == rows.to_dict()
    assert fast.round("doc").advanced == ("b",)
    assert [e.entry for e in fast.final] == ["b"]


def test_a_criterion_added_later_leaves_a_gap_in_the_ids_and_is_still_read_exactly(session, make_contest):
    text = contest_text("gap-2024", ["a", "b", "c"], ["j1", "j2", "j3"],
                        [("doc", "mean", 2, ["a", "b", "c"], [POOL[0], POOL[2]]),
                         ("live", "trimmed_mean", None, None, [POOL[0], POOL[1]])], [], ["untrimmed_mean"], "last")
    stored = make_contest(slug="gap-2024", text=text, status="judging")
    doc = session.scalar(sa.select(Round).where(Round.contest_id == stored.id, Round.key == "doc"))
    doc.criteria.append(Criterion(key="late", title="추가 기준", max_points=D(10), scale="points", weight=D(1),
                                  position=3))
    stored.tie_break = ["criterion:late"]
    session.flush()
    _judges, _entries, criterion_ids = ids(session, stored)
    assert criterion_ids[("doc", "late")] > criterion_ids[("live", "need")]  # doc's ids now have a gap
    dialect = session.connection().dialect.name
    spec = results.contest_spec(session, stored).spec
    forms = {}
    for rnd in spec.rounds:
        round_ids = {c.key: criterion_ids[(rnd.key, c.key)] for c in rnd.criteria}
        forms[rnd.key] = results._sheets_sql(dialect, results._layout(dialect, rnd, round_ids), round_ids, True)
    assert "CASE criterion_id" in forms["doc"] and "<<" in forms["live"]  # looked up, or shifted by id
    put_scores(session, stored, [("doc", j, e, c, v) for j in ("j1", "j2", "j3") for e, (need, talk, late) in
                                 {"a": (18, "4.5", 7), "b": (16, "4.5", 9), "c": (20, 5, 10)}.items()
                                 for c, v in (("need", need), ("talk", talk), ("late", late))])
    inputs, fast, rows = both_ways(session, stored)
    assert inputs.sheets and fast.to_dict() == rows.to_dict()
    # c leads; a and b tie on 29.5 for the last place; the late criterion decides for b
    assert fast.round("doc").advanced == ("b", "c")
    assert fast.round("doc").entry("b").tie_breaks[0].values == (("a", D(7)), ("b", D(9)))
