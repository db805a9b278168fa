"""What every organizer tab uses: the signed-in organizer, the contest of the URL (another
organization's answers 404), the access level each endpoint needs, the one unit of work with its
flashed outcome, form errors, Korea-time conversions, QR codes and the tab bar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from reportlab.graphics.barcode import qrencoder

from judging import db, forms
from judging.formatting import LOCAL_ZONE
from judging.labels import ROUND_STATES
from judging.models import Contest, User
from judging.security import role_required
from judging.services import organizations, setup
from judging.services.errors import DomainError
from judging.views.common import error_text

# What staff may not do: publish, unlock, delete, decide ties and special awards, certificates and
# the seal (organizations.LEVELS). Observers may only read, and not the pages that show sign-in
# links and codes (those let one act as a judge or a council).
MANAGER_ONLY = frozenset({
    "unlock", "publish", "decide_tier", "decide_advance", "decide_order", "designate_special",
    "withdraw_decision", "delete_round", "delete_criterion", "delete_tier", "delete_special",
    "remove_conflict", "certificates_allocate", "certificate_revoke", "seal_upload", "seal_clear",
    "approval_settings", "approval_approve", "approval_refuse", "objection_answer", "award_revoke",
    "delete_audience_round",
})
CREDENTIAL_PAGES = frozenset({"judge_cards", "invitations"})


def required_level(endpoint: str, method: str) -> str:
    """The organization role level (read, work, manage) an organizer endpoint needs."""
    name = endpoint.rsplit(".", 1)[-1]
    if name in MANAGER_ONLY:
        return "manage"
    if method not in ("GET", "HEAD") or name in CREDENTIAL_PAGES:
        return "work"
    return "read"


@role_required("organizer")
def guard() -> None:
    """Before every organizer route: an organizer only; a contest of another organization is 404
    before the view runs; the endpoint's role level (``required_level``) or 403."""
    slug = (request.view_args or {}).get("slug")
    if slug is not None:
        _contest(slug)
    organizations.require(_me(), required_level(request.endpoint or "", request.method))


def _me() -> User:
    """The signed-in organizer as a plain model object (services may check its type)."""
    return current_user._get_current_object()  # type: ignore[attr-defined]


def _contest(slug: str) -> Contest:
    """The contest ``slug`` of the signed-in organizer's organization (any other answers 404)."""
    return setup.get_contest(db.session(), slug, _me().organization_id)


def _run(action: Callable[[Any], Any], success: str | None, back: str) -> Response:
    """Run one service call in the request's transaction: commit and flash ``success``, or roll back
    and flash the refusal. Always redirect to ``back`` (303: see other)."""
    try:
        # The one unit of work: all or nothing, rerun on SQLite's "database is locked".
        result = db.commit_retrying(action, keep_refused=False)
    except DomainError as error:
        flash(error_text(error), "error")
        return redirect(back, code=303)
    if success:
        flash(success.format(result=result) if "{result" in success else success, "success")
    return redirect(back, code=303)


def _form_errors(form: forms.BaseForm) -> str:
    messages = []
    for name, errors in form.errors.items():
        label = getattr(getattr(form, name, None), "label", None)
        prefix = f"{label.text}: " if label is not None and name != "csrf_token" else ""
        messages.append(prefix + " ".join(str(e) for e in errors))
    return " ".join(messages) or _("입력 내용을 확인해 주세요.")


def _invalid(form: forms.BaseForm, back: str) -> Response:
    flash(_form_errors(form), "error")
    return redirect(back, code=303)


def _to_utc(local: dt.datetime | None) -> dt.datetime | None:
    """A datetime typed in Korea time → naive UTC as stored."""
    if local is None:
        return None
    return local.replace(tzinfo=LOCAL_ZONE).astimezone(dt.UTC).replace(tzinfo=None)


def _to_local(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC).astimezone(LOCAL_ZONE).replace(tzinfo=None)


def qr_svg(text: str, label: str) -> Markup:
    """A QR code as inline SVG (reportlab's QR encoder; one path, crisp at any print size)."""
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(text)
    qr.make()
    count = qr.getModuleCount()
    quiet = 4
    size = count + 2 * quiet
    parts = []
    for r in range(count):
        c = 0
        while c < count:
            if qr.isDark(r, c):
                start = c
                while c < count and qr.isDark(r, c):
                    c += 1
                parts.append(f"M{start + quiet} {r + quiet}h{c - start}v1h-{c - start}z")
            else:
                c += 1
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" class="qr" role="img" '
        f'aria-label="{escape(label)}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" '
        f'fill="#fff"/><path d="{"".join(parts)}" fill="#000"/></svg>'
    )


def _link(token: str) -> str:
    return url_for("auth.sign_in_link", token=token, _external=True)


def _nav(contest: Contest | None, active: str) -> dict:
    """What the tab bar needs: the contest and the active tab."""
    return {"contest": contest, "active": active}


def _field_error(form: forms.BaseForm, error: DomainError) -> None:
    """Put a refusal beside the field it is about (or on the form's first field)."""
    target = getattr(form, error.field, None) if error.field else None
    if target is None:
        # Not about one field (the contest refuses): beside the form's first editable field (keys never
        # change once made, so an edit form does not show its key).
        target = next(f for f in form if f.type not in ("HiddenField", "CSRFTokenField", "SubmitField")
                      and f.short_name != "key")
    target.errors = [*target.errors, error_text(error)] if isinstance(target.errors, list) else [error_text(error)]


def _labels(korean: dict[str, str]) -> dict[str, str]:
    """Service labels are the Korean msgids; translate them for the page's language."""
    return {key: _(value) for key, value in korean.items()}


ROUND_STATUS_LABELS = ROUND_STATES  # marked in judging/labels.py


def short_name(name: str) -> str:
    """"고봉동 지역사회보장협의체" → "고봉동" for narrow column heads (the day board, assignments) and the day chart's marks."""
    for suffix in (" 지역사회보장협의체", "지역사회보장협의체", " 협의체"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)].strip()
    return name


def _round_label(status: str) -> str:
    return _(ROUND_STATUS_LABELS.get(status, status))
