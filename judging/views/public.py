"""Pages anyone may see: the landing page (which sends each role home)."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import current_user

from judging.views.common import ROLE_HOMES

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for(ROLE_HOMES[current_user.role]))
    return redirect(url_for("auth.sign_in"))
