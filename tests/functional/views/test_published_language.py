"""A published result reads in the reader's language: the snapshot keeps its words (the method, the
rank rule, each entry's explanation) as Korean text with their messages beside them, so the council's
result page, the public results and the ceremony's slides show them in English in English mode, and in
Korean by default."""

from __future__ import annotations

import json
import re

import sqlalchemy as sa

from judging.models import ResultSnapshot
from judging.services import demo
from tests.support.demo import publish_demo
from tests.support.korean import HANGUL
from tests.support.pages import page_text, visible_text


def _ceremony_data(response) -> dict:  # noqa: ANN001
    found = re.search(r'<script type="application/json" id="ceremony-data">(.*?)</script>',
                      response.get_data(as_text=True), re.S)
    assert found is not None
    return json.loads(found.group(1))


def _reader(app, login: str, password: str, *, english: bool):  # noqa: ANN001, ANN202
    """A signed-in client reading in English (``?lang=en``, remembered) or in the default Korean."""
    client = app.test_client()
    if english:
        assert client.get("/sign-in?lang=en").status_code == 200
    assert client.post("/sign-in", data={"login": login, "password": password}).status_code == 302
    return client


def test_a_published_result_reads_in_english_and_in_korean_by_default(app, session) -> None:  # noqa: ANN001
    contest = publish_demo(session, app.config["SECRET_KEY"])
    payload = session.scalar(sa.select(ResultSnapshot.payload).where(ResultSnapshot.contest_id == contest.id))
    korean_rule = payload["contest"]["rank_rule"]
    gobong = next(e for e in payload["entries"] if e["entry"] == "gobong")
    korean_method, korean_disclosure = payload["contest"]["method_text"][0], gobong["disclosure"][0]
    assert HANGUL.search(korean_rule) and HANGUL.search(korean_method) and HANGUL.search(korean_disclosure)

    korean, english = (_reader(app, "gobong", demo.COUNCIL_PASSWORD, english=e) for e in (False, True))

    # The council's own result: the method, the rank rule and its explanation.
    page = visible_text(korean.get(f"/council/result?contest={contest.slug}"))
    assert korean_method in page and korean_rule in page and korean_disclosure in page
    page = visible_text(english.get(f"/council/result?contest={contest.slug}"))
    assert korean_method not in page and korean_rule not in page and korean_disclosure not in page
    assert "mean of the judges' totals" in page and "Ranks, ties, award thresholds" in page, page
    assert re.search(r"mean of \d+ of \d+ judges, without the highest and the lowest 1 each: [\d.]+ points", page)
    # Nothing of the method is Korean any more: what Korean is left are names (the contest's, the rounds').
    method_line = re.search(r"<p class=\"muted-small\">([^<]*judges' totals[^<]*)</p>",
                            page_text(english.get(f"/council/result?contest={contest.slug}")))
    assert method_line is not None
    assert not HANGUL.search(method_line.group(1).replace(payload["rounds"][0]["title"], ""))

    # The public results page (it shows no method words) is English too.
    public = visible_text(english.get(f"/results/{contest.slug}"))
    assert "Results" in public and korean_method not in public and korean_rule not in public
    assert korean_rule not in visible_text(korean.get(f"/results/{contest.slug}"))

    # The ceremony's slides (embedded JSON): the title slide's rule follows the request's language.
    korean, english = (_reader(app, *demo.ORGANIZER[:2], english=e) for e in (False, True))
    assert _ceremony_data(korean.get(f"/ceremony/{contest.slug}"))["slides"][0]["rule"] == korean_rule
    rule = _ceremony_data(english.get(f"/ceremony/{contest.slug}"))["slides"][0]["rule"]
    assert rule.startswith("Ranks, ties, award thresholds") and not HANGUL.search(rule), rule
