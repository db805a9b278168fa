"""The assignments tab: which judge scores which entry in a round (a matrix, a balanced plan, or
everyone)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from judging import db, forms
from judging.services import assignments, setup
from judging.views.common import query_id
from judging.views.organizer import bp
from judging.views.organizer._shared import _contest, _invalid, _me, _nav, _run, short_name


@bp.get("/c/<slug>/assignments")
def assignments_page(slug: str):
    """A round's judge-by-entry matrix of who scores what (redirects to set-up without rounds)."""
    s = db.session()
    contest = _contest(slug)
    if not contest.rounds:
        flash(_("라운드가 없습니다. 설정에서 라운드를 먼저 만들어 주세요."), "info")
        return redirect(url_for(".setup_page", slug=slug))
    round_id = query_id("round") or contest.rounds[0].id
    rnd = setup.get_round(s, contest, round_id)
    judges = assignments.contest_judges(s, contest)
    entries = assignments.round_entries(s, rnd)
    conflicts = assignments.conflict_pairs(s, contest)
    assigned = assignments.assignment_pairs(s, rnd)
    expected = assignments.expected_pairs(s, rnd)
    matrix = []
    for j in judges:
        cells = []
        for e in entries:
            pair = (j.id, e.id)
            cells.append({"entry": e, "conflict": pair in conflicts,
                          "checked": pair not in conflicts and (not assigned or pair in assigned)})
        matrix.append({"judge": j, "cells": cells, "load": len(expected.get(j.id, []))})
    per_entry = {e.id: sum(1 for j in judges if e.id in expected.get(j.id, [])) for e in entries}
    return render_template("organizer/assignments.html", rnd=rnd, matrix=matrix, entries=entries,
                           per_entry=per_entry, everyone=not assigned, short=short_name,
                           balanced_form=forms.BalancedAssignmentForm(formdata=None, per_entry=min(3, len(judges) or 1)),
                           action_form=forms.ActionForm(), **_nav(contest, "judges"))


@bp.post("/c/<slug>/assignments/<int:round_id>/balanced")
def balanced_assignment(slug: str, round_id: int):
    """Assign each entry to N judges, balancing the load and avoiding conflicts; refused when N is impossible."""
    s = db.session()
    contest = _contest(slug)
    rnd = setup.get_round(s, contest, round_id)
    form = forms.BalancedAssignmentForm()
    back = url_for(".assignments_page", slug=slug, round=rnd.id)
    if not form.validate_on_submit():
        return _invalid(form, back)

    def act(s):  # noqa: ANN001, ANN202
        plan = assignments.balanced_assign(s, rnd, form.per_entry.data, actor=_me())
        loads = sorted(plan.loads.values())
        return f"{loads[0]}~{loads[-1]}" if loads else "0"

    return _run(act, _("자동 균형 배정을 마쳤습니다. 심사위원별 {result}건입니다. 필요하면 칸을 고쳐 저장하세요."), back)


@bp.post("/c/<slug>/assignments/<int:round_id>/clear")
def clear_assignment(slug: str, round_id: int):
    """Clear a round's assignments so every judge scores every entry."""
    s = db.session()
    contest = _contest(slug)
    rnd = setup.get_round(s, contest, round_id)
    form = forms.ActionForm()
    back = url_for(".assignments_page", slug=slug, round=rnd.id)
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: assignments.clear_assignments(s, rnd, actor=_me()),
                _("배정을 지웠습니다. 모든 심사위원이 모든 참가작을 채점합니다."), back)


@bp.post("/c/<slug>/assignments/<int:round_id>")
def save_assignment(slug: str, round_id: int):
    """Save the matrix as ticked; a malformed cell is 400, a pair the service refuses is flashed."""
    s = db.session()
    contest = _contest(slug)
    rnd = setup.get_round(s, contest, round_id)
    form = forms.AssignmentMatrixForm()
    back = url_for(".assignments_page", slug=slug, round=rnd.id)
    if not form.validate_on_submit():
        if form.pair.errors:  # a malformed cell: the page was tampered with or is stale
            abort(400, description=str(form.pair.errors[0]))
        return _invalid(form, back)
    wanted = form.pairs()
    return _run(lambda s: assignments.replace_assignments(s, rnd, wanted, actor=_me()),
                _("배정을 저장했습니다."), back)
