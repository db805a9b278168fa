"""Helpers shared by the blueprints: domain errors to responses, template globals and filters."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Flask, jsonify, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from judging import formatting
from judging.forms import SignOutForm
from judging.security import wants_json
from judging.services.errors import DomainError

ROLE_HOMES = {"organizer": "organizer.home", "judge": "judge.home", "council": "council.home"}
LOCAL_ZONE = ZoneInfo("Asia/Seoul")

STATUS_LABELS = {
    "draft": _l("준비"),
    "open": _l("접수 중"),
    "judging": _l("심사 중"),
    "locked": _l("점수 확정"),
    "published": _l("결과 공개"),
    "pending": _l("대기"),
    "closed": _l("마감"),
    "submitted": _l("제출됨"),
    "accepted": _l("접수 완료"),
    "returned": _l("반려"),
    "withdrawn": _l("철회"),
}


def local_time(value: dt.datetime | None) -> dt.datetime | None:
    """Stored times are naive UTC; show them in Korea time."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(LOCAL_ZONE)


def datetime_dot(value: dt.datetime | None) -> str:
    local = local_time(value)
    return "" if local is None else f"{formatting.date_dot(local.date())} {formatting.time_24(local)}"


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError):  # noqa: ANN202
        if wants_json():
            return jsonify(ok=False, error=type(error).__name__, message=error.message, **error.details), error.status
        return render_template("errors/error.html", code=error.status, message=error.message), error.status

    @app.context_processor
    def _globals() -> dict:
        return {
            "sign_out_form": SignOutForm() if current_user.is_authenticated else None,
            "role_homes": ROLE_HOMES,
            "status_label": lambda status: STATUS_LABELS.get(status, status),
        }

    app.add_template_filter(lambda d: "" if d is None else formatting.date_dot(d), "date_dot")
    app.add_template_filter(lambda d: "" if d is None else formatting.date_korean(d), "date_korean")
    app.add_template_filter(datetime_dot, "datetime_dot")
