"""Words for codes that more than one edge shows: a contest's states, a round's states, its
life-cycle steps, the audit log's actions, roles and status values.

The values are message ids (the Korean words, marked for ``make translations``). The web renders
them with gettext (``judging.views.common.STATUS_LABELS``), the CLI with its own translation, and a
service that must name a state inside a refusal passes :func:`contest_state` as a parameter.
Standard library only, like :mod:`judging.messages`.
"""

from __future__ import annotations

from judging.messages import N_, Message, pgettext_noop

CONTEST_STATES = {
    "draft": N_("준비"),
    "open": N_("접수 중"),
    "judging": N_("심사 중"),
    "locked": N_("점수 확정"),
    "published": N_("결과 공개"),
}

#: A judges' round's states (``Round.status``).
ROUND_STATES = {
    "pending": N_("열기 전"),
    "open": N_("채점 중 (열림)"),
    "closed": N_("닫힘"),
}

#: Message contexts: a role's name (a judge, not the judges' page) and a status value (submitted,
#: not "submit"). Their words are marked with ``pgettext_noop`` and translated with ``pgettext``.
ROLE_CONTEXT = "role"
STATUS_CONTEXT = "status"

#: The account roles as the audit log names the person who acted.
ROLES = {"organizer": pgettext_noop("role", "주최자"), "judge": pgettext_noop("role", "심사위원"),
         "council": pgettext_noop("role", "협의체")}

#: Status values as the audit log shows a change of status (a round's own states are ROUND_STATES).
STATUS_VALUES = {
    "draft": pgettext_noop("status", "작성 중"), "open": pgettext_noop("status", "열림"),
    "judging": pgettext_noop("status", "심사 중"), "locked": pgettext_noop("status", "점수 확정"),
    "published": pgettext_noop("status", "발표"), "submitted": pgettext_noop("status", "제출"),
    "accepted": pgettext_noop("status", "접수 확인"), "returned": pgettext_noop("status", "반려"),
    "withdrawn": pgettext_noop("status", "철회"),
}

LIFECYCLE_ACTIONS = {
    "open": N_("접수 시작"),
    "start_judging": N_("심사 시작"),
    "lock": N_("점수 확정(잠금)"),
    "unlock": N_("확정 풀기"),
    "publish": N_("결과 공개"),
}


FILE_KINDS = {
    "pdf": "PDF",
    "hwp": N_("한글(HWP)"),
    "hwpx": N_("한글(HWPX)"),
    "pptx": N_("파워포인트(PPTX)"),
    "docx": N_("워드(DOCX)"),
    "xlsx": N_("엑셀(XLSX)"),
    "jpg": N_("사진(JPG)"),
    "png": N_("그림(PNG)"),
}


def contest_state(state: str) -> Message:
    """A contest state's word as a message (an unknown code is shown as it is)."""
    return Message(CONTEST_STATES.get(state, state))


def round_state(state: str) -> Message:
    """A round state's word as a message (an unknown code is shown as it is)."""
    return Message(ROUND_STATES.get(state, state))


def lifecycle_action(action: str) -> Message:
    """A life-cycle step's name as a message (an unknown code is shown as it is)."""
    return Message(LIFECYCLE_ACTIONS.get(action, action))


#: The audit log's actions (``AuditEvent.action``), for the log's filter and its sentences.
AUDIT_ACTIONS = {
    "auth.sign_in": N_("로그인"),
    "auth.sign_in_failed": N_("로그인 실패"),
    "auth.code_failed": N_("코드 로그인 실패"),
    "auth.link_failed": N_("링크 로그인 실패"),
    "credentials.revoke": N_("로그인 정보 회수"),
    "contest.create": N_("공모전 만들기"),
    "contest.load": N_("공모전 파일 불러오기"),
    "contest.replace": N_("공모전 파일 교체"),
    "contest.update": N_("공모전 정보 수정"),
    "contest.tie_break": N_("동점 처리 순서"),
    "round.add": N_("라운드 추가"),
    "round.update": N_("라운드 수정"),
    "round.delete": N_("라운드 삭제"),
    "round.open": N_("라운드 열기"),
    "round.close": N_("라운드 닫기"),
    "round.entries": N_("심사 대상 지정"),
    "criterion.add": N_("심사 기준 추가"),
    "criterion.update": N_("심사 기준 수정"),
    "criterion.delete": N_("심사 기준 삭제"),
    "tier.add": N_("상 등급 추가"),
    "tier.update": N_("상 등급 수정"),
    "tier.delete": N_("상 등급 삭제"),
    "intake.open": N_("접수 시작"),
    "intake.deadline": N_("접수 마감 변경"),
    "judging.start": N_("심사 시작"),
    "scores.lock": N_("점수 확정"),
    "scores.unlock": N_("점수 확정 해제"),
    "entrants.import": N_("참가자 불러오기"),
    "council.accounts": N_("협의체 계정 만들기"),
    "council.invitation": N_("협의체 초대 다시 발급"),
    "council.password": N_("협의체 비밀번호 설정"),
    "entry.save": N_("참가작 임시 저장"),
    "entry.submit": N_("참가작 제출"),
    "entry.accept": N_("접수 확인"),
    "entry.return": N_("반려"),
    "attachment.upload": N_("첨부 올리기"),
    "attachment.delete": N_("첨부 삭제"),
    "judge.create": N_("심사위원 등록"),
    "conflict.add": N_("이해충돌 기록"),
    "conflict.remove": N_("이해충돌 삭제"),
    "assignment.balanced": N_("자동 균형 배정"),
    "assignment.set": N_("배정 수정"),
    "assignment.clear": N_("배정 초기화"),
    "score.saved": N_("점수 입력"),
    "comment.saved": N_("심사 의견 저장"),
    "sheet.submitted": N_("채점표 제출"),
    "sheet.reopened": N_("채점표 다시 열기"),
    "result.decision.tier": N_("등급 경계 동점 결정"),
    "result.decision.order": N_("순서 결정"),
    "result.decision.advance": N_("진출 결정"),
    "result.decision.withdraw": N_("결정 철회"),
    "result.special": N_("특별상 지정"),
    "result.publish": N_("결과 공개"),
    "result.approval.request": N_("결재 요청"),
    "result.approval.approve": N_("결재 승인"),
    "result.approval.refuse": N_("결재 반려"),
    "contest.approval_settings": N_("결재·이의신청 설정"),
    "objection.file": N_("이의신청 접수"),
    "objection.attach": N_("이의신청 첨부"),
    "objection.accept": N_("이의신청 인용"),
    "objection.reject": N_("이의신청 기각"),
    "award.revoke": N_("수상 취소"),
}


def audit_action(action: str) -> str:
    """An audit action's label as a message id (an unknown action is shown as it is)."""
    return AUDIT_ACTIONS.get(action, action)


def file_kind(kind: str) -> Message:
    """An attachment kind's name as a message (an unknown code is shown as it is)."""
    return Message(FILE_KINDS.get(kind, kind))
