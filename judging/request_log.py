"""One structured log line per request, and every error with its traceback, as JSON on stderr.

Each request gets an id (the proxy's ``X-Request-ID`` when it sends a sane one, else a new one),
echoed in the ``X-Request-ID`` response header. After the response, logger ``judging.request``
writes ``{"event": "request", "request_id", "method", "route", "status", "ms", "role"}``: the route
is the URL rule (``/judge/rounds/<int:round_id>/entries/<int:entry_id>``), never the address with
its ids and query. An unhandled error is logged by Flask on logger ``judging`` with its traceback;
the formatter adds the request id, so the two lines can be joined. Gunicorn's access log is off.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
logger = logging.getLogger("judging.request")


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object on one line (tracebacks included, escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
                 "logger": record.name}
        if isinstance(record.msg, dict):
            entry.update(record.msg)
        else:
            entry["message"] = record.getMessage()
        if has_request_context() and "request_id" not in entry:
            entry["request_id"] = g.get("request_id")
            entry["route"] = request.url_rule.rule if request.url_rule else None
        if record.exc_info:
            entry["error"] = repr(record.exc_info[1])
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(app: Flask) -> None:
    """Give logger ``judging`` (Flask's ``app.logger``) one JSON handler on stderr, once per process."""
    base = logging.getLogger("judging")
    if not any(getattr(h, "judging_json", False) for h in base.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler.judging_json = True  # type: ignore[attr-defined]
        base.addHandler(handler)
    if base.level == logging.NOTSET:
        base.setLevel(logging.INFO)
    app.logger  # noqa: B018 - Flask sees the handler above and adds no default handler of its own


def _role() -> str | None:
    """The signed-in role when this request already loaded the user (no query just to log it)."""
    user = g.get("_login_user")
    if user is None:
        return None
    return getattr(user, "role", None) or "anonymous"


def init_app(app: Flask) -> None:
    configure(app)

    @app.before_request
    def _start() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _log(response):  # noqa: ANN001, ANN202
        started = g.get("request_started")
        if started is None:  # a request that failed before any before_request ran
            return response
        response.headers["X-Request-ID"] = g.request_id
        logger.info({
            "event": "request",
            "request_id": g.request_id,
            "method": request.method,
            "route": request.url_rule.rule if request.url_rule else None,
            "endpoint": request.endpoint,
            "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "role": _role(),
        })
        return response
