"""The organizer's pages (a city's welfare policy team): contests, set-up, entrants and
invitations, intake, judges and assignments, the day's live progress board, results and the
audit log.

Each POST parses its form, calls one service, commits once and redirects back with a message; a
refused request (``DomainError``) is rolled back and its Korean reason flashed on the same page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from flask_login import current_user
from markupsafe import Markup, escape

from judging import charts, db, forms, scoring
from judging.inputs import bounded_id
from judging.models import Conflict, Contest, Round, User, utcnow
from judging.security import role_required
from judging.services import (
    assignments,
    audience,
    audit_chain,
    audit_story,
    auditlog,
    auth,
    contest_file,
    decisions,
    entrants,
    intake,
    lifecycle,
    organizations,
    progress,
    publishing,
    results,
    rubric,
    setup,
    snapshots,
    uploads,
)
from judging.services import charts as service_charts
from judging.services.errors import DomainError
from judging.views import chart_text
from judging.views.common import error_text, message_text, query_id, send_attachment

bp = Blueprint("organizer", __name__, url_prefix="/organizer")
LOCAL_ZONE = ZoneInfo("Asia/Seoul")
# The board polls this often (seconds). Polling, not server-sent events: behind gunicorn's sync
# workers an open event stream holds a whole worker per watching browser; a short JSON poll does not,
# survives proxies and flaky venue Wi-Fi, and needs nothing but a timer.
POLL_SECONDS = 3


# What staff may not do: publish, unlock, delete, decide ties and special awards, certificates and
# the seal (organizations.LEVELS). Observers may only read, and not the pages that show sign-in
# links and codes (those let one act as a judge or a council).
MANAGER_ONLY = frozenset({
    "unlock", "publish", "decide_tier", "decide_advance", "decide_order", "designate_special",
    "withdraw_decision", "delete_round", "delete_criterion", "delete_tier", "delete_special",
    "remove_conflict", "certificates_allocate", "certificate_revoke", "seal_upload", "seal_clear",
    "approval_settings", "approval_approve", "approval_refuse", "objection_answer", "award_revoke",
    "delete_audience_round",
})
CREDENTIAL_PAGES = frozenset({"judge_cards", "invitations"})


def required_level(endpoint: str, method: str) -> str:
    """The organization role level (read, work, manage) an organizer endpoint needs."""
    name = endpoint.rsplit(".", 1)[-1]
    if name in MANAGER_ONLY:
        return "manage"
    if method not in ("GET", "HEAD") or name in CREDENTIAL_PAGES:
        return "work"
    return "read"


@bp.before_request
@role_required("organizer")
def _guard() -> None:
    # Every route naming a contest: another organization's contest is 404 before the view runs.
    slug = (request.view_args or {}).get("slug")
    if slug is not None:
        _contest(slug)
    organizations.require(_me(), required_level(request.endpoint or "", request.method))


# ---------------------------------------------------------------------------------------------
# Helpers


def _me() -> User:
    """The signed-in organizer as a plain model object (services may check its type)."""
    return current_user._get_current_object()  # type: ignore[attr-defined]


def _contest(slug: str) -> Contest:
    """The contest ``slug`` of the signed-in organizer's organization (any other answers 404)."""
    return setup.get_contest(db.session(), slug, _me().organization_id)


def _run(action: Callable[[Any], Any], success: str | None, back: str) -> Response:
    """Run one service call in the request's transaction: commit and flash ``success``, or roll back
    and flash the refusal. Always redirect to ``back`` (303: see other)."""
    try:
        # The one unit of work: all or nothing, rerun on SQLite's "database is locked".
        result = db.commit_retrying(action, keep_refused=False)
    except DomainError as error:
        flash(error_text(error), "error")
        return redirect(back, code=303)
    if success:
        flash(success.format(result=result) if "{result" in success else success, "success")
    return redirect(back, code=303)


def _form_errors(form: forms.BaseForm) -> str:
    messages = []
    for name, errors in form.errors.items():
        label = getattr(getattr(form, name, None), "label", None)
        prefix = f"{label.text}: " if label is not None and name != "csrf_token" else ""
        messages.append(prefix + " ".join(str(e) for e in errors))
    return " ".join(messages) or _("입력 내용을 확인해 주세요.")


def _invalid(form: forms.BaseForm, back: str) -> Response:
    flash(_form_errors(form), "error")
    return redirect(back, code=303)


def _to_utc(local: dt.datetime | None) -> dt.datetime | None:
    """A datetime typed in Korea time → naive UTC as stored."""
    if local is None:
        return None
    return local.replace(tzinfo=LOCAL_ZONE).astimezone(dt.UTC).replace(tzinfo=None)


def _to_local(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC).astimezone(LOCAL_ZONE).replace(tzinfo=None)


def qr_svg(text: str, label: str) -> Markup:
    """A QR code as inline SVG (reportlab's QR encoder; one path, crisp at any print size)."""
    from reportlab.graphics.barcode import qrencoder

    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(text)
    qr.make()
    count = qr.getModuleCount()
    quiet = 4
    size = count + 2 * quiet
    parts = []
    for r in range(count):
        c = 0
        while c < count:
            if qr.isDark(r, c):
                start = c
                while c < count and qr.isDark(r, c):
                    c += 1
                parts.append(f"M{start + quiet} {r + quiet}h{c - start}v1h-{c - start}z")
            else:
                c += 1
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" class="qr" role="img" '
        f'aria-label="{escape(label)}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" '
        f'fill="#fff"/><path d="{"".join(parts)}" fill="#000"/></svg>'
    )


def _link(token: str) -> str:
    return url_for("auth.sign_in_link", token=token, _external=True)


def _nav(contest: Contest | None, active: str) -> dict:
    # The documents pages (certificates, reports) live in organizer_documents on this blueprint.
    return {"contest": contest, "active": active,
            "has_documents": "organizer.documents" in current_app.view_functions}


# ---------------------------------------------------------------------------------------------
# Contest list, create, contest file


@bp.get("/")
def home():
    s = db.session()
    contests = setup.list_contests(s, _me().organization_id)
    return render_template("organizer/home.html", contests=contests, form=forms.ContestCreateForm(),
                           file_form=forms.ContestFileUploadForm(prefix="file"), **_nav(None, "home"))


@bp.post("/contests")
def create_contest():
    form = forms.ContestCreateForm()
    if not form.validate_on_submit():
        return _invalid(form, url_for(".home"))
    s = db.session()
    try:
        contest = db.commit_retrying(lambda s: setup.create_contest(
            s, slug=form.slug.data, title=form.title.data, organizer=form.organizer.data, issuer=form.issuer.data,
            issuer_name=form.issuer_name.data or "", held_on=form.held_on.data, venue=form.venue.data or "",
            actor=_me(), organization=_me().organization), keep_refused=False)
    except DomainError as error:
        s.rollback()
        flash(error_text(error), "error")
        return redirect(url_for(".home"), code=303)
    flash(_("공모전을 만들었습니다. 라운드와 심사 기준을 정해 주세요."), "success")
    return redirect(url_for(".setup_page", slug=contest.slug), code=303)


def _load_contest_file(back: str, slug: str | None = None) -> Response:
    form = forms.ContestFileUploadForm(prefix="file")
    if not form.validate_on_submit():
        return _invalid(form, back)
    raw = form.file.data.read(2 * 1024 * 1024 + 1)
    if len(raw) > 2 * 1024 * 1024:
        flash(_("공모전 파일이 너무 큽니다 (2 MB 이하)."), "error")
        return redirect(back, code=303)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        flash(_("공모전 파일은 UTF-8 텍스트(TOML)여야 합니다."), "error")
        return redirect(back, code=303)
    s = db.session()
    try:
        if slug is not None:
            parsed = contest_file.parse(text)
            if parsed.contest["slug"] != slug:
                raise DomainError(f"파일의 slug '{parsed.contest['slug']}'가 이 공모전('{slug}')과 다릅니다.")
        contest = db.commit_retrying(lambda s: contest_file.load(
            s, text, replace=bool(form.replace.data) or slug is not None, actor=_me(),
            organization=_me().organization), keep_refused=False)
    except contest_file.ContestFileError as error:
        s.rollback()
        flash(_("공모전 파일에 문제가 있어 아무것도 바꾸지 않았습니다."), "error")
        for line in error.details.get("problems", []):
            flash(line, "error")
        return redirect(back, code=303)
    except DomainError as error:
        s.rollback()
        flash(error_text(error), "error")
        return redirect(back, code=303)
    flash(_("공모전 파일을 불러왔습니다."), "success")
    return redirect(url_for(".dashboard", slug=contest.slug), code=303)


@bp.post("/contest-file")
def upload_contest_file():
    return _load_contest_file(url_for(".home"))


@bp.get("/c/<slug>/contest-file")
def download_contest_file(slug: str):
    contest = _contest(slug)
    text = contest_file.dump_contest(db.session(), contest)
    response = Response(text, mimetype="application/toml")
    response.headers["Content-Disposition"] = uploads.content_disposition(f"{contest.slug}.toml")
    return response


@bp.post("/c/<slug>/contest-file")
def replace_contest_file(slug: str):
    _contest(slug)
    return _load_contest_file(url_for(".setup_page", slug=slug), slug=slug)


# ---------------------------------------------------------------------------------------------
# Dashboard and status steps

STEP_LABELS = [("draft", _l("준비")), ("open", _l("접수")), ("judging", _l("심사")), ("locked", _l("점수 확정")),
               ("published", _l("결과 공개"))]
NEXT_BUTTONS = {"open": _l("접수 시작"), "start_judging": _l("심사 시작"), "lock": _l("점수 확정(잠금)"),
                "publish": _l("결과 공개")}
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
                           target_label=NEXT_BUTTONS.get(action or ""), check=check, ready=ready, stats=stats,
                           rounds=rounds, status_form=status_form, skip_form=skip_form,
                           unlock_form=forms.UnlockForm(), **_nav(contest, "dashboard"))


@bp.post("/c/<slug>/status")
def change_status(slug: str):
    contest = _contest(slug)
    form = forms.StatusForm()
    back = request.form.get("back") or ""
    back = back if back.startswith("/organizer/") else url_for(".dashboard", slug=slug)
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
    contest = _contest(slug)
    form = forms.UnlockForm()
    back = url_for(".dashboard", slug=slug)
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: lifecycle.unlock(s, contest, form.reason.data, actor=_me()),
                _("확정을 풀었습니다. 고친 뒤 다시 확정하고 새 판으로 공개하세요."), back)


# ---------------------------------------------------------------------------------------------
# Set-up


def _round_form(rnd: Round) -> forms.RoundForm:
    form = forms.RoundForm(prefix=f"r{rnd.id}", formdata=None, obj=rnd)
    form.weight.data = _plain(rnd.weight)
    return form


def _plain(value: Any) -> str:
    from decimal import Decimal

    if value is None:
        return ""
    number = Decimal(value).normalize()
    return str(int(number)) if number == number.to_integral_value() else format(number, "f")


def _criterion_form(crit) -> forms.CriterionForm:  # noqa: ANN001
    form = forms.CriterionForm(prefix=f"c{crit.id}", formdata=None, obj=crit)
    form.max_points.data = _plain(crit.max_points)
    form.weight.data = _plain(crit.weight)
    return form


def _tier_form(tier) -> forms.TierForm:  # noqa: ANN001
    form = forms.TierForm(prefix=f"t{tier.id}", formdata=None, obj=tier)
    form.threshold.data = _plain(tier.threshold)
    return form


@bp.get("/c/<slug>/setup")
def setup_page(slug: str):
    return _setup_page(_contest(slug))


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
            "method": setup.AGGREGATION_LABELS.get(rnd.aggregation, rnd.aggregation)
            + (f" (위·아래 {rnd.trim}개씩 제외)" if rnd.aggregation == "trimmed_mean" else ""),
            "max_total": _plain(rubric.max_total(rnd.criteria)),
            "criteria": [{"criterion": c, "form": pick(f"c{c.id}", lambda c=c: _criterion_form(c)),
                          "scale": setup.SCALE_LABELS.get(c.scale, c.scale),
                          "max": _plain(c.max_points), "weight": _plain(c.weight)} for c in rnd.criteria],
            "new_criterion": pick(f"nc{rnd.id}", lambda rnd=rnd: forms.CriterionForm(prefix=f"nc{rnd.id}",
                                                                                     formdata=None)),
        })
    tiers = [{"tier": t, "form": pick(f"t{t.id}", lambda t=t: _tier_form(t)),
              "rule": (f"{t.count}곳" if t.count is not None else f"{_plain(t.threshold)}점 이상")}
             for t in contest.tiers]
    specials = [{"special": sp, "form": pick(f"s{sp.id}", lambda sp=sp: forms.SpecialAwardForm(
                     prefix=f"s{sp.id}", formdata=None, obj=sp))} for sp in contest.special_awards]
    choices = setup.tie_break_choices(contest)
    labels = dict(choices)
    tie_form = forms.tie_break_form(choices, list(contest.tie_break or []), formdata=None)
    return render_template(
        "organizer/setup.html", frozen=frozen, edit=edit, rounds=rounds, tiers=tiers,
        specials=specials, tie_form=tie_form, tie_steps=[labels.get(step, step) for step in contest.tie_break or []],
        new_round=pick("nr", lambda: forms.RoundForm(prefix="nr", formdata=None)),
        new_tier=pick("nt", lambda: forms.TierForm(prefix="nt", formdata=None)),
        new_special=pick("ns", lambda: forms.SpecialAwardForm(prefix="ns", formdata=None)),
        action_form=forms.ActionForm(),
        file_form=forms.ContestFileUploadForm(prefix="file"), final_mode_label=setup.FINAL_MODE_LABELS,
        **organizer_audience.setup_context(contest), **_nav(contest, "setup")), status


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
    contest = _contest(slug)
    form = forms.RoundForm(prefix="nr")
    back = _setup_back(slug, "rounds")
    return _setup_run(contest, form, lambda s: setup.add_round(
        s, contest, key=form.key.data, title=form.title.data, aggregation=form.aggregation.data,
        trim=form.trim.data or 0, weight=form.weight.data or "1", advance=form.advance.data, actor=_me()),
        _("라운드를 더했습니다."), back)


@bp.post("/c/<slug>/setup/rounds/<int:round_id>")
def save_round(slug: str, round_id: int):
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
    contest = _contest(slug)
    rnd = setup.get_round(db.session(), contest, round_id)
    return _run(lambda s: setup.delete_round(s, rnd, actor=_me()), _("라운드를 지웠습니다."),
                _setup_back(slug, "rounds"))


@bp.post("/c/<slug>/setup/rounds/<int:round_id>/criteria")
def add_criterion(slug: str, round_id: int):
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
    contest = _contest(slug)
    crit = setup.get_criterion(db.session(), contest, criterion_id)
    back = _setup_back(slug, f"round-{crit.round_id}")
    return _run(lambda s: setup.delete_criterion(s, crit, actor=_me()), _("심사 기준을 지웠습니다."), back)


@bp.post("/c/<slug>/setup/tiers")
def add_tier(slug: str):
    contest = _contest(slug)
    form = forms.TierForm(prefix="nt")
    back = _setup_back(slug, "tiers")
    return _setup_run(contest, form, lambda s: setup.add_tier(
        s, contest, key=form.key.data, title=form.title.data, award_name=form.award_name.data or "",
        count=form.count.data, threshold=form.threshold.data, actor=_me()), _("상 등급을 더했습니다."), back)


@bp.post("/c/<slug>/setup/tiers/<int:tier_id>")
def save_tier(slug: str, tier_id: int):
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
    contest = _contest(slug)
    tier = setup.get_tier(db.session(), contest, tier_id)
    return _run(lambda s: setup.delete_tier(s, tier, actor=_me()), _("상 등급을 지웠습니다."),
                _setup_back(slug, "tiers"))


@bp.post("/c/<slug>/setup/specials")
def add_special(slug: str):
    contest = _contest(slug)
    form = forms.SpecialAwardForm(prefix="ns")
    back = _setup_back(slug, "specials")
    return _setup_run(contest, form, lambda s: setup.add_special(s, contest, key=form.key.data, title=form.title.data,
                                            award_name=form.award_name.data or "", actor=_me()),
                _("특별상을 더했습니다."), back)


@bp.post("/c/<slug>/setup/specials/<int:special_id>")
def save_special(slug: str, special_id: int):
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
    contest = _contest(slug)
    special = setup.get_special(db.session(), contest, special_id)
    return _run(lambda s: setup.delete_special(s, special, actor=_me()), _("특별상을 지웠습니다."),
                _setup_back(slug, "specials"))


@bp.post("/c/<slug>/setup/tie-break")
def save_tie_break(slug: str):
    contest = _contest(slug)
    form = forms.tie_break_form(setup.tie_break_choices(contest), list(contest.tie_break or []))
    back = _setup_back(slug, "tie-break")
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: setup.set_tie_break(s, contest, form.steps(), actor=_me()),
                _("동점 처리 순서를 저장했습니다."), back)


# ---------------------------------------------------------------------------------------------
# Entrants and council invitations


@bp.get("/c/<slug>/entrants")
def entrants_page(slug: str):
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


def _field_error(form: forms.BaseForm, error: DomainError) -> None:
    """Put a refusal beside the field it is about (or on the form's first field)."""
    target = getattr(form, error.field, None) if error.field else None
    if target is None:
        # Not about one field (the contest refuses): beside the form's first editable field (keys never
        # change once made, so an edit form does not show its key).
        target = next(f for f in form if f.type not in ("HiddenField", "CSRFTokenField", "SubmitField")
                      and f.short_name != "key")
    target.errors = [*target.errors, error_text(error)] if isinstance(target.errors, list) else [error_text(error)]


@bp.post("/c/<slug>/entrants")
def add_entrant(slug: str):
    contest = _contest(slug)
    form = forms.EntrantForm()
    if not form.validate_on_submit():
        return _entrants_page(contest, add_form=form, status=400)
    s = db.session()
    try:
        fields = {n: getattr(form, n).data for n in ("key", *entrants.ENTRANT_FIELDS)}
        entrant = db.commit_retrying(lambda s: entrants.add_entrant(s, contest, fields, actor=_me()),
                                     keep_refused=False)
    except DomainError as error:
        s.rollback()
        if error.field is None:  # the contest refuses, not a field: say so at the top
            flash(error_text(error), "error")
            return redirect(url_for(".entrants_page", slug=slug), code=303)
        _field_error(form, error)
        return _entrants_page(contest, add_form=form, status=400)
    flash(_("참가자 '%(name)s'을(를) 더했습니다.", name=entrant.name), "success")
    return redirect(url_for(".entrants_page", slug=slug), code=303)


@bp.post("/c/<slug>/entrants/<int:entrant_id>")
def update_entrant(slug: str, entrant_id: int):
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
        s.rollback()
        _field_error(form, error)
        return _entrants_page(contest, failed=(entrant.id, form), status=400)
    flash(_("참가자 정보를 고쳤습니다.") if changed else _("바뀐 내용이 없습니다."), "success")
    return redirect(url_for(".entrants_page", slug=slug), code=303)


@bp.post("/c/<slug>/entrants/import")
def import_entrants(slug: str):
    contest = _contest(slug)
    form = forms.EntrantImportForm()
    back = url_for(".entrants_page", slug=slug)
    if not form.validate_on_submit():
        return _invalid(form, back)
    upload = form.file.data
    data = upload.stream.read(entrants.MAX_IMPORT_BYTES + 1)
    s = db.session()
    try:
        created = db.commit_retrying(
            lambda s: entrants.import_entrants(s, contest, upload.filename or "", data, actor=_me()),
            keep_refused=False)
    except entrants.EntrantImportError as error:
        s.rollback()
        flash(_("참가자 파일에 문제가 있어 아무것도 불러오지 않았습니다. 고친 뒤 다시 올려 주세요."), "error")
        for line in error.details["problems"][:50]:
            flash(line, "error")
        if len(error.problems) > 50:
            flash(_("그 밖에 %(n)s건의 문제가 더 있습니다.", n=len(error.problems) - 50), "error")
        return redirect(back, code=303)
    except DomainError as error:
        s.rollback()
        flash(error_text(error), "error")
        return redirect(back, code=303)
    flash(_("참가자 %(n)s곳을 불러왔습니다.", n=len(created)), "success")
    return redirect(back, code=303)


@bp.post("/c/<slug>/entrants/accounts")
def create_council_accounts(slug: str):
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
    s = db.session()
    contest = _contest(slug)
    secret = current_app.config["SECRET_KEY"]
    only = query_id("entrant")
    cards = []
    for inv in entrants.invitations(s, contest, secret):
        if only is not None and inv.entrant.id != only:
            continue
        link = _link(inv.token) if inv.token else None
        subject = f"[{contest.title}] 참가 안내"
        body = (f"{inv.entrant.name} 담당자님께\n\n{contest.title} 참가작 제출 안내입니다.\n"
                f"아래 링크로 처음 로그인한 뒤 비밀번호를 정해 주세요.\n{link}\n\n아이디: {inv.user.login}\n")
        from urllib.parse import quote

        mailto = (f"mailto:{quote(inv.entrant.contact_email)}?subject={quote(subject)}&body={quote(body)}"
                  if link and inv.entrant.contact_email else None)
        cards.append({"entrant": inv.entrant, "login": inv.user.login, "link": link, "mailto": mailto,
                      "qr": qr_svg(link, _("%(name)s 첫 로그인 QR 코드", name=inv.entrant.name)) if link else None})
    return render_template("organizer/invitations.html", cards=cards,
                           **_nav(contest, "entrants"))


# ---------------------------------------------------------------------------------------------
# Intake


@bp.get("/c/<slug>/intake")
def intake_page(slug: str):
    s = db.session()
    contest = _contest(slug)
    deadline_form = forms.DeadlineForm(formdata=None, deadline=_to_local(contest.submission_deadline))
    entries = intake.entries_by_receipt(s, contest)
    rows = [{"entry": e, "name": e.entrant.name, "attachments": [
                {"a": a, "size": uploads.human_size(a.size), "kind": uploads.KINDS[a.kind].label
                 if a.kind in uploads.KINDS else a.kind} for a in e.attachments],
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
    contest = _contest(slug)
    form = forms.DeadlineForm()
    back = url_for(".intake_page", slug=slug)
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: intake.set_deadline(s, contest, _to_utc(form.deadline.data), actor=_me()),
                _("접수 마감 일시를 저장했습니다."), back)


@bp.get("/c/<slug>/entries/<int:entry_id>")
def entry_detail(slug: str, entry_id: int):
    s = db.session()
    contest = _contest(slug)
    entry = setup.get_entry(s, contest, entry_id)
    files = [{"a": a, "size": uploads.human_size(a.size)} for a in entry.attachments]
    return render_template("organizer/entry.html", entry=entry, files=files,
                           return_form=forms.ReturnEntryForm(prefix=f"ret{entry.id}", formdata=None),
                           action_form=forms.ActionForm(),
                           can_accept=entry.status == "submitted" or (entry.status == "returned"
                                                                      and entry.submitted_at is not None),
                           can_return=entry.status in ("submitted", "accepted"), **_nav(contest, "intake"))


def _entry_back(slug: str, entry_id: int) -> str:
    back = request.form.get("back", "")
    return back if back.startswith("/organizer/") and not back.startswith("//") else url_for(".intake_page", slug=slug)


@bp.post("/c/<slug>/entries/<int:entry_id>/accept")
def accept_entry(slug: str, entry_id: int):
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
    s = db.session()
    contest = _contest(slug)
    attachment = uploads.get_attachment(s, _me(), attachment_id)
    if attachment.entry.contest_id != contest.id:
        abort(404)
    return send_attachment(attachment)


@bp.post("/c/<slug>/rounds/<int:round_id>/entries")
def save_round_entries(slug: str, round_id: int):
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


# ---------------------------------------------------------------------------------------------
# Judges, cards, conflicts, assignments


@bp.get("/c/<slug>/judges")
def judges_page(slug: str):
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


@bp.get("/c/<slug>/assignments")
def assignments_page(slug: str):
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
                           per_entry=per_entry, everyone=not assigned, short=progress.short_name,
                           balanced_form=forms.BalancedAssignmentForm(formdata=None, per_entry=min(3, len(judges) or 1)),
                           action_form=forms.ActionForm(), **_nav(contest, "judges"))


@bp.post("/c/<slug>/assignments/<int:round_id>/balanced")
def balanced_assignment(slug: str, round_id: int):
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
    s = db.session()
    contest = _contest(slug)
    rnd = setup.get_round(s, contest, round_id)
    form = forms.ActionForm()
    back = url_for(".assignments_page", slug=slug, round=rnd.id)
    if not form.validate_on_submit():
        return _invalid(form, back)
    wanted = set()
    for raw in request.form.getlist("pair"):
        judge_id, _sep, entry_id = raw.partition(":")
        pair = (bounded_id(judge_id), bounded_id(entry_id))
        if None in pair:
            abort(400, description=_("배정 칸의 값이 올바르지 않습니다. 페이지를 새로 고친 뒤 다시 저장해 주세요."))
        wanted.add(pair)
    return _run(lambda s: assignments.replace_assignments(s, rnd, wanted, actor=_me()),
                _("배정을 저장했습니다."), back)


# ---------------------------------------------------------------------------------------------
# The day: the live progress board


def _board_round(contest: Contest) -> Round | None:
    round_id = query_id("round")
    if round_id:
        return setup.get_round(db.session(), contest, round_id)
    for status in ("open", "closed"):
        found = [r for r in contest.rounds if r.status == status]
        if found:
            return found[-1] if status == "closed" else found[0]
    return contest.rounds[0] if contest.rounds else None


@bp.get("/c/<slug>/day")
def day(slug: str):
    s = db.session()
    contest = _contest(slug)
    rnd = _board_round(contest)
    board = progress.board(s, rnd) if rnd is not None else None
    reopen_form = forms.ReopenSheetForm(formdata=None)
    if board is not None:
        reopen_form.judge.choices = [(j.id, j.name) for j in board.judges if j.expected]
    lock_check = lifecycle.check(s, contest, "lock") if contest.status == "judging" else None
    day_chart = _day_chart(board) if board is not None else None
    return render_template("organizer/day.html", rnd=rnd, board=board, day_chart=day_chart,
                           turnouts=audience.contest_turnout(s, contest), labels=_labels(progress.STATE_LABELS),
                           activity_labels=_labels(progress.ACTIVITY_LABELS),
                           signed_labels=_labels(progress.SIGNED_LABELS),
                           round_label=_round_label(rnd.status) if rnd else "",
                           action_form=forms.ActionForm(), reopen_form=reopen_form, lock_check=lock_check,
                           status_form=forms.StatusForm(target="lock"), poll_seconds=POLL_SECONDS,
                           **_nav(contest, "day"))


def _day_chart(board: progress.Board) -> dict:
    """The day's chart of a board: {"svg", "data"}."""
    data = service_charts.day_chart(board, _to_local, utcnow(), _("채점 진행"))
    return {"svg": charts.svg_day(data, chart_text.words()), "data": data}


@bp.get("/c/<slug>/progress.json")
def progress_json(slug: str):
    s = db.session()
    contest = _contest(slug)
    rnd = _board_round(contest)
    if rnd is None:
        return jsonify(ok=False, message=_("라운드가 없습니다.")), 404
    board = progress.board(s, rnd)
    data = board.to_json()
    data["state_labels"] = _labels(progress.STATE_LABELS)
    data["activity_labels"] = _labels(progress.ACTIVITY_LABELS)
    data["signed_labels"] = _labels(progress.SIGNED_LABELS)
    response = jsonify(ok=True, board=data, round_status=rnd.status, day_chart=str(_day_chart(board)["svg"]),
                       round_status_label=_round_label(rnd.status), lock=_lock_json(contest),
                       audience=[t.to_json() for t in audience.contest_turnout(s, contest)])
    response.headers["Cache-Control"] = "no-store"
    return response


def _labels(korean: dict[str, str]) -> dict[str, str]:
    """Service labels are the Korean msgids; translate them for the page's language."""
    return {key: _(value) for key, value in korean.items()}


ROUND_STATUS_LABELS = {"pending": "열기 전", "open": "채점 중 (열림)", "closed": "닫힘"}


def _round_label(status: str) -> str:
    return _(ROUND_STATUS_LABELS.get(status, status))


def _lock_json(contest: Contest) -> dict | None:
    if contest.status != "judging":
        return None
    check = lifecycle.check(db.session(), contest, "lock")
    return {"problems": check.problems, "warnings": check.warnings}


@bp.post("/c/<slug>/rounds/<int:round_id>/open")
def open_round(slug: str, round_id: int):
    s = db.session()
    contest = _contest(slug)
    rnd = setup.get_round(s, contest, round_id)
    form = forms.ActionForm()
    back = url_for(".day", slug=slug, round=rnd.id)
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: lifecycle.open_round(s, rnd, actor=_me()),
                _("'%(title)s' 라운드를 열었습니다. 심사위원이 채점할 수 있습니다.", title=rnd.title), back)


@bp.post("/c/<slug>/rounds/<int:round_id>/close")
def close_round(slug: str, round_id: int):
    s = db.session()
    contest = _contest(slug)
    rnd = setup.get_round(s, contest, round_id)
    form = forms.ActionForm()
    back = url_for(".day", slug=slug, round=rnd.id)
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: lifecycle.close_round(s, rnd, actor=_me()),
                _("'%(title)s' 라운드를 닫았습니다.", title=rnd.title), back)


@bp.post("/c/<slug>/rounds/<int:round_id>/reopen-sheet")
def reopen_sheet(slug: str, round_id: int):
    s = db.session()
    contest = _contest(slug)
    rnd = setup.get_round(s, contest, round_id)
    form = forms.ReopenSheetForm()
    form.judge.choices = [(j.id, j.name) for j in assignments.contest_judges(s, contest)]
    back = url_for(".day", slug=slug, round=rnd.id)
    if not form.validate_on_submit():
        return _invalid(form, back)
    judge = setup.get_judge(s, contest, form.judge.data)
    return _run(lambda s: lifecycle.reopen_sheet(s, contest, judge, rnd, form.reason.data, actor=_me()),
                _("%(name)s 심사위원의 채점표를 다시 열었습니다.", name=judge.name), back)


# ---------------------------------------------------------------------------------------------
# Audit log


@bp.get("/audit")
def audit_page():
    s = db.session()
    slug = request.args.get("contest", "")
    org_id = _me().organization_id
    contest = setup.get_contest(s, slug, org_id) if slug else None
    form = forms.AuditFilterForm(request.args)
    form.action.choices = [("", _("모든 동작"))] + [(a, _(text)) for a, text in
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
    if part.translate and part.text:
        text = pgettext(part.context, part.text) if part.context else _(part.text)
    else:
        text = part.text
    if part.params:
        text = text % {key: _told(value) for key, value in part.params.items()}
    return text


# ---------------------------------------------------------------------------------------------
# Results: ranked table with explanations, analytics, tie decisions, special awards, publishing


def _results_context(contest: Contest) -> dict:
    """Everything the results page shows, as finished rows (templates only display)."""
    s = db.session()
    ctx: dict[str, Any] = {"error": None, "rows": [], "ties": [], "order_groups": [], "analytics": [],
                           "screening": [], "specials": [], "decisions": [], "pending_diff": None, "versions": []}
    try:
        inputs, result = results.compute_with_inputs(s, contest)
        payload = publishing.build_payload(contest, inputs, result)
    except DomainError as error:
        ctx["error"] = error_text(error)
        return ctx
    names = {k: info.name for k, info in inputs.entrants.items()}
    tiers = {t.key: t for t in inputs.tiers}
    specials = {sa_.key: sa_ for sa_ in inputs.special_types}
    for e in payload["entries"]:
        tier = e["tier"]
        ctx["rows"].append({
            "key": e["entry"], "name": e["name"], "title": e["project_title"], "rank": e["rank"],
            "score": e["score"], "n": e["n"], "recused": e["recused"],
            "tier_title": _("동점 결정 필요") if tier == "pending" else (e["tier_title"] or ""),
            "pending": tier == "pending", "tier_key": tier or "",
            "tie_break": e["tie_break"], "explanation": e["explanation"], "message": e["message"],
            "special": specials[e["special_award"]].title if e["special_award"] in specials else None,
            "criteria": e["criteria"],
        })
    ctx["criteria_heads"] = payload["entries"][0]["criteria"] if payload["entries"] else []
    for tie in result.unresolved_ties:
        entries_here = [(k, names.get(k, k)) for k in tie.entries]
        if tie.kind == "tier":
            upper, lower = tiers.get(tie.boundary), tiers.get(tie.next_tier or "")
            form = forms.TierDecisionForm(prefix=f"tie-{tie.boundary}", formdata=None, tier=tie.boundary)
            form.entries.choices = entries_here
            text = _("공동 %(rank)s위 %(n)s곳이 '%(upper)s' 남은 %(places)s자리를 두고 동점입니다.",
                     rank=tie.rank, n=len(tie.entries), upper=upper.title if upper else tie.boundary, places=tie.places)
            if lower is not None:
                text += " " + _("고르지 않은 참가작은 '%(lower)s'(으)로 갑니다.", lower=lower.title)
            ctx["ties"].append({"kind": "tier", "text": text, "form": form,
                                "action": url_for(".decide_tier", slug=contest.slug)})
        else:
            rnd = inputs.round(tie.boundary)
            form = forms.AdvanceDecisionForm(prefix=f"cut-{tie.boundary}", formdata=None, round_key=tie.boundary)
            form.entries.choices = entries_here
            text = _("'%(round)s' 진출 경계에서 %(n)s곳이 남은 %(places)s자리를 두고 동점입니다.",
                     round=rnd.title if rnd else tie.boundary, n=len(tie.entries), places=tie.places)
            ctx["ties"].append({"kind": "cut", "text": text, "form": form,
                                "action": url_for(".decide_advance", slug=contest.slug)})
    if any(step.label == "decision" for step in inputs.spec.tie_break):
        groups: dict[int, list[str]] = {}
        for fe in result.final:
            if fe.rank is not None:
                groups.setdefault(fe.rank, []).append(fe.entry)
        for rank, keys in sorted(groups.items()):
            if len(keys) > 1:
                form = forms.OrderDecisionForm(prefix=f"order-{rank}", formdata=None, order=", ".join(keys))
                ctx["order_groups"].append({"rank": rank, "names": [f"{names[k]} ({k})" for k in keys], "form": form})
    judge_names = {j["key"]: j["name"] for j in payload["organizer_only"]["judges"]} \
        if "judges" in payload.get("organizer_only", {}) else dict(inputs.judge_names)
    round_titles = {r["key"]: r["title"] for r in payload["rounds"]}
    for a in payload.get("organizer_only", {}).get("analytics", []):
        agreement = a.get("agreement") or {}
        ctx["analytics"].append({
            "round": round_titles.get(a["round"], a["round"]),
            "judges": [{**{k: ("—" if v is None else v) for k, v in j.items()},
                        "name": judge_names.get(j["judge"], j["judge"])} for j in a["judges"]],
            "disagreements": [{**d, "name": names.get(d["entry"], d["entry"]),
                               "totals": ", ".join(f"{judge_names.get(j, j)} {t}" for j, t in d.get("totals", []))}
                              for d in a["disagreements"]],
            # agreement as people read it: 2 decimals (the core's display rule), band and reason translated
            "icc": _agreement_figure(agreement.get("icc")), "icc_band": _maybe(agreement.get("icc_band")),
            "kendall_w": _agreement_figure(agreement.get("kendall_w")),
            "kendall_band": _maybe(agreement.get("kendall_band")),
            "agreement_reason": _maybe(agreement.get("reason")),
            "agreement_method": agreement.get("method") or "", "missing": len(a.get("missing", [])),
        })
    for block in payload.get("screening", []):
        ctx["screening"].append({"round": round_titles.get(block["round"], block["round"]),
                                 "entries": block["entries"]})
    ctx["specials"] = payload["special_awards"]
    decision_rows = []
    stale = {d.id for d in inputs.stale_decisions(result)}
    ctx["stale_decisions"] = len(stale)
    for d in inputs.decisions:
        keys = [de.entry_id for de in d.entries]
        by_id = {info.entry_id: info.name for info in inputs.entrants.values()}
        what = {"tier": _("등급 경계 동점"), "order": _("순서 결정"), "advance": _("진출 결정"),
                "special": _("특별상")}.get(d.kind, d.kind)
        target = ""
        if d.kind == "tier" and d.tier_id:
            target = next((t.title for t in inputs.tiers if t.id == d.tier_id), "")
        if d.kind == "special" and d.special_award_id:
            target = next((x.title for x in inputs.special_types if x.id == d.special_award_id), "")
        decision_rows.append({"decision": d, "what": what, "target": target, "stale": d.id in stale,
                              "entries": ", ".join(by_id.get(k, "?") for k in keys),
                              "form": forms.WithdrawDecisionForm(prefix=f"wd{d.id}", formdata=None)})
    ctx["decisions"] = decision_rows
    special_form = forms.SpecialDesignationForm(formdata=None)
    special_form.award.choices = [(x.key, x.title) for x in inputs.special_types]
    special_form.entry.choices = [("", _("— 고르세요 —"))] + [(k, names[k]) for k in sorted(names, key=lambda k: names[k])]
    ctx["special_form"] = special_form if inputs.special_types else None
    latest = snapshots.latest_snapshot(s, contest)
    ctx["latest"] = latest
    diff = snapshots.snapshot_diff(latest, payload)
    ctx["pending_diff"] = diff
    ctx["pending_same"] = latest is not None and publishing.payload_digest(payload) == latest.digest
    versions = snapshots.snapshots(s, contest)
    for i, snap in enumerate(versions):
        previous = versions[i + 1] if i + 1 < len(versions) else None
        ctx["versions"].append({"snapshot": snap, "diff": snapshots.snapshot_diff(previous, snap) if previous else None})
    ctx["method_text"] = payload["contest"]["method_text"]
    ctx["tie_break_text"] = payload["contest"]["tie_break_text"]
    ctx["judge_count"] = payload["contest"]["judge_count"]
    ctx["unresolved"] = len(result.unresolved_ties)
    ctx["combination"] = payload.get("combination")
    ctx["audience"] = payload.get("audience")
    ctx["entry_names"] = {e["entry"]: e["name"] for e in payload["entries"]}
    _results_charts(ctx, contest, inputs, result)
    return ctx


def _agreement_figure(value: object) -> str | None:
    """An agreement coefficient from the payload, shown with 2 decimals (None stays None)."""
    if value is None:
        return None
    return scoring.display(Decimal(str(value)))


def _maybe(text: object) -> str | None:
    return _(str(text)) if text else None


def _results_charts(ctx: dict, contest: Contest, inputs: Any, result: Any) -> None:
    """The ranking chart, one judges chart per round and, with an audience round, the components'
    weights and turnout, each with the rows of its data table."""
    words = chart_text.words()
    ctx["audience_chart"] = None
    if inputs.spec.audience:
        check = audience.weight_check(contest, inputs, result)
        data = service_charts.weights_chart(check, audience.contest_turnout(db.session(), contest),
                                            _("반영 비율과 투표율"))
        if data is not None:
            ctx["audience_chart"] = {"svg": charts.svg_weights(data, words), "data": data}
    ranking = service_charts.ranking_chart(inputs, result, _("최종 순위"))
    ctx["ranking_chart"] = {"svg": charts.svg_ranking(ranking, words), "data": ranking}
    ctx["judges_charts"] = []
    for i, chart in enumerate(service_charts.judges_charts(inputs, result)):
        # the core's agreement band and reason are Korean data: shown in the reader's language
        chart = dataclasses.replace(
            chart, agreement_band=_(chart.agreement_band) if chart.agreement_band else None,
            agreement_note=_(chart.agreement_note) if chart.agreement_note else None)
        ctx["judges_charts"].append({"svg": charts.svg_judges(chart, words, prefix=f"judges-{i}"), "data": chart})


@bp.get("/c/<slug>/results")
def results_page(slug: str):
    contest = _contest(slug)
    ctx = _results_context(contest)
    public_url = url_for("public.results", slug=slug) if "public.results" in current_app.view_functions else None
    return render_template("organizer/results.html", publish_form=forms.PublishForm(),
                           public_url=public_url,
                           **ctx, **_nav(contest, "results"))


def _results_back(slug: str, anchor: str = "") -> str:
    return url_for(".results_page", slug=slug) + (f"#{anchor}" if anchor else "")


@bp.post("/c/<slug>/results/tier")
def decide_tier(slug: str):
    contest = _contest(slug)
    tier = request.form.get("tier_key", "")
    form = forms.TierDecisionForm(prefix=f"tie-{tier}")
    form.entries.choices = [(e.entrant.key, e.entrant.key) for e in contest.entries]
    back = _results_back(slug, "ties")
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: decisions.record_tier_decision(s, contest, form.tier.data, form.entries.data or [],
                                                       form.reason.data, form.minutes.data or "", _me()),
                _("동점 결정을 기록했습니다."), back)


@bp.post("/c/<slug>/results/advance")
def decide_advance(slug: str):
    contest = _contest(slug)
    key = request.form.get("round_key_prefix", "")
    form = forms.AdvanceDecisionForm(prefix=f"cut-{key}")
    form.entries.choices = [(e.entrant.key, e.entrant.key) for e in contest.entries]
    back = _results_back(slug, "ties")
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: decisions.record_advance_decision(s, contest, form.round_key.data, form.entries.data or [],
                                                          form.reason.data, form.minutes.data or "", _me()),
                _("진출 결정을 기록했습니다."), back)


@bp.post("/c/<slug>/results/order")
def decide_order(slug: str):
    contest = _contest(slug)
    rank = request.form.get("rank", "")
    form = forms.OrderDecisionForm(prefix=f"order-{rank}")
    back = _results_back(slug, "ties")
    if not form.validate_on_submit():
        return _invalid(form, back)
    keys = [k.strip() for k in (form.order.data or "").replace("\n", ",").split(",") if k.strip()]
    return _run(lambda s: decisions.record_order_decision(s, contest, keys, form.reason.data, form.minutes.data or "",
                                                        _me()),
                _("순서 결정을 기록했습니다."), back)


@bp.post("/c/<slug>/results/special")
def designate_special(slug: str):
    contest = _contest(slug)
    form = forms.SpecialDesignationForm()
    form.award.choices = [(x.key, x.title) for x in contest.special_awards]
    form.entry.choices = [("", "")] + [(e.key, e.name) for e in contest.entrants]
    back = _results_back(slug, "specials")
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: decisions.designate_special(s, contest, form.entry.data, form.award.data, form.reason.data,
                                                    _me()),
                _("특별상을 지정했습니다."), back)


@bp.post("/c/<slug>/results/decisions/<int:decision_id>/withdraw")
def withdraw_decision(slug: str, decision_id: int):
    contest = _contest(slug)
    form = forms.WithdrawDecisionForm(prefix=f"wd{decision_id}")
    back = _results_back(slug, "decisions")
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: decisions.withdraw_decision(s, contest, decision_id, form.reason.data, _me()),
                _("결정을 철회했습니다."), back)


@bp.get("/c/<slug>/results/publish")
def publish_confirm(slug: str):
    """The confirmation page: what becomes public, what changes since the last version, what blocks."""
    s = db.session()
    contest = _contest(slug)
    ctx = _results_context(contest)
    blockers = lifecycle.preview_publish(s, contest)
    public_rows = [r for r in ctx["rows"] if r["tier_title"] or r["special"]]
    from judging.views.organizer_approvals import approval_context

    ctx.update(approval_context(contest))
    return render_template("organizer/publish_confirm.html", publish_form=forms.PublishForm(formdata=None),
                           blockers=blockers, public_rows=public_rows, **ctx, **_nav(contest, "results"))


@bp.post("/c/<slug>/results/publish")
def publish(slug: str):
    contest = _contest(slug)
    form = forms.PublishForm()
    back = url_for(".publish_confirm", slug=slug)
    if not form.validate_on_submit():
        return _invalid(form, back)
    s = db.session()
    try:
        snapshot = db.commit_retrying(lambda s: lifecycle.publish(
            s, contest, note=form.note.data or "", actor=_me(), accept_weights=bool(form.accept_weights.data)),
            keep_refused=False)
    except DomainError as error:
        s.rollback()
        problems = error.details.get("problems") if error.details else None
        weights = error.details.get("weights") if error.details else None
        if weights:
            flash(_("실제 가중치가 발표한 가중치와 다릅니다. 확인란에 표시한 뒤 다시 공개해 주세요."), "error")
            for line in weights:
                flash(message_text(line), "error")
        elif problems:
            flash(_("아직 공개할 수 없습니다."), "error")
            for line in problems:
                flash(message_text(line), "error")
        else:
            flash(error_text(error), "error")
        return redirect(back, code=303)
    flash(_("결과를 제%(v)s판으로 공개했습니다.", v=snapshot.version), "success")
    return redirect(_results_back(slug, "versions"), code=303)


from judging.views import organizer_approvals, organizer_audience, organizer_documents  # noqa: E402,F401
