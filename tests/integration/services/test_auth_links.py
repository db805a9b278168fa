"""A personal link: looking up its holder reads only; signing in with it writes the sign-in, and a
wrong link is counted only when it is used to sign in."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from judging.models import AuditEvent, SignInFailure
from judging.services import auth
from judging.services.errors import DomainError

SECRET = "link-test-secret"


def test_link_holder_reads_only_and_sign_in_writes(session, make_contest, make_user):  # noqa: ANN001
    judge, _ = make_user("judge", contest=make_contest(), judge_key="j1")
    token, _ = auth.issue_credentials(session, SECRET, judge)
    session.commit()
    assert auth.link_holder(session, token) is judge
    with pytest.raises(DomainError, match="유효하지 않거나 회수"):
        auth.link_holder(session, "not-a-real-token")
    assert not session.new and not session.dirty
    assert judge.last_sign_in_at is None
    assert session.scalar(sa.select(sa.func.count()).select_from(SignInFailure)) == 0
    assert auth.authenticate_link(session, token, address="10.0.0.1") is judge
    assert judge.last_sign_in_at is not None
    assert session.scalar(sa.select(AuditEvent.after).where(AuditEvent.action == "auth.sign_in")) == {"method": "link"}
    with pytest.raises(DomainError):
        auth.authenticate_link(session, "not-a-real-token", address="10.0.0.1")
    assert session.scalar(sa.select(sa.func.count()).select_from(SignInFailure)) == 1


def test_a_revoked_link_has_no_holder(session, make_contest, make_user):  # noqa: ANN001
    judge, _ = make_user("judge", contest=make_contest(), judge_key="j1")
    token, _ = auth.issue_credentials(session, SECRET, judge)
    auth.revoke_credentials(session, SECRET, judge)
    with pytest.raises(DomainError):
        auth.link_holder(session, token)
