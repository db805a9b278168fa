"""The judges tab: judges registered, their sign-in cards (links, codes, QR), and conflicts of interest."""

from __future__ import annotations

from flask import abort, current_app, render_template, url_for
from flask_babel import gettext as _

from judging import db, forms
from judging.models import Conflict
from judging.services import assignments, auth, setup
from judging.views.common import query_id
from judging.views.organizer import bp
from judging.views.organizer._shared import _contest, _invalid, _link, _me, _nav, _run, qr_svg


@bp.get("/c/<slug>/judges")
def judges_page(slug: str):
    """The judges with their conflicts of interest, and the forms to add judges and conflicts."""
    s = db.session()
    contest = _contest(slug)
    judges = assignments.contest_judges(s, contest, active_only=False)
    entries = {e.id: e for e in contest.entries}
    conflicts = assignments.contest_conflicts(s, contest)
    judge_names = {j.id: j.name for j in judges}
    conflict_rows = [{"conflict": c, "judge": judge_names.get(c.judge_id, "?"),
                      "entry": entries[c.entry_id].entrant.name if c.entry_id in entries else "?",
                      "source": {"judge": _("심사위원 신고"), "organizer": _("담당자 기록"),
                                 "file": _("공모전 파일")}.get(c.source, c.source)} for c in conflicts]
    conflict_form = forms.ConflictForm(formdata=None)
    conflict_form.judge.choices = [(j.id, f"{j.name} ({j.judge_key})") for j in judges]
    conflict_form.entry.choices = [(e.id, e.entrant.name) for e in contest.entries]
    rows = [{"judge": j, "conflicts": sum(1 for c in conflicts if c.judge_id == j.id)} for j in judges]
    return render_template("organizer/judges.html", rows=rows, judge_form=forms.JudgeForm(),
                           conflict_form=conflict_form, conflict_rows=conflict_rows, action_form=forms.ActionForm(),
                           **_nav(contest, "judges"))


@bp.post("/c/<slug>/judges")
def create_judge(slug: str):
    """Register a judge; a bad form or a key in use is refused."""
    contest = _contest(slug)
    form = forms.JudgeForm()
    back = url_for(".judges_page", slug=slug)
    if not form.validate_on_submit():
        return _invalid(form, back)
    secret = current_app.config["SECRET_KEY"]
    return _run(lambda s: assignments.create_judge(
        s, contest, secret, name=form.name.data, key=form.key.data or "", affiliation=form.affiliation.data or "",
        email=form.email.data or "", actor=_me()).name,
        _("{result} 심사위원을 등록했습니다. 안내 카드를 인쇄해 주세요."), back)


@bp.post("/c/<slug>/judges/<int:judge_id>/reissue")
def reissue_judge(slug: str, judge_id: int):
    """Revoke a judge's link and code and issue new ones; old cards stop working."""
    s = db.session()
    contest = _contest(slug)
    judge = setup.get_judge(s, contest, judge_id)
    form = forms.ActionForm()
    back = url_for(".judges_page", slug=slug)
    if not form.validate_on_submit():
        return _invalid(form, back)
    secret = current_app.config["SECRET_KEY"]
    return _run(lambda s: auth.revoke_credentials(s, secret, judge, actor=_me()),
                _("%(name)s 심사위원의 링크·코드를 회수하고 새로 발급했습니다. 새 카드를 인쇄해 주세요.", name=judge.name),
                back)


@bp.get("/c/<slug>/judges/cards")
def judge_cards(slug: str):
    """The judges' sign-in cards to print (link, code, QR); a GET never issues credentials."""
    s = db.session()
    contest = _contest(slug)
    secret = current_app.config["SECRET_KEY"]
    only = query_id("judge")
    cards, waiting = [], []
    for judge in assignments.contest_judges(s, contest):
        if only is not None and judge.id != only:
            continue
        if judge.link_digest is None:
            waiting.append(judge)  # issued by the POST below: a GET never writes
            continue
        token, code = auth.link_token(secret, judge), auth.sign_in_code(secret, judge)
        link = _link(token)
        cards.append({"judge": judge, "code": code, "link": link,
                      "qr": qr_svg(link, _("%(name)s 심사위원 로그인 QR 코드", name=judge.name))})
    sign_in = url_for("auth.sign_in", _external=True)
    return render_template("organizer/judge_cards.html", cards=cards, waiting=waiting, sign_in=sign_in,
                           issue_form=forms.ActionForm(), **_nav(contest, "judges"))


@bp.post("/c/<slug>/judges/cards")
def issue_judge_cards(slug: str):
    """Issue sign-in credentials to the judges who have none yet."""
    contest = _contest(slug)
    form = forms.ActionForm()
    back = url_for(".judge_cards", slug=slug)
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: assignments.issue_missing_credentials(s, contest, current_app.config["SECRET_KEY"],
                                                                actor=_me()),
                _("심사위원 카드를 발급했습니다. 인쇄해 주세요."), back)


@bp.post("/c/<slug>/conflicts")
def add_conflict(slug: str):
    """Record a conflict of interest: that judge neither sees nor scores that entry."""
    s = db.session()
    contest = _contest(slug)
    form = forms.ConflictForm()
    form.judge.choices = [(j.id, j.name) for j in assignments.contest_judges(s, contest, active_only=False)]
    form.entry.choices = [(e.id, e.entrant.name) for e in contest.entries]
    back = url_for(".judges_page", slug=slug) + "#conflicts"
    if not form.validate_on_submit():
        return _invalid(form, back)
    judge = setup.get_judge(s, contest, form.judge.data)
    entry = setup.get_entry(s, contest, form.entry.data)
    return _run(lambda s: assignments.add_conflict(s, judge, entry, form.reason.data, actor=_me()),
                _("이해충돌을 기록했습니다. 이 심사위원은 해당 참가작을 보거나 채점할 수 없습니다."), back)


@bp.post("/c/<slug>/conflicts/<int:conflict_id>/delete")
def remove_conflict(slug: str, conflict_id: int):
    """Remove a recorded conflict of interest (managers only); another contest's is 404."""
    s = db.session()
    contest = _contest(slug)
    conflict = s.get(Conflict, conflict_id)
    back = url_for(".judges_page", slug=slug) + "#conflicts"
    if conflict is None or setup.get_entry(s, contest, conflict.entry_id) is None:
        abort(404)
    form = forms.ActionForm()
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: assignments.remove_conflict(s, conflict, actor=_me()), _("이해충돌 기록을 지웠습니다."),
                back)
