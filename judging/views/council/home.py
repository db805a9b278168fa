"""A council's home page (its entry's state, its contest's editions) and its password: the first one,
after arriving through the invitation link, or a new one."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_user

from judging import db, forms
from judging.models import User
from judging.services import entrants, intake, published
from judging.services.errors import DomainError
from judging.views.common import error_text, http_status
from judging.views.council import bp
from judging.views.council._shared import _entry_context, _me


@bp.get("/")
def home():
    """The council's home: its entry's state and its contest's editions, or the password form first."""
    user = _me()
    if not user.password_hash:
        return render_template("council/password.html", form=_password_form(user), entrant=user.entrant)
    s = db.session()
    entry = intake.council_entry(s, user)
    result_ready = intake.council_result(s, user) is not None
    editions = [{"contest": e.contest, "published": published.published_snapshot(s, e.contest) is not None,
                 "own": e.id == user.entrant_id} for e in intake.council_editions(s, user)]
    return render_template("council/home.html", result_ready=result_ready, editions=editions,
                           **_entry_context(entry))


def _password_form(user: User, **kwargs) -> forms.CouncilPasswordForm:  # noqa: ANN003
    form = forms.CouncilPasswordForm(**kwargs)
    if not user.password_hash:
        del form.current  # the first password: the invitation link was the proof
    return form


@bp.get("/password")
def password_page():
    """The form to choose (or change) the council's password."""
    user = _me()
    return render_template("council/password.html", form=_password_form(user), entrant=user.entrant)


@bp.post("/password")
def set_password():
    """Set the council's password; a wrong current password or a refused new one is shown on the form."""
    user = _me()
    form = _password_form(user)
    if not form.validate_on_submit():
        return render_template("council/password.html", form=form, entrant=user.entrant), 400
    current = form.current.data if "current" in form else None
    try:
        db.commit_retrying(lambda s: entrants.first_password(s, user, form.password.data, form.confirm.data,
                                                             current=current), keep_refused=False)
    except DomainError as error:
        flash(error_text(error), "error")
        return render_template("council/password.html", form=form, entrant=user.entrant), http_status(error)
    # Every other session ended with the new password; this one goes on under the new epoch.
    login_user(user)
    flash(_("비밀번호를 정했습니다. 다음부터는 아이디 %(login)s와 이 비밀번호로 로그인합니다.", login=user.login),
          "success")
    return redirect(url_for("council.home"), code=303)
