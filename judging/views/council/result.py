"""A council's own result, after publication (for any of its contest's editions), and its objection
(이의신청) to it: filed with an attachment, and the attachment read back."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from judging import db, forms
from judging.models import Entrant, Entry, User, utcnow
from judging.security import client_address
from judging.services import intake, objections, uploads
from judging.services.errors import DomainError
from judging.views.common import error_text, send_attachment
from judging.views.council import bp
from judging.views.council._shared import _me


@bp.get("/result")
def result():
    """The council's own published result for an edition, with its objections; before publication, it says so."""
    s = db.session()
    user = _me()
    entrant = intake.council_edition(s, user, request.args.get("contest"))
    outcome = intake.council_result(s, user, entrant)
    return render_template("council/result.html", result=outcome, entrant=entrant, contest=entrant.contest,
                           **objection_context(user, entrant))


def objection_context(user: User, entrant: Entrant | None = None) -> dict:
    """The objection part of the council's result page for one of its editions (templates only
    display). A council objects only in its own contest."""
    s = db.session()
    entrant = entrant or user.entrant
    contest = entrant.contest
    entry = s.scalar(sa.select(Entry).where(Entry.contest_id == contest.id, Entry.entrant_id == entrant.id))
    state = objections.finality(s, contest)
    return {
        "objections": objections.for_entry(s, entry) if entry is not None else [],
        "finality": state,
        "may_object": entrant.id == user.entrant_id and state.published and not state.final
        and state.deadline is not None and utcnow() < state.deadline,
        "objection_form": forms.ObjectionForm(formdata=None),
    }


@bp.post("/result/objection")
def file_objection():
    """File an objection to the council's own published result; refused after the objection period."""
    user = _me()
    form = forms.ObjectionForm()
    back = url_for("council.result") + "#objection"
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(back, code=303)
    folder = current_app.config["UPLOAD_FOLDER"]
    upload = form.attachment.data
    address = client_address()
    stored = uploads.StoredFiles(folder)

    def work(session):  # noqa: ANN001, ANN202
        stored.discard()  # a rerun after "database is locked" stores the file again
        objection = objections.file(session, user.entrant.contest, user, form.grounds.data, address=address)
        if upload is not None and getattr(upload, "filename", ""):
            upload.stream.seek(0)
            item = objections.attach(session, objection, upload.stream, upload.filename, folder=folder,
                                     max_file=current_app.config["UPLOAD_MAX_FILE_BYTES"], actor=user)
            stored.add(item.stored_name)
        return objection

    try:
        with stored.removed_on_failure():
            db.commit_retrying(work, keep_refused=False)
    except DomainError as error:
        flash(error_text(error), "error")
        return redirect(back, code=303)
    flash(_("이의신청을 접수했습니다. 주최 측의 답변이 이 화면에 나옵니다."), "success")
    return redirect(back, code=303)


@bp.get("/objections/attachments/<int:attachment_id>")
def objection_attachment(attachment_id: int):
    """Download an objection's attachment of the council's own; another's is 404."""
    return send_attachment(objections.attachment_for(db.session(), _me(), attachment_id))
