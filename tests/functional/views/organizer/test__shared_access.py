"""Who may reach the organizer's pages (``_shared``): judges and councils none of them; each organizer
only its own organization's contests, with the powers of its role.

Table-driven over every organizer route (organizer and ceremony blueprints, read from the URL map):
- another organization's contest, with the real ids of its rounds, entries, judges and the rest,
  answers 404 (or 403 for a write the role may not make anyway) to every role, shows none of its
  data, and changes nothing in the database;
- inside the own organization, an observer may only read (every write 403), staff may do all but
  publishing, unlocking, deleting, decisions and certificates (those 403), a manager everything.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from judging.models import (
    Base,
    Conflict,
    Contest,
    Decision,
    User,
)
from judging.services import decisions, organizations
from judging.views.organizer import MANAGER_ONLY, required_level
from tests.support.accounts import sign_in
from tests.support.contests import SMALL_CONTEST

ORGANIZER_BLUEPRINTS = ("organizer", "ceremony")


def organizer_routes(app) -> list[tuple[str, str, str]]:  # noqa: ANN001
    routes = []
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".", 1)[0]
        if blueprint not in ORGANIZER_BLUEPRINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, rule.rule))
    return routes


def fill(rule: str, ids: dict[str, str]) -> str:
    def substitute(match: re.Match) -> str:
        name = match.group(2)
        return ids.get(name, "1" if match.group(1) == "int" else "x")

    return re.sub(r"<(?:([a-z]+)(?:\([^)]*\))?:)?([a-z_]+)>", substitute, rule)


def ids_of(session, contest: Contest) -> dict[str, str]:  # noqa: ANN001
    rnd = contest.rounds[0]
    judge = session.scalar(sa.select(User).where(User.contest_id == contest.id, User.role == "judge"))
    conflict = session.scalar(sa.select(Conflict).where(Conflict.judge_id == judge.id)) or \
        session.scalar(sa.select(Conflict))
    decision = session.scalar(sa.select(Decision).where(Decision.contest_id == contest.id))
    entry = contest.entrants[0].entry
    return {
        "slug": contest.slug, "round_id": str(rnd.id), "criterion_id": str(rnd.criteria[0].id),
        "tier_id": str(contest.tiers[0].id), "special_id": str(contest.special_awards[0].id),
        "entrant_id": str(contest.entrants[0].id), "entry_id": str(entry.id), "judge_id": str(judge.id),
        "conflict_id": str(conflict.id) if conflict else "1", "decision_id": str(decision.id) if decision else "1",
        "round_key": rnd.key, "judge_key": judge.judge_key or "x", "fmt": "csv", "certificate_id": "1",
        "attachment_id": "1", "name": "NanumMyeongjo.ttf",
    }


def snapshot(session) -> dict:  # noqa: ANN001
    """Every table's row count and the other contest's own fields."""
    session.expire_all()
    with session.no_autoflush:
        counts = {table.name: session.scalar(sa.select(sa.func.count()).select_from(table))
                  for table in Base.metadata.sorted_tables}
        contests = [tuple(row) for row in session.execute(
            sa.select(Contest.slug, Contest.status, Contest.title, Contest.updated_at).order_by(Contest.slug))]
    return {"counts": counts, "contests": contests}


@pytest.fixture()
def two_orgs(session, make_user):  # noqa: ANN001, ANN201
    from judging.services import contest_file

    org_a = organizations.create_organization(session, "org-a", "가시 복지정책과")
    org_b = organizations.create_organization(session, "org-b", "나시 복지정책과")
    contest_a = contest_file.load(session, SMALL_CONTEST.format(slug="a-2024"), organization=org_a)
    contest_b = contest_file.load(session, SMALL_CONTEST.format(slug="b-2024").replace("테스트 공모전", "나시 비밀 공모전"),
                                  organization=org_b)
    for contest in (contest_a, contest_b):
        contest.status = "locked"
    session.flush()
    decisions.designate_special(session, contest_b, "delta", "special", "나시의 특별상 사유")
    session.commit()
    people = {}
    for org, prefix in ((org_a, "a"), (org_b, "b")):
        for role in ("manager", "staff", "observer"):
            people[f"{prefix}-{role}"] = make_user("organizer", organization=org, org_role=role)
    return {"a": contest_a, "b": contest_b, "people": people}



@pytest.mark.parametrize("role", ["manager", "staff", "observer"])
def test_no_route_reaches_another_organizations_contest(app, client, session, two_orgs, role):
    other = two_orgs["b"]
    ids = ids_of(session, other)
    user, password = two_orgs["people"][f"a-{role}"]
    sign_in(client, user, password)
    before = snapshot(session)
    checked = 0
    for _endpoint, method, rule in organizer_routes(app):
        if "<slug>" not in rule:
            continue
        path = fill(rule, ids)
        response = client.open(path, method=method, data={"reason": "사유", "confirm": "y", "target": "published"})
        checked += 1
        assert response.status_code in (403, 404), (role, method, path, response.status_code)
        body = response.get_data(as_text=True)
        assert "나시 비밀 공모전" not in body and "나시의 특별상" not in body, (role, path)
    assert checked >= 60
    assert snapshot(session) == before, "a refused request changed nothing"


def test_the_contest_list_audit_log_and_cli_see_only_their_organization(app, client, session, two_orgs, runner):
    user, password = two_orgs["people"]["a-manager"]
    sign_in(client, user, password)
    home = client.get("/organizer/").get_data(as_text=True)
    assert "a-2024" in home and "b-2024" not in home
    audit = client.get("/organizer/audit").get_data(as_text=True)
    assert "b-2024" not in audit and "나시의 특별상" not in audit
    assert client.get("/organizer/audit?contest=b-2024").status_code == 404
    # The CLI: --org scopes every command that names a contest.
    result = runner.invoke(args=["tally", "b-2024", "--org", "org-a"])
    assert result.exit_code == 1 and "없습니다" in result.output
    assert runner.invoke(args=["tally", "b-2024", "--org", "org-b"]).exit_code == 0
    result = runner.invoke(args=["contest", "dump", "b-2024", "--org", "org-a"])
    assert result.exit_code == 1


def test_each_role_may_do_what_it_should_in_its_own_organization(app, client, session, two_orgs):
    own = two_orgs["a"]
    ids = ids_of(session, own)
    routes = [r for r in organizer_routes(app)]
    seen_levels = set()
    for role in ("observer", "staff", "manager"):
        user, password = two_orgs["people"][f"a-{role}"]
        client.post("/sign-out", data={})  # the previous role's session ends
        sign_in(client, user, password)
        allowed = organizations.LEVELS[role]
        for endpoint, method, rule in routes:
            if endpoint.split(".")[0] != "organizer":
                continue
            level = required_level(endpoint, method)
            seen_levels.add(level)
            # Only the refusals are sent here: an allowed write would change the contest under test.
            if level in allowed and method != "GET":
                continue
            response = client.open(fill(rule, ids), method=method, data={})
            if level in allowed:
                assert response.status_code != 403, (role, method, rule)
            else:
                assert response.status_code == 403, (role, method, rule, response.status_code)
                message = response.get_json()["message"] if response.is_json else response.get_data(as_text=True)
                assert "관리자만" in message or "볼 수만" in message
    assert seen_levels == {"read", "work", "manage"}
    assert {"publish", "unlock", "delete_round"} <= MANAGER_ONLY


def test_staff_sets_up_and_runs_the_day_but_cannot_publish(app, client, session, two_orgs):
    own = two_orgs["a"]
    own.status = "draft"
    session.commit()
    user, password = two_orgs["people"]["a-staff"]
    sign_in(client, user, password)
    response = client.post(f"/organizer/c/{own.slug}/judges", data={"name": "새 심사위원"})
    assert response.status_code == 303
    assert session.scalar(sa.select(User).where(User.name == "새 심사위원", User.contest_id == own.id)) is not None
    response = client.post(f"/organizer/c/{own.slug}/results/publish", data={})
    assert response.status_code == 403
    session.expire_all()
    assert session.get(Contest, own.id).status == "draft"


def test_organizations_and_organizers_from_the_cli(runner, session):
    result = runner.invoke(args=["org", "create", "goyang-welfare", "--name", "고양특례시 복지정책과"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["org", "create", "goyang-welfare", "--name", "x"]).exit_code == 1
    assert runner.invoke(args=["org", "create", "Bad Slug", "--name", "x"]).exit_code == 1
    result = runner.invoke(args=["user", "create-organizer", "kim", "--name", "김담당", "--org", "goyang-welfare",
                                 "--role", "staff"], input="staff-password-1\nstaff-password-1\n")
    assert result.exit_code == 0, result.output
    session.expire_all()
    kim = session.scalar(sa.select(User).where(User.login == "kim"))
    assert kim.org_role == "staff" and kim.organization.slug == "goyang-welfare"
    result = runner.invoke(args=["user", "create-organizer", "lee", "--name", "이", "--org", "nowhere"],
                           input="password-123\npassword-123\n")
    assert result.exit_code == 1 and "nowhere" in result.output
    result = runner.invoke(args=["user", "create-organizer", "park", "--name", "박", "--org", "goyang-welfare",
                                 "--role", "owner"], input="password-123\npassword-123\n")
    assert result.exit_code == 2
    listing = runner.invoke(args=["org", "list"])
    assert "goyang-welfare" in listing.output


def test_an_organizer_must_belong_to_an_organization(session):
    session.add(User(role="organizer", login="orphan", name="소속 없음", password_hash="x"))
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()
    session.rollback()
    org = organizations.create_organization(session, "org-c", "다시")
    session.add(User(role="organizer", login="odd", name="역할 이상", password_hash="x", organization_id=org.id,
                     org_role="owner"))
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()
    session.rollback()


def test_judges_and_councils_cannot_reach_organizer_pages(app, make_contest, make_user):
    contest = make_contest(slug="guard-2024")
    judge, code = make_user("judge", contest=contest, judge_key="j1")
    council, password = make_user("council", contest=contest, entrant=contest.entrants[0])
    attachment_free = [f"/organizer/c/{contest.slug}/day", f"/organizer/c/{contest.slug}/progress.json",
                       f"/organizer/c/{contest.slug}/results", "/organizer/audit",
                       f"/organizer/c/{contest.slug}/judges/cards", f"/organizer/c/{contest.slug}/entrants/invitations"]
    as_judge = app.test_client()
    as_judge.post("/sign-in/code", data={"code": code})
    as_council = app.test_client()
    as_council.post("/sign-in", data={"login": council.login, "password": password})
    for path in attachment_free:
        assert as_judge.get(path).status_code == 403, path
        assert as_council.get(path).status_code == 403, path
    assert as_judge.post(f"/organizer/c/{contest.slug}/status", data={"target": "open"}).status_code == 403
