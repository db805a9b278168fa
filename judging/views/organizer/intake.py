"""The intake tab: the submission deadline, entries received (accept, return with a reason), their
attachments, and which entries each round judges."""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_babel import gettext as _

from judging import db, forms, labels
from judging.formatting import byte_size
from judging.services import intake, setup, uploads
from judging.views.common import send_attachment
from judging.views.organizer import bp
from judging.views.organizer._shared import _contest, _invalid, _me, _nav, _run, _to_local, _to_utc


@bp.get("/c/<slug>/intake")
def intake_page(slug: str):
    """Entries received with their attachments, the deadline, and each round's entries."""
    s = db.session()
    contest = _contest(slug)
    deadline_form = forms.DeadlineForm(formdata=None, deadline=_to_local(contest.submission_deadline))
    entries = intake.entries_by_receipt(s, contest)
    rows = [{"entry": e, "name": e.entrant.name, "attachments": [
                {"a": a, "size": byte_size(a.size), "kind": labels.file_kind(a.kind)} for a in e.attachments],
             "can_accept": e.status == "submitted" or (e.status == "returned" and e.submitted_at is not None),
             "can_return": e.status in ("submitted", "accepted"),
             "return_form": forms.ReturnEntryForm(prefix=f"ret{e.id}", formdata=None)}
            for e in entries]
    accepted = [e for e in entries if e.status == "accepted"]
    round_blocks = []
    for rnd in contest.rounds:
        form = forms.FinalistsForm(prefix=f"fin{rnd.id}", formdata=None)
        form.entries.choices = [(e.id, f"{e.receipt_number or '-'} {e.entrant.name}") for e in accepted]
        current = [re.entry_id for re in rnd.round_entries]
        form.entries.data = current
        round_blocks.append({"round": rnd, "form": form, "count": len(current),
                             "names": [re.entry.entrant.name for re in rnd.round_entries]})
    advance_form = None
    screening = [r for r in contest.rounds if r.advance is not None]
    if screening:
        advance_form = forms.AdvanceTopForm(formdata=None)
        advance_form.source.choices = [(r.id, r.title) for r in screening]
        advance_form.target.choices = [(r.id, r.title) for r in contest.rounds if r.position > screening[0].position]
        advance_form.count.data = screening[0].advance
    counts = {status: sum(1 for e in entries if e.status == status)
              for status in ("draft", "submitted", "accepted", "returned")}
    return render_template("organizer/intake.html", deadline_form=deadline_form, rows=rows,
                           round_blocks=round_blocks, advance_form=advance_form, counts=counts,
                           deadline=contest.submission_deadline, action_form=forms.ActionForm(),
                           **_nav(contest, "intake"))


@bp.post("/c/<slug>/intake/deadline")
def save_deadline(slug: str):
    """Save the submission deadline (typed in Korea time); a bad date is refused."""
    contest = _contest(slug)
    form = forms.DeadlineForm()
    back = url_for(".intake_page", slug=slug)
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: intake.set_deadline(s, contest, _to_utc(form.deadline.data), actor=_me()),
                _("접수 마감 일시를 저장했습니다."), back)


@bp.get("/c/<slug>/entries/<int:entry_id>")
def entry_detail(slug: str, entry_id: int):
    """One entry as submitted, with its files and the accept and return buttons."""
    s = db.session()
    contest = _contest(slug)
    entry = setup.get_entry(s, contest, entry_id)
    files = [{"a": a, "size": byte_size(a.size)} for a in entry.attachments]
    return render_template("organizer/entry.html", entry=entry, files=files,
                           return_form=forms.ReturnEntryForm(prefix=f"ret{entry.id}", formdata=None),
                           action_form=forms.ActionForm(),
                           can_accept=entry.status == "submitted" or (entry.status == "returned"
                                                                      and entry.submitted_at is not None),
                           can_return=entry.status in ("submitted", "accepted"), **_nav(contest, "intake"))


def _entry_back(slug: str, entry_id: int) -> str:
    return forms.BackForm().page(url_for(".intake_page", slug=slug))


@bp.post("/c/<slug>/entries/<int:entry_id>/accept")
def accept_entry(slug: str, entry_id: int):
    """Accept a submitted entry; refused when its state forbids it."""
    s = db.session()
    contest = _contest(slug)
    entry = setup.get_entry(s, contest, entry_id)
    form = forms.ActionForm()
    back = _entry_back(slug, entry_id)
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: intake.accept_entry(s, entry, actor=_me()),
                _("'%(name)s'을(를) 접수 확인했습니다.", name=entry.entrant.name), back)


@bp.post("/c/<slug>/entries/<int:entry_id>/return")
def return_entry(slug: str, entry_id: int):
    """Return an entry to its council with a reason; refused without a reason or in the wrong state."""
    s = db.session()
    contest = _contest(slug)
    entry = setup.get_entry(s, contest, entry_id)
    form = forms.ReturnEntryForm(prefix=f"ret{entry.id}")
    back = _entry_back(slug, entry_id)
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: intake.return_entry(s, entry, form.reason.data, actor=_me()),
                _("'%(name)s'을(를) 반려했습니다. 협의체에 사유가 보입니다.", name=entry.entrant.name), back)


@bp.get("/c/<slug>/attachments/<int:attachment_id>")
def download_attachment(slug: str, attachment_id: int):
    """Download an entry's attachment; another contest's file or a missing file is 404."""
    s = db.session()
    contest = _contest(slug)
    attachment = uploads.get_attachment(s, _me(), attachment_id)
    if attachment.entry.contest_id != contest.id:
        abort(404)
    return send_attachment(attachment)


@bp.post("/c/<slug>/rounds/<int:round_id>/entries")
def save_round_entries(slug: str, round_id: int):
    """Save which accepted entries a round judges; refused when the round's state forbids it."""
    s = db.session()
    contest = _contest(slug)
    rnd = setup.get_round(s, contest, round_id)
    form = forms.FinalistsForm(prefix=f"fin{rnd.id}")
    form.entries.choices = [(e.id, str(e.id)) for e in contest.entries]
    back = url_for(".intake_page", slug=slug) + f"#round-{rnd.id}"
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: len(intake.set_round_entries(s, rnd, form.entries.data or [], actor=_me())),
                _("'%(title)s' 심사 대상을 저장했습니다", title=rnd.title) + " ({result})", back)


@bp.post("/c/<slug>/rounds/advance")
def advance_top(slug: str):
    """Put the top N of a screening round into a later round; refused when the ranking cannot say who."""
    s = db.session()
    contest = _contest(slug)
    form = forms.AdvanceTopForm()
    form.source.choices = [(r.id, r.title) for r in contest.rounds]
    form.target.choices = [(r.id, r.title) for r in contest.rounds]
    back = url_for(".intake_page", slug=slug) + "#finalists"
    if not form.validate_on_submit():
        return _invalid(form, back)
    source = setup.get_round(s, contest, form.source.data)
    target = setup.get_round(s, contest, form.target.data)
    return _run(lambda s: len(intake.advance_top(s, source, target, form.count.data, actor=_me()).advanced),
                _("상위 {result}곳을 다음 라운드 심사 대상으로 정했습니다."), back)
