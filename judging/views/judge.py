"""The judge's pages: scoring on a tablet."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from judging.security import role_required

bp = Blueprint("judge", __name__, url_prefix="/judge")


@bp.before_request
@role_required("judge")
def _guard() -> None:
    return None


@bp.get("/")
def home():
    return render_template("judge/home.html", judge=current_user, contest=current_user.contest)
