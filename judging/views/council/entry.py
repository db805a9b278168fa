"""A council's entry: the text saved as a draft, the attachments uploaded, downloaded and deleted,
the entry submitted, and its receipt."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from judging import db, forms
from judging.security import wants_json
from judging.services import intake, uploads
from judging.services.errors import DomainError
from judging.views.common import error_text, http_status, send_attachment
from judging.views.council import bp
from judging.views.council._shared import _back, _entry_context, _me


@bp.get("/entry")
def entry():
    """The council's entry: its text, attachments and the submit button."""
    s = db.session()
    item = intake.council_entry(s, _me())
    form = forms.EntryForm(formdata=None, obj=item)
    return render_template("council/entry.html", form=form, upload_form=forms.AttachmentForm(),
                           submit_form=forms.SubmitEntryForm(formdata=None), action_form=forms.ActionForm(),
                           **_entry_context(item))


@bp.post("/entry")
def save_entry():
    """Save the entry's text as a draft; refused once submitted or past the deadline."""
    s = db.session()
    item = intake.council_entry(s, _me())
    form = forms.EntryForm()
    if not form.validate_on_submit():
        return render_template("council/entry.html", form=form, upload_form=forms.AttachmentForm(),
                               submit_form=forms.SubmitEntryForm(formdata=None), action_form=forms.ActionForm(),
                               **_entry_context(item)), 400
    data = {name: getattr(form, name).data for name in intake.ENTRY_FIELDS}
    user = _me()
    try:
        changed = db.commit_retrying(lambda s: intake.save_draft(s, intake.council_entry(s, user), data, actor=user),
                                     keep_refused=False)
    except DomainError as error:
        return _back(error_text(error), "error")
    return _back(_("임시 저장했습니다.") if changed else _("바뀐 내용이 없습니다."), "success")


@bp.post("/entry/submit")
def submit_entry():
    """Submit the entry and go to its receipt; refused when incomplete or past the deadline."""
    form = forms.SubmitEntryForm()
    if not form.validate_on_submit():
        return _back(" ".join(str(e) for errors in form.errors.values() for e in errors), "error", "submit")
    user = _me()
    try:
        db.commit_retrying(lambda s: intake.submit_entry(s, intake.council_entry(s, user), actor=user),
                           keep_refused=False)
    except DomainError as error:
        return _back(error_text(error), "error", "submit")
    flash(_("제출했습니다. 접수 번호를 확인해 주세요."), "success")
    return redirect(url_for("council.receipt"), code=303)


@bp.post("/entry/attachments")
def upload_attachment():
    """Upload one file to the council's entry. The upload button sits in the entry's text form: what
    was typed is saved with it, whatever happens to the file, so that nothing typed is lost. One unit
    of work: the text, the file's row and the stored file are kept or dropped together."""
    s = db.session()
    user = _me()
    item = intake.council_entry(s, user)
    form = forms.AttachmentForm()
    text_form = forms.EntryForm() if any(name in request.form for name in intake.ENTRY_FIELDS) else None
    text = ({name: getattr(text_form, name).data for name in intake.ENTRY_FIELDS}
            if text_form is not None and text_form.validate() and not intake.locked_reason(item) else None)
    file_ok = form.validate_on_submit()
    upload = form.file.data if file_ok else None
    folder = current_app.config["UPLOAD_FOLDER"]
    stored = uploads.StoredFiles(folder)

    def work(session):  # noqa: ANN001, ANN202
        stored.discard()  # a rerun after "database is locked" stores the file again
        entry = intake.council_entry(session, user)
        text_refusal = None
        if text is not None:
            try:
                with session.begin_nested():
                    intake.save_draft(session, entry, text, actor=user)
            except DomainError as error:  # e.g. a field too long: the page says so, the file still goes up
                text_refusal = error
        if upload is None:
            return None, text_refusal, None
        try:
            with session.begin_nested():
                reason = intake.locked_reason(entry)
                if reason:
                    raise DomainError(reason)
                upload.stream.seek(0)
                attachment = uploads.save_upload(
                    session, entry, upload.stream, upload.filename, folder=folder,
                    max_file=current_app.config["UPLOAD_MAX_FILE_BYTES"],
                    max_entry=current_app.config["UPLOAD_MAX_ENTRY_BYTES"], actor=user)
                stored.add(attachment.stored_name)
        except DomainError as error:  # the file was refused; the text is still kept
            stored.discard()
            return None, text_refusal, error
        return (attachment.id, attachment.original_name), text_refusal, None

    with stored.removed_on_failure():
        saved, text_refusal, file_refusal = db.commit_retrying(work)
    if text_refusal is not None:
        flash(error_text(text_refusal), "error")
    if saved is not None:
        attachment_id, name = saved
        message = _("'%(name)s'을(를) 올렸습니다.", name=name)
        if wants_json():
            return {"ok": True, "message": message, "id": attachment_id}
        return _back(message, "success", "files")
    if file_refusal is not None:
        message, status = error_text(file_refusal), http_status(file_refusal)
    else:
        message, status = " ".join(str(e) for errors in form.errors.values() for e in errors), 400
    if wants_json():
        return {"ok": False, "message": message}, status
    flash(message, "error")
    return redirect(url_for("council.entry") + "#files", code=303)


@bp.post("/entry/attachments/<int:attachment_id>/delete")
def delete_attachment(attachment_id: int):
    """Delete one of the entry's files; refused once the entry is locked."""
    s = db.session()
    user = _me()
    item = intake.council_entry(s, user)
    attachment = uploads.get_attachment(s, user, attachment_id)
    form = forms.ActionForm()
    if not form.validate_on_submit():
        return _back(_("보안 토큰이 맞지 않습니다. 새로 고친 뒤 다시 시도해 주세요."), "error", "files")
    reason = intake.locked_reason(item)
    if reason:
        return _back(_(reason), "error", "files")
    name = attachment.original_name
    attachment_key = attachment.id

    def work(session):  # noqa: ANN001, ANN202
        return uploads.delete_attachment(session, uploads.get_attachment(session, user, attachment_key),
                                         actor=user)

    stored = db.commit_retrying(work)
    uploads.remove_file(current_app.config["UPLOAD_FOLDER"], stored)
    return _back(_("'%(name)s'을(를) 지웠습니다.", name=name), "success", "files")


@bp.get("/attachments/<int:attachment_id>")
def download_attachment(attachment_id: int):
    """Download one of the council's own files; another's is 404."""
    s = db.session()
    return send_attachment(uploads.get_attachment(s, _me(), attachment_id))


@bp.get("/receipt")
def receipt():
    """The submitted entry's receipt with its number; before submission, back to the entry."""
    s = db.session()
    item = intake.council_entry(s, _me())
    if item.receipt_number is None:
        flash(_("아직 제출하지 않았습니다."), "info")
        return redirect(url_for("council.entry"))
    return render_template("council/receipt.html", **_entry_context(item))
