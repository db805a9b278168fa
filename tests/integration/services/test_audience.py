"""The audience panel service: contest file, issuing, revoking, casting once, the tally in the result."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
import sqlalchemy as sa

from judging.models import AudienceBallot, AudienceRating, AudienceVote, AuditEvent
from judging.services import audience, contest_file_dump, contest_file_format, lifecycle, publishing, results
from judging.services.errors import DomainError, NotFound
from tests.support.audience import AUDIENCE_CONTEST, BALLOTS, audience_contest, entry_ids


def _issue(session, contest, count=5):  # noqa: ANN001, ANN202
    aud = audience.get_round(session, contest, "crowd")
    batch = audience.issue_ballots(session, aud, count)
    session.commit()
    return aud, batch


def _vote(session, contest, token, ratings):  # noqa: ANN001, ANN202
    ids = entry_ids(contest)
    audience.cast(session, token, {ids[k]: v for k, v in ratings.items()})
    session.commit()


def test_the_contest_file_round_trips_an_audience_round(session, make_contest):
    contest = make_contest(slug="crowd-file", text=AUDIENCE_CONTEST.format(slug="crowd-file"))
    [aud] = contest.audience_rounds
    assert (aud.key, aud.title, aud.weight, aud.max_points, aud.status) == ("crowd", "현장평가단", 30, 100, "pending")
    assert [r.key for r in contest.rounds] == ["final"]  # never among the judges' rounds
    text = contest_file_dump.dump_contest(session, contest)
    assert 'kind = "audience"' in text
    again = contest_file_format.parse(text)
    assert [a["key"] for a in again.audience] == ["crowd"] and [r["key"] for r in again.rounds] == ["final"]


def test_an_audience_round_needs_a_weighted_final_and_a_free_key():
    text = AUDIENCE_CONTEST.format(slug="x").replace('final = "weighted"\n', "")
    with pytest.raises(contest_file_format.ContestFileError) as err:
        contest_file_format.parse(text)
    assert any(place == "rounds[crowd].kind" for place, _m in err.value.problems)
    text = AUDIENCE_CONTEST.format(slug="x").replace('key = "crowd"', 'key = "final"')
    with pytest.raises(contest_file_format.ContestFileError) as err:
        contest_file_format.parse(text)
    assert any("중복" in message for _p, message in err.value.problems)


def test_issuing_stores_digests_only_numbers_cards_and_audits(session, make_contest):
    contest = audience_contest(make_contest, session)
    aud, batch = _issue(session, contest, 5)
    assert [c.serial for c in batch.cards] == [1, 2, 3, 4, 5]
    assert all(len(c.token) >= 22 for c in batch.cards)  # 16 random bytes, URL-safe base64
    assert len({c.token for c in batch.cards}) == 5
    stored = session.scalars(sa.select(AudienceBallot).where(AudienceBallot.round_id == aud.id)).all()
    assert {b.token_digest for b in stored} == {hashlib.sha256(c.token.encode()).hexdigest() for c in batch.cards}
    _aud, second = _issue(session, contest, 2)
    assert [c.serial for c in second.cards] == [6, 7] and second.batch == 2
    events = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "audience.ballots.issue")).all()
    assert [e.after["serials"] for e in events] == [[1, 5], [6, 7]]
    for bad in (0, -1, "열", audience.MAX_BATCH + 1):
        with pytest.raises(DomainError):
            audience.issue_ballots(session, aud, bad)


def test_one_ballot_one_vote_revoked_and_used_cards_say_only_that(session, make_contest):
    contest = audience_contest(make_contest, session)
    aud, batch = _issue(session, contest, 3)
    first, second, third = (c.token for c in batch.cards)
    with pytest.raises(DomainError, match="투표 시간이 아닙니다"):
        _vote(session, contest, first, BALLOTS[0])
    assert audience.ballot_state(session, first).state == "waiting"
    lifecycle.open_voting(session, aud)
    session.commit()
    assert audience.ballot_state(session, first).state == "ready"
    with pytest.raises(DomainError, match="모든 참가작을 평가해 주세요"):
        _vote(session, contest, first, {"a": 5})
    with pytest.raises(DomainError, match="1점부터 5점"):
        _vote(session, contest, first, {"a": 6, "b": 1, "c": 1})
    _vote(session, contest, first, BALLOTS[0])
    with pytest.raises(DomainError) as used:
        _vote(session, contest, first, BALLOTS[1])
    assert used.value.message == audience.USED_MESSAGE == "이미 사용된 투표권입니다"
    state = audience.ballot_state(session, first)
    assert (state.state, state.entries, state.round_title) == ("used", (), "")

    audience.revoke_ballot(session, aud, 2, "분실")
    session.commit()
    with pytest.raises(DomainError) as revoked:
        _vote(session, contest, second, BALLOTS[1])
    assert revoked.value.message == "취소된 투표권입니다"
    with pytest.raises(DomainError, match="이미 사용되어"):
        audience.revoke_ballot(session, aud, 1, "분실")
    with pytest.raises(DomainError, match="이미 취소"):
        audience.revoke_ballot(session, aud, 2, "분실")
    with pytest.raises(DomainError, match="사유"):
        audience.revoke_ballot(session, aud, 3, " ")
    with pytest.raises(NotFound):
        audience.cast(session, "no-such-token", {})
    assert audience.turnout(session, aud).to_dict() | {} == {
        "issued": 3, "revoked": 1, "cast": 1, "valid": 2, "percent": "50", "percent_display": "50.00"}
    assert third


def test_a_cast_vote_is_not_linked_to_its_card(session, make_contest):
    contest = audience_contest(make_contest, session)
    aud, batch = _issue(session, contest, 1)
    lifecycle.open_voting(session, aud)
    session.commit()
    _vote(session, contest, batch.cards[0].token, BALLOTS[0])
    assert set(AudienceVote.__table__.c.keys()) == {"id", "round_id"}
    assert set(AudienceRating.__table__.c.keys()) == {"vote_id", "entry_id", "rating"}
    vote = session.scalar(sa.select(AudienceVote))
    assert len(vote.id) == 32 and vote.id != batch.cards[0].token
    # nothing about a vote is audited when it is cast
    assert not session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action.like("audience.vote%")))


def test_the_weighted_result_counts_the_audience_at_its_announced_weight(session, make_contest):
    contest = audience_contest(make_contest, session)
    aud, batch = _issue(session, contest, 5)
    lifecycle.open_voting(session, aud)
    session.commit()
    for card, ballot in zip(batch.cards[:4], BALLOTS, strict=True):
        _vote(session, contest, card.token, ballot)
    result = results.compute(session, contest)
    # the hand-worked 70/30 example of tests/unit/scoring/test_audience.py, through the database
    assert [(f.entry, f.rank, f.display, f.tier) for f in result.final] == [
        ("a", 1, "82.00", "best"), ("b", 2, "71.25", "excellence"), ("c", 3, "60.50", "excellence")]
    crowd = result.audience_round("crowd")
    assert crowd.ballots == 4 and crowd.entry("b").mean == Decimal("3.5")

    count = lifecycle.close_voting(session, aud)
    session.commit()
    assert count["votes"] == 4 and count["ratings"]["a"] == [0, 0, 1, 2, 1]
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "audience.close"))
    assert event.after["count"]["digest"] == count["digest"] == audience.count_record(session, aud)["digest"]
    with pytest.raises(DomainError, match="투표가 끝났습니다"):
        _vote(session, contest, batch.cards[4].token, BALLOTS[0])
    assert audience.ballot_state(session, batch.cards[4].token).state == "closed"
    with pytest.raises(DomainError, match="투표가 끝나"):
        audience.issue_ballots(session, aud, 1)
    # the tally is reproducible from the stored ballots: the same result when computed again
    assert results.compute(session, contest).audience == result.audience


def test_voting_opens_only_while_judging(session, make_contest):
    contest = audience_contest(make_contest, session, slug="crowd-draft", status="open")
    aud = audience.get_round(session, contest, "crowd")
    with pytest.raises(DomainError, match="심사 중에만"):
        lifecycle.open_voting(session, aud)
    with pytest.raises(DomainError, match="열려 있지 않습니다"):
        lifecycle.close_voting(session, aud)
    with pytest.raises(NotFound, match="crowd"):
        audience.get_round(session, contest, "nope")


def test_publishing_warns_when_the_effective_weight_departs_and_the_snapshot_shows_the_combination(
        session, make_contest):
    contest = audience_contest(make_contest, session, slug="crowd-pub")
    aud, batch = _issue(session, contest, 4)
    lifecycle.open_voting(session, aud)
    session.commit()
    # the public barely tells the entries apart: its announced 30 % carries about 12 %
    for card, ballot in zip(batch.cards, [{"a": 4, "b": 4, "c": 4}] * 3 + [{"a": 4, "b": 4, "c": 3}], strict=True):
        _vote(session, contest, card.token, ballot)
    lifecycle.close_voting(session, aud)
    contest.status = "locked"
    session.commit()
    with pytest.raises(DomainError) as refused:
        publishing.publish(session, contest)
    assert len(refused.value.details["weights"]) == 2
    assert "현장평가단: 발표한 가중치 30.00%인데" in refused.value.details["weights"][1]
    snapshot = publishing.publish(session, contest, accept_weights=True)
    session.commit()
    combination = snapshot.payload["combination"]
    assert [(c["key"], c["announced"], c["effective"], c["warning"]) for c in combination["components"]] == [
        ("final", "70.00", "87.78", True), ("crowd", "30.00", "12.22", True)]
    first = combination["entries"][0]
    assert first["entry"] == "a" and first["total"] == "82.00"
    assert [p["contribution"] for p in first["parts"]] == ["59.50", "22.50"]
    [crowd] = snapshot.payload["audience"]
    assert crowd["ballots"] == 4 and crowd["turnout"]["cast"] == 4
    assert crowd["entries"][2] == {"entry": "c", "n": 4, "counts": [0, 0, 1, 3, 0], "mean": "3.75",
                                   "score": "68.75", "status": "ok"}


def test_a_contest_without_a_weighted_final_gets_no_combination_section(session, make_contest):
    from tests.support.scores import ready_contest

    contest = ready_contest(make_contest, session, slug="plain-pub")
    payload = publishing.build_payload(contest, *results.compute_with_inputs(session, contest))
    assert "combination" not in payload and "audience" not in payload


def test_locking_the_scores_closes_an_open_vote_and_audits_its_count(session, make_contest):
    contest = audience_contest(make_contest, session, slug="crowd-lock")
    aud, batch = _issue(session, contest, 2)
    lifecycle.open_voting(session, aud)
    session.commit()
    _vote(session, contest, batch.cards[0].token, BALLOTS[0])
    check = lifecycle.check(session, contest, "lock")
    assert any("'현장평가단' 투표가 열려 있습니다" in str(w) for w in check.warnings)
    lifecycle.lock(session, contest, confirm=True)
    session.commit()
    assert aud.status == "closed" and contest.status == "locked"
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "audience.close"))
    assert event.after["count"]["votes"] == 1
    with pytest.raises(DomainError, match="투표가 끝났습니다"):
        _vote(session, contest, batch.cards[1].token, BALLOTS[1])
    with pytest.raises(DomainError):
        lifecycle.open_voting(session, aud)  # the scores are locked: no more voting


def test_the_result_report_and_the_ceremony_show_the_combination_and_the_turnout(session, make_contest, tmp_path):
    import io

    from pypdf import PdfReader

    from judging.documents import render_result_report
    from judging.services import ceremony, published, reports

    contest = audience_contest(make_contest, session, slug="crowd-doc")
    aud, batch = _issue(session, contest, 5)
    lifecycle.open_voting(session, aud)
    session.commit()
    for card, ballot in zip(batch.cards[:4], BALLOTS, strict=True):
        _vote(session, contest, card.token, ballot)
    lifecycle.lock(session, contest, confirm=True)
    lifecycle.publish(session, contest)
    session.commit()
    result = published.load(session, contest, public=False)

    data = reports.report_data(contest, result)
    assert [(w.component, w.announced, w.effective, w.warning) for w in data.weights] == [
        ("발표심사", "70.00", "65.12", False), ("현장평가단", "30.00", "34.88", False)]
    assert any("투표 4표" in line and "투표율 80.00%" in line for line in data.weight_notes)
    first = next(r for r in data.rows if r.rank == 1)
    assert "발표심사 59.50 + 현장평가단 22.50" in first.note
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_result_report(data))).pages)
    assert "구성 요소별 반영 비율" in text and "65.12%" in text and "34.88%" in text

    slides = ceremony.sequence(contest, result)
    method = slides[1]
    assert method["kind"] == "method" and method["heading"] == "발표심사 70.00% + 현장평가단 30.00%"
    assert method["lines"] == ["실제 반영 비율: 발표심사 65.12% · 현장평가단 34.88%", "현장평가단 4명 투표 (투표율 80.00%)"]


def test_an_entrant_sees_its_own_audience_result_and_contributions(session, make_contest):
    contest = audience_contest(make_contest, session, slug="crowd-own")
    aud, batch = _issue(session, contest, 4)
    lifecycle.open_voting(session, aud)
    session.commit()
    for card, ballot in zip(batch.cards, BALLOTS, strict=True):
        _vote(session, contest, card.token, ballot)
    payload = publishing.build_payload(contest, *results.compute_with_inputs(session, contest))
    b = next(e for e in payload["entries"] if e["entry"] == "b")
    assert "현장평가단: 관객 4명 평가 평균 3.50점(1~5점) → 100점 만점 환산 62.50점" in b["disclosure"]
    assert "최종 점수 구성: 발표심사 52.50 + 현장평가단 18.75 = 71.25점" in b["disclosure"]
    assert not any("가동" in line or "j1" in line for line in b["disclosure"])


def test_opening_the_vote_fixes_the_ballot_to_the_finalists_advanced_from_screening(session, make_contest):
    text = AUDIENCE_CONTEST.format(slug="crowd-adv").replace('''[[rounds]]
key = "final"''', '''[[rounds]]
key = "screening"
title = "서류심사"
weight = 1
advance = 2
criteria = [ { key = "doc", title = "서류", max = 100, scale = "points" } ]

[[rounds]]
key = "final"''').replace('entries = ["a", "b", "c"]\n', "")
    contest = make_contest(slug="crowd-adv", text=text, status="judging")
    from tests.support.scores import put_scores

    put_scores(session, contest, [("screening", j, e, "doc", v) for j in ("j1", "j2")
                                  for e, v in (("a", 90), ("b", 70), ("c", 80))])
    aud = audience.get_round(session, contest, "crowd")
    assert audience.ballot_entries(session, aud) == []  # the final lists nobody: it takes who advances
    lifecycle.open_voting(session, aud)
    session.commit()
    assert [e.entrant.key for e in audience.ballot_entries(session, aud)] == ["a", "c"]
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "audience.open"))
    assert event.after["entries"] == ["a", "c"]
