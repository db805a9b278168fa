"""Settings the scoring core cannot run are refused where they are entered — in the contest file and
in the set-up form — with the reason, and nothing is stored. The rule is the core's own
(``scoring.round_problems``, ``scoring.criterion_problems``), asked in both places."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from judging.models import Contest, Criterion, Round
from judging.services import contest_file, contest_file_format
from tests.support.contests import SMALL_CONTEST
from tests.support.pages import field_errors, flashes


def small(**swap: str) -> str:
    text = SMALL_CONTEST.format(slug="refused-2024")
    for old, new in swap.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


NEED = '{ key = "need", title = "사업의 필요성", max = 20, scale = "grades" }'

REFUSED = {
    "trimmed mean with trim 0": (small(**{"trim = 1": "trim = 0"}), "rounds[final].trim", "제외 개수가 1 이상"),
    "trimmed mean without trim": (small(**{"trim = 1\n": ""}), "rounds[final].trim", "제외 개수가 1 이상"),
    "trim with the plain mean": (small(**{'aggregation = "trimmed_mean"': 'aggregation = "mean"'}),
                                 "rounds[final].trim", "trimmed_mean)에서만"),
    "criterion weight 0": (small(**{NEED: NEED.replace(' }', ', weight = 0 }')}),
                           "rounds[final].criteria[need].weight", "0보다 커야"),
    "criterion weight below 0": (small(**{NEED: NEED.replace(' }', ', weight = -2 }')}),
                                 "rounds[final].criteria[need].weight", "0보다 커야"),
    "a maximum the scale cannot reach": (
        small(**{'max = 10, scale = "half_points"': 'max = 7.3, scale = "half_points"'}),
        "rounds[final].criteria[outcome].scale", "0.5점 단위"),
    "a round weight 0 in a weighted final": (
        small(**{'held_on = 2024-12-04': 'held_on = 2024-12-04\nfinal = "weighted"',
                 'key = "final"\n': 'key = "final"\nweight = 0\n'}),
        "rounds[final].weight", "0보다 커야"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_the_contest_file_refuses_what_the_core_cannot_run(session, case):
    text, place, words = REFUSED[case]
    with pytest.raises(contest_file_format.ContestFileError) as caught:
        contest_file.load(session, text)
    problems = dict(caught.value.problems)
    assert place in problems, problems
    assert words in problems[place], problems[place]
    session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(Contest)) == 0


def test_the_uploaded_contest_file_shows_the_reason_and_stores_nothing(client, session, organizer):
    text, place, words = REFUSED["trimmed mean with trim 0"]
    response = client.post("/organizer/contest-file", data={"file-file": (io.BytesIO(text.encode()), "c.toml")},
                           follow_redirects=True)
    shown = " ".join(flashes(response))
    assert "아무것도 바꾸지 않았습니다" in shown and place in shown and words in shown
    assert session.scalar(sa.select(sa.func.count()).select_from(Contest)) == 0


ROUND_FORM_REFUSED = {
    "trimmed mean with trim 0": ({"aggregation": "trimmed_mean", "trim": "0", "weight": "1"}, "제외 개수가 1 이상"),
    "trim with the plain mean": ({"aggregation": "mean", "trim": "2", "weight": "1"}, "trimmed_mean)에서만"),
    "round weight 0": ({"aggregation": "mean", "trim": "0", "weight": "0"}, "라운드 가중치는 0보다 커야"),
}


@pytest.mark.parametrize("case", sorted(ROUND_FORM_REFUSED))
def test_the_round_form_refuses_what_the_core_cannot_run(client, session, organizer, make_contest, case):
    contest = make_contest(slug="form-2024", status="draft")
    fields, words = ROUND_FORM_REFUSED[case]
    before = session.scalar(sa.select(sa.func.count()).select_from(Round))
    data = {"nr-key": "second", "nr-title": "2차", **{f"nr-{k}": v for k, v in fields.items()}}
    response = client.post(f"/organizer/c/{contest.slug}/setup/rounds", data=data, follow_redirects=True)
    assert any(words in f for f in field_errors(response)), field_errors(response)  # beside the field, as typed
    assert session.scalar(sa.select(sa.func.count()).select_from(Round)) == before


CRITERION_FORM_REFUSED = {
    "weight 0": ({"max_points": "20", "scale": "points", "weight": "0"}, "0보다 커야"),
    "weight below 0": ({"max_points": "20", "scale": "points", "weight": "-1"}, "0"),
    "a maximum the scale cannot reach": ({"max_points": "7.3", "scale": "half_points", "weight": "1"}, "0.5점 단위"),
}


@pytest.mark.parametrize("case", sorted(CRITERION_FORM_REFUSED))
def test_the_criterion_form_refuses_what_the_core_cannot_run(client, session, organizer, make_contest, case):
    contest = make_contest(slug="crit-2024", status="draft")
    rnd = contest.rounds[0]
    fields, words = CRITERION_FORM_REFUSED[case]
    before = session.scalar(sa.select(sa.func.count()).select_from(Criterion))
    data = {f"nc{rnd.id}-key": "extra", f"nc{rnd.id}-title": "추가", **{f"nc{rnd.id}-{k}": v for k, v in fields.items()}}
    response = client.post(f"/organizer/c/{contest.slug}/setup/rounds/{rnd.id}/criteria", data=data,
                           follow_redirects=True)
    assert any(words in f for f in field_errors(response)), field_errors(response)  # beside the field, as typed
    assert session.scalar(sa.select(sa.func.count()).select_from(Criterion)) == before
