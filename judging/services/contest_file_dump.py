"""Writing a contest back as contest-file text (TOML), in the format ``contest_file_format`` reads."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from judging import scoring
from judging.messages import N_
from judging.models import Conflict, Contest, User
from judging.scoring.rounding import plain
from judging.services.errors import DomainError


def dump(session: orm.Session, slug: str) -> str:
    """The contest as contest-file text. Raises ``DomainError`` when the slug is unknown."""
    contest = session.scalar(sa.select(Contest).where(Contest.slug == slug))
    if contest is None:
        raise DomainError(N_("공모전 '{slug}'이(가) 없습니다."), slug=slug)
    return dump_contest(session, contest)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    raise TypeError("cannot write this value as TOML", value)


def _lines(pairs: list[tuple[str, Any]]) -> list[str]:
    return [f"{name} = {_toml(value)}" for name, value in pairs if value is not None]


def _dumped_precision(stored: str | None) -> int | str | None:
    if stored is None or stored in ("", str(scoring.rounding.DEFAULT_RANK_PRECISION)):
        return None
    return stored if stored == scoring.rounding.EXACT else int(stored)


def dump_contest(session: orm.Session, contest: Contest) -> str:
    out: list[str] = ["# 공모전 파일 (docs/contest-file.md)", "", "[contest]"]
    out += _lines([
        ("slug", contest.slug), ("title", contest.title), ("organizer", contest.organizer),
        ("issuer", contest.issuer), ("issuer_name", contest.issuer_name), ("held_on", contest.held_on),
        ("venue", contest.venue), ("tie_break", list(contest.tie_break or [])), ("final", contest.final_mode),
        ("submission_deadline", contest.submission_deadline), ("certificate_body", contest.certificate_body),
        ("certificate_year", contest.certificate_year), ("public_scores", contest.public_scores),
        ("ceremony_order", list(contest.ceremony_order or [])), ("review_notes", contest.review_notes),
        ("weight_margin", contest.weight_margin if contest.weight_margin != 10 else None),
        ("rank_precision", _dumped_precision(contest.rank_precision)),
    ])
    keys_by_entry = {e.entry.id: e.key for e in contest.entrants if e.entry is not None}
    for rnd in contest.rounds:
        out += ["", "[[rounds]]"]
        out += _lines([("key", rnd.key), ("title", rnd.title), ("weight", rnd.weight),
                       ("aggregation", rnd.aggregation), ("trim", rnd.trim), ("advance", rnd.advance),
                       ("entries", [keys_by_entry[re.entry_id] for re in rnd.round_entries])])
        for cr in rnd.criteria:
            out += ["", "[[rounds.criteria]]"]
            out += _lines([("key", cr.key), ("title", cr.title), ("max", cr.max_points), ("scale", cr.scale),
                           ("weight", cr.weight), ("guidance", cr.guidance or None)])
    for aud in contest.audience_rounds:
        out += ["", "[[rounds]]"]
        out += _lines([("key", aud.key), ("title", aud.title), ("kind", "audience"), ("weight", aud.weight),
                       ("max", aud.max_points),
                       ("entries", [keys_by_entry[re.entry_id] for re in aud.round_entries])])
    for tier in contest.tiers:
        out += ["", "[[tiers]]"]
        out += _lines([("key", tier.key), ("title", tier.title), ("award", tier.award_name),
                       ("count", tier.count), ("threshold", tier.threshold)])
    for special in contest.special_awards:
        out += ["", "[[special_awards]]"]
        out += _lines([("key", special.key), ("title", special.title), ("award", special.award_name)])
    for entrant in contest.entrants:
        entry = entrant.entry
        out += ["", "[[entrants]]"]
        out += _lines([("key", entrant.key), ("name", entrant.name), ("district", entrant.district),
                       ("contact_name", entrant.contact_name or None),
                       ("contact_email", entrant.contact_email or None),
                       ("title", (entry.title or None) if entry else None),
                       ("summary", (entry.summary or None) if entry else None)])
    judges = session.scalars(sa.select(User).where(User.contest_id == contest.id, User.role == "judge")
                             .order_by(User.id)).all()
    for judge in judges:
        out += ["", "[[judges]]"]
        out += _lines([("key", judge.judge_key), ("name", judge.name), ("affiliation", judge.affiliation),
                       ("email", judge.email or None)])
    judge_keys = {j.id: j.judge_key for j in judges}
    conflicts = session.scalars(sa.select(Conflict).where(Conflict.judge_id.in_(judge_keys)).order_by(Conflict.id))
    for conflict in conflicts:
        if conflict.entry_id in keys_by_entry:
            out += ["", "[[conflicts]]"]
            out += _lines([("judge", judge_keys[conflict.judge_id]), ("entry", keys_by_entry[conflict.entry_id]),
                           ("reason", conflict.reason)])
    return "\n".join(out) + "\n"
