"""Helpers shared by the blueprints: domain errors to responses, template globals and filters.

Messages are data until this edge: a :class:`~judging.messages.Message` (or a refusal) that a
service returns is rendered in the request's language by :func:`message_text`; a template shows
one with a plain ``{{ value }}`` (the Jinja ``finalize`` hook renders it) and a JSON body carries
its rendered text (the app's JSON provider renders it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask, Response, abort, current_app, jsonify, render_template, request, send_file
from flask.json.provider import DefaultJSONProvider
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from judging import formatting, inputs, labels
from judging.formatting import LOCAL_ZONE
from judging.forms import SignOutForm
from judging.messages import Message, Refusal, Text
from judging.models import Attachment
from judging.security import wants_json
from judging.services import errors, uploads
from judging.services.errors import DomainError

# The reader's language for each way a JSON body can be refused (inputs.parse_json).
JSON_REFUSALS = {
    "too_large": _l("요청이 너무 큽니다."),
    "too_deep": _l("요청 형식이 올바르지 않습니다 (JSON이 너무 깊게 중첩되었습니다)."),
    "not_json": _l("요청 형식이 올바르지 않습니다 (JSON)."),
    "not_object": _l("요청 형식이 올바르지 않습니다 (JSON 객체가 아닙니다)."),
    "control": _l("입력에 쓸 수 없는 제어 문자(NUL 등)가 들어 있습니다. 글자만 입력해 주세요."),
}

ROLE_HOMES = {"organizer": "organizer.home", "judge": "judge.home", "council": "council.home"}
ORG_ROLE_LABELS = {"manager": _l("관리자 (모든 작업)"), "staff": _l("실무자 (설정과 심사 당일)"),
                   "observer": _l("참관자 (보기만)")}

STATUS_LABELS = {
    **{state: _l(word) for state, word in labels.CONTEST_STATES.items()},  # the ids are marked in judging.labels
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


def in_english() -> bool:
    """Whether the request is answered in English."""
    return str(get_locale() or "ko") == "en"


def page_date(value: dt.date | None) -> str:
    """A date on a page: ``2024. 12. 4.`` in Korean, ``Dec 4, 2024`` in English."""
    if value is None:
        return ""
    return formatting.date_english(value) if in_english() else formatting.date_dot(value)


def page_date_long(value: dt.date | None) -> str:
    """A date written out: ``2024년 12월 4일`` in Korean, ``December 4, 2024`` in English."""
    if value is None:
        return ""
    return formatting.date_english_long(value) if in_english() else formatting.date_korean(value)


def datetime_dot(value: dt.datetime | None) -> str:
    """A stored (UTC) time on a page, in Korea time: ``2024. 12. 4. 15:20`` in Korean,
    ``Dec 4, 2024 15:20`` in English."""
    local = local_time(value)
    if local is None:
        return ""
    if in_english():
        return formatting.datetime_english(local)
    return f"{formatting.date_dot(local.date())} {formatting.time_24(local)}"


def send_attachment(attachment: Attachment, *, inline: bool = False) -> Response:
    """Send an entry's attachment from the upload folder, never cached, never sniffed.

    ``inline`` shows a PDF or image in the page; otherwise the file downloads as an opaque stream.
    The original (Korean) name goes out per RFC 5987 with an ASCII fallback. Raises ``NotFound``
    when the stored file is gone.
    """
    path = uploads.stored_path(current_app.config["UPLOAD_FOLDER"], attachment)
    response = send_file(path, mimetype=attachment.content_type if inline else "application/octet-stream",
                         max_age=0, conditional=False, etag=False)
    response.headers["Content-Disposition"] = uploads.content_disposition(attachment.original_name, attachment.id,
                                                                          inline=inline)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def read_json() -> dict:
    """The request's JSON object, read once for every JSON endpoint: at most ``inputs.JSON_MAX_BYTES``,
    nested at most ``inputs.JSON_MAX_DEPTH`` deep, no control characters in any string. Raises
    ``InputError`` (400, ``error = "malformed"``) with the reason in the reader's language."""
    if (request.content_length or 0) > inputs.JSON_MAX_BYTES:
        raw = b"x" * (inputs.JSON_MAX_BYTES + 1)
    else:
        raw = request.get_data(cache=True)
    try:
        return inputs.parse_json(raw)
    except inputs.InputError as error:
        reason = error.details.get("reason", "not_json")
        raise inputs.InputError(str(JSON_REFUSALS.get(reason, JSON_REFUSALS["not_json"])),
                                details=error.details) from None


def json_id(data: dict, name: str) -> int:
    """A whole-number id (or version) field of a JSON body: 0..2^31-1, else ``InputError`` (400)."""
    value = inputs.bounded_id(data.get(name)) if not isinstance(data.get(name), str) else None
    if value is None:
        raise inputs.InputError(str(_l("요청에 '%(name)s' 값이 없거나 올바르지 않습니다.", name=name)),
                                details={"code": "malformed"})
    return value


def query_id(name: str) -> int | None:
    """An id in the query string (``?round=12``): None when absent or empty; 404 with a message
    when it is not a whole number the database can hold."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    value = inputs.bounded_id(raw)
    if value is None:
        abort(404, description=str(_l("요청하신 항목을 찾을 수 없습니다.")))
    return value


#: The HTTP answer to each kind of refusal (the most specific kind listed wins); anything else is 400.
HTTP_STATUS: dict[type[DomainError], int] = {
    errors.NotFound: 404,
    errors.Forbidden: 403,
    errors.WrongState: 409,
    errors.Invalid: 422,
    errors.TooLarge: 413,
    errors.Throttled: 429,
}


def http_status(error: DomainError) -> int:
    """The status code for a refusal, by its kind."""
    for kind in type(error).__mro__:
        if kind in HTTP_STATUS:
            return HTTP_STATUS[kind]
    return 400


def error_text(error: Refusal) -> str:
    """A refusal's message in the request's language."""
    return error.render(gettext)


def message_text(value: Message | Refusal | str) -> str:
    """A message (a refusal, a core result's ``Text``) in the request's language; a plain string is
    shown as it is."""
    if isinstance(value, (Message, Refusal, Text)):
        return value.render(gettext)
    return value


def messages_rendered(value: Any) -> Any:
    """A JSON tree (dicts, lists) with every message in it (a core result's ``Text`` too) rendered in
    the request's language: for a body whose strings the JSON encoder would write as they are."""
    if isinstance(value, dict):
        return {key: messages_rendered(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [messages_rendered(item) for item in value]
    return message_text(value) if isinstance(value, (Message, Refusal, Text)) else value


def _finalize(value: object) -> object:
    """Every ``{{ value }}`` of every template: a message is shown in the request's language."""
    return message_text(value) if isinstance(value, (Message, Refusal, Text)) else value


class JSONProvider(DefaultJSONProvider):
    """Flask's JSON, where a message (a check's problem, a refusal's detail) becomes its text in
    the request's language."""

    def default(self, o: object) -> object:
        if isinstance(o, (Message, Refusal)):
            return message_text(o)
        return DefaultJSONProvider.default(o)


def init_app(app: Flask) -> None:
    app.json = JSONProvider(app)
    app.jinja_env.finalize = _finalize

    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError):  # noqa: ANN202
        status, text = http_status(error), error_text(error)
        if wants_json():
            return jsonify(ok=False, error=type(error).__name__, message=text, **error.details), status
        return render_template("errors/error.html", code=status, message=text), status

    @app.context_processor
    def _globals() -> dict:
        return {
            "sign_out_form": SignOutForm() if current_user.is_authenticated else None,
            "role_homes": ROLE_HOMES,
            "status_label": lambda status: STATUS_LABELS.get(status, status),
            "org_role_label": lambda role: ORG_ROLE_LABELS.get(role, role),
        }

    app.add_template_filter(page_date, "date_dot")
    app.add_template_filter(page_date_long, "date_korean")
    app.add_template_filter(datetime_dot, "datetime_dot")
