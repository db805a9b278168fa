"""A decision that no longer applies: a tier decision recorded for a tie, then a corrected score
resolves the tie. The organizer is warned before publishing, and the snapshot and the result report
show the decision as not applied (it stays on record until withdrawn)."""

from __future__ import annotations

from judging.services import decisions, lifecycle, results
from tests.support.documents import pdf_text, squeeze
from tests.support.scores import TIED, put_scores, ready_contest


def test_a_decision_whose_tie_is_gone_is_shown_as_not_applied(app, session, make_contest, make_user):
    contest = ready_contest(make_contest, session, slug="stale-2024", table=TIED)
    tie = next(t for t in results.compute(session, contest).unresolved_ties if t.kind == "tier")
    assert set(tie.entries) == {"b", "c"} and tie.boundary == "excellence"
    decision = decisions.record_tier_decision(session, contest, "excellence", ["b"], "심사위원회 협의로 나동 선정",
                                              minutes="2024. 12. 4. 심사위원회 회의록")
    session.commit()
    inputs, result = results.compute_with_inputs(session, contest)
    assert inputs.stale_decisions(result) == ()  # it settles the tie it was recorded for

    # a corrected score: c's partnership was 16, not 17, so the cascade now separates b and c
    put_scores(session, contest, [("final", j, "c", "partnership", 16) for j in ("j1", "j2")])
    inputs, result = results.compute_with_inputs(session, contest)
    assert result.unresolved_ties == ()
    assert [d.id for d in inputs.stale_decisions(result)] == [decision.id]

    organizer, password = make_user("organizer")
    client = app.test_client()
    assert client.post("/sign-in", data={"login": organizer.login, "password": password}).status_code == 302
    base = f"/organizer/c/{contest.slug}"
    page = client.get(f"{base}/results").get_data(as_text=True)
    assert "기록된 결정 1건이 지금 결과에 쓰이지 않습니다" in page  # the warning before publishing
    assert "적용되지 않음" in page

    lifecycle.lock(session, contest, confirm=True, actor_label="test")
    session.commit()
    confirm = client.get(f"{base}/results/publish").get_data(as_text=True)
    assert "기록된 결정 1건이 지금 결과에 쓰이지 않습니다" in confirm
    snapshot = lifecycle.publish(session, contest, actor_label="test")
    session.commit()
    (recorded,) = [d for d in snapshot.payload["decisions"] if d["kind"] == "tier"]
    assert recorded["applied"] is False and recorded["entries"] == ["b"]
    # the ranks and tiers come from the scores, not from the stale decision
    tiers = {e["entry"]: e["tier"] for e in snapshot.payload["entries"]}
    assert tiers == {"a": "best", "b": "excellence", "c": "encouragement", "d": None}
    assert all("동점 결정" not in e["tier_rule"] for e in snapshot.payload["entries"])

    report = squeeze(pdf_text(client.get(f"{base}/report.pdf").get_data()))
    assert squeeze("적용되지 않은 결정 (해당 동점이 없어짐): '우수' 경계 동점 결정") in report
    assert report.count(squeeze("'우수' 경계 동점 결정")) == 1  # never also listed as applied
