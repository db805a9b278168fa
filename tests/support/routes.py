"""Every route of the app, with a path that fills its parts, and the role each blueprint belongs to."""

from __future__ import annotations

import re

BLUEPRINT_ROLES = {
    "auth": None,  # anyone
    "public": None,
    "vote": None,  # audience ballots: the card is the credential
    "static": None,
    "health": None,  # /healthz for load balancers
    "organizer": "organizer",
    "judge": "judge",
    "judge_offline": None,  # the service worker and the manifest: nothing personal
    "council": "council",
    "ceremony": "organizer",
}
ROLES = ("organizer", "judge", "council")
HOMES = {"organizer": "/organizer/", "judge": "/judge/", "council": "/council/"}


def dummy_path(rule) -> str:  # noqa: ANN001
    def substitute(match: re.Match) -> str:
        converter = match.group(1) or "string"
        return "999999" if converter.startswith("int") else "x"

    return re.sub(r"<(?:([a-z]+)(?:\([^)]*\))?:)?[a-z_]+>", substitute, rule.rule)


def all_routes(app) -> list[tuple[str, str, str]]:  # noqa: ANN001
    routes = []
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.split(".", 1)[0] if "." in rule.endpoint else rule.endpoint
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((blueprint, method, dummy_path(rule)))
    return routes
