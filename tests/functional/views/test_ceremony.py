"""The ceremony's reveal position on the server: a move is stored with a rising sequence number and
read back by any window; a wrong version, a slide outside the sequence or a malformed body is refused
in Korean and changes nothing."""

from __future__ import annotations

import sqlalchemy as sa

from judging.models import CeremonyPosition
from tests.support.demo import publish_demo


def test_moves_are_stored_and_read_back_with_a_rising_sequence(app, client, session, make_user, login):  # noqa: ANN001
    contest = publish_demo(session, app.config["SECRET_KEY"])
    organizer, password = make_user("organizer")
    login(organizer, password)
    url = f"/ceremony/{contest.slug}/position"
    assert client.get(url + ".json").get_json() == {"ok": True, "version": None, "slide": None, "seq": 0}
    first = client.post(url, json={"version": 1, "slide": 3}).get_json()
    second = client.post(url, json={"version": 1, "slide": 4}).get_json()
    assert (first["seq"], second["seq"]) == (1, 2)
    assert client.get(url + ".json").get_json() == {"ok": True, "version": 1, "slide": 4, "seq": 2}

    for body in ({"version": 2, "slide": 1}, {"version": 1, "slide": 999}, {"version": 1, "slide": -1},
                 {"version": 1, "slide": "3"}, {"version": 1, "slide": True}, ["x"]):
        response = client.post(url, json=body)
        assert response.status_code == 400, body
        message = response.get_json()["message"]
        assert any("\uac00" <= ch <= "\ud7a3" for ch in message), message
    session.expire_all()
    row = session.scalar(sa.select(CeremonyPosition))
    assert (row.slide, row.seq) == (4, 2)


def test_the_position_needs_an_organizer(app, client, session, make_user, login):  # noqa: ANN001
    contest = publish_demo(session, app.config["SECRET_KEY"])
    council, password = make_user("council", contest=contest, entrant=contest.entrants[0])
    login(council, password)
    assert client.post(f"/ceremony/{contest.slug}/position", json={"version": 1, "slide": 1}).status_code == 403
    assert session.scalar(sa.select(sa.func.count()).select_from(CeremonyPosition)) == 0
