"""Configuration layers: defaults -> instance/config.py -> environment -> test settings."""

from __future__ import annotations

import pytest

from judging import create_app

ENV_KEYS = ("JUDGING_SECRET_KEY", "DATABASE_URL", "PORT", "JUDGING_UPLOAD_FOLDER", "JUDGING_UPLOAD_MAX_FILE_MB",
            "JUDGING_UPLOAD_MAX_ENTRY_MB", "JUDGING_HTTPS", "JUDGING_PUBLIC_BASE_URL")


@pytest.fixture()
def instance(tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("JUDGING_INSTANCE_PATH", str(tmp_path))
    return tmp_path


def test_defaults_use_sqlite_in_instance_and_generate_a_secret(instance):
    app = create_app()
    assert app.config["DATABASE_URL"] == f"sqlite:///{instance / 'judging.sqlite'}"
    secret = (instance / "secret_key").read_text().strip()
    assert app.config["SECRET_KEY"] == secret and len(secret) >= 40
    assert (instance / "secret_key").stat().st_mode & 0o077 == 0
    assert create_app().config["SECRET_KEY"] == secret  # stable across starts
    assert app.config["UPLOAD_MAX_FILE_BYTES"] == 20 * 1024 * 1024
    assert app.config["UPLOAD_MAX_ENTRY_BYTES"] == 100 * 1024 * 1024


def test_each_layer_overrides_the_one_before(instance, monkeypatch):
    (instance / "config.py").write_text(
        'SECRET_KEY = "from-instance"\nDATABASE_URL = "sqlite:////tmp/instance.sqlite"\nSPREAD_ALERT_POINTS = 9\n'
    )
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-instance"
    assert app.config["SPREAD_ALERT_POINTS"] == 9
    monkeypatch.setenv("JUDGING_SECRET_KEY", "from-env")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example/judging")
    monkeypatch.setenv("JUDGING_UPLOAD_MAX_FILE_MB", "5")
    monkeypatch.setenv("JUDGING_HTTPS", "1")
    monkeypatch.setenv("PORT", "8123")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["DATABASE_URL"] == "postgresql+psycopg://u:p@db.example/judging"
    assert app.config["UPLOAD_MAX_FILE_BYTES"] == 5 * 1024 * 1024
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["PORT"] == 8123
    app = create_app({"SECRET_KEY": "from-test", "SPREAD_ALERT_POINTS": 3, "DATABASE_URL": "sqlite://"})
    assert app.config["SECRET_KEY"] == "from-test" and app.config["SPREAD_ALERT_POINTS"] == 3
    assert not (instance / "secret_key").exists()  # a configured secret is never replaced by a generated one


def test_secure_cookies_behind_https(instance, monkeypatch):
    monkeypatch.setenv("JUDGING_HTTPS", "1")
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "k"})
    with app.test_request_context():
        from flask import session

        session["x"] = 1
        response = app.make_response("ok")
        app.session_interface.save_session(app, session, response)
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
