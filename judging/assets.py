"""Static files under content-hashed names, cached for a year.

``url_for("static", filename="css/app.css")`` gives ``/static/css/app.1a2b3c4d5e6f.css``: the name
changes whenever the content does, so a browser keeps each file a year without asking again
(``Cache-Control: public, max-age=31536000, immutable``) and still fetches a new release at once.
``url(...)`` references inside stylesheets are rewritten to hashed names too (the fonts), so they are
cached the same way. A file asked for by its plain name is still served, revalidated on each use.
Text assets are served from memory so every response compressor can compress them; compressing is
Flask-Compress's job (``judging.create_app``), for pages as for assets.
"""

from __future__ import annotations

import hashlib
import mimetypes
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, abort, current_app, request, send_from_directory

DIGEST_LENGTH = 12
ONE_YEAR = 365 * 24 * 3600
TEXT_SUFFIXES = {".css", ".js", ".mjs", ".json", ".svg", ".txt", ".webmanifest", ".map"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


@dataclass(frozen=True)
class Manifest:
    hashed: dict[str, str]  # "css/app.css" -> "css/app.1a2b3c4d5e6f.css"
    original: dict[str, str]  # the reverse
    digest: dict[str, str]  # "css/app.css" -> "1a2b3c4d5e6f"
    text: dict[str, bytes]  # text assets as served (stylesheets with their references rewritten)
    fingerprint: tuple


def _fingerprint(folder: Path) -> tuple:
    return tuple(sorted((p.relative_to(folder).as_posix(), p.stat().st_mtime_ns, p.stat().st_size)
                        for p in folder.rglob("*") if p.is_file()))


def hashed_name(name: str, digest: str) -> str:
    """``css/app.css`` -> ``css/app.<digest>.css`` (a name without suffix gets ``.<digest>``)."""
    folder, base = posixpath.split(name)
    stem, dot, suffix = base.rpartition(".")
    new = f"{stem}.{digest}.{suffix}" if dot and stem else f"{base}.{digest}"
    return posixpath.join(folder, new) if folder else new


def rewrite_css(name: str, css: str, hashed: dict[str, str]) -> str:
    """Point relative ``url(...)`` references of stylesheet ``name`` at the hashed files."""
    here = posixpath.dirname(name)

    def replace(match: re.Match) -> str:
        quote, ref = match.group(1), match.group(2).strip()
        if ref.startswith(("data:", "http:", "https:", "/", "#")):
            return match.group(0)
        path, sep, rest = ref, "", ""
        if (cut := re.search(r"[?#]", ref)) is not None:
            path, sep, rest = ref[:cut.start()], ref[cut.start()], ref[cut.start() + 1:]
        target = posixpath.normpath(posixpath.join(here, path))
        if target not in hashed:
            return match.group(0)
        return f"url({quote}{posixpath.relpath(hashed[target], here or '.')}{sep}{rest}{quote})"

    return _CSS_URL.sub(replace, css)


def build_manifest(folder: Path) -> Manifest:
    """Hash every file under ``folder``. Stylesheets come last, so their hash covers the hashed names
    they now refer to (a new font gives the stylesheet a new name too)."""
    fingerprint = _fingerprint(folder)
    files = sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: (p.suffix == ".css", str(p)))
    hashed: dict[str, str] = {}
    digests: dict[str, str] = {}
    text: dict[str, bytes] = {}
    for path in files:
        name = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        if path.suffix == ".css":
            data = rewrite_css(name, data.decode("utf-8"), hashed).encode("utf-8")
        if path.suffix in TEXT_SUFFIXES:
            text[name] = data
        digests[name] = hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]
        hashed[name] = hashed_name(name, digests[name])
    return Manifest(hashed, {v: k for k, v in hashed.items()}, digests, text, fingerprint)


def manifest(app: Flask | None = None) -> Manifest:
    """The app's manifest; in debug mode it is rebuilt when a static file changes."""
    app = app or current_app
    current: Manifest = app.extensions["judging.assets"]
    if app.debug and _fingerprint(Path(app.static_folder)) != current.fingerprint:  # type: ignore[arg-type]
        current = app.extensions["judging.assets"] = build_manifest(Path(app.static_folder))  # type: ignore[arg-type]
    return current


def serve_static(filename: str) -> Response:
    """The ``static`` endpoint: a hashed name is immutable for a year, a plain one is revalidated."""
    assets = manifest()
    name = assets.original.get(filename)
    immutable = name is not None
    name = name or filename
    if name not in assets.hashed:
        abort(404)
    if name in assets.text:
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response = current_app.response_class(assets.text[name], mimetype=mimetype)
        response.set_etag(assets.digest[name])
        response.make_conditional(request)
    else:
        response = send_from_directory(current_app.static_folder, name)  # type: ignore[arg-type]
    if immutable:
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
    else:
        response.cache_control.no_cache = True
        response.cache_control.max_age = None
    return response


def init_app(app: Flask) -> None:
    app.extensions["judging.assets"] = build_manifest(Path(app.static_folder))  # type: ignore[arg-type]
    app.view_functions["static"] = serve_static

    @app.url_defaults
    def _hashed_static(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = manifest(app).hashed.get(values["filename"], values["filename"])
