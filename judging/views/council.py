"""A dong council's pages: its entry, attachments and, after publication, its own result.

A council only ever sees its own entrant: no page takes an entry id, and an attachment id that is
not its own is answered as not found. Until the council has chosen a password (after arriving
through its invitation link) every page leads to the password form.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user

from judging import db, forms
from judging.models import User
from judging.security import role_required, wants_json
from judging.services import entrants, intake, published, uploads
from judging.services.errors import DomainError
from judging.views.common import error_text, http_status, send_attachment

bp = Blueprint("council", __name__, url_prefix="/council")
OPEN_WITHOUT_PASSWORD = ("council.home", "council.set_password")


@bp.before_request
@role_required("council")
def _guard():  # noqa: ANN202
    if not current_user.password_hash and request.endpoint not in OPEN_WITHOUT_PASSWORD:
        flash(_("먼저 비밀번호를 정해 주세요."), "info")
        return redirect(url_for("council.home"))
    return None


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined]


def _back(message: str | None = None, category: str = "success", anchor: str = "") -> Response:
    if message:
        flash(message, category)
    return redirect(url_for("council.entry") + (f"#{anchor}" if anchor else ""), code=303)


def _entry_context(entry) -> dict:  # noqa: ANN001
    locked = intake.locked_reason(entry)
    files = [{"a": a, "size": uploads.human_size(a.size),
              "kind": uploads.KINDS[a.kind].label if a.kind in uploads.KINDS else a.kind} for a in entry.attachments]
    used = sum(a.size for a in entry.attachments)
    cfg = current_app.config
    return {
        "entry": entry, "entrant": entry.entrant, "contest": entry.contest, "locked": locked, "files": files,
        "used": uploads.human_size(used), "limit_file": uploads.human_size(cfg["UPLOAD_MAX_FILE_BYTES"]),
        "limit_entry": uploads.human_size(cfg["UPLOAD_MAX_ENTRY_BYTES"]), "allowed": uploads.ALLOWED_TEXT,
        "accept": uploads.ACCEPT_ATTRIBUTE,
    }


@bp.get("/")
def home():
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
    user = _me()
    return render_template("council/password.html", form=_password_form(user), entrant=user.entrant)


@bp.post("/password")
def set_password():
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


@bp.get("/entry")
def entry():
    s = db.session()
    item = intake.council_entry(s, _me())
    form = forms.EntryForm(formdata=None, obj=item)
    return render_template("council/entry.html", form=form, upload_form=forms.AttachmentForm(),
                           submit_form=forms.SubmitEntryForm(formdata=None), action_form=forms.ActionForm(),
                           **_entry_context(item))


@bp.post("/entry")
def save_entry():
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
    s = db.session()
    user = _me()
    item = intake.council_entry(s, user)
    attachment = uploads.get_attachment(s, user, attachment_id)
    form = forms.ActionForm()
    if not form.validate_on_submit():
        return _back(_("보안 토큰이 맞지 않습니다. 새로 고친 뒤 다시 시도해 주세요."), "error", "files")
    reason = intake.locked_reason(item)
    if reason:
        return _back(reason, "error", "files")
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
    s = db.session()
    return send_attachment(uploads.get_attachment(s, _me(), attachment_id))


@bp.get("/receipt")
def receipt():
    s = db.session()
    item = intake.council_entry(s, _me())
    if item.receipt_number is None:
        flash(_("아직 제출하지 않았습니다."), "info")
        return redirect(url_for("council.entry"))
    return render_template("council/receipt.html", **_entry_context(item))


@bp.get("/result")
def result():
    s = db.session()
    user = _me()
    entrant = intake.council_edition(s, user, request.args.get("contest"))
    outcome = intake.council_result(s, user, entrant)
    from judging.views.council_objections import objection_context

    return render_template("council/result.html", result=outcome, entrant=entrant, contest=entrant.contest,
                           **objection_context(user, entrant))


from judging.views import council_documents, council_objections  # noqa: E402,F401
