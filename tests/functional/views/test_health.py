"""``/healthz``, one structured log line per request, and errors logged with their traceback."""

from __future__ import annotations

import json
import logging

import pytest

from judging import create_app
from judging.request_log import JsonFormatter
from tests.support.databases import app_config


class Lines(logging.Handler):
    """Collect what the production formatter writes for logger ``judging``."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(JsonFormatter())
        self.lines: list[dict] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture()
def lines():  # noqa: ANN201
    handler = Lines()
    logger = logging.getLogger("judging")
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)


def test_healthz_is_ok_on_a_migrated_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["schema"] == body["head"]


def test_healthz_says_503_when_the_schema_is_not_at_head(tmp_path):
    app = create_app(app_config(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite'}"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "schema not at head" and body["database"] == "ok" and body["schema"] is None


def test_healthz_says_503_when_the_database_is_unreachable(tmp_path):
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:9/none?connect_timeout=2"
    app = create_app(app_config(tmp_path, DATABASE_URL=url))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "database unreachable"


def test_each_request_writes_one_line_with_id_role_route_status_and_time(client, make_user, login, lines):
    user, password = make_user("organizer")
    login(user, password)
    lines.clear()
    response = client.get("/organizer/", headers={"X-Request-ID": "venue-42"})
    requests = [line for line in lines if line.get("event") == "request"]
    assert len(requests) == 1
    line = requests[0]
    assert line["request_id"] == "venue-42" == response.headers["X-Request-ID"]
    assert line["role"] == "organizer" and line["route"] == "/organizer/" and line["method"] == "GET"
    assert line["status"] == response.status_code and isinstance(line["ms"], float) and line["ms"] >= 0


def test_a_route_is_logged_as_its_rule_and_a_bad_request_id_is_replaced(client, lines):
    response = client.get("/static/css/app.css", headers={"X-Request-ID": "bad id; DROP"})
    (line,) = [line for line in lines if line.get("event") == "request"]
    assert line["route"] == "/static/<path:filename>" and line["role"] is None
    assert line["request_id"] == response.headers["X-Request-ID"] != "bad id; DROP"
    assert len(line["request_id"]) == 32


def test_an_error_is_logged_with_its_traceback_and_request_id(tx_database, tmp_path, lines):
    app = create_app(app_config(tmp_path, DATABASE=tx_database, DATABASE_URL=tx_database.url, TESTING=False))

    @app.get("/boom")
    def boom():  # noqa: ANN202
        raise RuntimeError("the printer caught fire")

    response = app.test_client().get("/boom", headers={"X-Request-ID": "req-1"})
    assert response.status_code == 500
    (error,) = [line for line in lines if line["level"] == "ERROR"]
    assert error["request_id"] == "req-1" and error["route"] == "/boom"
    assert "RuntimeError: the printer caught fire" in error["traceback"] and 'in boom' in error["traceback"]
    (request,) = [line for line in lines if line.get("event") == "request"]
    assert request["status"] == 500 and request["request_id"] == "req-1"
