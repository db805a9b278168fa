"""Entrants (dong councils): import from CSV or Excel, council accounts and invitations.

An import is all or nothing: every row is checked first and every problem is reported with its row
number as the organizer sees it in the spreadsheet (the header is row 1); nothing is written unless
every row is good. Council accounts have no password until the council's first sign-in through its
invitation link, when the council home asks for one.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from judging.formatting import byte_size
from judging.messages import N_, Message
from judging.models import Contest, Entrant, Entry, User
from judging.patterns import EMAIL_PATTERN, KEY_PATTERN
from judging.services import audit, auth
from judging.services.errors import DomainError

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000

# Accepted header spellings (Korean and English), normalised: lower case, no spaces.
COLUMNS: dict[str, tuple[str, ...]] = {
    "key": ("key", "키", "코드", "참가자키"),
    "name": ("name", "이름", "참가자", "참가자명", "협의체", "협의체명", "단체명", "기관명"),
    "district": ("district", "행정구역", "지역", "소재지", "구역", "주소"),
    "contact_name": ("contact", "contact_name", "contactperson", "담당자", "담당자명", "담당자이름"),
    "contact_email": ("email", "e-mail", "contact_email", "이메일", "전자우편", "메일", "담당자이메일"),
}
LIMITS = {"key": 40, "name": 120, "district": 160, "contact_name": 80, "contact_email": 200}
LABELS = {"key": N_("키"), "name": N_("이름"), "district": N_("행정구역"), "contact_name": N_("담당자"),
          "contact_email": N_("이메일")}


class EntrantImportError(DomainError):
    """An import refused as a whole; ``problems`` lists (row number or None, message)."""

    def __init__(self, problems: list[tuple[int | None, Message]]) -> None:
        self.problems = problems
        #: one message per problem, with its row number ("3행: ..."), for a view to show in its language
        self.lines = [Message(N_("{row}행: {problem}"), {"row": row, "problem": message}) if row else message
                      for row, message in problems]
        listed = Message("\n".join(f"{{m{i}}}" for i in range(len(self.lines))),
                         {f"m{i}": line for i, line in enumerate(self.lines)})
        super().__init__(N_("참가자 파일에 문제가 있어 아무것도 불러오지 않았습니다.\n{problems}"), problems=listed,
                         details={"problems": [line.render() for line in self.lines]})




@dataclass(frozen=True)
class ImportRow:
    row: int
    key: str
    name: str
    district: str
    contact_name: str
    contact_email: str


def _norm_header(text: object) -> str:
    return re.sub(r"[\s_\-·]", "", unicodedata.normalize("NFC", str(text or ""))).lower().replace("e-mail", "email")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    return re.sub(r"[\x00-\x1f\x7f]", " ", text).strip()


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """Read a CSV (UTF-8 with or without BOM, or CP949 as Excel saves it) or an .xlsx workbook's first
    sheet into rows of strings. Raises ``EntrantImportError`` for an unreadable file."""
    if len(data) > MAX_IMPORT_BYTES:
        raise EntrantImportError([(None, Message(N_("파일이 너무 큽니다 ({most} 이하)."),
                                                       {"most": byte_size(MAX_IMPORT_BYTES)}))])
    if not data:
        raise EntrantImportError([(None, Message(N_("빈 파일입니다.")))])
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if name.endswith(".xls"):
        raise EntrantImportError([(None, Message(N_("옛 Excel 형식(.xls)은 읽을 수 없습니다. .xlsx나 CSV로 저장해 주세요.")))])
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise EntrantImportError([(None, Message(N_("글자 인코딩을 알 수 없습니다. UTF-8 CSV로 저장해 주세요.")))])
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text), dialect)]


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise EntrantImportError([(None, Message(N_("Excel 파일(.xlsx)을 읽을 수 없습니다. 파일이 손상되지 않았는지 확인해 주세요.")))]) \
            from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for i, row in enumerate(sheet.iter_rows(values_only=True)):
            if i > MAX_ROWS + 1:
                raise EntrantImportError([(None, Message(N_("행이 너무 많습니다 ({most}행 이하)."), {"most": MAX_ROWS}))])
            rows.append([_cell(c) for c in row])
        return rows
    finally:
        workbook.close()


def parse_rows(rows: list[list[str]], contest: Contest) -> list[ImportRow]:
    """Check every row; raise ``EntrantImportError`` listing every problem with its row number."""
    problems: list[tuple[int | None, Message]] = []
    # Skip leading blank rows: the header is the first non-empty row.
    start = 0
    while start < len(rows) and not any(rows[start]):
        start += 1
    if start >= len(rows):
        raise EntrantImportError([(None, Message(N_("내용이 없습니다. 첫 줄에 제목(이름, 행정구역, 담당자, 이메일)을 넣어 주세요.")))])
    header = [_norm_header(h) for h in rows[start]]
    index: dict[str, int] = {}
    for field_name, spellings in COLUMNS.items():
        wanted = {_norm_header(s) for s in spellings}
        for i, h in enumerate(header):
            if h in wanted:
                if field_name in index:
                    problems.append((start + 1, Message(N_("'{label}' 열이 두 번 있습니다."), {"label": Message(LABELS[field_name])})))
                index.setdefault(field_name, i)
    if "name" not in index:
        raise EntrantImportError([(start + 1, Message(N_("'이름' 열이 없습니다. 첫 줄에 이름, 행정구역, 담당자, 이메일 제목을 넣어 주세요.")))])
    if len(rows) - start - 1 > MAX_ROWS:
        raise EntrantImportError([(None, Message(N_("행이 너무 많습니다 ({most}행 이하)."), {"most": MAX_ROWS}))])

    existing_keys = {e.key for e in contest.entrants}
    existing_names = {e.name for e in contest.entrants}
    seen_names: dict[str, int] = {}
    seen_keys: dict[str, int] = {}
    out: list[ImportRow] = []
    for offset, raw in enumerate(rows[start + 1:], start=start + 2):
        if not any(raw):
            continue
        values = {f: (raw[i] if i < len(raw) else "") for f, i in index.items()}
        row_problems = []
        for f, limit in LIMITS.items():
            if len(values.get(f, "")) > limit:
                row_problems.append(Message(N_("{label}은(는) {limit}자 이내여야 합니다."), {"label": Message(LABELS[f]), "limit": limit}))
        name = values.get("name", "")
        if not name:
            row_problems.append(Message(N_("이름이 비어 있습니다.")))
        elif name in existing_names:
            row_problems.append(Message(N_("'{name}'은(는) 이미 등록된 참가자입니다."), {"name": name}))
        elif name in seen_names:
            row_problems.append(Message(N_("'{name}'이(가) {row}행과 겹칩니다."), {"name": name, "row": seen_names[name]}))
        email = values.get("contact_email", "")
        if email and not EMAIL_PATTERN.match(email):
            row_problems.append(Message(N_("이메일 '{email}'의 형식이 올바르지 않습니다."), {"email": email}))
        key = values.get("key", "").lower()
        if key:
            if not KEY_PATTERN.match(key):
                row_problems.append(Message(N_("키 '{key}'는 영문 소문자·숫자·-·_ 로 1~40자여야 합니다."), {"key": key}))
            elif key in existing_keys:
                row_problems.append(Message(N_("키 '{key}'는 이미 쓰이고 있습니다."), {"key": key}))
            elif key in seen_keys:
                row_problems.append(Message(N_("키 '{key}'가 {row}행과 겹칩니다."), {"key": key, "row": seen_keys[key]}))
            seen_keys.setdefault(key, offset)
        if name:
            seen_names.setdefault(name, offset)
        for message in row_problems:
            problems.append((offset, message))
        out.append(ImportRow(offset, key, name, values.get("district", ""), values.get("contact_name", ""), email))
    if not out and not problems:
        problems.append((None, Message(N_("불러올 참가자가 없습니다."))))
    if problems:
        raise EntrantImportError(problems)
    return out


def _next_keys(taken: set[str], count: int) -> list[str]:
    keys: list[str] = []
    n = 1
    while len(keys) < count:
        candidate = f"e{n:03d}"
        if candidate not in taken:
            keys.append(candidate)
            taken.add(candidate)
        n += 1
    return keys


def import_entrants(session: orm.Session, contest: Contest, filename: str, data: bytes, *,
                    actor: User | None = None) -> list[Entrant]:
    """Import entrants from a CSV or .xlsx file: all or nothing. Each gets an empty draft entry.

    Raises ``EntrantImportError`` (with ``problems``) and writes nothing when any row is bad.
    """
    if contest.status in ("judging", "locked", "published"):
        raise DomainError(N_("심사가 시작된 공모전에는 참가자를 더할 수 없습니다."))
    rows = parse_rows(read_table(filename, data), contest)
    taken = {e.key for e in contest.entrants} | {r.key for r in rows if r.key}
    generated = iter(_next_keys(taken, sum(1 for r in rows if not r.key)))
    created = []
    for r in rows:
        entrant = Entrant(key=r.key or next(generated), name=r.name, district=r.district,
                          contact_name=r.contact_name, contact_email=r.contact_email)
        contest.entrants.append(entrant)
        entrant.entry = Entry(contest=contest, status="draft")
        created.append(entrant)
    session.flush()
    audit.record(session, "entrants.import", actor=actor, contest_id=contest.id, target_type="contest",
                 target_id=contest.slug, after={"file": (filename or "")[:120], "count": len(created),
                                                "keys": [e.key for e in created][:200]})
    return created


ENTRANT_FIELDS = ("name", "district", "contact_name", "contact_email")
ENTRANT_LIMITS = {"name": 120, "district": 160, "contact_name": 80, "contact_email": 200}


def _entrant_values(data: dict[str, str | None]) -> dict[str, str]:
    values = {name: " ".join((data.get(name) or "").split()) for name in ENTRANT_FIELDS}
    if not values["name"]:
        raise DomainError(N_("이름을 입력해 주세요."), field="name")
    for name, limit in ENTRANT_LIMITS.items():
        if len(values[name]) > limit:
            raise DomainError(N_("{limit}자 이내로 적어 주세요."), limit=limit, field=name)
    return values


def add_entrant(session: orm.Session, contest: Contest, data: dict[str, str | None], *,
                actor: User | None = None) -> Entrant:
    """Add one entrant (with its empty draft entry) before judging starts. ``data`` holds ``key``
    (optional: e001, e002… when empty) and the display fields. Raises DomainError with the field."""
    if contest.status in ("judging", "locked", "published"):
        raise DomainError(N_("심사가 시작된 공모전에는 참가자를 더할 수 없습니다."))
    values = _entrant_values(data)
    taken = {e.key for e in contest.entrants}
    key = (data.get("key") or "").strip().lower()
    if key:
        if not KEY_PATTERN.match(key):
            raise DomainError(N_("키는 영문 소문자·숫자·-·_ 로 1~40자여야 합니다 (예: gobong)."), field="key")
        if key in taken:
            raise DomainError(N_("키 '{key}'는 이미 있습니다."), key=key, field="key")
    else:
        key = _next_keys(set(taken), 1)[0]
    entrant = Entrant(key=key, **values)
    contest.entrants.append(entrant)
    entrant.entry = Entry(contest=contest, status="draft")
    session.flush()
    audit.record(session, "entrant.add", actor=actor, contest_id=contest.id, target_type="entrant",
                 target_id=key, after={"key": key, **values})
    return entrant


def update_entrant(session: orm.Session, entrant: Entrant, data: dict[str, str | None], *,
                   actor: User | None = None) -> bool:
    """Correct an entrant's display fields (name, district, contact) — at any stage, also after
    judging starts: they change no score. The council account's display name follows. Audited with
    the before and after values; returns whether anything changed."""
    values = _entrant_values(data)
    before = {name: getattr(entrant, name) for name in ENTRANT_FIELDS}
    changed = {name: value for name, value in values.items() if before[name] != value}
    if not changed:
        return False
    for name, value in changed.items():
        setattr(entrant, name, value)
    if "name" in changed:
        for user in session.scalars(sa.select(User).where(User.role == "council", User.entrant_id == entrant.id)):
            user.name = changed["name"]
    session.flush()
    audit.record(session, "entrant.update", actor=actor, contest_id=entrant.contest_id, target_type="entrant",
                 target_id=entrant.key, before={k: before[k] for k in changed}, after=changed)
    return True


# ---------------------------------------------------------------------------------------------
# Council accounts and invitations


def council_login(session: orm.Session, contest: Contest, entrant: Entrant) -> str:
    """A free, readable login: the contest slug and the entrant key (logins are unique site-wide)."""
    base = f"{contest.slug}-{entrant.key}"[:76]
    login, n = base, 2
    while session.scalar(sa.select(User.id).where(sa.func.lower(User.login) == login)) is not None:
        login = f"{base}-{n}"
        n += 1
    return login


def council_accounts(session: orm.Session, contest: Contest) -> dict[int, User]:
    """The contest's council accounts by entrant id."""
    return {u.entrant_id: u for u in session.scalars(
        sa.select(User).where(User.role == "council", User.contest_id == contest.id)) if u.entrant_id is not None}


def council_account(session: orm.Session, entrant: Entrant) -> User | None:
    return session.scalar(sa.select(User).where(User.role == "council", User.entrant_id == entrant.id)
                          .order_by(User.id))


def create_council_accounts(session: orm.Session, contest: Contest, secret: str, *,
                            actor: User | None = None) -> list[User]:
    """Create an account (no password yet) with a first-sign-in link for every entrant without one."""
    created = []
    for entrant in contest.entrants:
        if council_account(session, entrant) is not None:
            continue
        user = User(role="council", login=council_login(session, contest, entrant), name=entrant.name,
                    email=entrant.contact_email, contest_id=contest.id, entrant_id=entrant.id)
        session.add(user)
        session.flush()
        auth.issue_credentials(session, secret, user)
        created.append(user)
    if created:
        audit.record(session, "council.accounts", actor=actor, contest_id=contest.id, target_type="contest",
                     target_id=contest.slug, after={"count": len(created), "logins": [u.login for u in created]})
    return created


@dataclass(frozen=True)
class Invitation:
    entrant: Entrant
    user: User
    token: str | None  # None: the council has set its password (the first-sign-in link is used up)


def invitations(session: orm.Session, contest: Contest, secret: str) -> list[Invitation]:
    """Every council account of the contest with its current first-sign-in token."""
    out = []
    for entrant in contest.entrants:
        user = council_account(session, entrant)
        if user is None:
            continue
        token = auth.link_token(secret, user) if user.link_digest is not None else None
        out.append(Invitation(entrant, user, token))
    return out


def reissue_invitation(session: orm.Session, user: User, secret: str, *, actor: User | None = None) -> str:
    """Revoke a council's links and sessions and issue a new first-sign-in link. The password is
    cleared too, so the new link is the only way in until the council sets a new one."""
    if user.role != "council":
        raise DomainError(N_("협의체 계정이 아닙니다."))
    user.password_hash = None
    issued = auth.revoke_credentials(session, secret, user, actor=actor)
    assert issued is not None  # reissue (the default) always issues a new link and code
    token, _code = issued
    audit.record(session, "council.invitation", actor=actor, contest_id=user.contest_id, target_type="user",
                 target_id=user.id, after={"login": user.login})
    return token


def first_password(session: orm.Session, user: User, password: str, confirm: str,
                   current: str | None = None) -> None:
    """A council sets its password after signing in through its invitation link (the link is then
    used up), or changes it later giving the ``current`` one. Every other session of the account ends
    (the caller signs this one in again)."""
    if user.role != "council":
        raise DomainError(N_("협의체 계정만 이 화면에서 비밀번호를 정합니다."))
    if password != confirm:
        raise DomainError(N_("두 비밀번호가 서로 다릅니다."), field="confirm")
    auth.change_password(session, user, current, password)
    user.link_digest = None
    session.flush()
    audit.record(session, "council.password", actor=user, contest_id=user.contest_id, target_type="user",
                 target_id=user.id)
