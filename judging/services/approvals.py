"""Two-person approval (결재) before publishing.

When a contest requires it (its organization's ``approval_required``, or the contest's own), the locked result is published only
after one organizer has asked for approval and a second, different organizer has approved that
exact result: the request records the SHA-256 digest of the payload that would be published, and
the approval is good only while the result still has that digest. The approver sees what becomes
public and the difference from the last version (the publish confirmation page). A refusal needs a
reason and keeps the result unpublished. Request, approval, refusal and the publication are audited,
and the report's 결재란 prints who asked and who approved, and when.

``lifecycle.publish`` asks :func:`check_publish` and, once the snapshot exists, :func:`attach`.
Who may approve is decided in :func:`may_decide` alone: another active manager of the organization
that holds the contest. Services flush, never commit.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from judging.messages import N_, Message, joined
from judging.models import Contest, ResultApproval, ResultSnapshot, User, utcnow
from judging.services import audit, organizations, publishing, results
from judging.services.errors import NotFound, WrongState


class ApprovalRefused(WrongState):
    """The approval's or the result's state does not allow the action."""


def current_digest(session: orm.Session, contest: Contest) -> str:
    """The digest of the result as it would be published now."""
    inputs, result = results.compute_with_inputs(session, contest)
    return publishing.payload_digest(publishing.build_payload(contest, inputs, result))


def latest(session: orm.Session, contest: Contest) -> ResultApproval | None:
    """The newest approval request of the contest, whatever its state."""
    return session.scalar(sa.select(ResultApproval).where(ResultApproval.contest_id == contest.id)
                          .order_by(ResultApproval.id.desc()).limit(1))


def history(session: orm.Session, contest: Contest) -> list[ResultApproval]:
    return list(session.scalars(sa.select(ResultApproval).where(ResultApproval.contest_id == contest.id)
                                .order_by(ResultApproval.id.desc())))


def for_version(session: orm.Session, contest: Contest, version: int) -> ResultApproval | None:
    """The approval a published version went out under, or None."""
    return session.scalar(
        sa.select(ResultApproval).join(ResultSnapshot, ResultSnapshot.id == ResultApproval.snapshot_id)
        .where(ResultSnapshot.contest_id == contest.id, ResultSnapshot.version == version))


def required(contest: Contest) -> bool:
    """Whether publishing the contest needs a second organizer's approval: its organization asks it
    of every contest, or the contest asks it itself."""
    return bool(contest.approval_required or (contest.organization is not None
                                              and contest.organization.approval_required))


def may_decide(approval: ResultApproval, user: User | None) -> Message | None:
    """Why ``user`` may not approve or refuse ``approval`` (a message), or None when they may."""
    if user is None or user.role != "organizer" or not user.is_active:
        return Message(N_("결재는 주최자 계정으로만 할 수 있습니다."))
    owner = orm.object_session(approval)
    contest = owner.get(Contest, approval.contest_id) if owner is not None else None
    if contest is not None and user.organization_id != contest.organization_id:
        return Message(N_("결재는 이 공모전을 주최하는 기관의 관리자만 할 수 있습니다."))
    if user.org_role != "manager":
        return Message(N_("결재는 기관 관리자만 할 수 있습니다 (실무자·참관자 계정은 결재할 수 없습니다)."))
    if approval.requested_by == user.id:
        return Message(N_("결재를 요청한 사람은 스스로 승인하거나 반려할 수 없습니다. 다른 주최자가 결재해야 합니다."))
    return None


def _latest_version(session: orm.Session, contest: Contest) -> int | None:
    return session.scalar(sa.select(sa.func.max(ResultSnapshot.version)).where(ResultSnapshot.contest_id == contest.id))


def request(session: orm.Session, contest: Contest, *, actor: User | None, note: str = "",
            address: str = "") -> ResultApproval:
    """Ask a second organizer to approve the locked result as it stands. A pending request for an
    earlier result is withdrawn. Raises ``DomainError`` outside ``locked`` or while something blocks
    the publication."""
    if not required(contest):
        raise ApprovalRefused(N_("이 공모전은 2인 결재 없이 공개합니다."))
    blockers = publishing.preview_publish(session, contest)
    if blockers:
        raise ApprovalRefused(N_("아직 결재를 요청할 수 없습니다.\n- {problems}"),
                              problems=joined(blockers, "\n- "), details={"problems": blockers})
    digest = current_digest(session, contest)
    previous = latest(session, contest)
    if previous is not None and previous.status == "pending":
        if previous.digest == digest:
            raise ApprovalRefused(N_("같은 결과로 이미 결재를 요청했습니다. 다른 주최자의 결재를 기다려 주세요."))
        previous.status = "withdrawn"
    approval = ResultApproval(contest_id=contest.id, digest=digest, base_version=_latest_version(session, contest),
                              status="pending", note=" ".join((note or "").split()),
                              requested_by=None if actor is None else actor.id, requested_at=utcnow())
    session.add(approval)
    session.flush()
    audit.record(session, "result.approval.request", actor=actor, contest_id=contest.id,
                 target_type="result_approval", target_id=approval.id, before=None,
                 after={"status": "pending", "digest": digest, "base_version": approval.base_version,
                        "note": approval.note}, address=address)
    return approval


def _pending(session: orm.Session, contest: Contest, approval_id: int, actor: User | None) -> ResultApproval:
    approval = session.get(ResultApproval, approval_id)
    if approval is None or approval.contest_id != contest.id:
        raise NotFound(N_("결재 요청을 찾을 수 없습니다."))
    if approval.status != "pending":
        raise ApprovalRefused(N_("이미 처리된 결재 요청입니다."))
    reason = may_decide(approval, actor)
    if reason:
        raise ApprovalRefused(reason)
    return approval


def approve(session: orm.Session, contest: Contest, approval_id: int, *, actor: User | None,
            address: str = "") -> ResultApproval:
    """A second organizer approves the requested result. Refused when the result changed since the
    request (it must be asked again) or the approver is the requester."""
    approval = _pending(session, contest, approval_id, actor)
    assert actor is not None  # _pending refused anyone who may not decide (may_decide), None included
    if contest.status != "locked":
        raise ApprovalRefused(N_("점수가 확정된 상태에서만 승인할 수 있습니다. 결재를 다시 요청해 주세요."))
    if current_digest(session, contest) != approval.digest:
        raise ApprovalRefused(N_("결재 요청 뒤 결과가 바뀌었습니다. 바뀐 결과로 결재를 다시 요청해 주세요."))
    approval.status, approval.decided_by, approval.decided_at = "approved", actor.id, utcnow()
    session.flush()
    audit.record(session, "result.approval.approve", actor=actor, contest_id=contest.id,
                 target_type="result_approval", target_id=approval.id, before={"status": "pending"},
                 after={"status": "approved", "digest": approval.digest}, address=address)
    return approval


def refuse(session: orm.Session, contest: Contest, approval_id: int, reason: str, *, actor: User | None,
           address: str = "") -> ResultApproval:
    """A second organizer refuses (반려) with a reason; the result stays unpublished."""
    text = " ".join((reason or "").split())
    if not text:
        raise ApprovalRefused(N_("반려 사유를 적어 주세요."), field="reason")
    approval = _pending(session, contest, approval_id, actor)
    assert actor is not None  # _pending refused anyone who may not decide (may_decide), None included
    approval.status, approval.decided_by, approval.decided_at, approval.reason = "refused", actor.id, utcnow(), text
    session.flush()
    audit.record(session, "result.approval.refuse", actor=actor, contest_id=contest.id,
                 target_type="result_approval", target_id=approval.id, before={"status": "pending"},
                 after={"status": "refused", "reason": text}, address=address)
    return approval


def check_publish(session: orm.Session, contest: Contest) -> ResultApproval | None:
    """The approval that lets the current result be published, None when none is needed; raises
    ``DomainError`` when one is needed and missing."""
    if not required(contest):
        return None
    approval = latest(session, contest)
    if approval is None or approval.status != "approved" or approval.snapshot_id is not None:
        raise ApprovalRefused(N_("공개하려면 다른 주최자의 결재(승인)가 필요합니다. 결재를 요청해 주세요."),
                              details={"code": "approval_required"})
    if approval.digest != current_digest(session, contest):
        raise ApprovalRefused(N_("승인 뒤 결과가 바뀌었습니다. 바뀐 결과로 결재를 다시 요청해 주세요."),
                              details={"code": "approval_stale"})
    return approval


def attach(session: orm.Session, approval: ResultApproval | None, snapshot: ResultSnapshot) -> None:
    """Record which published version the approval went out as."""
    if approval is not None:
        approval.snapshot_id = snapshot.id
        session.flush()


def update_settings(session: orm.Session, contest: Contest, *, actor: User, approval_required: bool,
                    organization_approval: bool, objection_days: int, address: str = "") -> None:
    """Set whether this contest (and its whole organization) needs a second approver before
    publishing, and the objection period; audited. Only a manager may (``organizations.require``)."""
    organizations.require(actor, "manage")
    org = contest.organization
    before = {"approval_required": contest.approval_required, "objection_days": contest.objection_days,
              "organization_approval": org.approval_required}
    contest.approval_required = approval_required
    org.approval_required = organization_approval
    contest.objection_days = objection_days
    session.flush()
    audit.record(session, "contest.approval_settings", actor=actor, contest_id=contest.id,
                 target_type="contest", target_id=contest.slug, before=before,
                 after={"approval_required": contest.approval_required, "objection_days": contest.objection_days,
                        "organization_approval": org.approval_required}, address=address)
