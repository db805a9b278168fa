"""Sign-in and sign-out for every role."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from judging import db
from judging.forms import CodeForm, LinkSignInForm, SignInForm, SignOutForm
from judging.security import client_address
from judging.services import auth
from judging.services.errors import DomainError
from judging.views.common import ROLE_HOMES, error_text, http_status

bp = Blueprint("auth", __name__)


def _limits() -> auth.Limits:
    cfg = current_app.config
    return auth.Limits(cfg["SIGN_IN_WINDOW_SECONDS"], cfg["SIGN_IN_MAX_PER_ACCOUNT"], cfg["SIGN_IN_MAX_PER_ADDRESS"])


def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def _finish(user, remember: bool = False):  # noqa: ANN001, ANN202
    session.permanent = True
    login_user(user, remember=remember)
    home = url_for(ROLE_HOMES[user.role])
    nxt = _safe_next(request.args.get("next"))
    # Back to the page that asked for the sign-in (a judge's entry screen after a session ran
    # out), but only inside the user's own area.
    return redirect(nxt if nxt and nxt.startswith(home) else home)


def _page(form: SignInForm, code_form: CodeForm, status: int = 200):  # noqa: ANN202
    return render_template("auth/sign_in.html", form=form, code_form=code_form,
                           next_url=_safe_next(request.args.get("next"))), status


@bp.get("/sign-in")
def sign_in():
    """The sign-in page (login and password, or a judge's code); a signed-in user goes to their home."""
    if current_user.is_authenticated:
        return redirect(url_for(ROLE_HOMES[current_user.role]))
    return _page(SignInForm(), CodeForm())


@bp.post("/sign-in")
def sign_in_post():
    """Sign in with login and password; wrong ones and too many tries are refused (and counted)."""
    form = SignInForm()
    if not form.validate_on_submit():
        return _page(form, CodeForm(), 400)
    address, limits = client_address(), _limits()
    try:
        # Failures are committed too: the throttle counts them.
        user = db.commit_retrying(lambda s: auth.authenticate(s, form.login.data, form.password.data,
                                                              address=address, limits=limits))
    except DomainError as error:
        flash(error_text(error), "error")
        return _page(form, CodeForm(), http_status(error))
    return _finish(user)


@bp.post("/sign-in/code")
def sign_in_code():
    """Sign a judge in with their card's code; a wrong code and too many tries are refused (and counted)."""
    form = CodeForm()
    if not form.validate_on_submit():
        return _page(SignInForm(formdata=None), form, 400)
    address, limits = client_address(), _limits()
    try:
        user = db.commit_retrying(lambda s: auth.authenticate_code(s, form.code.data, address=address,
                                                                   limits=limits))
    except DomainError as error:
        flash(error_text(error), "error")
        return _page(SignInForm(formdata=None), form, http_status(error))
    return _finish(user, remember=True)


def _link_page(user, form: LinkSignInForm, status: int = 200):  # noqa: ANN001, ANN202
    if user.role != "judge":
        form.submit.label.text = _("로그인")
    return render_template("auth/link.html", user=user, form=form,
                           next_url=_safe_next(request.args.get("next"))), status


def _link_refused(error: DomainError):  # noqa: ANN202
    return render_template("errors/error.html", code=http_status(error), message=error_text(error)), http_status(error)


@bp.get("/j/<token>")
def sign_in_link(token: str):
    """The page behind a judge's card link (QR) or a council's invitation link: the holder's name and
    one button that signs in (a POST). Reads only; an unknown or used link is refused."""
    try:
        user = auth.link_holder(db.session(), token)
    except DomainError as error:
        return _link_refused(error)
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for(ROLE_HOMES[user.role]))  # already signed in on this device
    return _link_page(user, LinkSignInForm())


@bp.post("/j/<token>")
def sign_in_link_post(token: str):
    """Sign in through a judge's card link or a council's invitation link; an unknown or used link is
    refused (and counted, like a wrong password)."""
    form = LinkSignInForm()
    if not form.validate_on_submit():
        try:
            user = auth.link_holder(db.session(), token)
        except DomainError as error:
            return _link_refused(error)
        return _link_page(user, form, 400)
    address, limits = client_address(), _limits()
    try:
        user = db.commit_retrying(lambda s: auth.authenticate_link(s, token, address=address, limits=limits))
    except DomainError as error:
        return _link_refused(error)
    if user.role == "council" and not user.password_hash:
        session.permanent = True
        login_user(user)
        flash(_("처음 로그인하셨습니다. 비밀번호를 정해 주세요."), "info")
        return redirect(url_for("council.home"))
    return _finish(user, remember=user.role == "judge")


@bp.post("/sign-out")
def sign_out():
    """Sign out and end the session on the server too; a request without the CSRF token signs nobody out."""
    form = SignOutForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            user, address = current_user._get_current_object(), client_address()
            # Ends the session on the server too: a copied cookie is refused from now on.
            db.commit_retrying(lambda s: auth.sign_out(s, s.merge(user), address=address))
        logout_user()
        flash(_("로그아웃했습니다."), "info")
    return redirect(url_for("auth.sign_in"))
