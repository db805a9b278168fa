"""CSV score import: a good file lands whole; every bad case names row and column and changes nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from judging.models import AuditEvent, EntryComment, Score, Sheet
from judging.services import scores_import
from judging.services.scores_import import ScoreImportError
from tests.support.scores import ids

HEADER = "round,judge,entry,criterion,score,comment\n"
GOOD = HEADER + (
    "final,j1,alpha,need,18,지역 욕구 조사가 충실함\n"
    "final,j1,alpha,partnership,17,\n"
    "final,j1,alpha,outcome,7.5,\n"
    "final,j2,beta,need,20,\"쉼표, 따옴표 \"\"포함\"\" 의견\"\n"
    "final,j2,beta,partnership,15,\n"
    "final,j2,beta,outcome,9,\n"
)


def snapshot_of_scores(session) -> list[tuple]:  # noqa: ANN001
    return sorted(session.execute(sa.select(Score.judge_id, Score.entry_id, Score.criterion_id, Score.value,
                                            Score.version)).all())


def test_a_good_file_with_a_bom_lands_whole_and_is_audited_once(make_contest, session):
    contest = make_contest(status="judging")  # scores are typed in while judging
    report = scores_import.import_scores(session, contest, ("\ufeff" + GOOD).encode("utf-8"), source="paper.csv")
    session.commit()
    assert (report.rows, report.created, report.updated, report.unchanged, report.comments) == (6, 6, 0, 0, 2)
    judges, entries, criteria = ids(session, contest)
    value = session.scalar(sa.select(Score.value).where(Score.judge_id == judges["j1"],
                                                        Score.entry_id == entries["alpha"],
                                                        Score.criterion_id == criteria[("final", "outcome")]))
    assert str(value) in ("7.5", "7.50")
    bodies = sorted(session.scalars(sa.select(EntryComment.body)))
    assert bodies == ["쉼표, 따옴표 \"포함\" 의견", "지역 욕구 조사가 충실함"]
    (event,) = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "scores.import")).all()
    assert event.after["rows"] == 6 and event.after["created"] == 6 and event.after["source"] == "paper.csv"


def test_a_second_import_updates_scores_bumps_versions_and_writes_into_a_submitted_sheet(make_contest, session):
    contest = make_contest(status="judging")  # scores are typed in while judging
    scores_import.import_scores(session, contest, GOOD)
    judges, entries, criteria = ids(session, contest)
    round_id = contest.rounds[0].id
    session.add(Sheet(judge_id=judges["j1"], round_id=round_id, status="submitted",
                      submitted_at=sa.func.current_timestamp()))
    session.flush()
    report = scores_import.import_scores(session, contest, HEADER + "final,j1,alpha,need,16,정정\n"
                                                            "final,j1,alpha,partnership,17,\n")
    assert (report.created, report.updated, report.unchanged, report.comments) == (0, 1, 1, 1)
    assert report.submitted_sheets == (("final", "j1"),)
    score = session.scalar(sa.select(Score).where(Score.judge_id == judges["j1"], Score.entry_id == entries["alpha"],
                                                  Score.criterion_id == criteria[("final", "need")]))
    assert (float(score.value), score.version) == (16, 2)
    comment = session.scalar(sa.select(EntryComment).where(EntryComment.judge_id == judges["j1"]))
    assert (comment.body, comment.version) == ("정정", 2)
    last = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "scores.import")
                           .order_by(AuditEvent.id.desc())).first()
    assert last.after["already_submitted"] == [["final", "j1"]]


def test_submit_sheets_marks_the_judges_in_the_file_as_submitted(make_contest, session):
    contest = make_contest(status="judging")  # scores are typed in while judging
    report = scores_import.import_scores(session, contest, GOOD, submit_sheets=True)
    assert report.marked_submitted == (("final", "j1"), ("final", "j2"))
    assert sorted(session.scalars(sa.select(Sheet.status))) == ["submitted", "submitted"]


def test_columns_may_come_in_any_order_without_comment(make_contest, session):
    contest = make_contest(status="judging")  # scores are typed in while judging
    report = scores_import.import_scores(session, contest, "score,criterion,entry,judge,round\n18,need,alpha,j1,final\n")
    assert report.created == 1


BAD_CASES = [
    ("judge,entry,criterion,score\nj1,alpha,need,18\n", "1행: 필수 열 'round'이(가) 없습니다"),
    ("round,judge,entry,criterion,points\nfinal,j1,alpha,need,18\n", "1행: 알 수 없는 열 'points'"),
    (HEADER + "final,j9,alpha,need,18,\n", "2행 judge 열: 없는 심사위원입니다 ('j9')"),
    (HEADER + "final,j1,omega,need,18,\n", "2행 entry 열: 없는 참가팀입니다 ('omega')"),
    (HEADER + "final,j1,alpha,budget,18,\n", "2행 criterion 열: 라운드 'final'에 없는 심사 기준입니다 ('budget')"),
    (HEADER + "semi,j1,alpha,need,18,\n", "2행 round 열: 없는 라운드입니다 ('semi'"),
    (HEADER + "final,j1,alpha,need,18,\nfinal,j1,alpha,partnership,21,\n", "3행 score 열: 최대 20점을 넘습니다"),
    (HEADER + "final,j1,alpha,need,17,\n", "2행 score 열: 등급 점수(20, 18, 16, 14, 12) 중 하나여야 합니다"),
    (HEADER + "final,j1,alpha,outcome,7.3,\n", "2행 score 열: 0.5점 단위만 허용됩니다"),
    (HEADER + "final,j1,alpha,partnership,열다섯,\n", "2행 score 열: 숫자가 아닙니다"),
    (HEADER + "final,j1,alpha,partnership,,\n", "2행 score 열: 점수가 비어 있습니다"),
    (HEADER + "final,j1,alpha,partnership,-1,\n", "2행 score 열: 0점보다 작을 수 없습니다"),
    (HEADER + "final,j1,alpha,need,18,\nfinal,j1,alpha,need,16,\n",
     "3행: 2행과 같은 점수(final/j1/alpha/need)가 또 있습니다"),
    (HEADER + "final,j3,gamma,need,18,\n", "2행 judge 열: 심사위원 'j3'은(는) 'gamma'와(과) 이해충돌로 회피해 채점할 수 없습니다"),
    (HEADER + "final,j1,delta,need,18,\n", "2행 entry 열: 'delta'은(는) 발표심사(final) 대상이 아닙니다"),
    (HEADER + "final,j1,alpha,need\n", "2행: 열이 4개입니다 (머리글은 6개)"),
    (HEADER + "final,j1,alpha,need,18,좋음\nfinal,j1,alpha,outcome,8,나쁨\n", "3행 comment 열: 같은 심사위원·참가팀의 의견이 2행과 다릅니다"),
    (HEADER, "1행: 머리글만 있고 점수 행이 없습니다"),
    ("", "파일이 비어 있습니다"),
]


@pytest.mark.parametrize(("text", "expected"), BAD_CASES)
def test_a_bad_file_is_refused_naming_row_and_column_and_changes_nothing(make_contest, session, text, expected):
    contest = make_contest(status="judging")  # scores are typed in while judging
    scores_import.import_scores(session, contest, HEADER + "final,j2,beta,need,16,\n")
    before = snapshot_of_scores(session)
    events = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    # a good row first: all or nothing means it is not written either
    good_then_bad = text if not text.startswith(HEADER) or text == HEADER else (
        HEADER + "final,j2,beta,partnership,10,\n" + text[len(HEADER):])
    if good_then_bad != text:
        expected = expected.replace("3행", "4행").replace("2행", "3행")
    with pytest.raises(ScoreImportError) as caught:
        scores_import.import_scores(session, contest, good_then_bad)
    assert expected in caught.value.message, caught.value.message
    assert "아무것도 바뀌지 않았습니다" in caught.value.message
    assert snapshot_of_scores(session) == before
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events


def test_every_problem_of_a_file_is_reported_at_once(make_contest, session):
    contest = make_contest(status="judging")  # scores are typed in while judging
    text = HEADER + "final,j9,alpha,need,18,\nfinal,j1,alpha,need,19,\nfinal,j1,omega,need,18,\n"
    with pytest.raises(ScoreImportError) as caught:
        scores_import.import_scores(session, contest, text)
    assert [str(p).split(":")[0] for p in caught.value.problems] == ["2행 judge 열", "3행 score 열", "4행 entry 열"]


def test_a_file_that_is_not_utf8_is_refused(make_contest, session):
    contest = make_contest(status="judging")  # scores are typed in while judging
    with pytest.raises(ScoreImportError, match="UTF-8"):
        scores_import.import_scores(session, contest, (HEADER + "final,j1,alpha,need,18,좋음\n").encode("cp949"))
