"""The day tab: the live progress board (and its JSON poll), rounds opened and closed, a judge's sheet
reopened."""

from __future__ import annotations

from flask import jsonify, render_template, url_for
from flask_babel import gettext as _

from judging import charts, db, forms
from judging.messages import N_
from judging.models import Contest, Round, utcnow
from judging.services import assignments, audience, lifecycle, progress, setup
from judging.services import charts as service_charts
from judging.views import chart_text
from judging.views.common import query_id
from judging.views.organizer import bp
from judging.views.organizer._shared import (
    _contest,
    _invalid,
    _labels,
    _me,
    _nav,
    _round_label,
    _run,
    _to_local,
    short_name,
)

# The board polls this often (seconds). Polling, not server-sent events: behind gunicorn's sync
# workers an open event stream holds a whole worker per watching browser; a short JSON poll does not,
# survives proxies and flaky venue Wi-Fi, and needs nothing but a timer.
POLL_SECONDS = 3

#: Words for the board's codes (``services.progress``): cell states, what a judge is doing, signatures.
BOARD_STATES = {"complete": N_("완료"), "in_progress": N_("채점 중"), "not_started": N_("시작 전"),
                "conflict": N_("회피"), "unassigned": N_("배정 없음")}
BOARD_ACTIVITIES = {"submitted": N_("제출함"), "scoring": N_("채점 중"), "signed_in": N_("접속함"),
                    "not_signed_in": N_("접속 전")}
BOARD_SIGNATURES = {"tablet": N_("서명함"), "paper": N_("종이 서명")}


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
    """The day's live progress board of a round: each judge's sheet, the chart, the lock check."""
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
                           turnouts=audience.contest_turnout(s, contest), labels=_labels(BOARD_STATES),
                           activity_labels=_labels(BOARD_ACTIVITIES), signed_labels=_labels(BOARD_SIGNATURES),
                           round_label=_round_label(rnd.status) if rnd else "",
                           action_form=forms.ActionForm(), reopen_form=reopen_form, lock_check=lock_check,
                           short_name=short_name,
                           status_form=forms.StatusForm(target="lock"), poll_seconds=POLL_SECONDS,
                           **_nav(contest, "day"))


def _day_chart(board: progress.Board) -> dict:
    """The day's chart of a board: {"svg", "data"}."""
    data = service_charts.day_chart(board, _to_local, utcnow(), _("채점 진행"), short_name)
    return {"svg": charts.svg_day(data, chart_text.words()), "data": data}


@bp.get("/c/<slug>/progress.json")
def progress_json(slug: str):
    """The progress board as JSON for the page's poll (never cached); no round is 404."""
    s = db.session()
    contest = _contest(slug)
    rnd = _board_round(contest)
    if rnd is None:
        return jsonify(ok=False, message=_("라운드가 없습니다.")), 404
    board = progress.board(s, rnd)
    data = board.to_json()
    for column in data["entries"]:
        column["short"] = short_name(column["name"])
    data["state_labels"] = _labels(BOARD_STATES)
    data["activity_labels"] = _labels(BOARD_ACTIVITIES)
    data["signed_labels"] = _labels(BOARD_SIGNATURES)
    response = jsonify(ok=True, board=data, round_status=rnd.status, day_chart=str(_day_chart(board)["svg"]),
                       round_status_label=_round_label(rnd.status), lock=_lock_json(contest),
                       audience=[t.to_json() for t in audience.contest_turnout(s, contest)])
    response.headers["Cache-Control"] = "no-store"
    return response


def _lock_json(contest: Contest) -> dict | None:
    if contest.status != "judging":
        return None
    check = lifecycle.check(db.session(), contest, "lock")
    return {"problems": check.problems, "warnings": check.warnings}


@bp.post("/c/<slug>/rounds/<int:round_id>/open")
def open_round(slug: str, round_id: int):
    """Open a round for scoring; refused when the contest's state forbids it."""
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
    """Close a round for scoring; refused when it is not open."""
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
    """Reopen a judge's submitted sheet with a reason so they can correct it; refused without a reason."""
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
