"""A council's own certificates, after publication: a list and the PDFs.

A council sees only its own entrant's certificates; another's id is answered as not found.
"""

from __future__ import annotations

import io

from flask import current_app, render_template, request, send_file
from flask_login import current_user

from judging import db
from judging.documents import render_certificate
from judging.messages import N_
from judging.models import Certificate
from judging.services import certificates, intake, published
from judging.services.errors import NotFound
from judging.views.council import bp


def _base_url() -> str:
    return current_app.config.get("PUBLIC_BASE_URL") or request.host_url


@bp.get("/certificates")
def certificates_list():
    """The council's own certificates after publication."""
    session = db.session()
    entrant = intake.council_edition(session, current_user, request.args.get("contest"))
    contest = entrant.contest
    result = published.load(session, contest)
    # Numbers are given by the organizer (a POST on the documents page); this page only reads.
    mine = certificates.for_entrant(session, entrant.id) if entrant else []
    rows = [{"id": c.id, "number": c.number, "award": c.award_title, "recipient": c.recipient} for c in mine]
    numbered = {c.award_key for c in mine}
    entry_id = entrant.entry.id if entrant is not None and entrant.entry is not None else None
    awaiting = [a.title for a in (result.awards if result else [])
                if a.entry.entry_id == entry_id and a.key not in numbered]
    return render_template("council/certificates.html", entrant=entrant, contest=contest,
                           published=result is not None, rows=rows, awaiting=awaiting)


@bp.get("/certificates/<int:certificate_id>.pdf")
def certificate_pdf(certificate_id: int):
    """One of the council's own certificates as a PDF; another's or a revoked one is 404."""
    session = db.session()
    cert = session.get(Certificate, certificate_id)
    # for_entrant lists only this council's own certificates (of every contest it entered): any
    # other id is "not found".
    entrant = next((e for e in intake.council_editions(session, current_user)
                    if cert is not None and cert.id in {c.id for c in certificates.for_entrant(session, e.id)}), None)
    if cert is None or entrant is None:
        raise NotFound(N_("상장을 찾을 수 없습니다."))
    data = certificates.certificate_data(session, entrant.contest, cert, _base_url())
    return send_file(io.BytesIO(render_certificate(data)), mimetype="application/pdf", as_attachment=True,
                     download_name=certificates.file_name(cert), max_age=0)
