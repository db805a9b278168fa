"""The demo contest, modelled on Goyang 2024: 43 dong councils, 11 finalists, 4 judges,
a 7-criterion rubric, tiers 1/3/7 and a special award, with most scores entered."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import orm

from judging.models import Conflict, Contest, Organization, Score, Sheet, User, utcnow
from judging.scoring.scales import allowed_values
from judging.services import auth, contest_file, decisions, lifecycle, organizations, results

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
DEMO_FILE = DEMO_DIR / "goyang-2024.toml"
SEAL_FILE = DEMO_DIR / "seal.png"
SLUG = "goyang-2024"
# Last year's edition, fully scored and published: the ceremony, certificates and public results
# have something to show while this year's contest is still being judged.
PAST_SLUG = "goyang-2023"
ORGANIZER = ("organizer", "demo-organizer-2024", "복지정책과 담당자")
ORGANIZATION = ("goyang-welfare", "고양특례시 복지정책과")
COUNCIL_PASSWORD = "demo-council-2024"
COUNCILS = ("gobong", "tanhyeon1", "juyeop1")
# Intended strength of each finalist (the 2024 result order), used to make plausible scores.
STRENGTH = ["gobong", "tanhyeon1", "wonsin", "daehwa", "hwajeong2", "jeongbalsan", "changneung",
            "janghang2", "gajwa", "janghang1", "tanhyeon2"]
# The fourth judge is still scoring: these entries are left for the demo's "in progress" state.
UNSCORED_BY_J4 = ("tanhyeon1", "janghang2", "jeongbalsan")


@dataclass(frozen=True)
class DemoSignIns:
    organizer: tuple[str, str]
    councils: list[tuple[str, str, str]]
    judges: list[tuple[str, str, str]]  # (name, code, link path)
    created: bool


def _noise(*parts: str | None) -> int:
    digest = hashlib.sha256(":".join(str(part) for part in parts).encode()).digest()
    return digest[0] % 5 - 2  # -2..2 steps


def load_demo(session: orm.Session, secret: str) -> DemoSignIns:
    """Load the demo if it is not there yet (idempotent) and return its sign-ins. Flushes only."""
    existing = session.scalar(sa.select(Contest).where(Contest.slug == SLUG))
    created = existing is None
    if existing is None:
        if session.scalar(sa.select(Contest).where(Contest.slug == PAST_SLUG)) is None:
            _past_contest(session)
        contest = contest_file.load(session, DEMO_FILE.read_text(encoding="utf-8"),
                                    organization=_organization(session))
        contest.seal_png = SEAL_FILE.read_bytes()
        _accounts(session, contest)
        _scores(session, contest)
        lifecycle.start_judging(session, contest, confirm=True, actor_label="demo")
        lifecycle.open_round(session, contest.rounds[0], actor_label="demo")
    else:
        contest = existing
    judges = session.scalars(sa.select(User).where(User.contest_id == contest.id, User.role == "judge")
                             .order_by(User.judge_key)).all()
    judge_rows = []
    for judge in judges:
        if judge.link_digest is None:
            auth.issue_credentials(session, secret, judge)
        judge_rows.append((judge.name, auth.sign_in_code(secret, judge), "/j/" + auth.link_token(secret, judge)))
    councils = [(login or "", COUNCIL_PASSWORD, name) for login, name in session.execute(
        sa.select(User.login, User.name).where(User.role == "council", User.contest_id == contest.id)
        .order_by(User.login))]
    return DemoSignIns(ORGANIZER[:2], councils, judge_rows, created)


def _past_contest(session: orm.Session) -> Contest:
    """Last year's contest: every sheet submitted, ties decided, a special award, published."""
    text = DEMO_FILE.read_text(encoding="utf-8")
    text = text.replace(f'slug = "{SLUG}"', f'slug = "{PAST_SLUG}"').replace("2024년", "2023년")
    text = text.replace("held_on = 2024-12-04", "held_on = 2023-12-06")
    text = text.replace("2024-11-20T09:00:00", "2023-11-22T09:00:00").replace("certificate_year = 2024",
                                                                           "certificate_year = 2023")
    contest = contest_file.load(session, text, organization=_organization(session))
    contest.seal_png = SEAL_FILE.read_bytes()
    _scores(session, contest, complete=True)
    lifecycle.start_judging(session, contest, confirm=True, actor_label="demo")
    lifecycle.lock(session, contest, confirm=True, actor_label="demo")
    for tie in results.compute(session, contest).unresolved_ties:
        decisions.record_tier_decision(session, contest, tie.boundary, list(tie.entries),
                                     "데모: 심사위원 협의 결과 동점 참가팀 모두 상위 등급으로 시상", actor_label="demo")
    decisions.designate_special(session, contest, "juyeop1", "special",
                              "주민 발굴단 활동으로 위기 가구 42세대를 공적 지원에 연계한 점을 높이 평가",
                              actor_label="demo")
    lifecycle.publish(session, contest, note="데모 결과 공개", actor_label="demo")
    return contest


def _organization(session: orm.Session) -> Organization:
    """The demo's organization (고양특례시 복지정책과), created on first use."""
    found = session.scalar(sa.select(Organization).where(Organization.slug == ORGANIZATION[0]))
    return found or organizations.create_organization(session, *ORGANIZATION)


def _accounts(session: orm.Session, contest: Contest) -> None:
    if session.scalar(sa.select(User).where(User.login == ORGANIZER[0])) is None:
        session.add(User(role="organizer", login=ORGANIZER[0], name=ORGANIZER[2],
                         password_hash=auth.hash_password(ORGANIZER[1]),
                         organization_id=contest.organization_id, org_role="manager"))
    entrants = {e.key: e for e in contest.entrants}
    for key in COUNCILS:
        entrant = entrants[key]
        session.add(User(role="council", login=key, name=entrant.name, contest_id=contest.id, entrant_id=entrant.id,
                         password_hash=auth.hash_password(COUNCIL_PASSWORD), email=f"{key}@example.org"))
    session.flush()


def _scores(session: orm.Session, contest: Contest, complete: bool = False) -> None:
    rnd = contest.rounds[0]
    entries = {e.key: e.entry for e in contest.entrants if e.entry is not None}
    judges = session.scalars(sa.select(User).where(User.contest_id == contest.id, User.role == "judge")
                             .order_by(User.judge_key)).all()
    conflicts = {(c.judge_id, c.entry_id) for c in session.scalars(sa.select(Conflict))}
    now = utcnow()
    # The day as it would have gone: one presentation every 9 minutes, each judge saving a sheet a
    # few minutes after it (so the day's chart has a morning to show).
    slots = {re.entry_id: re.position for re in rnd.round_entries}
    started = now - dt.timedelta(minutes=9 * len(STRENGTH) + 10)
    for judge in judges:
        judge.pledged_at = started
        judge.conflicts_declared_at = started
        last_saved = started
        for rank, key in enumerate(STRENGTH):
            entry = entries[key]
            slot = slots.get(entry.id, rank + 1)
            saved = started + dt.timedelta(minutes=9 * slot + 2 + _noise(contest.slug, judge.judge_key, key))
            if (judge.id, entry.id) in conflicts:
                continue
            if not complete and judge.judge_key == "j4" and key in UNSCORED_BY_J4:
                continue
            for criterion in rnd.criteria:
                values = sorted(allowed_values(criterion.scale, criterion.max_points), reverse=True)
                # Stronger entries sit higher on the scale; each judge varies a little.
                index = min(len(values) - 1, max(0, rank * len(values) // 22 + _noise(contest.slug, judge.judge_key, key,
                                                                                       criterion.key)))
                if criterion.scale == "grades":
                    index = min(4, max(0, rank // 3 + (_noise(contest.slug, judge.judge_key, key, criterion.key) // 2)))
                session.add(Score(judge_id=judge.id, entry_id=entry.id, criterion_id=criterion.id,
                                  value=Decimal(values[index]), updated_at=saved))
            last_saved = max(last_saved, saved)
        done = complete or judge.judge_key != "j4"
        submitted = min(now, last_saved + dt.timedelta(minutes=3 + _noise(contest.slug, judge.judge_key) + 2))
        session.add(Sheet(judge_id=judge.id, round_id=rnd.id, status="submitted" if done else "draft",
                          submitted_at=submitted if done else None))
    session.flush()
