"""One blueprint per role. ``register_blueprints`` wires them all and the shared helpers."""

from __future__ import annotations

import importlib

from flask import Flask

BLUEPRINT_MODULES = ("auth", "public", "organizer", "judge", "judge_offline", "council", "ceremony", "vote", "health")


def register_blueprints(app: Flask) -> None:
    for name in BLUEPRINT_MODULES:
        try:
            module = importlib.import_module(f"judging.views.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"judging.views.{name}":
                continue
            raise
        app.register_blueprint(module.bp)

    from judging.views import common

    common.init_app(app)
