"""The judge app's service worker and web app manifest, served under /judge/ so the worker's scope
is the judge's pages. Neither carries anything personal, so neither needs a signed-in judge (the
browser fetches the worker again on its own to look for a new deployment).

The worker script is the static file ``js/judge-sw.js`` with one line put before it: the deployment's
version and the asset URLs to store, as ``url_for`` emits them (so they follow however static files
are named and cached).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import Blueprint, Response, current_app, url_for
from flask_babel import gettext as _

from judging import assets

bp = Blueprint("judge_offline", __name__, url_prefix="/judge")

#: The static files every judge page uses (the templates link the same files through url_for).
JUDGE_ASSETS = ("css/fonts.css", "css/app.css", "css/judge.css", "js/judge-queue.js", "js/judge.js", "js/judge-offline.js",
                "js/judge-sign.js", "img/judge-icon.svg")
WORKER = "js/judge-sw.js"

def _static_path(name: str) -> Path:
    return Path(current_app.static_folder or "") / name


def judge_assets() -> list[str]:
    """The judge pages' files, and every web font slice (which ones a page needs depends on the names
    on it, so all are stored: about 1.4 MB)."""
    fonts = sorted(name for name in assets.manifest().hashed if name.startswith("fonts/") and name.endswith(".woff2"))
    return [*JUDGE_ASSETS, *fonts]


def deployment_version() -> str:
    """A short hash of the worker and the judge's assets as deployed (their content digests): a new
    deployment that changes any of them gets a new version, and the tablets' stored copy is replaced."""
    digests = assets.manifest().digest
    digest = hashlib.sha256()
    for name in (WORKER, *judge_assets()):
        digest.update(f"{name}={digests.get(name, '')};".encode())
    return digest.hexdigest()[:16]


def asset_urls() -> list[str]:
    return [url_for("static", filename=name) for name in judge_assets()]


@bp.get("/sw.js")
def service_worker() -> Response:
    """The judges' service worker with this deployment's version and asset list (never cached)."""
    config = {"version": deployment_version(), "scope": url_for("judge.home"), "assets": asset_urls(),
              "offline": url_for("judge.offline")}
    body = f"self.JUDGING_SW = {json.dumps(config)};\n" + _static_path(WORKER).read_text(encoding="utf-8")
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = url_for("judge.home")
    return response


@bp.get("/app.webmanifest")
def manifest() -> Response:
    """The judges' web app manifest (installable tablet app)."""
    data = {
        "name": _("공모전 심사 — 심사위원"),
        "short_name": _("심사"),
        "start_url": url_for("judge.home"),
        "scope": url_for("judge.home"),
        "display": "standalone",
        "orientation": "any",
        "background_color": "#ffffff",
        "theme_color": "#0b4f8a",
        "lang": "ko",
        "icons": [{"src": url_for("static", filename="img/judge-icon.svg"), "sizes": "any",
                   "type": "image/svg+xml", "purpose": "any"}],
    }
    response = Response(json.dumps(data, ensure_ascii=False), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response
