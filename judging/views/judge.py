"""The judge's pages: scoring on a tablet.

HTML pages: home (entries in presentation order, progress), pledge, conflict declaration, the entry
screen (materials and rubric; a plain form POST works without JavaScript), the review page and
submitting. JSON under ``/judge/api/``: autosave of scores and comments (the browser queues them in
localStorage and resends in order), and a fresh CSRF token. Every write refusal is JSON
``{ok: false, error, message, current?}`` with a status the page can act on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import (
    Blueprint,
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
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from judging import db
from judging.formatting import byte_size
from judging.forms import PledgeForm, SubmitSheetForm, conflict_declaration_form, rubric_form
from judging.inputs import InputError, bounded_id
from judging.messages import N_
from judging.scoring.rounding import plain
from judging.security import client_address, role_required
from judging.services import autosave, declarations, judge_screens, rate_limit, sheets
from judging.services.errors import DomainError, NotFound
from judging.views.common import error_text, http_status, json_id, read_json, send_attachment
from judging.views.judge_offline import deployment_version

bp = Blueprint("judge", __name__, url_prefix="/judge")

#: Above this many allowed values a criterion gets a stepper instead of a segmented control.
SEGMENT_LIMIT = 31
#: At most this many segments in a row (0..10 fits one row; 0..20 makes two of 11 and 10).
SEGMENT_ROW = 11

#: Pages that wait for the pledge and the conflict declaration.
_GATED = {"judge.home", "judge.entry", "judge.entry_post", "judge.review", "judge.submit_confirm",
          "judge.submit", "judge.material"}


@bp.before_request
@role_required("judge")
def _guard() -> None:
    return None


@bp.before_request
def _gate():  # noqa: ANN202
    if request.endpoint not in _GATED:
        return None
    judge = current_user
    if declarations.needs_pledge(judge):
        return redirect(url_for("judge.pledge"))
    if declarations.needs_declaration(db.session(), judge):
        return redirect(url_for("judge.conflicts"))
    return None


@bp.after_request
def _no_store(response):  # noqa: ANN001, ANN202
    # Scores are personal and change by the second: never serve them from the HTTP cache. The
    # judge's offline copy (the service worker's cache) is the judge's own, named by this header,
    # and removed at sign-out.
    if request.endpoint != "judge.material":
        response.headers["Cache-Control"] = "no-store"
    if current_user.is_authenticated:
        response.headers["X-Judging-Judge"] = str(current_user.id)
    return response


def _app_data() -> dict:
    return {"judge_id": current_user.id, "csrf_url": url_for("judge.api_csrf"),
            "sign_in_url": url_for("auth.sign_in", next=request.full_path.rstrip("?")),
            "plan_url": url_for("judge.offline_plan"), "sw_url": url_for("judge_offline.service_worker"),
            "scope": url_for("judge.home"), "sign_out_url": url_for("auth.sign_out")}


# --- pages -------------------------------------------------------------------------------------

@bp.get("/")
def home():
    """The judge's rounds and how far each sheet is."""
    s = db.session()
    rounds = judge_screens.overview(s, current_user)
    return render_template("judge/home.html", judge=current_user, contest=current_user.contest, rounds=rounds,
                           app_data=_app_data())


@bp.get("/pledge")
def pledge():
    """The judge's impartiality pledge, before anything else (skipped once given)."""
    if not declarations.needs_pledge(current_user):
        return redirect(url_for("judge.conflicts"))
    return render_template("judge/pledge.html", form=PledgeForm(), contest=current_user.contest)


@bp.post("/pledge")
def pledge_post():
    """Record the judge's pledge; an unticked pledge is refused."""
    form = PledgeForm()
    if not form.validate_on_submit():
        return render_template("judge/pledge.html", form=form, contest=current_user.contest), 400
    judge, address = current_user._get_current_object(), client_address()
    db.commit_retrying(lambda s: declarations.pledge(s, judge, address=address), keep_refused=False)
    return redirect(url_for("judge.conflicts"))


def _declaration_page(form: Any, decl: declarations.Declaration, status: int = 200):  # noqa: ANN202
    return render_template("judge/conflicts.html", form=form, declaration=decl, contest=current_user.contest), status


@bp.get("/conflicts")
def conflicts():
    """The judge declares conflicts of interest with the round's entries (after the pledge)."""
    if declarations.needs_pledge(current_user):
        return redirect(url_for("judge.pledge"))
    decl = declarations.declaration(db.session(), current_user)
    form = conflict_declaration_form([r.entry_id for r in decl.pending])
    return _declaration_page(form, decl)


@bp.post("/conflicts")
def conflicts_post():
    """Save the judge's conflict declarations; an unanswered entry is refused."""
    if declarations.needs_pledge(current_user):
        return redirect(url_for("judge.pledge"))
    s = db.session()
    decl = declarations.declaration(s, current_user)
    form = conflict_declaration_form([r.entry_id for r in decl.pending])
    if not form.validate_on_submit():
        flash(_("표시된 항목을 확인해 주세요."), "error")
        return _declaration_page(form, decl, 400)
    judge, address, choices = current_user._get_current_object(), client_address(), form.choices()
    try:
        created = db.commit_retrying(lambda s: declarations.declare_conflicts(s, judge, choices, address=address),
                                     keep_refused=False)
    except DomainError as error:
        flash(error_text(error), "error")
        return _declaration_page(form, declarations.declaration(s, current_user), http_status(error))
    if created:
        flash(_("이해충돌 %(n)d건을 신고했습니다. 담당자에게 알렸고, 해당 사업은 목록에서 제외됩니다.", n=len(created)),
              "success")
    else:
        flash(_("이해충돌이 없다고 신고했습니다."), "success")
    return redirect(url_for("judge.home"))


@dataclass(frozen=True)
class Widget:
    """How the entry page lets the judge pick a criterion's score."""

    control: str  # "grades" (labelled buttons) | "segments" (a row of numbers) | "stepper" (a list with -/+)
    columns: int  # buttons per row, so rows come out even (0-10 / 11-20)


def criterion_widget(criterion: judge_screens.CriterionView) -> Widget:
    """Grades get their five labelled buttons; a points scale gets segments, in even rows of at most
    ``SEGMENT_ROW``, unless it has more than ``SEGMENT_LIMIT`` values (then a stepper)."""
    count = len(criterion.choices)
    if criterion.scale == "grades":
        control = "grades"
    else:
        control = "segments" if count <= SEGMENT_LIMIT else "stepper"
    rows = max(1, -(-count // SEGMENT_ROW))
    return Widget(control, -(-count // rows))


def _entry_page(screen: judge_screens.EntryScreen, form: Any = None, status: int = 200):  # noqa: ANN202
    form = form or rubric_form([(c.id, [ch.value for ch in c.choices]) for c in screen.criteria], formdata=None)
    return render_template("judge/entry.html", screen=screen, sheet=screen.sheet, row=screen.row, form=form,
                           contest=current_user.contest, app_data=_app_data(), total=_total_text(screen),
                           widgets={c.id: criterion_widget(c) for c in screen.criteria}), status


def _total_text(screen: judge_screens.EntryScreen) -> str:
    """The judge's running total of this entry, as the scoring core added it (weights included)."""
    return plain(screen.row.total if screen.row.total is not None else Decimal(0))


@bp.get("/rounds/<int:round_id>/entries/<int:entry_id>")
def entry(round_id: int, entry_id: int):
    """One entry's scoring screen for the judge; an entry not assigned or in conflict is 404."""
    return _entry_page(judge_screens.entry_screen(db.session(), current_user, round_id, entry_id))


@bp.post("/rounds/<int:round_id>/entries/<int:entry_id>")
def entry_post(round_id: int, entry_id: int):
    """The no-JavaScript fallback: save the changed criteria and the comment from a plain form."""
    s = db.session()
    screen = judge_screens.entry_screen(s, current_user, round_id, entry_id)
    form = rubric_form([(c.id, [ch.value for ch in c.choices]) for c in screen.criteria])
    if not form.validate_on_submit():
        flash(_("입력한 값을 확인해 주세요."), "error")
        return _entry_page(screen, form, 400)
    limit = current_app.config["AUTOSAVE_MAX_PER_MINUTE"]
    judge, address = current_user._get_current_object(), client_address()
    changes = [(c, form[f"score-{c.id}"].data or None, bounded_id(form[f"version-{c.id}"].data or "0"))
               for c in screen.criteria if (form[f"score-{c.id}"].data or None) != c.value]
    comment = (form.comment.data or "").strip()
    comment_version = bounded_id(form.comment_version.data or "0") if comment != screen.comment else None

    def save_all(s):  # noqa: ANN001, ANN202
        """Every changed score and the comment in one unit: all saved, or (any refused) none."""
        problems = []
        for c, raw, version in changes:
            try:
                with s.begin_nested():
                    if version is None:
                        raise DomainError(N_("값이 올바르지 않습니다."))
                    rate_limit.hit_rate(s, f"autosave:{judge.id}", limit)
                    autosave.save_score(s, judge, entry_id=entry_id, criterion_id=c.id, value=raw, version=version,
                                      address=address)
            except DomainError as error:
                problems.append(f"{c.title}: {error_text(error)}")
        if comment != screen.comment:
            try:
                with s.begin_nested():
                    if comment_version is None:
                        raise DomainError(N_("값이 올바르지 않습니다."))
                    autosave.save_comment(s, judge, round_id=round_id, entry_id=entry_id, body=comment,
                                        version=comment_version, address=address)
            except DomainError as error:
                problems.append(f"{_('의견')}: {error_text(error)}")
        if problems:
            raise _FormRefused(" ".join(problems), details={"problems": problems})

    try:
        db.commit_retrying(save_all, keep_refused=False)
    except _FormRefused as refused:
        for problem in refused.details["problems"]:
            flash(problem, "error")
        flash(_("이 화면의 변경은 하나도 저장하지 않았습니다. 고친 뒤 다시 저장해 주세요."), "error")
        return redirect(url_for("judge.entry", round_id=round_id, entry_id=entry_id))
    flash(_("저장했습니다."), "success")
    return redirect(url_for("judge.entry", round_id=round_id, entry_id=entry_id))


class _FormRefused(DomainError):
    """One or more changes of the plain entry form were refused; ``details["problems"]`` lists them."""


@bp.get("/rounds/<int:round_id>/review")
def review(round_id: int):
    """The judge's whole round sheet to review before signing and submitting."""
    s = db.session()
    rnd = judge_screens.judge_round(s, current_user, round_id)
    sheet = judge_screens.round_sheet(s, current_user, rnd)
    return render_template("judge/review.html", sheet=sheet, contest=current_user.contest, form=SubmitSheetForm(),
                           app_data=_app_data())


@bp.get("/rounds/<int:round_id>/submit")
def submit_confirm(round_id: int):
    """The confirm step without JavaScript (with it, a native dialog on the review page)."""
    s = db.session()
    rnd = judge_screens.judge_round(s, current_user, round_id)
    sheet = judge_screens.round_sheet(s, current_user, rnd)
    return render_template("judge/submit.html", sheet=sheet, contest=current_user.contest, form=SubmitSheetForm(),
                           app_data=_app_data())


@bp.post("/rounds/<int:round_id>/submit")
def submit(round_id: int):
    """Sign and submit the judge's round sheet; refused while any score is missing."""
    form = SubmitSheetForm()
    if not form.validate_on_submit():
        abort(400)
    judge, address = current_user._get_current_object(), client_address()
    signature = None
    if form.signature.data:
        try:
            signature = json.loads(form.signature.data)
        except ValueError:
            signature = "unreadable"  # refused by the service with its message
    try:
        db.commit_retrying(lambda s: sheets.submit_sheet(s, judge, round_id, signature=signature, address=address),
                           keep_refused=False)
    except DomainError as error:
        flash(error_text(error), "error")
        return redirect(url_for("judge.review", round_id=round_id))
    if signature is not None:
        flash(_("서명한 채점표를 제출했습니다. 수고하셨습니다."), "success")
    else:
        flash(_("채점표를 제출했습니다. 수고하셨습니다."), "success")
    return redirect(url_for("judge.review", round_id=round_id))


@bp.get("/files/<int:attachment_id>")
def material(attachment_id: int):
    """An attachment of an entry the judge scores: PDFs and images inline (for the page), other files
    as downloads. The file name goes out per RFC 5987 (``filename*=UTF-8''...``)."""
    attachment = judge_screens.attachment_for_judge(db.session(), current_user, attachment_id)
    inline = judge_screens.material_kind(attachment.content_type) in ("pdf", "image") and request.args.get("download") != "1"
    try:
        return send_attachment(attachment, inline=inline)
    except NotFound:
        abort(404, description=_("자료 파일을 찾을 수 없습니다. 담당자에게 알려 주세요."))


@bp.get("/offline")
def offline():
    """What the tablet shows for a judge page it has not stored, while the network is gone."""
    return render_template("judge/offline.html", contest=current_user.contest, app_data=_app_data())


@bp.get("/offline.json")
def offline_plan():
    """The judge's offline copy: the pages (home, each entry, review, submit) and the materials in
    running order within ``JUDGE_OFFLINE_BUDGET_BYTES``. Before the pledge and the declaration there
    is nothing to store but home (which leads to them)."""
    judge = current_user
    pages = [url_for("judge.home"), url_for("judge.offline")]
    plan = None
    if not declarations.needs_pledge(judge) and not declarations.needs_declaration(db.session(), judge):
        plan = judge_screens.offline_plan(db.session(), judge, current_app.config["JUDGE_OFFLINE_BUDGET_BYTES"])
        for round_id, entry_ids in plan.rounds:
            pages += [url_for("judge.entry", round_id=round_id, entry_id=e) for e in entry_ids]
            pages += [url_for("judge.review", round_id=round_id), url_for("judge.submit_confirm", round_id=round_id)]
    materials = [{"url": url_for("judge.material", attachment_id=m.id), "size": m.size, "name": m.name}
                 for m in (plan.materials if plan else ())]
    return jsonify(ok=True, judge=judge.id, cache=f"judging-judge-{judge.id}", version=deployment_version(),
                   pages=pages, materials=materials, skipped=len(plan.skipped) if plan else 0,
                   budget=current_app.config["JUDGE_OFFLINE_BUDGET_BYTES"],
                   material_bytes=plan.material_bytes if plan else 0)


# --- JSON --------------------------------------------------------------------------------------

def _refusal(error: DomainError):  # noqa: ANN202
    body = {"ok": False, "error": error.details.get("code", "refused"), "message": error_text(error)}
    for key in ("current", "retry_after", "missing"):
        if key in error.details:
            body[key] = error.details[key]
    response = jsonify(body)
    response.status_code = http_status(error)
    if "retry_after" in error.details:
        response.headers["Retry-After"] = str(error.details["retry_after"])
    return response


def _autosave(prepare, apply) -> Any:  # noqa: ANN001
    """Run one autosave as the request's one unit of work (``db.commit_retrying``: on SQLite it
    holds the write lock from the start, so the reads and the writes see one state):
    ``prepare(session, judge)`` parses and checks, the request is counted (rate UPSERT) and
    ``apply(session, judge, prepared)`` writes. A refusal still commits the rate count and nothing
    else; the versioned write makes a rerun safe.
    """
    limit = current_app.config["AUTOSAVE_MAX_PER_MINUTE"]
    judge = current_user._get_current_object()
    key = f"autosave:{judge.id}"

    def work(s):  # noqa: ANN001, ANN202
        refusal: DomainError | None = None
        prepared = None
        try:
            prepared = prepare(s, judge)
        except DomainError as error:
            refusal = error
        rate_limit.hit_rate(s, key, limit)
        if refusal is not None:
            raise refusal
        return apply(s, judge, prepared)

    try:
        return db.commit_retrying(work)
    except DomainError as error:
        return _refusal(error)


def _score_request(data: dict) -> tuple[int, int, int, Any]:
    entry_id, criterion_id = json_id(data, "entry"), json_id(data, "criterion")
    version = json_id(data, "version")
    if "value" not in data:
        raise InputError(_("요청에 'value' 값이 없습니다 (지우려면 null)."), details={"code": "malformed"})
    return entry_id, criterion_id, version, data["value"]


@bp.post("/api/scores")
def api_score():
    """Autosave one score: ``{entry, criterion, value (text, number or null to clear), version}``."""

    def prepare(s, judge):  # noqa: ANN001, ANN202
        entry_id, criterion_id, version, value = _score_request(read_json())
        return autosave.prepare_score(s, judge, entry_id=entry_id, criterion_id=criterion_id, value=value,
                                    version=version)

    def apply(s, judge, change):  # noqa: ANN001, ANN202
        result = autosave.apply_score(s, judge, change, address=client_address())
        return jsonify(ok=True, version=result.version, value=result.value, total=plain(result.total),
                       max_total=None if result.max_total is None else plain(result.max_total), saved_at=result.saved_at.isoformat() + "Z")

    return _autosave(prepare, apply)


@bp.post("/api/comments")
def api_comment():
    """Autosave one comment: ``{round, entry, body, version}``."""

    def prepare(s, judge):  # noqa: ANN001, ANN202
        data = read_json()
        return json_id(data, "round"), json_id(data, "entry"), json_id(data, "version"), data.get("body")

    def apply(s, judge, request_data):  # noqa: ANN001, ANN202
        round_id, entry_id, version, body = request_data
        result = autosave.save_comment(s, judge, round_id=round_id, entry_id=entry_id, body=body, version=version,
                                     address=client_address())
        return jsonify(ok=True, version=result.version, value=result.value,
                       saved_at=result.saved_at.isoformat() + "Z")

    return _autosave(prepare, apply)


@bp.get("/api/csrf")
def api_csrf():
    """A fresh CSRF token for a page whose token went stale (the session was renewed)."""
    return jsonify(ok=True, token=generate_csrf())


# --- template filters ----------------------------------------------------------------------------

@bp.app_template_filter("plain_score")
def _plain_score(value: Decimal | None) -> str:
    """A score as plain text: Decimal("53.50") -> "53.5"."""
    return "" if value is None else plain(value)


@bp.app_template_filter("file_size")
def _file_size(size: int | None) -> str:
    return byte_size(size or 0)
