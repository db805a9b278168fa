"""Objections (이의신청) after publication: the list, an answer (accept or reject), awards revoked, and the
objection's attachments."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from judging import db, forms
from judging.messages import N_
from judging.models import Contest, Entry
from judging.security import client_address
from judging.services import objections, published
from judging.services.errors import NotFound
from judging.views.common import send_attachment
from judging.views.organizer import bp
from judging.views.organizer._shared import _contest, _invalid, _me, _nav, _run


def _award_choices(contest: Contest) -> list[SelectChoice]:
    s = db.session()
    result = published.load(s, contest, public=False)
    if result is None:
        return []
    revoked = objections.revoked_keys(s, contest)
    return [SelectChoice(f"{a.entry.entry_id}:{a.key}", f"{a.award_name or a.title} — {a.entry.name}")
            for a in result.awards if a.entry.entry_id is not None and (a.entry.entry_id, a.key) not in revoked]


@bp.get("/c/<slug>/objections")
def objections_page(slug: str):
    """The objections filed against the published results, revoked awards, and the finality date."""
    s = db.session()
    contest = _contest(slug)
    items = objections.for_contest(s, contest)
    rows = [{"objection": o, "entrant": o.entry.entrant.name,
             "form": forms.ObjectionAnswerForm(formdata=None, prefix=f"o{o.id}")} for o in items]
    revoke_form = forms.RevokeAwardForm(formdata=None)
    revoke_form.award.choices = _award_choices(contest)
    entries = {e.id: e.entrant.name for e in contest.entries}
    revoked = [{"revocation": r, "entrant": entries.get(r.entry_id, "")} for r in objections.revocations(s, contest)]
    return render_template("organizer/objections.html", rows=rows, revoke_form=revoke_form, revoked=revoked,
                           finality=objections.finality(s, contest), **_nav(contest, "results"))


@bp.post("/c/<slug>/objections/<int:objection_id>/answer")
def objection_answer(slug: str, objection_id: int):
    """Answer an objection (managers only): accepting unlocks the results, rejecting answers the council."""
    contest = _contest(slug)
    form = forms.ObjectionAnswerForm(prefix=f"o{objection_id}")
    back = url_for("organizer.objections_page", slug=slug)
    if not form.validate_on_submit():
        return _invalid(form, back)
    if form.decision.data == "accept":
        return _run(lambda s: objections.accept(s, contest, objection_id, form.answer.data, actor=_me(),
                                                address=client_address()),
                    _("이의신청을 인용했습니다. 확정을 풀었으니 고친 뒤 다시 확정하고 새 판으로 공개해 주세요."), back)
    return _run(lambda s: objections.reject(s, contest, objection_id, form.answer.data, actor=_me(),
                                            address=client_address()),
                _("이의신청을 기각했습니다. 협의체에 답변이 보입니다."), back)


@bp.post("/c/<slug>/awards/revoke")
def award_revoke(slug: str):
    """Revoke a published award with a reason (managers only); its certificates are revoked too."""
    contest = _contest(slug)
    form = forms.RevokeAwardForm()
    form.award.choices = _award_choices(contest)
    back = url_for("organizer.objections_page", slug=slug) + "#revoke"
    if not form.validate_on_submit():
        return _invalid(form, back)
    entry_id, award_key = form.award.data.split(":", 1)

    def revoke(session):  # noqa: ANN001, ANN202
        entry = session.get(Entry, int(entry_id))
        if entry is None or entry.contest_id != contest.id:
            raise NotFound(N_("참가작을 찾을 수 없습니다."))
        return objections.revoke_award(session, contest, entry, award_key, form.reason.data, actor=_me(),
                                       address=client_address())

    return _run(revoke, _("수상을 취소했습니다. 발급된 상장도 함께 폐기되었습니다."), back)


@bp.get("/c/<slug>/objections/attachments/<int:attachment_id>")
def objection_attachment(slug: str, attachment_id: int):
    """Download an objection's attachment; one from another contest is 404."""
    _contest(slug)
    return send_attachment(objections.attachment_for(db.session(), _me(), attachment_id))
