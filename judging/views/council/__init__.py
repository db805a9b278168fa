"""A dong council's pages, one module per screen:

- ``home``: the home page and the council's password
- ``entry``: its entry, attachments, submission and receipt
- ``result``: its own result after publication, and its objection to it
- ``certificates``: its own certificates

A council only ever sees its own entrant: no page takes an entry id, and an attachment id that is
not its own is answered as not found. Until the council has chosen a password (after arriving
through its invitation link) every page leads to the password form (``_shared.guard``).
"""

from __future__ import annotations

from flask import Blueprint

from judging.views.council._shared import guard

bp = Blueprint("council", __name__, url_prefix="/council")
bp.before_request(guard)

# The screens register their routes on ``bp`` when imported.
from judging.views.council import certificates, entry, home, result  # noqa: E402

__all__ = ["bp", "certificates", "entry", "home", "result"]
