"""What every council page uses: the guard (a council only, its password chosen first), the
signed-in council, the way back to its entry, and what the entry pages show."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from judging import labels
from judging.formatting import byte_size
from judging.models import User
from judging.security import role_required
from judging.services import intake, uploads
from judging.views.common import message_text

OPEN_WITHOUT_PASSWORD = ("council.home", "council.set_password")


@role_required("council")
def guard():  # noqa: ANN202
    """Before every council route: a council only; until it has chosen a password, every page but
    the home page and the password form leads there."""
    if not current_user.password_hash and request.endpoint not in OPEN_WITHOUT_PASSWORD:
        flash(_("먼저 비밀번호를 정해 주세요."), "info")
        return redirect(url_for("council.home"))
    return None


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined]


def _back(message: str | None = None, category: str = "success", anchor: str = "") -> Response:
    if message:
        flash(message_text(message), category)
    return redirect(url_for("council.entry") + (f"#{anchor}" if anchor else ""), code=303)


def _entry_context(entry) -> dict:  # noqa: ANN001
    locked = intake.locked_reason(entry)
    files = [{"a": a, "size": byte_size(a.size),
              "kind": labels.file_kind(a.kind)} for a in entry.attachments]
    used = sum(a.size for a in entry.attachments)
    cfg = current_app.config
    return {
        "entry": entry, "entrant": entry.entrant, "contest": entry.contest, "locked": _(locked) if locked else None,
        "files": files,
        "used": byte_size(used), "limit_file": byte_size(cfg["UPLOAD_MAX_FILE_BYTES"]),
        "limit_entry": byte_size(cfg["UPLOAD_MAX_ENTRY_BYTES"]), "allowed": uploads.ALLOWED_TEXT,
        "accept": uploads.ACCEPT_ATTRIBUTE,
    }
