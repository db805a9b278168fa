"""A dong council's pages: its entry, attachments and, after publication, its own result."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from judging.security import role_required

bp = Blueprint("council", __name__, url_prefix="/council")


@bp.before_request
@role_required("council")
def _guard() -> None:
    return None


@bp.get("/")
def home():
    entrant = current_user.entrant
    return render_template("council/home.html", entrant=entrant, entry=entrant.entry if entrant else None)
from judging.views import council_documents  # noqa: E402,F401
