"""The set-up tab: the contest's details, rounds, criteria, award tiers, special awards, the tie-break
order, audience rounds and the effective-weight margin. A refused form comes back as typed, its error
beside the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from judging import db, forms
from judging.formatting import number
from judging.models import Contest, Round
from judging.scoring.rounding import plain
from judging.services import audience, rubric, setup
from judging.services.errors import DomainError
from judging.views.organizer import bp
from judging.views.organizer._shared import (
    _contest,
    _field_error,
    _form_errors,
    _invalid,
    _me,
    _nav,
    _round_label,
    _run,
)


def _round_form(rnd: Round) -> forms.RoundForm:
    form = forms.RoundForm(prefix=f"r{rnd.id}", formdata=None, obj=rnd)
    form.weight.data = number(rnd.weight)
    return form


def _criterion_form(crit) -> forms.CriterionForm:  # noqa: ANN001
    form = forms.CriterionForm(prefix=f"c{crit.id}", formdata=None, obj=crit)
    form.max_points.data = number(crit.max_points)
    form.weight.data = number(crit.weight)
    return form


def _tier_form(tier) -> forms.TierForm:  # noqa: ANN001
    form = forms.TierForm(prefix=f"t{tier.id}", formdata=None, obj=tier)
    form.threshold.data = number(tier.threshold)
    return form


@bp.get("/c/<slug>/setup")
def setup_page(slug: str):
    """The set-up page: contest details, rounds and criteria, tiers, special awards, tie-break, audience."""
    return _setup_page(_contest(slug))


def _choice_label(field: Any, value: str) -> Any:
    """The words a form's select shows for ``value`` (the form is the one home of those words)."""
    choices = field.kwargs["choices"] if hasattr(field, "kwargs") else field.choices
    return next((choice.label for choice in choices if choice.value == value), value)


def _method_label(rnd: Round) -> str:
    """How a round's scores are combined, as the set-up page lists it."""
    label = str(_choice_label(forms.RoundForm.aggregation, rnd.aggregation))
    if rnd.aggregation == "trimmed_mean":
        return _("%(method)s (위·아래 %(n)s개씩 제외)", method=label, n=rnd.trim)
    return label


def _tie_break_choices(contest: Contest) -> list[tuple[str, str]]:
    """Every step the tie-break cascade can use, with the words the page shows for it."""
    out: list[tuple[str, str]] = []
    for rnd in contest.rounds:
        out.append((f"round:{rnd.key}", _("'%(round)s' 라운드 점수", round=rnd.title)))
    for rnd in contest.rounds:
        for crit in rnd.criteria:
            out.append((f"criterion:{crit.key}",
                        _("'%(criterion)s' 기준 점수 (%(round)s)", criterion=crit.title, round=rnd.title)))
    out += [("untrimmed_mean", _("제외 없는 평균")), ("top_count", _("최고점을 준 심사위원 수")),
            ("decision", _("심사위원 협의 결정 (회의록)"))]
    return out


def _setup_page(contest: Contest, failed: forms.BaseForm | None = None, status: int = 200):
    """The set-up page. ``failed`` is a form the organizer sent that was refused: it is shown again as
    typed, in place, with each error beside its field (and a script brings it into view)."""
    s = db.session()
    frozen = setup.frozen_reason(s, contest)

    def pick(prefix: str, make):  # noqa: ANN001, ANN202
        if failed is not None and failed._prefix == (f"{prefix}-" if prefix else ""):
            return failed
        return make()

    edit = pick("", lambda: forms.ContestEditForm(formdata=None, obj=contest))
    rounds = []
    for rnd in contest.rounds:
        rounds.append({
            "round": rnd,
            "status_label": _round_label(rnd.status),
            "form": pick(f"r{rnd.id}", lambda rnd=rnd: _round_form(rnd)),
            "method": _method_label(rnd),
            "max_total": number(rubric.max_total(rnd.criteria)),
            "criteria": [{"criterion": c, "form": pick(f"c{c.id}", lambda c=c: _criterion_form(c)),
                          "scale": _choice_label(forms.CriterionForm.scale, c.scale),
                          "max": number(c.max_points), "weight": number(c.weight)} for c in rnd.criteria],
            "new_criterion": pick(f"nc{rnd.id}", lambda rnd=rnd: forms.CriterionForm(prefix=f"nc{rnd.id}",
                                                                                     formdata=None)),
        })
    tiers = [{"tier": t, "form": pick(f"t{t.id}", lambda t=t: _tier_form(t)),
              "rule": (_("%(n)s곳", n=t.count) if t.count is not None
                       else _("%(score)s점 이상", score=number(t.threshold)))}
             for t in contest.tiers]
    specials = [{"special": sp, "form": pick(f"s{sp.id}", lambda sp=sp: forms.SpecialAwardForm(
                     prefix=f"s{sp.id}", formdata=None, obj=sp))} for sp in contest.special_awards]
    choices = _tie_break_choices(contest)
    labels = dict(choices)
    tie_form = forms.tie_break_form(choices, list(contest.tie_break or []), formdata=None)
    return render_template(
        "organizer/setup.html", frozen=frozen, edit=edit, rounds=rounds, tiers=tiers,
        specials=specials, tie_form=tie_form, tie_steps=[labels.get(step, step) for step in contest.tie_break or []],
        new_round=pick("nr", lambda: forms.RoundForm(prefix="nr", formdata=None)),
        new_tier=pick("nt", lambda: forms.TierForm(prefix="nt", formdata=None)),
        new_special=pick("ns", lambda: forms.SpecialAwardForm(prefix="ns", formdata=None)),
        action_form=forms.ActionForm(),
        file_form=forms.ContestFileUploadForm(prefix="file"),
        **_audience_context(contest), **_nav(contest, "setup")), status


def _setup_run(contest: Contest, form: forms.BaseForm, action: Callable[[Any], Any], success: str, back: str):
    """A set-up form's POST: a refused form (its shape, or the service's rules) comes back as typed
    with the error beside its field; a saved one redirects back with ``success``."""
    if not form.validate_on_submit():
        return _setup_page(contest, form, 400)
    try:
        db.commit_retrying(action, keep_refused=False)
    except DomainError as error:
        _field_error(form, error)
        return _setup_page(contest, form, 400)
    flash(success, "success")
    return redirect(back, code=303)


def _setup_back(slug: str, anchor: str = "") -> str:
    return url_for(".setup_page", slug=slug) + (f"#{anchor}" if anchor else "")


@bp.post("/c/<slug>/setup/contest")
def save_contest(slug: str):
    """Save the contest's details; a refused form comes back as typed with the error beside its field."""
    contest = _contest(slug)
    form = forms.ContestEditForm()
    back = _setup_back(slug, "contest")
    return _setup_run(contest, form, lambda s: setup.update_contest(
        s, contest, actor=_me(), title=form.title.data, organizer=form.organizer.data, issuer=form.issuer.data,
        issuer_name=form.issuer_name.data or "", held_on=form.held_on.data, venue=form.venue.data or "",
        final_mode=form.final_mode.data, certificate_year=form.certificate_year.data,
        rank_precision=form.rank_precision.data or contest.rank_precision,
        public_scores=form.public_scores.data, review_notes=form.review_notes.data or ""),
        _("공모전 정보를 저장했습니다."), back)


@bp.post("/c/<slug>/setup/rounds")
def add_round(slug: str):
    """Add a round; refused once set-up is frozen (judging started), on a key in use or a wrong form."""
    contest = _contest(slug)
    form = forms.RoundForm(prefix="nr")
    back = _setup_back(slug, "rounds")
    return _setup_run(contest, form, lambda s: setup.add_round(
        s, contest, key=form.key.data, title=form.title.data, aggregation=form.aggregation.data,
        trim=form.trim.data or 0, weight=form.weight.data or "1", advance=form.advance.data, actor=_me()),
        _("라운드를 더했습니다."), back)


@bp.post("/c/<slug>/setup/rounds/<int:round_id>")
def save_round(slug: str, round_id: int):
    """Save a round's title, aggregation, weight and advance count; refused once frozen."""
    contest = _contest(slug)
    rnd = setup.get_round(db.session(), contest, round_id)
    form = forms.RoundForm(prefix=f"r{rnd.id}")
    form.key.data = rnd.key  # the key never changes
    back = _setup_back(slug, f"round-{rnd.id}")
    return _setup_run(contest, form, lambda s: setup.update_round(
        s, rnd, title=form.title.data, aggregation=form.aggregation.data, trim=form.trim.data or 0,
        weight=form.weight.data or "1", advance=form.advance.data, actor=_me()), _("라운드를 저장했습니다."), back)


@bp.post("/c/<slug>/setup/rounds/<int:round_id>/delete")
def delete_round(slug: str, round_id: int):
    """Delete a round (managers only); refused once set-up is frozen or while the tie-break uses it."""
    contest = _contest(slug)
    rnd = setup.get_round(db.session(), contest, round_id)
    return _run(lambda s: setup.delete_round(s, rnd, actor=_me()), _("라운드를 지웠습니다."),
                _setup_back(slug, "rounds"))


@bp.post("/c/<slug>/setup/rounds/<int:round_id>/criteria")
def add_criterion(slug: str, round_id: int):
    """Add a criterion to a round; refused once scoring has started or when the form is wrong."""
    contest = _contest(slug)
    rnd = setup.get_round(db.session(), contest, round_id)
    form = forms.CriterionForm(prefix=f"nc{rnd.id}")
    back = _setup_back(slug, f"round-{rnd.id}")
    return _setup_run(contest, form, lambda s: setup.add_criterion(
        s, rnd, key=form.key.data, title=form.title.data, max_points=form.max_points.data, scale=form.scale.data,
        weight=form.weight.data or "1", guidance=form.guidance.data or "", actor=_me()),
        _("심사 기준을 더했습니다."), back)


@bp.post("/c/<slug>/setup/criteria/<int:criterion_id>")
def save_criterion(slug: str, criterion_id: int):
    """Save a criterion's title, maximum, scale, weight and guidance; refused once frozen."""
    contest = _contest(slug)
    crit = setup.get_criterion(db.session(), contest, criterion_id)
    form = forms.CriterionForm(prefix=f"c{crit.id}")
    form.key.data = crit.key
    back = _setup_back(slug, f"round-{crit.round_id}")
    return _setup_run(contest, form, lambda s: setup.update_criterion(
        s, crit, title=form.title.data, max_points=form.max_points.data, scale=form.scale.data,
        weight=form.weight.data or "1", guidance=form.guidance.data or "", actor=_me()),
        _("심사 기준을 저장했습니다."), back)


@bp.post("/c/<slug>/setup/criteria/<int:criterion_id>/delete")
def delete_criterion(slug: str, criterion_id: int):
    """Delete a criterion (managers only); refused once set-up is frozen or while the tie-break uses it."""
    contest = _contest(slug)
    crit = setup.get_criterion(db.session(), contest, criterion_id)
    back = _setup_back(slug, f"round-{crit.round_id}")
    return _run(lambda s: setup.delete_criterion(s, crit, actor=_me()), _("심사 기준을 지웠습니다."), back)


@bp.post("/c/<slug>/setup/tiers")
def add_tier(slug: str):
    """Add an award tier (a count or a threshold); refused when the form is wrong or set-up is frozen."""
    contest = _contest(slug)
    form = forms.TierForm(prefix="nt")
    back = _setup_back(slug, "tiers")
    return _setup_run(contest, form, lambda s: setup.add_tier(
        s, contest, key=form.key.data, title=form.title.data, award_name=form.award_name.data or "",
        count=form.count.data, threshold=form.threshold.data, actor=_me()), _("상 등급을 더했습니다."), back)


@bp.post("/c/<slug>/setup/tiers/<int:tier_id>")
def save_tier(slug: str, tier_id: int):
    """Save an award tier; refused when the form is wrong or set-up is frozen."""
    contest = _contest(slug)
    tier = setup.get_tier(db.session(), contest, tier_id)
    form = forms.TierForm(prefix=f"t{tier.id}")
    form.key.data = tier.key
    back = _setup_back(slug, "tiers")
    return _setup_run(contest, form, lambda s: setup.update_tier(
        s, tier, title=form.title.data, award_name=form.award_name.data or "", count=form.count.data,
        threshold=form.threshold.data, actor=_me()), _("상 등급을 저장했습니다."), back)


@bp.post("/c/<slug>/setup/tiers/<int:tier_id>/delete")
def delete_tier(slug: str, tier_id: int):
    """Delete an award tier (managers only); refused once set-up is frozen or a decision names it."""
    contest = _contest(slug)
    tier = setup.get_tier(db.session(), contest, tier_id)
    return _run(lambda s: setup.delete_tier(s, tier, actor=_me()), _("상 등급을 지웠습니다."),
                _setup_back(slug, "tiers"))


@bp.post("/c/<slug>/setup/specials")
def add_special(slug: str):
    """Add a special award; refused when the form is wrong or set-up is frozen."""
    contest = _contest(slug)
    form = forms.SpecialAwardForm(prefix="ns")
    back = _setup_back(slug, "specials")
    return _setup_run(contest, form, lambda s: setup.add_special(s, contest, key=form.key.data, title=form.title.data,
                                            award_name=form.award_name.data or "", actor=_me()),
                _("특별상을 더했습니다."), back)


@bp.post("/c/<slug>/setup/specials/<int:special_id>")
def save_special(slug: str, special_id: int):
    """Save a special award's title and award name; refused when the form is wrong."""
    contest = _contest(slug)
    special = setup.get_special(db.session(), contest, special_id)
    form = forms.SpecialAwardForm(prefix=f"s{special.id}")
    form.key.data = special.key
    back = _setup_back(slug, "specials")
    return _setup_run(contest, form, lambda s: setup.update_special(s, special, title=form.title.data,
                                               award_name=form.award_name.data or "", actor=_me()),
                _("특별상을 저장했습니다."), back)


@bp.post("/c/<slug>/setup/specials/<int:special_id>/delete")
def delete_special(slug: str, special_id: int):
    """Delete a special award (managers only); refused while an entry holds it."""
    contest = _contest(slug)
    special = setup.get_special(db.session(), contest, special_id)
    return _run(lambda s: setup.delete_special(s, special, actor=_me()), _("특별상을 지웠습니다."),
                _setup_back(slug, "specials"))


@bp.post("/c/<slug>/setup/tie-break")
def save_tie_break(slug: str):
    """Save the tie-break order; a form with an unknown step is refused."""
    contest = _contest(slug)
    form = forms.tie_break_form(_tie_break_choices(contest), list(contest.tie_break or []))
    back = _setup_back(slug, "tie-break")
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: setup.set_tie_break(s, contest, form.steps(), actor=_me()),
                _("동점 처리 순서를 저장했습니다."), back)


def _audience_context(contest: Contest) -> dict:
    """What the set-up page shows of the audience panel."""
    return {
        "audience_rounds": [
            {"round": aud, "weight": plain(aud.weight), "max": plain(aud.max_points),
             "form": forms.AudienceRoundForm(prefix=f"a{aud.id}", formdata=None, key=aud.key, title=aud.title,
                                             weight=plain(aud.weight), max_points=plain(aud.max_points))}
            for aud in contest.audience_rounds
        ],
        "new_audience": forms.AudienceRoundForm(prefix="na", formdata=None),
        "margin_form": forms.WeightMarginForm(formdata=None, margin=plain(contest.weight_margin)),
    }


@bp.post("/c/<slug>/setup/audience")
def add_audience_round(slug: str):
    """Add an audience (현장평가단) round with its weight and maximum; refused when the form is wrong."""
    contest = _contest(slug)
    form = forms.AudienceRoundForm(prefix="na")
    if not form.validate_on_submit():
        flash(_form_errors(form), "error")
        return redirect(_setup_back(slug, "audience"), code=303)
    return _run(lambda s: audience.add_round(s, contest, key=form.key.data, title=form.title.data,
                                             weight=form.weight.data or "1", max_points=form.max_points.data or "100",
                                             actor=_me()),
                _("현장평가단 라운드를 더했습니다."), _setup_back(slug, "audience"))


@bp.post("/c/<slug>/setup/audience/<key>")
def save_audience_round(slug: str, key: str):
    """Save an audience round's title, weight and maximum; refused when the form or the round's state forbids it."""
    contest = _contest(slug)
    aud = audience.get_round(db.session(), contest, key)
    form = forms.AudienceRoundForm(prefix=f"a{aud.id}")
    form.key.data = aud.key  # the key never changes
    if not form.validate_on_submit():
        flash(_form_errors(form), "error")
        return redirect(_setup_back(slug, "audience"), code=303)
    return _run(lambda s: audience.update_round(s, aud, title=form.title.data, weight=form.weight.data or "1",
                                                max_points=form.max_points.data or "100", actor=_me()),
                _("현장평가단 라운드를 저장했습니다."), _setup_back(slug, "audience"))


@bp.post("/c/<slug>/setup/audience/<key>/delete")
def delete_audience_round(slug: str, key: str):
    """Delete an audience round (managers only); refused when its state forbids it."""
    contest = _contest(slug)
    return _run(lambda s: audience.delete_round(s, audience.get_round(s, contest, key), actor=_me()),
                _("현장평가단 라운드를 지웠습니다."), _setup_back(slug, "audience"))


@bp.post("/c/<slug>/setup/weight-margin")
def save_weight_margin(slug: str):
    """Save the allowed gap between announced and effective weights; a bad number is refused."""
    contest = _contest(slug)
    form = forms.WeightMarginForm()
    if not form.validate_on_submit():
        flash(_form_errors(form), "error")
        return redirect(_setup_back(slug, "audience"), code=303)
    return _run(lambda s: audience.set_weight_margin(s, contest, form.margin.data, actor=_me()),
                _("허용 차이를 저장했습니다."), _setup_back(slug, "audience"))
