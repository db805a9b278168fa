"""The demo contest, its scores completed, a special award designated and published."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import orm

from judging.models import Contest, Score, Sheet, User, utcnow
from judging.scoring.scales import allowed_values
from judging.services import decisions, demo, lifecycle
from tests.support import accounts

SPECIAL_REASON = "1인 가구 안부 확인 사업이 돋보여 특별상으로 선정"


def complete_demo_scores(session: orm.Session, contest: Contest) -> None:
    """The demo's fourth judge has 3 entries unscored: score them and submit the sheet."""
    rnd = contest.rounds[0]
    j4 = session.scalar(sa.select(User).where(User.contest_id == contest.id, User.judge_key == "j4"))
    entries = {e.key: e.entry for e in contest.entrants}
    for key in demo.UNSCORED_BY_J4:
        for criterion in rnd.criteria:
            values = sorted(allowed_values(criterion.scale, criterion.max_points), reverse=True)
            session.add(Score(judge_id=j4.id, entry_id=entries[key].id, criterion_id=criterion.id,
                              value=Decimal(values[1])))
    sheet = session.scalar(sa.select(Sheet).where(Sheet.judge_id == j4.id, Sheet.round_id == rnd.id))
    sheet.status = "submitted"
    sheet.submitted_at = utcnow()
    session.flush()


def load_demo(session: orm.Session, secret: str = "test-secret-key-not-for-production") -> Contest:
    demo.load_demo(session, secret)
    return session.scalar(sa.select(Contest).where(Contest.slug == demo.SLUG))


def publish_demo(session: orm.Session, secret: str = "test-secret-key-not-for-production",
                 *, commit: bool = True) -> Contest:
    """Load the demo, complete its scores, designate 주엽1동's special award and publish."""
    contest = load_demo(session, secret)
    complete_demo_scores(session, contest)
    decisions.designate_special(session, contest, "juyeop1", "special", SPECIAL_REASON)
    lifecycle.lock(session, contest, confirm=True, actor_label="test")
    lifecycle.publish(session, contest, actor_label="test")
    if commit:
        session.commit()
    return contest


DEMO_JUDGE_NAMES = ("김정희", "박성민", "이수연", "최영호")
# The published demo's top score (shown in the organizer's tally, tests/functional/views/organizer/
# test_documents.py, so the "not shown" checks mean something).
TOP_SCORE = "97.00"


def sign_in_council(client, login: str) -> None:  # noqa: ANN001
    """Sign one of the demo's councils in (by its login, e.g. "gobong") on a test client."""
    accounts.sign_in(client, login, "demo-council-2024")
