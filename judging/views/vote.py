"""The audience's voting page, ``/v/<token>``: no account, no app, no script, one submit per card.

A phone opens it from the QR code on a printed ballot card. GET only reads (the card's state);
POST casts the ballot through ``services.audience.cast`` in one commit, retried on SQLite's lock.
Submissions are rate-limited per address in the database; a used or revoked card is answered with
that one sentence and nothing else. Nothing here signs anyone in: a judge's session is neither
needed nor used, and a card never opens a judge's page.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from judging import db, forms, scoring
from judging.security import client_address
from judging.services import audience
from judging.services.errors import DomainError, NotFound
from judging.views.common import error_text

bp = Blueprint("vote", __name__)

def _no_store(response):  # noqa: ANN001, ANN202
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the address
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _message(kind: str, *, status: int = 200, retry: int | None = None, state=None):  # noqa: ANN001, ANN202
    """The one-sentence pages: ``used``, ``revoked``, ``closed``, ``waiting``, ``unknown``, ``done``,
    ``throttled``, ``judge`` (the template holds each sentence, translated)."""
    return _no_store(current_app.make_response(
        (render_template("vote/message.html", kind=kind, retry=retry, state=state), status)))


def _labels() -> list[tuple[int, str]]:
    names = {5: _("매우 좋음"), 4: _("좋음"), 3: _("보통"), 2: _("부족"), 1: _("매우 부족")}
    return [(value, names[value]) for value, _label in scoring.RATING_LABELS]


def _judge_signed_in() -> bool:
    """A judge's tablet holds the judge's session: judges score on their sheets, never as audience."""
    return bool(current_user.is_authenticated and current_user.role == "judge")


def _page(token: str, form: forms.VoteForm, chosen: dict[str, str] | None = None, error: str | None = None,
          missing: tuple[int, ...] = (), status: int = 200):  # noqa: ANN202
    if _judge_signed_in():
        return _message("judge", status=403)
    try:
        state = audience.ballot_state(db.session(), token)
    except NotFound:
        return _message("unknown", status=404)
    if state.state != "ready":
        return _message(state.state, state=state)
    return _no_store(current_app.make_response((render_template(
        "vote/ballot.html", state=state, form=form, token=token, labels=_labels(), chosen=chosen or {},
        error=error, missing=set(missing)), status)))


@bp.get("/v/<token>")
def ballot(token: str):
    """An audience member's ballot behind its card's token; a used, revoked, closed or unknown card says so."""
    return _page(token, forms.VoteForm(formdata=None))


@bp.post("/v/<token>")
def cast(token: str):
    """Cast the ballot's ratings once; an incomplete or stale form comes back, a used card is refused."""
    if _judge_signed_in():
        return _message("judge", status=403)
    form = forms.VoteForm()
    chosen = form.ratings(request.form)
    if not form.validate():
        return _page(token, form, chosen, _("페이지가 오래되었습니다. 다시 골라 제출해 주세요."), status=400)
    address = client_address()
    config = current_app.config

    def work(session):  # noqa: ANN001, ANN202
        audience.check_rate(session, address, config["VOTE_MAX_PER_MINUTE"])
        try:
            audience.cast(session, token, chosen)
        except NotFound:
            audience.check_rate(session, address, config["VOTE_UNKNOWN_MAX_PER_MINUTE"], what="unknown")
            raise

    try:
        db.commit_retrying(work)
    except NotFound:
        return _message("unknown", status=404)
    except DomainError as exc:
        code = exc.details.get("code")
        if code in ("used", "revoked"):
            return _message(code, status=409)
        if code in ("pending", "closed"):
            return _message("waiting" if code == "pending" else "closed", status=409)
        if code == "throttled":
            return _message("throttled", status=429, retry=exc.details.get("retry_after"))
        if code == "incomplete":
            return _page(token, form, chosen, _("모든 참가작을 평가해 주세요."),
                         tuple(exc.details.get("missing", ())), status=400)
        return _page(token, form, chosen, error_text(exc), status=400)
    return redirect(url_for("vote.done"), code=303)


@bp.get("/v/done")
def done():
    """The thank-you page after a vote."""
    return _message("done")
