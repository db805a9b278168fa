"""The core's inputs read from the database: keys, rounds, conflicts and scores as the core sees them."""

from __future__ import annotations

from decimal import Decimal

from judging.services import result_inputs
from tests.support.scores import put_scores


def test_contest_spec_maps_keys_rounds_conflicts_and_scores(make_contest, session):
    contest = make_contest()  # conftest's small contest: j3 conflicted with gamma, delta not in the round
    put_scores(session, contest, [("final", "j1", "alpha", "need", 18), ("final", "j1", "alpha", "outcome", "7.5")])
    inputs = result_inputs.contest_spec(session, contest)
    assert inputs.spec.judges == ("j1", "j2", "j3")
    assert set(inputs.spec.entries) == {"alpha", "beta", "gamma", "delta"}
    assert inputs.spec.rounds[0].entries == ("alpha", "beta", "gamma")
    assert [s.label for s in inputs.spec.tie_break] == ["criterion:partnership", "untrimmed_mean", "decision"]
    assert ("j3", "gamma") in inputs.conflicts
    assert sorted(inputs.scores) == sorted([("final", "j1", "alpha", "need", 18), ("final", "j1", "alpha", "outcome",
                                                                                  Decimal("7.5"))])
    assert all(isinstance(row[4], Decimal) for row in inputs.scores)
