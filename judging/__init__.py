"""judging: award competitions end to end.

``create_app`` layers configuration: defaults (``judging.config``) -> ``instance/config.py`` ->
environment (``JUDGING_SECRET_KEY``, ``DATABASE_URL``, ``PORT``, ``JUDGING_UPLOAD_FOLDER``,
``JUDGING_UPLOAD_MAX_FILE_MB``, ``JUDGING_UPLOAD_MAX_ENTRY_MB``, ``JUDGING_JUDGE_OFFLINE_MB``,
``JUDGING_HTTPS``, ``JUDGING_PUBLIC_BASE_URL``, ``JUDGING_INSTANCE_PATH``) -> the ``test_config`` mapping.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the scoring core imports this package and must not pull in Flask
    from flask import Flask

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask application."""
    from flask import Flask

    app = Flask(
        __name__,
        instance_path=os.environ.get("JUDGING_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder=str(PROJECT_DIR / "templates"),
        static_folder=str(PACKAGE_DIR / "static"),
    )
    app.config.from_object("judging.config")
    app.config["DATABASE_URL"] = "sqlite:///" + os.path.join(app.instance_path, "judging.sqlite")
    app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "uploads")
    app.config.from_pyfile("config.py", silent=True)
    _from_environment(app)
    if test_config:
        app.config.update(test_config)

    from judging.db import normalise_url

    app.config["DATABASE_URL"] = normalise_url(app.config["DATABASE_URL"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if app.config.get("UPLOAD_MAX_FILE_BYTES"):
        app.config["MAX_CONTENT_LENGTH"] = max(
            app.config.get("MAX_CONTENT_LENGTH") or 0, app.config["UPLOAD_MAX_ENTRY_BYTES"] + 1024 * 1024
        )

    from flask_compress import Compress

    from judging import assets, db, i18n, request_log, security
    from judging.inputs import BoundedIntConverter
    from judging.services import audit_chain  # noqa: F401 - seals every audit event into the hash chain
    from judging.views import register_blueprints

    # Every <int:...> in every route: only ids the database can hold match (larger ones are 404).
    app.url_map.converters["int"] = BoundedIntConverter

    request_log.init_app(app)
    db.init_app(app, app.config.get("DATABASE"))
    i18n.init_app(app)
    security.init_app(app)
    register_blueprints(app)
    assets.init_app(app)
    Compress(app)  # zstd, brotli or gzip, as the browser accepts: pages, JSON and text assets

    from judging.cli import register_cli

    register_cli(app)
    if app.config.get("PROXY_FIX"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    return app


def _from_environment(app: Flask) -> None:
    env = os.environ
    if env.get("JUDGING_SECRET_KEY"):
        app.config["SECRET_KEY"] = env["JUDGING_SECRET_KEY"]
    if env.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = env["DATABASE_URL"]
    if env.get("JUDGING_UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = env["JUDGING_UPLOAD_FOLDER"]
    if env.get("JUDGING_UPLOAD_MAX_FILE_MB"):
        app.config["UPLOAD_MAX_FILE_BYTES"] = int(float(env["JUDGING_UPLOAD_MAX_FILE_MB"]) * 1024 * 1024)
    if env.get("JUDGING_UPLOAD_MAX_ENTRY_MB"):
        app.config["UPLOAD_MAX_ENTRY_BYTES"] = int(float(env["JUDGING_UPLOAD_MAX_ENTRY_MB"]) * 1024 * 1024)
    if env.get("JUDGING_JUDGE_OFFLINE_MB"):
        app.config["JUDGE_OFFLINE_BUDGET_BYTES"] = int(float(env["JUDGING_JUDGE_OFFLINE_MB"]) * 1024 * 1024)
    if env.get("JUDGING_HTTPS") == "1":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config["PROXY_FIX"] = True
    if env.get("JUDGING_PUBLIC_BASE_URL"):
        app.config["PUBLIC_BASE_URL"] = env["JUDGING_PUBLIC_BASE_URL"]
    if env.get("PORT"):
        app.config["PORT"] = int(env["PORT"])
        if not env.get("JUDGING_PUBLIC_BASE_URL"):
            app.config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{app.config['PORT']}"


def _instance_secret(instance: Path) -> str:
    """Read the generated secret in ``instance/secret_key``, creating it on first start."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        tmp = instance / f".secret_key.{os.getpid()}"
        tmp.write_text(secrets.token_urlsafe(48))
        os.chmod(tmp, 0o600)
        try:
            # link() fails if another worker won the race; then use theirs.
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    return path.read_text().strip()
