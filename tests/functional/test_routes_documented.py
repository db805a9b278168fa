"""Every route says what it does: a newcomer who finds an endpoint in the URL map finds, on its view
function, one line on what the screen or action does and what it refuses."""

from __future__ import annotations

import inspect

from judging import create_app


def _undocumented() -> list[str]:
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "documented"})
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue  # Flask's own static files
        view = app.view_functions[rule.endpoint]
        doc = inspect.getdoc(view) or ""
        if not doc.strip():
            missing.append(f"{rule.endpoint} ({rule.rule}) in {view.__module__}")
    return sorted(set(missing))


def test_every_route_has_a_docstring() -> None:
    missing = _undocumented()
    assert missing == [], "add a one-line docstring to these view functions:\n" + "\n".join(missing)


def test_the_check_sees_every_blueprint() -> None:
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "documented"})
    blueprints = {rule.endpoint.split(".", 1)[0] for rule in app.url_map.iter_rules() if "." in rule.endpoint}
    assert {"auth", "public", "organizer", "judge", "council", "ceremony", "vote", "health"} <= blueprints
