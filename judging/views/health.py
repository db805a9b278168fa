"""``/healthz`` for load balancers and monitors: the database answers and its schema is at head."""

from __future__ import annotations

from flask import Blueprint, jsonify

from judging import db
from judging.services import health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 ``{"status": "ok", ...}`` or 503 with what is wrong; reads only, never writes."""
    with db.get_db().session() as session:  # its own session, closed at once: a health check holds no lock
        report = health.check(session)
    return jsonify(report.as_dict()), 200 if report.ok else 503
