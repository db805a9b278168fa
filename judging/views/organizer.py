"""The organizer's pages (a city's welfare policy team)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template

from judging import db
from judging.models import Contest
from judging.security import role_required

bp = Blueprint("organizer", __name__, url_prefix="/organizer")


@bp.before_request
@role_required("organizer")
def _guard() -> None:
    return None


@bp.get("/")
def home():
    contests = db.session().scalars(sa.select(Contest).order_by(Contest.held_on.desc(), Contest.id.desc())).all()
    return render_template("organizer/home.html", contests=contests)
from judging.views import organizer_documents  # noqa: E402,F401
