"""A contest's dashboard: the life-cycle steps, what blocks the next one, and the status changes
(open intake, start judging, lock, unlock)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from judging import db, forms, labels
from judging.services import assignments, intake, lifecycle, setup
from judging.views.organizer import bp
from judging.views.organizer._shared import _contest, _invalid, _me, _nav, _round_label, _run

STEP_LABELS = [("draft", _l("준비")), ("open", _l("접수")), ("judging", _l("심사")), ("locked", _l("점수 확정")),
               ("published", _l("결과 공개"))]
STATUS_DONE = {"open": _l("접수를 시작했습니다. 협의체가 참가작을 제출할 수 있습니다."),
               "start_judging": _l("심사를 시작했습니다. 심사 당일 화면에서 라운드를 여세요."),
               "lock": _l("점수를 확정했습니다. 결과 화면에서 동점을 정리하고 공개하세요.")}
# The transitions a status form may ask for; publishing has its own confirmation page.
STATUS_TRANSITIONS = {"open": lifecycle.open_intake, "start_judging": lifecycle.start_judging,
                      "lock": lifecycle.lock}
# A form may also name the state it asks for (older pages did): the state's transition.
STATE_ACTIONS = {"judging": "start_judging", "locked": "lock", "published": "publish"}


@bp.get("/c/<slug>/")
def dashboard(slug: str):
    """The contest's life-cycle steps, what blocks the next step, the counts and the rounds."""
    s = db.session()
    contest = _contest(slug)
    order = [k for k, _label in STEP_LABELS]
    current = order.index(contest.status)
    steps = [{"key": k, "label": label, "state": "done" if i < current else "current" if i == current else "todo"}
             for i, (k, label) in enumerate(STEP_LABELS)]
    action = lifecycle.NEXT_ACTION.get(contest.status)
    check = lifecycle.check(s, contest, action) if action and action != "publish" else None
    # Before judging starts the readiness check is always on show, so set-up problems surface early.
    ready = lifecycle.check(s, contest, "start_judging") if contest.status == "draft" else None
    counts = intake.status_counts(s, contest)
    judges = assignments.contest_judges(s, contest)
    stats = [
        (_("참가자"), len(contest.entrants)),
        (_("제출"), counts.get("submitted", 0) + counts.get("accepted", 0)),
        (_("접수 확인 완료"), counts.get("accepted", 0)),
        (_("반려"), counts.get("returned", 0)),
        (_("심사위원"), len(judges)),
    ]
    rounds = [{"round": r, "entries": setup.round_entry_count(s, r), "label": _round_label(r.status)}
              for r in contest.rounds]
    status_form = forms.StatusForm(target=action) if action else None
    skip_form = forms.StatusForm(target="start_judging", formdata=None) if contest.status == "draft" else None
    return render_template("organizer/dashboard.html", steps=steps, target=action,
                           target_label=_(labels.LIFECYCLE_ACTIONS[action]) if action else None, check=check,
                           ready=ready, stats=stats,
                           rounds=rounds, status_form=status_form, skip_form=skip_form,
                           unlock_form=forms.UnlockForm(), **_nav(contest, "dashboard"))


@bp.post("/c/<slug>/status")
def change_status(slug: str):
    """Take the next life-cycle step (open intake, start judging, lock); refused while its check fails."""
    contest = _contest(slug)
    form = forms.StatusForm()
    back = forms.BackForm().page(url_for(".dashboard", slug=slug))
    if not form.validate_on_submit():
        return _invalid(form, back)
    action = STATE_ACTIONS.get(form.target.data, form.target.data)
    if action == "publish":
        return redirect(url_for(".publish_confirm", slug=slug), code=303)
    transition = STATUS_TRANSITIONS.get(action)
    if transition is None:
        flash(_("알 수 없는 단계입니다."), "error")
        return redirect(back, code=303)
    return _run(lambda s: transition(s, contest, confirm=bool(form.confirm.data), actor=_me()),
                str(STATUS_DONE[action]), back)


@bp.post("/c/<slug>/unlock")
def unlock(slug: str):
    """Unlock locked scores with a reason (managers only) so they can be corrected and published again."""
    contest = _contest(slug)
    form = forms.UnlockForm()
    back = url_for(".dashboard", slug=slug)
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: lifecycle.unlock(s, contest, form.reason.data, actor=_me()),
                _("확정을 풀었습니다. 고친 뒤 다시 확정하고 새 판으로 공개하세요."), back)
