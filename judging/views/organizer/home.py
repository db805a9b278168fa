"""The organizer's home: the contest list, a new contest, and a contest file (TOML) uploaded, downloaded or
replaced."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from judging import db, forms
from judging.formatting import byte_size
from judging.messages import N_
from judging.services import contest_file, contest_file_dump, contest_file_format, setup, uploads
from judging.services.errors import DomainError
from judging.views.common import error_text, message_text
from judging.views.organizer import bp
from judging.views.organizer._shared import _contest, _invalid, _me, _nav


@bp.get("/")
def home():
    """The organizer's contests, with the forms for a new contest and for loading a contest file."""
    s = db.session()
    contests = setup.list_contests(s, _me().organization_id)
    return render_template("organizer/home.html", contests=contests, form=forms.ContestCreateForm(),
                           file_form=forms.ContestFileUploadForm(prefix="file"), **_nav(None, "home"))


@bp.post("/contests")
def create_contest():
    """Create a contest and go to its set-up; a bad form or a slug in use is refused on the home page."""
    form = forms.ContestCreateForm()
    if not form.validate_on_submit():
        return _invalid(form, url_for(".home"))
    try:
        contest = db.commit_retrying(lambda s: setup.create_contest(
            s, slug=form.slug.data, title=form.title.data, organizer=form.organizer.data, issuer=form.issuer.data,
            issuer_name=form.issuer_name.data or "", held_on=form.held_on.data, venue=form.venue.data or "",
            actor=_me(), organization=_me().organization), keep_refused=False)
    except DomainError as error:
        flash(error_text(error), "error")
        return redirect(url_for(".home"), code=303)
    flash(_("공모전을 만들었습니다. 라운드와 심사 기준을 정해 주세요."), "success")
    return redirect(url_for(".setup_page", slug=contest.slug), code=303)


def _load_contest_file(back: str, slug: str | None = None) -> Response:
    form = forms.ContestFileUploadForm(prefix="file")
    if not form.validate_on_submit():
        return _invalid(form, back)
    raw = form.file.data.read(contest_file.MAX_FILE_BYTES + 1)
    if len(raw) > contest_file.MAX_FILE_BYTES:
        flash(_("공모전 파일이 너무 큽니다 (%(most)s 이하).", most=byte_size(contest_file.MAX_FILE_BYTES)), "error")
        return redirect(back, code=303)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        flash(_("공모전 파일은 UTF-8 텍스트(TOML)여야 합니다."), "error")
        return redirect(back, code=303)
    actor = _me()

    def load(s):  # noqa: ANN001, ANN202
        if slug is not None:
            found = contest_file_format.parse(text).contest["slug"]
            if found != slug:
                raise DomainError(N_("파일의 slug '{found}'가 이 공모전('{slug}')과 다릅니다."), found=found, slug=slug)
        return contest_file.load(s, text, replace=bool(form.replace.data) or slug is not None, actor=actor,
                                 organization=actor.organization)

    try:
        contest = db.commit_retrying(load, keep_refused=False)
    except contest_file_format.ContestFileError as error:
        flash(_("공모전 파일에 문제가 있어 아무것도 바꾸지 않았습니다."), "error")
        for line in error.lines:
            flash(message_text(line), "error")
        return redirect(back, code=303)
    except DomainError as error:
        flash(error_text(error), "error")
        return redirect(back, code=303)
    flash(_("공모전 파일을 불러왔습니다."), "success")
    return redirect(url_for(".dashboard", slug=contest.slug), code=303)


@bp.post("/contest-file")
def upload_contest_file():
    """Create (or replace) a contest from an uploaded contest file; a file with problems changes nothing."""
    return _load_contest_file(url_for(".home"))


@bp.get("/c/<slug>/contest-file")
def download_contest_file(slug: str):
    """The contest as a contest file (TOML) to keep or load elsewhere."""
    contest = _contest(slug)
    text = contest_file_dump.dump_contest(db.session(), contest)
    response = Response(text, mimetype="application/toml")
    response.headers["Content-Disposition"] = uploads.content_disposition(f"{contest.slug}.toml")
    return response


@bp.post("/c/<slug>/contest-file")
def replace_contest_file(slug: str):
    """Replace this contest's set-up from a contest file; a file for another slug is refused."""
    _contest(slug)
    return _load_contest_file(url_for(".setup_page", slug=slug), slug=slug)
