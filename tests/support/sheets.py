"""A judge's scores in a judging world (see the ``world`` fixture of tests/integration/services/conftest.py):
save one, read one back, fill whole sheets."""

from __future__ import annotations

import sqlalchemy as sa

from judging.models import Score
from judging.services import autosave


def save(session, w, judge="j1", entry="alpha", criterion="need", value="18", version=0):  # noqa: ANN001, ANN201
    return autosave.save_score(session, w.judges[judge], entry_id=w.entries[entry].id,
                               criterion_id=w.criteria[criterion].id, value=value, version=version)


def stored(session, w, judge="j1", entry="alpha", criterion="need"):  # noqa: ANN001, ANN201
    row = session.execute(sa.select(Score.value, Score.version).where(
        Score.judge_id == w.judges[judge].id, Score.entry_id == w.entries[entry].id,
        Score.criterion_id == w.criteria[criterion].id)).one_or_none()
    return None if row is None else (row.value, row.version)


def fill(session, w, judge="j1", entries=("alpha", "beta", "gamma")):  # noqa: ANN001
    values = {"need": "20", "partnership": "15", "outcome": "7.5"}
    for entry in entries:
        for key, value in values.items():
            current = stored(session, w, judge, entry, key)
            save(session, w, judge, entry, key, value, current[1] if current else 0)
