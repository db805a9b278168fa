"""Accounts: passwords for organizers and councils, personal links and short codes for judges,
and sign-in throttling kept in the database (so it holds across worker processes and hosts)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

import sqlalchemy as sa
from sqlalchemy import orm
from werkzeug.security import check_password_hash, generate_password_hash

from judging.messages import N_
from judging.models import SignInFailure, User, utcnow
from judging.services import audit
from judging.services.errors import DomainError, Throttled

# Unambiguous alphabet for codes typed on a tablet: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _derive(secret: str, purpose: str, user: User) -> bytes:
    message = f"{purpose}:{user.id}:{user.credential_version}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()


def link_token(secret: str, user: User) -> str:
    """The personal sign-in token (for the link and QR code) of a judge or a council invitation."""
    return _derive(secret, "link", user).hex()[:40]


def sign_in_code(secret: str, user: User) -> str:
    """The short code a judge types, shown as XXXX-XXXX."""
    raw = _derive(secret, "code", user)
    chars = "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in raw[:CODE_LENGTH])
    return f"{chars[:4]}-{chars[4:]}"


def normalise_code(code: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9]", "", code or "").upper()
    return f"{cleaned[:4]}-{cleaned[4:]}" if len(cleaned) == CODE_LENGTH else cleaned


def issue_credentials(session: orm.Session, secret: str, user: User) -> tuple[str, str]:
    """(Re)issue a user's link token and code digests; returns (token, code)."""
    session.flush()
    token, code = link_token(secret, user), sign_in_code(secret, user)
    user.link_digest = _digest("link:" + token)
    user.code_digest = _digest("code:" + code) if user.role == "judge" else None
    session.flush()
    return token, code


def revoke_credentials(session: orm.Session, secret: str, user: User, *, actor: User | None = None,
                       reissue: bool = True) -> tuple[str, str] | None:
    """Revoke every link, code and open session of ``user``; optionally issue fresh ones."""
    user.credential_version += 1
    user.link_digest = None
    user.code_digest = None
    session.flush()
    audit.record(session, "credentials.revoke", actor=actor, contest_id=user.contest_id,
                 target_type="user", target_id=user.id)
    return issue_credentials(session, secret, user) if reissue else None


def _failures(session: orm.Session, key: str, since: dt.datetime) -> int:
    return session.scalar(
        sa.select(sa.func.count()).select_from(SignInFailure).where(
            SignInFailure.key == key, SignInFailure.at >= since
        )
    ) or 0


def _check_throttle(session: orm.Session, keys: list[tuple[str, int]], window: int, now: dt.datetime) -> None:
    since = now - dt.timedelta(seconds=window)
    for key, limit in keys:
        if _failures(session, key, since) >= limit:
            minutes = max(1, window // 60)
            raise Throttled(N_("로그인 실패가 너무 많습니다. {minutes}분 뒤에 다시 시도해 주세요."), minutes=minutes)


def _fail(session: orm.Session, keys: list[str], now: dt.datetime) -> None:
    for key in keys:
        session.add(SignInFailure(key=key, at=now))
    session.flush()


def _prune(session: orm.Session, window: int, now: dt.datetime) -> None:
    session.execute(sa.delete(SignInFailure).where(SignInFailure.at < now - dt.timedelta(seconds=window * 4)))


class Limits:
    def __init__(self, window: int = 900, per_account: int = 5, per_address: int = 20) -> None:
        self.window, self.per_account, self.per_address = window, per_account, per_address


def authenticate(session: orm.Session, login: str, password: str, *, address: str,
                 limits: Limits | None = None, now: dt.datetime | None = None) -> User:
    """Check an ID and password. Raises Throttled or DomainError; records failures either way.

    The caller commits even on failure, so that the failure count is kept.
    """
    limits = limits or Limits()
    now = now or utcnow()
    login = (login or "").strip().lower()
    acct, addr = f"acct:{login}", f"addr:{address}"
    _check_throttle(session, [(acct, limits.per_account), (addr, limits.per_address)], limits.window, now)
    user = session.scalar(sa.select(User).where(sa.func.lower(User.login) == login))
    if user is None or not user.password_hash or not user.is_active or user.role == "judge" \
            or not check_password_hash(user.password_hash, password or ""):
        _fail(session, [acct, addr], now)
        audit.record(session, "auth.sign_in_failed", actor_label=login[:80], address=address)
        raise DomainError(N_("아이디 또는 비밀번호가 맞지 않습니다."))
    session.execute(sa.delete(SignInFailure).where(SignInFailure.key == acct))
    _prune(session, limits.window, now)
    _signed_in(session, user, address, "password", now)
    return user


def authenticate_code(session: orm.Session, code: str, *, address: str, limits: Limits | None = None,
                      now: dt.datetime | None = None) -> User:
    """Sign a judge in with the short code. Throttled per address (the code names no account)."""
    limits = limits or Limits()
    now = now or utcnow()
    addr = f"addr:{address}"
    _check_throttle(session, [(addr, limits.per_address), ("code:" + address, limits.per_account * 2)],
                    limits.window, now)
    normal = normalise_code(code)
    user = session.scalar(sa.select(User).where(User.code_digest == _digest("code:" + normal)))
    if user is None or not user.is_active or user.role != "judge":
        _fail(session, [addr, "code:" + address], now)
        audit.record(session, "auth.code_failed", actor_label=normal[:20], address=address)
        raise DomainError(N_("코드가 맞지 않습니다. 안내 카드의 코드 8자리를 다시 확인해 주세요."))
    _signed_in(session, user, address, "code", now)
    return user


_LINK_REFUSED = N_("이 로그인 링크는 유효하지 않거나 회수되었습니다. 담당자에게 새 링크를 요청해 주세요.")


def _link_user(session: orm.Session, token: str) -> User | None:
    user = session.scalar(sa.select(User).where(User.link_digest == _digest("link:" + (token or ""))))
    return user if user is not None and user.is_active else None


def link_holder(session: orm.Session, token: str) -> User:
    """Whose personal link ``token`` is, reading only (the page that offers the sign-in button).

    Raises ``DomainError`` for an unknown, revoked or used-up link; records nothing: the sign-in
    itself (``authenticate_link``) counts failures and throttles."""
    user = _link_user(session, token)
    if user is None:
        raise DomainError(_LINK_REFUSED)
    return user


def authenticate_link(session: orm.Session, token: str, *, address: str, limits: Limits | None = None,
                      now: dt.datetime | None = None) -> User:
    """Sign a judge (or an invited council) in with the personal link token."""
    limits = limits or Limits()
    now = now or utcnow()
    addr = f"addr:{address}"
    _check_throttle(session, [(addr, limits.per_address)], limits.window, now)
    user = _link_user(session, token)
    if user is None:
        _fail(session, [addr], now)
        audit.record(session, "auth.link_failed", address=address)
        raise DomainError(_LINK_REFUSED)
    _signed_in(session, user, address, "link", now)
    return user


def _signed_in(session: orm.Session, user: User, address: str, method: str, now: dt.datetime) -> None:
    user.last_sign_in_at = now
    audit.record(session, "auth.sign_in", actor=user, contest_id=user.contest_id, target_type="user",
                 target_id=user.id, after={"method": method}, address=address)


def set_password(session: orm.Session, user: User, password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise DomainError(N_("비밀번호는 {least}자 이상이어야 합니다."), least=MIN_PASSWORD_LENGTH, field="password")
    if user.role == "judge":
        raise DomainError(N_("심사위원은 비밀번호를 쓰지 않습니다."))
    user.password_hash = hash_password(password)
    session.flush()


def end_sessions(user: User) -> None:
    """End every open session of ``user`` (their cookies carry the old epoch; see security._load_user).
    Sign-in links and codes stay valid."""
    user.session_epoch = (user.session_epoch or 1) + 1


def sign_out(session: orm.Session, user: User, *, address: str = "") -> None:
    """Sign ``user`` out everywhere: a copied session or remember-me cookie is dead from now on."""
    end_sessions(user)
    session.flush()
    audit.record(session, "auth.sign_out", actor=user, contest_id=user.contest_id, target_type="user",
                 target_id=user.id, address=address)


def change_password(session: orm.Session, user: User, current: str | None, password: str) -> None:
    """Set a new password. A user who has one must give it (``current``); the first password (after an
    invitation link) needs none. Either way every other session of the user ends; the caller signs
    the current one in again. Raises ``DomainError``."""
    if user.password_hash and not check_password_hash(user.password_hash, current or ""):
        raise DomainError(N_("현재 비밀번호가 맞지 않습니다."), field="current")
    set_password(session, user, password)
    end_sessions(user)
    session.flush()
