"""Sign-in plumbing: Flask-Login, CSRF on every write, role guards and the error pages."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from judging import db
from judging.inputs import MAX_ID
from judging.messages import N_
from judging.models import User

login_manager = LoginManager()
csrf = CSRFProtect()


#: Every response: scripts, styles, fonts and images from this app only (no inline script or style
#: attribute anywhere; JSON data islands are <script type="application/json">, which never run), no
#: plugins, no framing by any page (the lock and publish pages cannot be clickjacked), forms post
#: only here.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Judges' links carry their token in the path: never send a path to another site.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(response: Response) -> Response:
    """Add the security headers to every response (HSTS only behind HTTPS)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure or current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with its signer built once per set of keys instead of on
    every request (the autosave path reads the cookie on every keystroke's save)."""

    def __init__(self) -> None:
        self._signers: dict[tuple, Any] = {}

    def get_signing_serializer(self, app: Flask) -> Any:  # itsdangerous.URLSafeTimedSerializer | None
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        signer = self._signers.get(keys)
        if signer is None:
            signer = self._signers[keys] = super().get_signing_serializer(app)
        return signer


def init_app(app: Flask) -> None:
    app.session_interface = SessionCookies()
    app.after_request(security_headers)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    csrf.init_app(app)

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):  # noqa: ANN202
        message = _("보안 토큰이 없거나 맞지 않습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.")
        if wants_json():
            return jsonify(ok=False, error="csrf", message=message), 400
        return render_template("errors/error.html", code=400, message=message), 400

    for code, text in (
        (403, N_("이 페이지를 볼 권한이 없습니다.")),
        (404, N_("요청하신 페이지를 찾을 수 없습니다.")),
        (405, N_("허용되지 않는 요청입니다.")),
        (409, N_("다른 곳에서 먼저 변경되었습니다. 최신 내용을 확인해 주세요.")),
        (413, N_("파일이 너무 큽니다. 허용 크기를 확인해 주세요.")),
        (429, N_("요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.")),
    ):
        app.register_error_handler(code, _error_page(code, text))


def _error_page(code: int, text: str) -> Callable[[Any], Any]:
    def handler(error: Any):  # noqa: ANN202
        description = getattr(error, "description", None)
        message = description if isinstance(description, str) and _is_korean(description) else _(text)
        if wants_json():
            return jsonify(ok=False, error=str(code), message=message), code
        return render_template("errors/error.html", code=code, message=message), code

    return handler


def _is_korean(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json" or request.path.startswith(
        "/judge/api/"
    )


#: Built once: ``Session.get`` builds (and keys for the cache) a new statement on every request.
_USER_BY_ID = sa.select(User).where(User.id == sa.bindparam("b_uid"))


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    # "id:credential version:session epoch" (User.get_id). Revoking credentials, signing out and
    # changing the password each bump one of the numbers, so every older session is refused here.
    parts = user_id.split(":")
    if len(parts) != 3 or not all(part.isdigit() and len(part) <= 10 for part in parts):
        return None
    uid, version, epoch = (int(part) for part in parts)
    if uid > MAX_ID:
        return None
    user = db.session().execute(_USER_BY_ID, {"b_uid": uid}).scalar_one_or_none()
    if user is None or not user.is_active or user.credential_version != version or user.session_epoch != epoch:
        return None
    db.keep_across_unit(user)
    return user


@login_manager.unauthorized_handler
def _unauthorized():  # noqa: ANN202
    if wants_json():
        return jsonify(ok=False, error="signed_out", message=_("로그인이 만료되었습니다. 다시 로그인해 주세요.")), 401
    flash(_("로그인이 필요합니다."), "info")
    return redirect(url_for("auth.sign_in", next=request.full_path if request.method == "GET" else None))


def role_required(*roles: str) -> Callable:
    """Let only signed-in users with one of ``roles`` through; others get 401 (sign-in) or 403."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                from flask import abort

                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles  # type: ignore[attr-defined]
        return wrapped

    return decorator


def client_address() -> str:
    return (request.remote_addr or "unknown")[:64]
