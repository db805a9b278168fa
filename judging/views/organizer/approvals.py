"""The second approver (결재) before publishing: the settings, a request, its approval or refusal, and what
the publish confirmation page shows of it."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from judging import db, forms
from judging.models import Contest, User
from judging.security import client_address
from judging.services import approvals
from judging.services.errors import DomainError
from judging.views.organizer import bp
from judging.views.organizer._shared import _contest, _invalid, _me, _run


def _confirm_url(slug: str) -> str:
    return url_for("organizer.publish_confirm", slug=slug) + "#approval"


def approval_context(contest: Contest) -> dict:
    """What the publish confirmation page shows about 결재 (templates only display)."""
    s = db.session()
    me = _me()
    latest = approvals.latest(s, contest)
    names = {}
    if latest is not None:
        for uid in (latest.requested_by, latest.decided_by):
            if uid is not None:
                user = s.get(User, uid)
                names[uid] = user.name if user else "—"
    current = None
    if latest is not None and latest.status in ("pending", "approved") and contest.status == "locked":
        try:
            current = approvals.current_digest(s, contest) == latest.digest
        except DomainError:
            current = False
    settings = forms.ApprovalSettingsForm(formdata=None, approval_required=contest.approval_required,
                                          organization_approval=contest.organization.approval_required,
                                          objection_days=str(contest.objection_days))
    return {
        "approval": latest,
        "approval_names": names,
        "approval_current": current,
        "approval_may_decide": latest is not None and latest.status == "pending"
        and approvals.may_decide(latest, me) is None,
        "approval_required": approvals.required(contest),
        "approval_mine": latest is not None and latest.requested_by == me.id,
        "approval_request_form": forms.ApprovalRequestForm(formdata=None),
        "approval_approve_form": forms.ApprovalApproveForm(formdata=None),
        "approval_refuse_form": forms.ApprovalRefuseForm(formdata=None),
        "approval_settings_form": settings,
    }


@bp.post("/c/<slug>/results/approval/settings")
def approval_settings(slug: str):
    """Save whether publishing needs a second approver and the objection period (managers only)."""
    contest = _contest(slug)
    form = forms.ApprovalSettingsForm()
    back = _confirm_url(slug)
    if not form.validate_on_submit():
        return _invalid(form, back)

    def save(session):  # noqa: ANN001, ANN202
        approvals.update_settings(session, contest, actor=_me(), approval_required=bool(form.approval_required.data),
                                  organization_approval=bool(form.organization_approval.data),
                                  objection_days=int(form.objection_days.data.strip()), address=client_address())

    return _run(save, _("결재·이의신청 설정을 저장했습니다."), back)


@bp.post("/c/<slug>/results/approval/request")
def approval_request(slug: str):
    """Ask another organizer to approve publishing the locked results."""
    contest = _contest(slug)
    form = forms.ApprovalRequestForm()
    back = _confirm_url(slug)
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: approvals.request(s, contest, actor=_me(), note=form.note.data or "",
                                            address=client_address()),
                _("결재를 요청했습니다. 다른 주최자가 승인하면 공개할 수 있습니다."), back)


@bp.post("/c/<slug>/results/approval/<int:approval_id>/approve")
def approval_approve(slug: str, approval_id: int):
    """Approve a pending request (managers only); the requester may not approve their own."""
    contest = _contest(slug)
    form = forms.ApprovalApproveForm()
    back = _confirm_url(slug)
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: approvals.approve(s, contest, approval_id, actor=_me(), address=client_address()),
                _("결재를 승인했습니다. 이제 공개할 수 있습니다."), back)


@bp.post("/c/<slug>/results/approval/<int:approval_id>/refuse")
def approval_refuse(slug: str, approval_id: int):
    """Refuse a pending request with a reason (managers only); the results stay unpublished."""
    contest = _contest(slug)
    form = forms.ApprovalRefuseForm()
    back = _confirm_url(slug)
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: approvals.refuse(s, contest, approval_id, form.reason.data, actor=_me(),
                                           address=client_address()),
                _("결재를 반려했습니다. 결과는 공개되지 않습니다."), back)
