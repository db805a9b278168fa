"""The audit log: events filtered by contest, action, actor and date, told as sentences, with the hash
chain's verdict."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_babel import pgettext

from judging import db, forms, labels
from judging.services import audit_chain, audit_story, auditlog, setup
from judging.views.common import query_id
from judging.views.organizer import bp
from judging.views.organizer._shared import _form_errors, _me, _nav


@bp.get("/audit")
def audit_page():
    """The organization's audit log, filtered and paged, told as sentences, with the hash chain's verdict."""
    s = db.session()
    slug = request.args.get("contest", "")
    org_id = _me().organization_id
    contest = setup.get_contest(s, slug, org_id) if slug else None
    form = forms.AuditFilterForm(request.args)
    form.action.choices = [("", _("모든 동작"))] + [(a, _(labels.audit_action(a))) for a in
                                                  auditlog.actions(s, contest.id if contest else None, org_id)]
    if request.args and not form.validate():
        flash(_form_errors(form), "error")
    flt = auditlog.AuditFilter(
        organization_id=org_id,
        contest_id=contest.id if contest else None,
        action=form.action.data or "" if not form.action.errors else "",
        actor=(form.actor.data or "").strip() if not form.actor.errors else "",
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None,
        page=min(query_id("page") or 1, 1_000_000),
    )
    page = auditlog.query(s, flt)
    contests = {c.id: c for c in setup.list_contests(s, org_id)}
    chain = audit_chain.verify(s, contest)
    rows = [{"event": st.event, "label": _(st.action), "story": st,
             "contest": contests[st.event.contest_id].slug if st.event.contest_id in contests else "",
             "actor": _told(st.actor), "sentence": _told(audit_story.Part(st.sentence, st.params, translate=True)),
             "changes": [(_told(c.field), _told(c.before), _told(c.after)) for c in st.changes]}
            for st in audit_story.tell(s, page.events)]
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("organizer/audit.html", form=form, page=page, rows=rows, args=args, chain=chain,
                           chain_problems=[audit_chain.describe(p, _) for p in chain.problems],
                           **_nav(contest, "audit"))


def _told(part) -> str:  # noqa: ANN001
    """An audit story's text in the reader's language (names and values stay as recorded)."""
    if part.message is not None:
        return part.message.render(_)
    if part.translate and part.text:
        text = pgettext(part.context, part.text) if part.context else _(part.text)
    else:
        text = part.text
    if part.params:
        text = text % {key: _told(value) for key, value in part.params.items()}
    return text
