"""``judging ballots``: issue (PDF of numbered cards), revoke, open, close, status."""

from __future__ import annotations

import io

import sqlalchemy as sa
from pypdf import PdfReader

from judging.models import AudienceBallot
from tests.support.audience import audience_contest


def test_issue_writes_a_pdf_of_numbered_cards_with_their_addresses(runner, session, make_contest, tmp_path):
    audience_contest(make_contest, session, slug="crowd-cli")
    out = tmp_path / "cards.pdf"
    done = runner.invoke(args=["ballots", "issue", "crowd-cli", "--round", "crowd", "--count", "10", "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "10장" in done.output and "1~10번" in done.output
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == 2  # 8 cards a page
    text = "".join(page.extract_text() for page in reader.pages)
    assert "No. 0001" in text and "No. 0010" in text and "http://testserver/v/" in text
    assert session.scalar(sa.select(sa.func.count()).select_from(AudienceBallot)) == 10


def test_a_refused_issue_writes_nothing(runner, session, make_contest, tmp_path):
    audience_contest(make_contest, session, slug="crowd-cli2")
    out = tmp_path / "cards.pdf"
    done = runner.invoke(args=["ballots", "issue", "crowd-cli2", "--round", "crowd", "--count", "0", "--out", str(out)])
    assert done.exit_code == 1 and "1장부터" in done.output and not out.exists()
    done = runner.invoke(args=["ballots", "issue", "crowd-cli2", "--round", "nope", "--count", "3", "--out", str(out)])
    assert done.exit_code == 1 and "crowd" in done.output
    done = runner.invoke(args=["ballots", "issue", "crowd-cli2", "--round", "crowd", "--count", "3",
                               "--out", str(tmp_path / "missing" / "x.pdf")])
    assert done.exit_code == 1 and "발급되지 않았습니다" in done.output
    assert session.scalar(sa.select(sa.func.count()).select_from(AudienceBallot)) == 0


def test_open_revoke_close_and_status(runner, session, make_contest, tmp_path):
    audience_contest(make_contest, session, slug="crowd-cli3")
    runner.invoke(args=["ballots", "issue", "crowd-cli3", "--round", "crowd", "--count", "4",
                        "--out", str(tmp_path / "c.pdf")])
    assert runner.invoke(args=["ballots", "open", "crowd-cli3", "--round", "crowd"]).exit_code == 0
    again = runner.invoke(args=["ballots", "open", "crowd-cli3", "--round", "crowd"])
    assert again.exit_code == 1 and "이미 열려" in again.output
    done = runner.invoke(args=["ballots", "revoke", "crowd-cli3", "--round", "crowd", "--serial", "3",
                               "--reason", "분실"])
    assert done.exit_code == 0 and "3번" in done.output
    status = runner.invoke(args=["ballots", "status", "crowd-cli3"])
    assert status.exit_code == 0 and "투표 중" in status.output and "0.00%" in status.output
    closed = runner.invoke(args=["ballots", "close", "crowd-cli3", "--round", "crowd"])
    assert closed.exit_code == 0 and "0표" in closed.output


def test_publish_refuses_a_weight_warning_until_accepted(runner, session, make_contest, tmp_path):
    from judging.services import audience, lifecycle
    from tests.support.audience import entry_ids

    contest = audience_contest(make_contest, session, slug="crowd-cli4")
    aud = audience.get_round(session, contest, "crowd")
    batch = audience.issue_ballots(session, aud, 2)
    lifecycle.open_voting(session, aud)
    ids = entry_ids(contest)
    for card in batch.cards:  # every voter rates every entry 4: the audience moves nobody
        audience.cast(session, card.token, {ids["a"]: 4, ids["b"]: 4, ids["c"]: 4})
    contest.status = "locked"
    session.commit()
    refused = runner.invoke(args=["publish", "crowd-cli4"])
    assert refused.exit_code == 1 and "실제 가중치" in refused.output and "현장평가단" in refused.output
    done = runner.invoke(args=["publish", "crowd-cli4", "--accept-weights"])
    assert done.exit_code == 0 and done.output.strip().endswith("1")
