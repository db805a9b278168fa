"""The entrants tab: entrants added, edited or imported from a file, council accounts and their
invitations (links, QR codes, e-mail drafts)."""

from __future__ import annotations

from urllib.parse import quote

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from judging import db, forms
from judging.models import Contest
from judging.services import entrants, setup
from judging.services.errors import DomainError
from judging.views.common import error_text, message_text, query_id
from judging.views.organizer import bp
from judging.views.organizer._shared import _contest, _field_error, _invalid, _link, _me, _nav, _run, qr_svg


@bp.get("/c/<slug>/entrants")
def entrants_page(slug: str):
    """The entrants with their council accounts, and the forms to add, edit and import entrants."""
    return _entrants_page(_contest(slug))


def _entrants_page(contest: Contest, *, add_form: forms.EntrantForm | None = None,
                   failed: tuple[int, forms.EntrantForm] | None = None, status: int = 200):
    """The entrants page; a form that failed is shown again as typed, its errors beside the fields."""
    s = db.session()
    accounts = entrants.council_accounts(s, contest)
    rows = []
    for e in contest.entrants:
        user = accounts.get(e.id)
        if user is None:
            account = _("계정 없음")
        elif user.password_hash:
            account = _("사용 중")
        else:
            account = _("초대됨 (첫 로그인 전)")
        if failed is not None and failed[0] == e.id:
            edit = failed[1]
        else:
            edit = forms.EntrantForm(prefix=f"e{e.id}", formdata=None, obj=e)
        rows.append({"entrant": e, "user": user, "account": account, "form": edit,
                     "open": failed is not None and failed[0] == e.id,
                     "entry_status": e.entry.status if e.entry else "draft"})
    missing = sum(1 for r in rows if r["user"] is None)
    can_add = contest.status not in ("judging", "locked", "published")
    return render_template("organizer/entrants.html", rows=rows, missing=missing,
                           import_form=forms.EntrantImportForm(), action_form=forms.ActionForm(),
                           add_form=add_form or forms.EntrantForm(formdata=None), add_failed=add_form is not None,
                           can_add=can_add, **_nav(contest, "entrants")), status


@bp.post("/c/<slug>/entrants")
def add_entrant(slug: str):
    """Add an entrant; a refused field is shown beside it, a refusal of the contest at the top."""
    contest = _contest(slug)
    form = forms.EntrantForm()
    if not form.validate_on_submit():
        return _entrants_page(contest, add_form=form, status=400)
    try:
        fields = {n: getattr(form, n).data for n in ("key", *entrants.ENTRANT_FIELDS)}
        entrant = db.commit_retrying(lambda s: entrants.add_entrant(s, contest, fields, actor=_me()),
                                     keep_refused=False)
    except DomainError as error:
        if error.field is None:  # the contest refuses, not a field: say so at the top
            flash(error_text(error), "error")
            return redirect(url_for(".entrants_page", slug=slug), code=303)
        _field_error(form, error)
        return _entrants_page(contest, add_form=form, status=400)
    flash(_("참가자 '%(name)s'을(를) 더했습니다.", name=entrant.name), "success")
    return redirect(url_for(".entrants_page", slug=slug), code=303)


@bp.post("/c/<slug>/entrants/<int:entrant_id>")
def update_entrant(slug: str, entrant_id: int):
    """Save an entrant's details; a refused field is shown beside it on the same row."""
    s = db.session()
    contest = _contest(slug)
    entrant = setup.get_entrant(s, contest, entrant_id)
    form = forms.EntrantForm(prefix=f"e{entrant.id}")
    if not form.validate_on_submit():
        return _entrants_page(contest, failed=(entrant.id, form), status=400)
    try:
        fields = {n: getattr(form, n).data for n in entrants.ENTRANT_FIELDS}
        changed = db.commit_retrying(lambda s: entrants.update_entrant(s, entrant, fields, actor=_me()),
                                     keep_refused=False)
    except DomainError as error:
        _field_error(form, error)
        return _entrants_page(contest, failed=(entrant.id, form), status=400)
    flash(_("참가자 정보를 고쳤습니다.") if changed else _("바뀐 내용이 없습니다."), "success")
    return redirect(url_for(".entrants_page", slug=slug), code=303)


@bp.post("/c/<slug>/entrants/import")
def import_entrants(slug: str):
    """Import entrants from a file; a file with any problem imports nothing and lists the problems."""
    contest = _contest(slug)
    form = forms.EntrantImportForm()
    back = url_for(".entrants_page", slug=slug)
    if not form.validate_on_submit():
        return _invalid(form, back)
    upload = form.file.data
    data = upload.stream.read(entrants.MAX_IMPORT_BYTES + 1)
    try:
        created = db.commit_retrying(
            lambda s: entrants.import_entrants(s, contest, upload.filename or "", data, actor=_me()),
            keep_refused=False)
    except entrants.EntrantImportError as error:
        flash(_("참가자 파일에 문제가 있어 아무것도 불러오지 않았습니다. 고친 뒤 다시 올려 주세요."), "error")
        for line in error.lines[:50]:
            flash(message_text(line), "error")
        if len(error.problems) > 50:
            flash(_("그 밖에 %(n)s건의 문제가 더 있습니다.", n=len(error.problems) - 50), "error")
        return redirect(back, code=303)
    except DomainError as error:
        flash(error_text(error), "error")
        return redirect(back, code=303)
    flash(_("참가자 %(n)s곳을 불러왔습니다.", n=len(created)), "success")
    return redirect(back, code=303)


@bp.post("/c/<slug>/entrants/accounts")
def create_council_accounts(slug: str):
    """Create the missing council accounts with their invitation links."""
    contest = _contest(slug)
    form = forms.ActionForm()
    back = url_for(".entrants_page", slug=slug)
    if not form.validate_on_submit():
        return _invalid(form, back)
    secret = current_app.config["SECRET_KEY"]
    return _run(lambda s: len(entrants.create_council_accounts(s, contest, secret, actor=_me())),
                _("협의체 계정 {result}개를 만들었습니다. 초대장을 인쇄하거나 보내 주세요."), back)


@bp.post("/c/<slug>/entrants/<int:entrant_id>/reissue")
def reissue_invitation(slug: str, entrant_id: int):
    """Issue a new invitation link for an entrant's council; the old link and password stop working."""
    s = db.session()
    contest = _contest(slug)
    entrant = setup.get_entrant(s, contest, entrant_id)
    form = forms.ActionForm()
    back = url_for(".entrants_page", slug=slug)
    if not form.validate_on_submit():
        return _invalid(form, back)
    user = entrants.council_account(s, entrant)
    if user is None:
        flash(_("이 참가자에게는 아직 계정이 없습니다."), "error")
        return redirect(back, code=303)
    secret = current_app.config["SECRET_KEY"]
    return _run(lambda s: entrants.reissue_invitation(s, user, secret, actor=_me()),
                _("새 초대 링크를 만들었습니다. 이전 링크와 비밀번호는 더 이상 쓸 수 없습니다."), back)


@bp.get("/c/<slug>/entrants/invitations")
def invitations(slug: str):
    """The councils' invitations to print or mail (links, logins, QR codes); a GET never issues one."""
    s = db.session()
    contest = _contest(slug)
    secret = current_app.config["SECRET_KEY"]
    only = query_id("entrant")
    cards = []
    for inv in entrants.invitations(s, contest, secret):
        if only is not None and inv.entrant.id != only:
            continue
        link = _link(inv.token) if inv.token else None
        mailto = None
        if link and inv.entrant.contact_email:
            mail = render_template("organizer/invitation_mail.txt", contest=contest, entrant=inv.entrant,
                                   link=link, login=inv.user.login)
            subject, _sep, body = mail.partition("\n\n")
            mailto = f"mailto:{quote(inv.entrant.contact_email)}?subject={quote(subject)}&body={quote(body)}"
        cards.append({"entrant": inv.entrant, "login": inv.user.login, "link": link, "mailto": mailto,
                      "qr": qr_svg(link, _("%(name)s 첫 로그인 QR 코드", name=inv.entrant.name)) if link else None})
    return render_template("organizer/invitations.html", cards=cards,
                           **_nav(contest, "entrants"))
