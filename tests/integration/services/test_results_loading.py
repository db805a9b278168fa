"""``results.compute`` reads every score row in one query and hands them to the core, which checks
each and adds each judge's sheet up (``scoring.sheet_total``): the database never adds scores up.
These are the loader's own cases: a stored score off every scale, and scores of someone who is no
longer a judge of the contest."""

from __future__ import annotations

from decimal import Decimal

import pytest

from judging.models import Score
from judging.services import results
from judging.services.errors import DomainError
from tests.support.scores import ids, put_scores


def test_a_stored_score_off_every_scale_is_refused_naming_it(session, make_contest):
    stored = make_contest(slug="bad-2024", status="judging")
    put_scores(session, stored, [("final", "j1", "alpha", "need", "17.25")])  # no scale has two decimals
    with pytest.raises(DomainError, match="점수로 결과를 계산할 수 없습니다.*j1/alpha/need"):
        results.compute(session, stored)


def test_scores_of_someone_no_longer_a_judge_are_left_out(session, make_contest, make_user):
    stored = make_contest(slug="left-2024", status="judging")
    put_scores(session, stored, [("final", j, e, c, v) for j in ("j1", "j2") for e in ("alpha", "beta")
                                 for c, v in (("need", 18), ("partnership", 15), ("outcome", "7.5"))])
    _judge_ids, entry_ids, criterion_ids = ids(session, stored)
    outsider, _password = make_user("organizer")
    session.add(Score(judge_id=outsider.id, entry_id=entry_ids["alpha"], criterion_id=criterion_ids[("final", "need")],
                      value=Decimal(20)))
    session.flush()
    result = results.compute(session, stored)
    alpha = result.round("final").entry("alpha")
    assert alpha.n == 2 and dict(alpha.totals) == {"j1": Decimal("40.5"), "j2": Decimal("40.5")}


def test_totals_are_the_cores_sums_of_the_stored_scores(session, make_contest):
    stored = make_contest(slug="exp-2024", status="judging")
    put_scores(session, stored, [("final", "j1", "alpha", "need", 18), ("final", "j1", "alpha", "partnership", 15),
                                 ("final", "j1", "alpha", "outcome", "7.5")])
    total = dict(results.compute(session, stored).round("final").entry("alpha").totals)["j1"]
    assert total == Decimal("40.5") and str(total) in ("40.5", "40.50")  # SQLite / PostgreSQL numeric(7, 2)
