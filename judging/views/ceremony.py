"""The ceremony on the projector: one reveal at a time, from the published snapshot only.

The page embeds the whole reveal sequence as JSON and steps through it in the browser, so once
loaded it keeps working with the network down. A presenter view (second window or tablet) shows
the current slide, what comes next and the 심사평 notes; the windows follow each other through
BroadcastChannel / localStorage events, and across devices through the position kept on the server
(``position.json``, polled; a move is a JSON POST). Organizers only.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user

from judging import db
from judging.documents.fonts import FONT_DIR
from judging.security import role_required
from judging.services import ceremony, published, setup
from judging.views.common import messages_rendered, page_date_long

bp = Blueprint("ceremony", __name__, url_prefix="/ceremony")

FONTS = {"NanumMyeongjo.ttf", "NanumMyeongjoBold.ttf"}


@bp.before_request
@role_required("organizer")
def _guard() -> None:
    slug = (request.view_args or {}).get("slug")
    if slug is not None:  # another organization's ceremony is 404
        setup.get_contest(db.session(), slug, current_user.organization_id)


def _page(slug: str, role: str):  # noqa: ANN202
    session = db.session()
    contest = setup.get_contest(session, slug, current_user.organization_id)
    result = published.load(session, contest)
    if result is None:
        # Nothing but the message: no names, no data, no script.
        return render_template("ceremony/unpublished.html", contest=contest)
    slides = messages_rendered(ceremony.sequence(contest, result))  # the rule and the lines in the reader's language
    for slide in slides:
        if slide["kind"] == "title":  # the day, in the reader's language
            slide["date"] = page_date_long(contest.held_on)
    data = {
        "slug": contest.slug,
        "version": result.version,
        "role": role,
        "slides": slides,
        "audienceUrl": url_for("ceremony.show", slug=contest.slug),
        "presenterUrl": url_for("ceremony.presenter", slug=contest.slug),
        "positionUrl": url_for("ceremony.position", slug=contest.slug),
        "moveUrl": url_for("ceremony.move", slug=contest.slug),
        "labels": {
            "kicker": _("시상"),
            "count": _("{n}개 단체"),
            "congratulations": _("수상을 축하합니다"),
            "method": _("심사 방법"),
            "ceremony": _("시상식"),
            "end": _("(끝)"),
            "titleSlide": _("제목"),
            "last": _("마지막 화면입니다."),
        },
    }
    if role == "presenter":
        data["notes"] = contest.review_notes
    template = "ceremony/presenter.html" if role == "presenter" else "ceremony/show.html"
    return render_template(template, contest=contest, result=result, data=data, first=slides[0],
                           count=len(slides))


@bp.get("/<slug>")
def show(slug: str):
    """The ceremony's audience screen for the projector; before publication only a message."""
    return _page(slug, "audience")


@bp.get("/<slug>/presenter")
def presenter(slug: str):
    """The ceremony's presenter screen with the next slide and notes; before publication only a message."""
    return _page(slug, "presenter")


@bp.get("/<slug>/position.json")
def position(slug: str):
    """Where the reveal stands (polled by every ceremony window; never cached)."""
    session = db.session()
    contest = setup.get_contest(session, slug, current_user.organization_id)
    pos = ceremony.position(session, contest)
    response = jsonify(ok=True, version=pos.version if pos else None, slide=pos.slide if pos else None,
                       seq=pos.seq if pos else 0)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<slug>/position")
def move(slug: str):
    """A window moved the reveal: ``{"version": n, "slide": i}`` (JSON, with the CSRF header)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("version"), int) \
            or not isinstance(body.get("slide"), int) or isinstance(body.get("slide"), bool):
        return jsonify(ok=False, message=_("요청 형식이 올바르지 않습니다.")), 400

    def work(session):  # noqa: ANN001, ANN202
        contest = setup.get_contest(session, slug, current_user.organization_id)
        result = published.load(session, contest)
        count = len(ceremony.sequence(contest, result)) if result else 0
        return ceremony.move(session, contest, body["version"], body["slide"], count)

    pos = db.commit_retrying(work)
    return jsonify(ok=True, version=pos.version, slide=pos.slide, seq=pos.seq)


@bp.get("/fonts/<name>")
def font(name: str):
    """Nanum Myeongjo for the projector (shipped in the repo; no CDN)."""
    if name not in FONTS:
        abort(404)
    response = send_from_directory(FONT_DIR, name, mimetype="font/ttf", max_age=7 * 24 * 3600)
    return response
