"""Organizations (a city department such as 고양특례시 복지정책과) and what their organizers may do.

Each contest belongs to one organization and each organizer account to one organization, with a
role: ``manager`` (everything), ``staff`` (set-up and the day; no publishing, unlocking or deleting)
or ``observer`` (reads only). Another organization's contest is answered exactly like a contest that
does not exist. Flushes only; the caller commits.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from judging.messages import N_
from judging.models import ORG_ROLES, Contest, Organization, User
from judging.patterns import LOGIN_PATTERN, ORGANIZATION_SLUG_PATTERN
from judging.services import audit, auth
from judging.services.errors import DomainError, Forbidden, NotFound

DEFAULT_SLUG = "default"
DEFAULT_NAME = "기본 기관"

#: What each role may do: ``read`` every page of its organization's contests, ``work`` (set-up, intake,
#: judges, the day) and ``manage`` (publish, unlock, delete, decide, certificates).
LEVELS = {"observer": {"read"}, "staff": {"read", "work"}, "manager": {"read", "work", "manage"}}
ROLE_LABELS = {"manager": N_("관리자"), "staff": N_("실무자"), "observer": N_("참관자")}


def create_organization(session: orm.Session, slug: str, name: str, *, actor: User | None = None) -> Organization:
    """Create an organization. Raises ``DomainError`` for a bad or taken slug or an empty name."""
    slug = (slug or "").strip().lower()
    if not ORGANIZATION_SLUG_PATTERN.match(slug):
        raise DomainError(N_("기관 주소 이름은 영문 소문자·숫자·- 로 1~40자여야 합니다 (예: goyang-welfare)."), field="slug")
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise DomainError(N_("기관 이름은 1~120자여야 합니다."), field="name")
    if session.scalar(sa.select(Organization.id).where(Organization.slug == slug)) is not None:
        raise DomainError(N_("기관 '{slug}'이(가) 이미 있습니다."), slug=slug, field="slug")
    organization = Organization(slug=slug, name=name)
    session.add(organization)
    session.flush()
    audit.record(session, "organization.create", actor=actor, target_type="organization", target_id=slug,
                 after={"slug": slug, "name": name})
    return organization


def get_organization(session: orm.Session, slug: str) -> Organization:
    organization = session.scalar(sa.select(Organization).where(Organization.slug == (slug or "").strip().lower()))
    if organization is None:
        raise NotFound(N_("기관 '{slug}'을(를) 찾을 수 없습니다. `judging org create`로 먼저 만들어 주세요."), slug=slug)
    return organization


def list_organizations(session: orm.Session) -> list[Organization]:
    return list(session.scalars(sa.select(Organization).order_by(Organization.slug)))


def sole_organization(session: orm.Session) -> Organization:
    """The organization to use when none is named: the only one there is, else the one named
    ``default`` (an upgraded database's), or a new ``default`` one on an empty installation. Raises
    ``DomainError`` when there are several and none is ``default`` (name one with ``--org``)."""
    found = list(session.scalars(sa.select(Organization).order_by(Organization.id).limit(2)))
    if len(found) == 1:
        return found[0]
    default = session.scalar(sa.select(Organization).where(Organization.slug == DEFAULT_SLUG))
    if default is not None:
        return default
    if found:
        raise DomainError(N_("기관이 여러 곳입니다. 어느 기관인지 --org SLUG 로 정해 주세요."))
    return create_organization(session, DEFAULT_SLUG, DEFAULT_NAME)


def resolve(session: orm.Session, slug: str | None) -> Organization:
    """The organization named by ``slug``, or ``sole_organization`` when none is named."""
    return get_organization(session, slug) if slug else sole_organization(session)


def create_organizer(session: orm.Session, login: str, name: str, password: str, organization: Organization,
                     role: str = "manager", *, actor: User | None = None) -> User:
    """Create an organizer account in ``organization`` with ``role``. Raises ``DomainError``."""
    if role not in ORG_ROLES:
        raise DomainError(N_("역할은 {roles} 중 하나여야 합니다."), roles=', '.join(ORG_ROLES), field="role")
    login = (login or "").strip().lower()
    if not LOGIN_PATTERN.match(login):
        raise DomainError(N_("아이디는 영문 소문자·숫자·.-_ 로 2~80자여야 합니다."), field="login")
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise DomainError(N_("이름은 1~80자여야 합니다."), field="name")
    if session.scalar(sa.select(User.id).where(sa.func.lower(User.login) == login)) is not None:
        raise DomainError(N_("아이디 '{login}'은(는) 이미 쓰이고 있습니다."), login=login, field="login")
    user = User(role="organizer", login=login, name=name, organization_id=organization.id, org_role=role)
    auth.set_password(session, user, password)
    session.add(user)
    session.flush()
    audit.record(session, "organizer.create", actor=actor, target_type="user", target_id=user.id,
                 after={"login": login, "organization": organization.slug, "role": role})
    return user


def may(user: User, level: str) -> bool:
    """Whether an organizer's role allows ``level`` (read, work or manage)."""
    return user.role == "organizer" and level in LEVELS.get(user.org_role or "", set())


def require(user: User, level: str) -> None:
    """Raise ``Forbidden`` with the reason when the organizer's role does not allow ``level``."""
    if may(user, level):
        return
    if level == "manage":
        raise Forbidden(N_("이 작업은 기관 관리자만 할 수 있습니다 (결과 공개, 확정 해제, 삭제, 동점 결정, 상장)."))
    raise Forbidden(N_("참관 계정은 볼 수만 있습니다."))


def scoped_contests(organization_id: int) -> sa.Select:
    """The contests of one organization (a select to filter or count on)."""
    return sa.select(Contest).where(Contest.organization_id == organization_id)


def contest_of(session: orm.Session, slug: str, organization_id: int | None) -> Contest:
    """The contest ``slug`` of the organization; another organization's contest is ``NotFound``
    exactly like a missing one. ``organization_id=None`` means every organization (the CLI without
    ``--org``)."""
    query = sa.select(Contest).where(Contest.slug == slug)
    if organization_id is not None:
        query = query.where(Contest.organization_id == organization_id)
    contest = session.scalar(query)
    if contest is None:
        raise NotFound(N_("공모전을 찾을 수 없습니다."))
    return contest
