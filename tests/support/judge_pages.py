"""The judge's side through the test client, over the ``one_judge`` world of tests/functional/views/conftest.py:
signing in by code, an entry's address, a score saved through the autosave API."""

from __future__ import annotations

from tests.support import accounts


def sign_in(client, world):  # noqa: ANN001
    """Sign the world's judge in by its code."""
    accounts.sign_in(client, world.judge, world.code)


def html_of(response) -> str:  # noqa: ANN001
    """The response's HTML as sent."""
    return response.get_data(as_text=True)


def entry_url(world, key: str) -> str:  # noqa: ANN001
    return f"/judge/rounds/{world.round.id}/entries/{world.entries[key].id}"


def score(client, world, entry, criterion, value, version=0):  # noqa: ANN001, ANN201
    response = client.post("/judge/api/scores", json={"entry": world.entries[entry].id,
                                                      "criterion": world.criteria[criterion].id,
                                                      "value": value, "version": version})
    assert response.status_code == 200, response.get_json()
    return response
