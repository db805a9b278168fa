"""The organizer's audience panel (현장평가단) page: turnout, open/close the voting, issue ballots as a
PDF of numbered cards, revoke a lost card, the list of cards by state (never a vote).

"""

from __future__ import annotations

import io

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from judging import db, forms
from judging.documents.ballots import render_ballot_cards
from judging.scoring.rounding import plain
from judging.services import audience, lifecycle
from judging.services.errors import DomainError
from judging.views.common import error_text
from judging.views.organizer import bp
from judging.views.organizer._shared import _contest, _form_errors, _me, _nav, _run


@bp.get("/c/<slug>/audience")
def audience_page(slug: str):
    """The audience panel: each round's turnout, voting open or closed, ballot cards by state."""
    s = db.session()
    contest = _contest(slug)
    rounds = []
    for aud in audience.audience_rounds(s, contest):
        cards = audience.ballots(s, aud)
        rounds.append({
            "round": aud,
            "weight": plain(aud.weight),
            "max": plain(aud.max_points),
            "turnout": audience.turnout(s, aud),
            "entries": audience.ballot_entries(s, aud),
            "cards": cards,
        })
    return render_template("organizer/audience.html", rounds=rounds, action_form=forms.ActionForm(),
                           issue_form=forms.BallotIssueForm(formdata=None, count=100),
                           revoke_form=forms.BallotRevokeForm(formdata=None), **_nav(contest, "audience"))


def _back(slug: str) -> str:
    return url_for("organizer.audience_page", slug=slug)


@bp.post("/c/<slug>/audience/<key>/issue")
def audience_issue(slug: str, key: str):
    """Issue the ballots and answer with their cards' PDF (the tokens exist nowhere else)."""
    contest = _contest(slug)
    form = forms.BallotIssueForm()
    if not form.validate_on_submit():
        flash(_form_errors(form), "error")
        return redirect(_back(slug), code=303)
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url
    actor = _me()

    def work(session):  # noqa: ANN001, ANN202
        # Rendered inside the unit of work: no ballot is kept whose card could not be printed.
        aud = audience.get_round(session, contest, key)
        issued = audience.issue_ballots(session, aud, form.count.data, actor=actor)
        return issued, render_ballot_cards(audience.cards_data(contest, issued, base))

    try:
        batch, pdf = db.commit_retrying(work, keep_refused=False)
    except DomainError as error:
        flash(error_text(error), "error")
        return redirect(_back(slug), code=303)
    first, last = batch.cards[0].serial, batch.cards[-1].serial
    response = send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                         download_name=f"{contest.slug}-{key}-ballots-{first:04d}-{last:04d}.pdf", max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/c/<slug>/audience/<key>/revoke")
def audience_revoke(slug: str, key: str):
    """Revoke a lost ballot card by its number with a reason; an unknown number is refused."""
    contest = _contest(slug)
    form = forms.BallotRevokeForm()
    if not form.validate_on_submit():
        flash(_form_errors(form), "error")
        return redirect(_back(slug), code=303)
    return _run(lambda s: audience.revoke_ballot(s, audience.get_round(s, contest, key), form.serial.data,
                                                 form.reason.data, actor=_me()),
                _("%(n)s번 투표권을 취소했습니다.", n=form.serial.data), _back(slug))


@bp.post("/c/<slug>/audience/<key>/open")
def audience_open(slug: str, key: str):
    """Open an audience round's voting; refused when its state forbids it."""
    contest = _contest(slug)
    back = forms.BackForm().page(_back(slug))
    return _run(lambda s: lifecycle.open_voting(s, audience.get_round(s, contest, key), actor=_me()),
                _("투표를 열었습니다."), back)


@bp.post("/c/<slug>/audience/<key>/close")
def audience_close(slug: str, key: str):
    """Close an audience round's voting and record its count in the audit log."""
    contest = _contest(slug)
    back = forms.BackForm().page(_back(slug))
    return _run(lambda s: lifecycle.close_voting(s, audience.get_round(s, contest, key), actor=_me()),
                _("투표를 닫고 집계를 감사 기록에 남겼습니다."), back)
