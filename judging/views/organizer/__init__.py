"""The organizer's pages (a city's welfare policy team), one module per tab of the screen:

- ``home``: the contest list, a new contest, the contest file
- ``dashboard``: the life-cycle steps and status changes
- ``setup``: rounds, criteria, tiers, special awards, tie-break, audience rounds
- ``entrants``: entrants and council invitations
- ``intake``: the deadline, entries received, each round's entries
- ``judges``: judges, their sign-in cards, conflicts of interest
- ``assignments``: who scores what in a round
- ``day``: the live progress board, rounds opened and closed
- ``results``: the ranked table, decisions, publishing; ``approvals``: the second approver
- ``objections``: objections, corrections, revoked awards
- ``documents``: certificates, reports, score sheets, exports
- ``audience``: the audience panel's ballots and voting
- ``audit``: the audit log

``_shared`` holds what every tab uses. Each POST parses its form, calls one service inside the one
unit of work (``db.commit_retrying``) and redirects back with a message; a refusal is rolled back
there and its reason flashed on the same page. Every route sits behind one guard: another
organization's contest is 404, and each endpoint needs the role level ``required_level`` names.
"""

from __future__ import annotations

from flask import Blueprint

from judging.views.organizer._shared import MANAGER_ONLY, ROUND_STATUS_LABELS, guard, required_level

bp = Blueprint("organizer", __name__, url_prefix="/organizer")
bp.before_request(guard)

# The tabs register their routes on ``bp`` when imported.
from judging.views.organizer import (  # noqa: E402
    approvals,
    assignments,
    audience,
    audit,
    dashboard,
    day,
    documents,
    entrants,
    home,
    intake,
    judges,
    objections,
    results,
    setup,
)

__all__ = ["MANAGER_ONLY", "ROUND_STATUS_LABELS", "bp", "required_level", "approvals", "assignments", "audience",
           "audit", "dashboard", "day", "documents", "entrants", "home", "intake", "judges", "objections", "results",
           "setup"]
