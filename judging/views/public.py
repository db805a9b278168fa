"""Pages anyone may see: the landing page (which sends each role home), the public results of a
published contest, and the certificate verification page the QR code on every 상장 points to."""

from __future__ import annotations

import io

from flask import Blueprint, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from judging import db
from judging.documents import render_csv, render_workbook
from judging.services import certificates, exports, objections, published, setup
from judging.views.common import ROLE_HOMES

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    """The site's front door: a signed-in user goes to their home, anyone else to sign-in."""
    if current_user.is_authenticated:
        return redirect(url_for(ROLE_HOMES[current_user.role]))
    return redirect(url_for("auth.sign_in"))


# --- public results ----------------------------------------------------------------------------

def _groups(result: published.Published) -> list[dict]:
    """Award holders grouped by award, in award order (best tier first, then special awards)."""
    groups: list[dict] = []
    for award in result.awards:
        if not groups or groups[-1]["key"] != award.key:
            groups.append({"key": award.key, "title": award.award_name, "kind": award.kind, "rows": []})
        groups[-1]["rows"].append({
            "name": award.entry.name,
            "district": award.entry.district,
            "project": award.entry.title,
            "reason": award.reason,
            "entry_id": award.entry.entry_id,
        })
    for group in groups:
        if group["kind"] == "tier":
            group["rows"].sort(key=lambda r: r["name"])  # 가나다: the order inside a tier is not published
    return groups


def _ranking(result: published.Published) -> list[dict]:
    specials = {a.entry.key: a.award_name for a in result.awards if a.kind == "special"}
    return [
        {"rank": e.rank if e.rank is not None else "-", "name": e.name, "project": e.title,
         "score": e.score or "-", "award": ", ".join(filter(None, (e.award_name, specials.get(e.key)))) or "-"}
        for e in result.entries
    ]


@bp.get("/results/<slug>")
def results(slug: str):
    """A contest's published results for everyone; unpublished is 404 with a message."""
    session = db.session()
    contest = setup.get_contest(session, slug)
    result = published.load(session, contest)
    if result is None:
        return render_template("public/results_unpublished.html", contest=contest), 404
    return render_template(
        "public/results.html", contest=contest, result=result, groups=_groups(result),
        ranking=_ranking(result) if contest.public_scores else None,
        finality=objections.finality(session, contest), revoked=objections.revoked_keys(session, contest),
    )


@bp.get("/results/<slug>.<fmt>")
def results_export(slug: str, fmt: str):
    """The public results as CSV or Excel: award holders (and scores only if public); no judge."""
    session = db.session()
    contest = setup.get_contest(session, slug)
    result = published.load(session, contest)
    if result is None or fmt not in ("csv", "xlsx"):
        return render_template("public/results_unpublished.html", contest=contest), 404
    if fmt == "csv":
        body = render_csv(exports.csv_rows(contest, result, exports.PUBLIC))
        mimetype = "text/csv; charset=utf-8"
    else:
        body = render_workbook(exports.workbook(session, contest, result, exports.PUBLIC))
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return send_file(io.BytesIO(body), mimetype=mimetype, as_attachment=True,
                     download_name=f"{contest.slug}-결과.{fmt}", max_age=0)


# --- certificate verification ----------------------------------------------------------------

@bp.get("/verify")
def verify_form():
    """The certificate check form; a query goes to its check page."""
    query = (request.args.get("q") or "").strip()
    if query:
        return redirect(url_for("public.verify", value=query[:120]))
    return render_template("public/verify.html", value="", matches=None)


@bp.get("/verify/<path:value>")
def verify(value: str):
    """Whether a certificate number or check code is genuine (and revoked or replaced); unknown is 404."""
    matches = certificates.verify(db.session(), value)
    status = 200 if matches else 404
    return render_template("public/verify.html", value=value, matches=matches), status
