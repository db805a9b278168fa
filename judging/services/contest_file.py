"""Loading a contest file into the database: a new contest, or a draft one replaced (configuration
rebuilt, people matched by key). Flushes only; the caller commits. Parsing is in
``contest_file_format``, writing a contest back in ``contest_file_dump``.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from judging.messages import N_
from judging.models import (
    AudienceBallot,
    AudienceRound,
    AudienceRoundEntry,
    AwardTier,
    Conflict,
    Contest,
    Criterion,
    Decision,
    Entrant,
    Entry,
    Organization,
    Round,
    RoundEntry,
    Score,
    SpecialAward,
    User,
)
from judging.services import audit, organizations
from judging.services.contest_file_dump import dump_contest
from judging.services.contest_file_format import ContestFile, parse
from judging.services.errors import DomainError
from judging.steps import Progress, counted

#: The largest contest file (TOML) the web form reads.
MAX_FILE_BYTES = 2 * 1024 * 1024


def load(session: orm.Session, text: str, *, replace: bool = False, actor: User | None = None,
         progress: Progress | None = None, organization: Organization | None = None) -> Contest:
    """Create a contest from contest-file text, or with ``replace`` update a draft one.

    A new contest belongs to ``organization`` (default: the actor's, else the only one there is);
    with ``organization`` given, only that organization's contest can be replaced.

    Flushes only: the caller commits, or rolls back on error so the database is unchanged.
    Raises ``ContestFileError`` (bad file) or ``DomainError`` (slug taken, contest not a draft).
    ``progress`` hears how many entrants were set up ("참가팀").
    """
    data = parse(text)
    slug = data.contest["slug"]
    if organization is None and actor is not None and actor.organization_id:
        organization = actor.organization
    contest = session.scalar(sa.select(Contest).where(Contest.slug == slug))
    if contest is not None and organization is not None and contest.organization_id != organization.id:
        raise DomainError(N_("주소 이름 '{slug}'은(는) 이미 쓰이고 있습니다. 다른 주소 이름을 쓰세요."), slug=slug)
    if contest is not None and not replace:
        raise DomainError(N_("공모전 '{slug}'이(가) 이미 있습니다. 바꾸려면 --replace를 쓰세요."), slug=slug)
    if contest is not None:
        if contest.status != "draft":
            raise DomainError(N_("공모전 '{slug}'은(는) 이미 '{state}' 상태라 파일로 바꿀 수 없습니다. "
                                 "준비(draft) 상태에서만 교체할 수 있습니다."), slug=slug, state=contest.status)
        has_scores = session.scalar(
            sa.select(sa.func.count()).select_from(Score).join(Entry, Entry.id == Score.entry_id)
            .where(Entry.contest_id == contest.id)
        )
        if has_scores:
            raise DomainError(N_("공모전 '{slug}'에 이미 입력된 점수가 있어 파일로 바꿀 수 없습니다."), slug=slug)
        has_ballots = session.scalar(
            sa.select(sa.func.count()).select_from(AudienceBallot)
            .join(AudienceRound, AudienceRound.id == AudienceBallot.round_id)
            .where(AudienceRound.contest_id == contest.id)
        )
        if has_ballots:
            raise DomainError(N_("공모전 '{slug}'에 이미 발급한 현장평가단 투표권이 있어 파일로 바꿀 수 없습니다."),
                              slug=slug)
        before = {"dump": dump_contest(session, contest)}
    else:
        contest = Contest(slug=slug, organization_id=(organization or organizations.sole_organization(session)).id)
        session.add(contest)
        before = None
    _apply(session, contest, data, progress)
    session.flush()
    audit.record(session, "contest.load" if before is None else "contest.replace", actor=actor,
                 contest_id=contest.id, target_type="contest", target_id=slug, before=before,
                 after={"slug": slug, "rounds": len(data.rounds), "entrants": len(data.entrants)})
    return contest


def _apply(session: orm.Session, contest: Contest, data: ContestFile, progress: Progress | None = None) -> None:
    c = data.contest
    contest.title, contest.organizer, contest.issuer = c["title"], c["organizer"], c["issuer"]
    contest.issuer_name, contest.held_on, contest.venue = c["issuer_name"], c["held_on"], c["venue"]
    contest.tie_break, contest.final_mode = list(c["tie_break"]), c["final"]
    contest.submission_deadline = c["submission_deadline"]
    contest.certificate_body = c["certificate_body"]
    contest.certificate_year = c["certificate_year"]
    contest.public_scores, contest.ceremony_order = c["public_scores"], list(c["ceremony_order"])
    contest.review_notes = c["review_notes"]
    contest.weight_margin = c["weight_margin"]
    contest.rank_precision = c["rank_precision"]

    if contest.id is not None:
        # Configuration is rebuilt; people (entrants, judges) are matched by key.
        session.execute(sa.delete(Decision).where(Decision.contest_id == contest.id))
        session.execute(sa.delete(Conflict).where(
            Conflict.source == "file",
            Conflict.judge_id.in_(sa.select(User.id).where(User.contest_id == contest.id)),
        ))
        for collection in (contest.rounds, contest.tiers, contest.special_awards, contest.audience_rounds):
            collection.clear()
        session.flush()

    for position, t in enumerate(data.tiers, start=1):
        contest.tiers.append(AwardTier(key=t["key"], title=t["title"], award_name=t["award"], position=position,
                                       count=t["count"], threshold=t["threshold"]))
    for position, s in enumerate(data.special_awards, start=1):
        contest.special_awards.append(SpecialAward(key=s["key"], title=s["title"], award_name=s["award"],
                                                   position=position))

    existing = {e.key: e for e in contest.entrants} if contest.id is not None else {}
    wanted = {e["key"] for e in data.entrants}
    for key, stale_entrant in existing.items():
        if key not in wanted:
            contest.entrants.remove(stale_entrant)
    session.flush()
    entries: dict[str, Entry] = {}
    for e in counted(data.entrants, progress, N_("참가팀")):
        entrant = existing.get(e["key"])
        if entrant is None:
            entrant = Entrant(key=e["key"])
            contest.entrants.append(entrant)
        entrant.name, entrant.district = e["name"], e["district"]
        entrant.contact_name, entrant.contact_email = e["contact_name"], e["contact_email"]
        if entrant.entry is None:
            entrant.entry = Entry(contest=contest, status="accepted" if e["title"] else "draft")
        if e["title"]:
            entrant.entry.title = e["title"]
        if e["summary"]:
            entrant.entry.summary = e["summary"]
        entries[e["key"]] = entrant.entry
    session.flush()

    for position, r in enumerate(data.rounds, start=1):
        rnd = Round(key=r["key"], title=r["title"], position=position, weight=r["weight"],
                    aggregation=r["aggregation"], trim=r["trim"], advance=r["advance"])
        for cpos, cr in enumerate(r["criteria"], start=1):
            rnd.criteria.append(Criterion(key=cr["key"], title=cr["title"], max_points=cr["max"], scale=cr["scale"],
                                          weight=cr["weight"], position=cpos, guidance=cr["guidance"]))
        for epos, key in enumerate(r["entries"], start=1):
            rnd.round_entries.append(RoundEntry(entry=entries[key], position=epos))
        contest.rounds.append(rnd)
    for position, a in enumerate(data.audience, start=len(data.rounds) + 1):
        aud = AudienceRound(key=a["key"], title=a["title"], position=position, weight=a["weight"],
                            max_points=a["max"])
        for epos, key in enumerate(a["entries"], start=1):
            aud.round_entries.append(AudienceRoundEntry(entry=entries[key], position=epos))
        contest.audience_rounds.append(aud)
    session.flush()

    judges = {}
    if contest.id is not None:
        judges = {u.judge_key: u for u in session.scalars(
            sa.select(User).where(User.contest_id == contest.id, User.role == "judge"))}
    wanted_judges = {j["key"] for j in data.judges}
    for judge_key, stale_judge in judges.items():
        if judge_key not in wanted_judges:
            session.delete(stale_judge)
    for j in data.judges:
        user = judges.get(j["key"])
        if user is None:
            user = User(role="judge", contest_id=contest.id, judge_key=j["key"], name=j["name"])
            session.add(user)
            judges[j["key"]] = user
        user.name, user.affiliation, user.email = j["name"], j["affiliation"], j["email"]
    session.flush()
    for c in data.conflicts:
        judge, entry = judges[c["judge"]], entries[c["entry"]]
        found = session.scalar(sa.select(Conflict).where(Conflict.judge_id == judge.id, Conflict.entry_id == entry.id))
        if found is None:
            session.add(Conflict(judge_id=judge.id, entry_id=entry.id, source="file", reason=c["reason"]))
        else:
            found.reason = c["reason"]
    session.flush()
