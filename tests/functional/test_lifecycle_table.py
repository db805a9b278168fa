"""Every state × every action, in the browser (test client) and on the command line: the action is
allowed and moves the contest where it should, or it is refused with its reason and nothing changed.

Runs on SQLite and on PostgreSQL (the ``backend`` parameter of the database fixtures)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
import sqlalchemy as sa

from judging.models import AuditEvent, Sheet
from judging.services import declarations, lifecycle
from tests.support.lifecycle import contest_in, fingerprint, judge, scores_csv

STATES = ("draft", "open", "judging", "locked", "published")
# action → (states that allow it, the state it leaves the contest in, the audit event it records)
ALLOWED = {
    "open": ({"draft"}, "open", "intake.open"),
    "start_judging": ({"draft", "open"}, "judging", "judging.start"),
    "lock": ({"judging"}, "locked", "scores.lock"),
    "unlock": ({"locked", "published"}, "judging", "scores.unlock"),
    "publish": ({"locked"}, "published", "result.publish"),
    "import_scores": ({"judging"}, None, "scores.import"),
    "tablet_score": ({"judging"}, None, "score.saved"),
    "reopen_sheet": ({"judging"}, None, "sheet.reopened"),
}
# The life-cycle rule each action answers to.
RULE = {"import_scores": "scores", "tablet_score": "scores"}
WEB_ACTIONS = [a for a in ALLOWED if a != "import_scores"]  # paper sheets are typed in on the command line
CLI_ACTIONS = [a for a in ALLOWED if a != "tablet_score"]  # the tablet is the judge's, in the browser


def _expected_refusal(contest, action: str) -> str:  # noqa: ANN001
    return str(lifecycle.refusal(contest, RULE.get(action, action)))


def _web(client, tablet, session, contest, action: str):  # noqa: ANN001, ANN202
    """Do ``action`` in the browser; returns (ok, text shown)."""
    base = f"/organizer/c/{contest.slug}"
    if action in ("open", "start_judging", "lock"):
        response = client.post(f"{base}/status", data={"target": action, "confirm": "y"}, follow_redirects=True)
    elif action == "unlock":
        response = client.post(f"{base}/unlock", data={"reason": "점수 오기 정정"}, follow_redirects=True)
    elif action == "publish":
        response = client.post(f"{base}/results/publish", data={"confirm": "y", "note": ""}, follow_redirects=True)
    elif action == "reopen_sheet":
        rnd = contest.rounds[0]
        response = client.post(f"{base}/rounds/{rnd.id}/reopen-sheet",
                               data={"judge": judge(session, contest, "j1").id, "reason": "서명 누락"},
                               follow_redirects=True)
    else:  # tablet_score: the judge j3 (sheet not submitted) changes a score from a tablet
        entry = next(e for e in contest.entrants if e.key == "alpha").entry
        crit = contest.rounds[0].criteria[0]
        response = tablet.post("/judge/api/scores",
                               json={"entry": entry.id, "criterion": crit.id, "value": "11", "version": 1})
        body = response.get_json() or {}
        return response.status_code == 200, body.get("message", "")
    text = html.unescape(response.get_data(as_text=True))
    # Every organizer action answers with a redirect and a flashed message: success or error.
    assert response.status_code == 200 and "flash flash--" in text
    return "flash flash--error" not in text, text


def _cli(runner, tmp_path: Path, contest, action: str):  # noqa: ANN001, ANN202
    slug = contest.slug
    args = {
        "open": ["open", slug, "--yes"],
        "start_judging": ["start-judging", slug, "--yes"],
        "lock": ["lock", slug, "--yes"],
        "unlock": ["unlock", slug, "--reason", "점수 오기 정정"],
        "publish": ["publish", slug],
        "reopen_sheet": ["reopen-sheet", slug, "--round", "final", "--judge", "j1", "--reason", "서명 누락"],
    }.get(action)
    if action == "import_scores":
        path = tmp_path / "paper.csv"
        path.write_text(scores_csv(bump=1), encoding="utf-8")
        args = ["scores", "import", slug, str(path)]
    result = runner.invoke(args=args)
    return result.exit_code == 0, result.output


def _check(session, contest, action: str, state: str, ok: bool, text: str, before: tuple) -> None:  # noqa: ANN001
    allowed_states, target, event = ALLOWED[action]
    after = fingerprint(session, contest)
    if state in allowed_states:
        assert ok, text
        assert after[0] == (target or state)
        assert after != before
        actions = set(session.scalars(sa.select(AuditEvent.action).where(AuditEvent.contest_id == contest.id)))
        assert event in actions
    else:
        assert not ok
        if action != "tablet_score":  # the tablet answers in the judge's words, checked below
            assert _expected_refusal(contest, action) in text
        else:
            assert text
        assert after == before, "a refused action changed something"


def _tablet(app, session, contest, make_user):  # noqa: ANN001, ANN202
    """j3 on a tablet, signed in, pledged and declared (these steps are audited too, so they happen
    before the fingerprint and are not counted as the action's doing)."""
    j3, code = make_user("judge", contest=contest, judge_key="j3")
    declarations.pledge(session, j3)
    declarations.declare_conflicts(session, j3, dict.fromkeys(r.entry_id for r in declarations.declaration(session, j3).pending))
    session.commit()
    tablet = app.test_client()
    assert tablet.post("/sign-in/code", data={"code": code}).status_code == 302
    return tablet


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", WEB_ACTIONS)
def test_web_action_in_every_state(client, app, session, organizer, make_user, state, action):  # noqa: ANN001
    contest = contest_in(session, state)
    tablet = _tablet(app, session, contest, make_user)
    before = fingerprint(session, contest)
    ok, text = _web(client, tablet, session, contest, action)
    _check(session, contest, action, state, ok, text, before)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", CLI_ACTIONS)
def test_cli_action_in_every_state(runner, session, tmp_path, state, action):  # noqa: ANN001
    contest = contest_in(session, state)
    before = fingerprint(session, contest)
    ok, text = _cli(runner, tmp_path, contest, action)
    _check(session, contest, action, state, ok, text, before)


def test_the_tablet_is_refused_with_the_judges_reason_outside_judging(client, app, session, make_user):  # noqa: ANN001
    contest = contest_in(session, "locked")
    ok, text = _web(client, _tablet(app, session, contest, make_user), session, contest, "tablet_score")
    assert not ok and "심사 기간이 아니어서" in text


def test_reopening_a_sheet_while_judging_puts_it_back_to_draft(runner, session):  # noqa: ANN001
    contest = contest_in(session, "judging")
    result = runner.invoke(args=["reopen-sheet", contest.slug, "--round", "final", "--judge", "j1",
                                 "--reason", "서명 누락"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    j1 = judge(session, contest, "j1")
    sheet = session.scalar(sa.select(Sheet).where(Sheet.judge_id == j1.id))
    assert sheet.status == "draft" and sheet.reopen_reason == "서명 누락"
