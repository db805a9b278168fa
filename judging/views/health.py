"""``/healthz`` for load balancers and monitors: the database answers and its schema is at head."""

from __future__ import annotations

from flask import Blueprint, jsonify

from judging import db
from judging.services import health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 ``{"status": "ok", ...}`` or 503 with what is wrong; reads only, never writes."""
    report = health.check(db.session())
    return jsonify(report.as_dict()), 200 if report.ok else 503
