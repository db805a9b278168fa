"""Fixtures of the page and command tests."""

from __future__ import annotations

import pytest

from tests.support.accounts import sign_in
from tests.support.demo import publish_demo


@pytest.fixture()
def organizer(client, make_user, login):  # noqa: ANN001, ANN201
    """An organizer (manager of the one organization), signed in on ``client``."""
    user, password = make_user("organizer")
    login(user, password)
    return user


@pytest.fixture()
def published_demo(session):  # noqa: ANN001, ANN201
    """The demo contest, its scores completed, a special award designated, published (committed)."""
    return publish_demo(session)


@pytest.fixture()
def people(make_contest, make_user):  # noqa: ANN001, ANN201
    """One user of each role on a small contest: role -> (user, password or judge's code), and the contest."""
    contest = make_contest()
    return {
        "organizer": make_user("organizer"),
        "judge": make_user("judge", contest=contest, judge_key="j1"),
        "council": make_user("council", contest=contest, entrant=contest.entrants[0]),
        "contest": contest,
    }


@pytest.fixture()
def as_organizer(client):  # noqa: ANN001, ANN201
    """Signs the demo's organizer in on ``client`` when called; returns the client."""
    def signs_in():  # noqa: ANN202
        sign_in(client, "organizer", "demo-organizer-2024")
        return client

    return signs_in
