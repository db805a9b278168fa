"""The ceremony: the reveal sequence built from the published snapshot, and its award order.

The sequence is a plain list of slides (dicts ready for JSON) that the projector page embeds
whole, so stepping needs no network. Order: a title slide; for a weighted final a method slide (the
announced and the effective weights, the audience's turnout); then, for each award in the contest's
ceremony order (default: the lowest tier up to the highest, then the special awards), an award
slide followed by one reveal per recipient; a closing slide listing everyone. Within one award the
recipients are called in 가나다 order of their names, which reveals no rank inside the tier.

No slide carries a score or a judge's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import orm

from judging.formatting import date_korean
from judging.messages import N_, Text
from judging.models import CeremonyPosition, Contest, User, utcnow
from judging.services import audit, published
from judging.services.errors import DomainError


@dataclass(frozen=True, slots=True)
class AwardChoice:
    key: str
    title: str
    kind: str  # tier | special


def award_choices(contest: Contest) -> list[AwardChoice]:
    """Every award of the contest: tiers best first, then special awards."""
    return [AwardChoice(t.key, t.award_name or t.title, "tier") for t in contest.tiers] + [
        AwardChoice(s.key, s.award_name or s.title, "special") for s in contest.special_awards
    ]


def default_order(contest: Contest) -> list[str]:
    """From the lowest tier up to the highest, then the special awards in their order."""
    return [t.key for t in reversed(contest.tiers)] + [s.key for s in contest.special_awards]


def effective_order(contest: Contest) -> list[str]:
    """The stored order with unknown keys dropped and forgotten awards appended in default order."""
    known = {c.key for c in award_choices(contest)}
    stored = [k for k in (contest.ceremony_order or []) if isinstance(k, str) and k in known]
    seen = set()
    order = []
    for key in stored:
        if key not in seen:
            order.append(key)
            seen.add(key)
    order += [k for k in default_order(contest) if k not in seen]
    return order


def set_order(session: orm.Session, contest: Contest, keys: list[str], *, actor: User | None = None,
              address: str = "") -> list[str]:
    """Store the ceremony order. ``keys`` must name every award of the contest exactly once.
    Raises DomainError naming the unknown, repeated or missing awards."""
    choices = {c.key: c.title for c in award_choices(contest)}
    keys = [k.strip() for k in keys if k and k.strip()]
    unknown = [k for k in keys if k not in choices]
    if unknown:
        raise DomainError(N_("이 공모전에 없는 상입니다: {unknown}"), unknown=', '.join(unknown))
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise DomainError(N_("같은 상이 두 번 들어 있습니다: {repeated}"), repeated=', '.join(choices[k] for k in repeated))
    missing = [choices[k] for k in choices if k not in keys]
    if missing:
        raise DomainError(N_("발표 순서에 빠진 상이 있습니다: {missing}"), missing=', '.join(missing))
    before = list(contest.ceremony_order or [])
    contest.ceremony_order = list(keys)
    session.flush()
    audit.record(session, "contest.ceremony_order", actor=actor, contest_id=contest.id, target_type="contest",
                 target_id=contest.slug, before={"order": before}, after={"order": keys}, address=address)
    return keys


def method_slide(result: published.PublishedResult) -> dict | None:
    """For a weighted final: how the result was combined (the announced weights), what each part
    really carried (the effective weights) and the audience's turnout. No entry's score."""
    combination = result.combination
    if combination is None or not combination.components:
        return None
    parts = combination.components
    lines = []
    if all(c.effective is not None for c in parts):
        shares = " · ".join(f"{c.title} {c.effective}%" for c in parts)
        lines.append(Text(N_("실제 반영 비율: {shares}"), shares=shares))
    for aud in result.audience:
        turnout = aud.turnout
        if turnout:
            if turnout.percent_display:
                lines.append(Text(N_("{title} {cast}명 투표 (투표율 {percent}%)"), title=aud.title, cast=turnout.cast,
                                  percent=turnout.percent_display))
            else:
                lines.append(Text(N_("{title} {cast}명 투표"), title=aud.title, cast=turnout.cast))
    return {
        "kind": "method",
        "heading": " + ".join(f"{c.title} {c.announced}%" for c in parts),
        "lines": lines,
    }


def sequence(contest: Contest, result: published.Published) -> list[dict]:
    """The slides of the ceremony, in order (see the module docstring)."""
    slides: list[dict] = [{
        "kind": "title",
        "heading": contest.title,
        "organizer": contest.organizer,
        "date": date_korean(contest.held_on),
        "venue": contest.venue,
        # the announced ranking rule in words (what decides ties and thresholds)
        "rule": result.content.contest.rank_rule,
    }]
    method = method_slide(result.content)
    if method is not None:
        slides.append(method)
    names = {c.key: c.title for c in award_choices(contest)}
    for key in effective_order(contest):
        holders = sorted(result.awards_of(key), key=lambda a: a.entry.name)
        if not holders:
            continue
        award = names.get(key, holders[0].award_name)
        slides.append({"kind": "award", "award": award, "count": len(holders), "key": key})
        for i, holder in enumerate(holders, 1):
            slides.append({
                "kind": "reveal",
                "award": award,
                "key": key,
                "recipient": holder.entry.name,
                "district": holder.entry.district,
                "project": holder.entry.title,
                "reason": holder.reason if holder.kind == "special" else "",
                "of": [i, len(holders)],
            })
    # The closing slide lists everyone best award first (award order of the contest, names 가나다).
    everyone = [{"award": names.get(a.key, a.award_name), "recipient": a.entry.name}
                for a in sorted(result.awards, key=lambda a: (a.position, a.entry.name))]
    slides.append({"kind": "closing", "heading": contest.title, "winners": everyone})
    for index, slide in enumerate(slides):
        slide["index"] = index
    return slides


# --- the reveal position, shared by the projector and the presenter's devices ----------------

@dataclass(frozen=True)
class Position:
    version: int  # the published version the slides come from
    slide: int
    seq: int  # goes up with every move: a window adopts a position only when it is newer


def position(session: orm.Session, contest: Contest) -> Position | None:
    """Where the reveal stands, or None before anyone moved it."""
    row = session.get(CeremonyPosition, contest.id)
    return None if row is None else Position(row.version, row.slide, row.seq)


def move(session: orm.Session, contest: Contest, version: int, slide: int, count: int) -> Position:
    """Store the reveal position (``slide`` of ``count`` slides of published ``version``). Raises
    DomainError for a slide outside the sequence or a version that is not the one shown publicly."""
    latest = published.published_snapshot(session, contest)
    if latest is None or latest.version != version:
        raise DomainError(N_("공개된 판이 바뀌었습니다. 화면을 새로 고쳐 주세요."), details={"code": "version"})
    if not 0 <= slide < max(count, 1):
        raise DomainError(N_("없는 화면입니다."), details={"code": "slide"})
    row = session.get(CeremonyPosition, contest.id, with_for_update=True)
    if row is None:
        row = CeremonyPosition(contest_id=contest.id, version=version, slide=slide, seq=1, moved_at=utcnow())
        session.add(row)
    else:
        row.version, row.slide, row.seq, row.moved_at = version, slide, row.seq + 1, utcnow()
    session.flush()
    return Position(row.version, row.slide, row.seq)
