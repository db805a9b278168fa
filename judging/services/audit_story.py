"""The audit log told as sentences: who did what to which entry, before → after, with names.

``tell(session, events)`` resolves the ids an event names (entries, criteria, judges, rounds, sheets,
tiers, snapshots, ...) in one query per kind and returns, per event, a message id with its
parameters and the list of changed fields. Messages stay data until the edge: the view translates
the Korean message ids (marked with ``N_``) into the reader's language. Reads only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from judging.labels import ROLE_CONTEXT, ROLES, ROUND_STATES, STATUS_CONTEXT, STATUS_VALUES, audit_action
from judging.messages import N_, Message, joined, message_from_json
from judging.models import (
    Attachment,
    AuditEvent,
    AwardTier,
    Certificate,
    Conflict,
    Contest,
    Criterion,
    Decision,
    Entrant,
    Entry,
    Round,
    Sheet,
    SpecialAward,
    User,
)

CLI_ACTOR = N_("관리자(명령줄)")
SOMEONE = N_("알 수 없는 사용자")

FIELD_LABELS = {
    "status": N_("상태"), "value": N_("값"), "version": N_("판"), "title": N_("이름"), "name": N_("이름"),
    "reason": N_("사유"), "deadline": N_("마감"), "count": N_("수"), "threshold": N_("기준 점수"),
    "weight": N_("가중치"), "max": N_("만점"), "max_points": N_("만점"), "scale": N_("척도"),
    "aggregation": N_("집계"), "trim": N_("제외 수"), "digest": N_("요약값"), "note": N_("메모"),
    "entries": N_("참가작"), "warnings": N_("경고"), "order": N_("순서"), "tie_break": N_("동점 처리 순서"), "key": N_("키"),
}

# Sentences. "%(actor)s 님이" reads well after any name; the English catalogue has each one.
SENTENCES = {
    "score.saved": N_("%(actor)s 님이 %(target)s 점수를 바꿨습니다: %(before)s → %(after)s"),
    "comment.saved": N_("%(actor)s 님이 %(target)s 심사 의견을 고쳤습니다."),
    "sheet.submitted": N_("%(actor)s 님이 %(target)s 채점표를 제출했습니다."),
    "sheet.reopened": N_("%(actor)s 님이 %(target)s 채점표를 다시 열었습니다."),
    "result.publish": N_("%(actor)s 님이 결과 제%(version)s판을 발표했습니다 (sha256 %(digest)s)."),
    "auth.sign_in": N_("%(actor)s 님이 로그인했습니다."),
    "result.approval.request": N_("%(actor)s 님이 결과 공개 결재를 요청했습니다."),
    "result.approval.approve": N_("%(actor)s 님이 결과 공개 결재를 승인했습니다."),
    "result.approval.refuse": N_("%(actor)s 님이 결과 공개 결재를 반려했습니다: %(reason)s"),
    "objection.file": N_("%(actor)s 님이 %(target)s 결과에 이의신청했습니다."),
    "objection.accept": N_("%(actor)s 님이 %(target)s의 이의신청을 인용했습니다: %(answer)s"),
    "objection.reject": N_("%(actor)s 님이 %(target)s의 이의신청을 기각했습니다: %(answer)s"),
    "award.revoke": N_("%(actor)s 님이 %(target)s의 수상을 취소했습니다: %(reason)s"),
}
SCORE_FIRST = N_("%(actor)s 님이 %(target)s 점수를 입력했습니다: %(after)s")
FAILED = N_("로그인에 실패했습니다: %(actor)s")
STATUS = N_("%(actor)s 님이 %(target)s 상태를 바꿨습니다: %(before)s → %(after)s")
GENERIC = N_("%(actor)s 님이 %(target)s에 대해 ‘%(action)s’ 작업을 했습니다.")
GENERIC_NO_TARGET = N_("%(actor)s 님이 ‘%(action)s’ 작업을 했습니다.")
MISSING = N_("%(kind)s #%(id)s (지금은 없음)")
KIND_LABELS = {
    "entry": N_("참가작"), "score": N_("점수"), "comment": N_("심사 의견"), "sheet": N_("채점표"),
    "user": N_("사용자"), "round": N_("라운드"), "criterion": N_("심사 기준"), "tier": N_("상 등급"),
    "special_award": N_("특별상"), "decision": N_("결정"), "conflict": N_("이해충돌"),
    "attachment": N_("첨부"), "certificate": N_("상장"), "contest": N_("공모전"),
    "result_snapshot": N_("발표 결과"),
    "result_approval": N_("결재 요청"),
}


@dataclass(frozen=True)
class Part:
    """A piece of text that is either translated (a message id with parameters) or shown as is."""

    text: str
    params: dict[str, Any] = field(default_factory=dict)
    translate: bool = False
    context: str | None = None
    message: Message | None = None  # a message the app recorded: rendered whole in the reader's language


@dataclass(frozen=True)
class Change:
    field: Part
    before: Part
    after: Part


@dataclass(frozen=True)
class Story:
    event: AuditEvent
    actor: Part
    action: str                    # the action's label (a message id)
    target: Part
    sentence: str                  # a message id; its parameters are ``params``
    params: dict[str, Part]
    changes: list[Change]
    raw: str                       # the event as JSON, for "show the raw record"


def _ints(values: set[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


class _Names:
    """Every name the events refer to, looked up once per kind."""

    def __init__(self, session: orm.Session, events: list[AuditEvent]) -> None:
        wanted: dict[str, set[str]] = {}
        for e in events:
            if e.actor_id is not None:
                wanted.setdefault("user", set()).add(str(e.actor_id))
            kind, ident = e.target_type or "", e.target_id or ""
            if kind == "score" and ":" in ident:
                entry_id, criterion_id = ident.split(":", 1)
                wanted.setdefault("entry", set()).add(entry_id)
                wanted.setdefault("criterion", set()).add(criterion_id)
            elif kind == "comment" and ":" in ident:
                round_id, entry_id = ident.split(":", 1)
                wanted.setdefault("round", set()).add(round_id)
                wanted.setdefault("entry", set()).add(entry_id)
            elif kind:
                wanted.setdefault(kind, set()).add(ident)
        self.users = self._map(session, User, wanted.get("user"), lambda u: (u.role, u.name))
        self.entries = {}
        ids = _ints(wanted.get("entry", set()))
        if ids:
            rows = session.execute(sa.select(Entry.id, Entrant.name).join(Entrant, Entry.entrant_id == Entrant.id)
                                   .where(Entry.id.in_(ids)))
            self.entries = {str(i): n for i, n in rows}
        self.criteria = self._map(session, Criterion, wanted.get("criterion"), lambda c: c.title)
        self.rounds = self._map(session, Round, wanted.get("round"), lambda r: r.title)
        self.tiers = self._map(session, AwardTier, wanted.get("tier"), lambda t: t.title)
        self.specials = self._map(session, SpecialAward, wanted.get("special_award"), lambda a: a.title)
        self.attachments = self._map(session, Attachment, wanted.get("attachment"), lambda a: a.original_name)
        self.certificates = self._map(session, Certificate, wanted.get("certificate"),
                                      lambda c: f"{c.number} {c.recipient}")
        # certificate.revoke names the certificate by its printed number ("제 2024-001 호")
        numbers = [v for v in wanted.get("certificate", set()) if not v.isdigit()]
        if numbers:
            for c in session.scalars(sa.select(Certificate).where(Certificate.number.in_(numbers))):
                self.certificates.setdefault(c.number, f"{c.number} {c.recipient}")
        self.contests = self._map(session, Contest, wanted.get("contest"), lambda c: c.title)
        self.decisions = self._map(session, Decision, wanted.get("decision"), lambda d: d.kind)
        self.sheets: dict[str, tuple[str, str]] = {}
        ids = _ints(wanted.get("sheet", set()))
        if ids:
            sheet_rows = session.execute(sa.select(Sheet.id, User.name, Round.title).join(User, Sheet.judge_id == User.id)
                                         .join(Round, Sheet.round_id == Round.id).where(Sheet.id.in_(ids)))
            self.sheets = {str(i): (judge, rnd) for i, judge, rnd in sheet_rows}
        self.conflicts: dict[str, tuple[str, str]] = {}
        ids = _ints(wanted.get("conflict", set()))
        if ids:
            conflict_rows = session.execute(
                sa.select(Conflict.id, User.name, Entrant.name).join(User, Conflict.judge_id == User.id)
                .join(Entry, Conflict.entry_id == Entry.id).join(Entrant, Entry.entrant_id == Entrant.id)
                .where(Conflict.id.in_(ids)))
            self.conflicts = {str(i): (judge, entrant) for i, judge, entrant in conflict_rows}

    @staticmethod
    def _map(session: orm.Session, model: Any, idents: set[str] | None, show: Any) -> dict[str, Any]:
        ids = _ints(idents or set())
        if not ids:
            return {}
        found: Any = session.scalars(sa.select(model).where(model.id.in_(ids)))
        return {str(obj.id): show(obj) for obj in found}

    def actor(self, e: AuditEvent) -> Part:
        if e.actor_id is not None and str(e.actor_id) in self.users:
            role, name = self.users[str(e.actor_id)]
            return Part("%(role)s %(name)s", {"role": Part(ROLES.get(role, role), translate=True, context=ROLE_CONTEXT),
                                               "name": Part(name)})
        if e.actor_label == "cli":
            return Part(CLI_ACTOR, translate=True)
        text = (e.actor_label or "").split(" ", 1)
        if len(text) == 2 and ":" in text[0]:
            return Part(text[1])
        return Part(e.actor_label or SOMEONE, translate=not e.actor_label)

    def target(self, e: AuditEvent) -> Part:
        kind, ident = e.target_type or "", e.target_id or ""
        if not kind:
            return Part("")
        found: str | None = None
        if kind == "score" and ":" in ident:
            entry_id, criterion_id = ident.split(":", 1)
            entrant, criterion = self.entries.get(entry_id), self.criteria.get(criterion_id)
            if entrant and criterion:
                found = f"{entrant} · {criterion}"
        elif kind == "comment" and ":" in ident:
            round_id, entry_id = ident.split(":", 1)
            entrant, rnd = self.entries.get(entry_id), self.rounds.get(round_id)
            if entrant:
                found = f"{entrant} ({rnd})" if rnd else entrant
        elif kind == "sheet" and ident in self.sheets:
            judge, rnd = self.sheets[ident]
            found = f"{judge} · {rnd}"
        elif kind == "conflict" and ident in self.conflicts:
            judge, entrant = self.conflicts[ident]
            found = f"{judge} · {entrant}"
        elif kind == "user" and ident in self.users:
            found = self.users[ident][1]
        elif kind == "result_snapshot":
            version = (e.after or {}).get("version") if isinstance(e.after, dict) else None
            if version is not None:
                return Part(N_("결과 제%(version)s판"), {"version": Part(str(version))}, translate=True)
        else:
            table = {"entry": self.entries, "criterion": self.criteria, "round": self.rounds, "tier": self.tiers,
                     "special_award": self.specials, "attachment": self.attachments,
                     "certificate": self.certificates, "contest": self.contests}.get(kind)
            if table is not None:
                found = table.get(ident)
            elif kind == "decision" and ident in self.decisions:
                return Part(N_("결정 #%(id)s"), {"id": Part(ident)}, translate=True)
        if found is not None:
            return Part(found)
        return Part(MISSING, {"kind": Part(KIND_LABELS.get(kind, kind), translate=kind in KIND_LABELS),
                              "id": Part(ident)}, translate=True)


def _value(value: Any) -> Part:
    if value is None or value == "":
        return Part("—")
    if isinstance(value, str) and value in STATUS_VALUES:
        return Part(STATUS_VALUES[value], translate=True, context=STATUS_CONTEXT)
    if isinstance(value, str) and value in ROUND_STATES:
        return Part(ROUND_STATES[value], translate=True)
    if isinstance(value, bool):
        return Part("✓" if value else "✗")
    if isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False, default=str)
        return Part(text if len(text) <= 120 else text[:119] + "…")
    return Part(str(value))


def _kept(value: Any, kept: Any) -> Part:
    """A recorded value whose message was kept beside it (``judging.messages.keep_messages``): the
    message, or for a list the items' messages joined (an item without one is shown as recorded)."""
    if isinstance(value, list) and isinstance(kept, list):
        parts = [message_from_json(m) or str(v) for v, m in zip(value, kept + [None] * len(value), strict=False)]
        message: Message | None = joined(parts, " / ")
    else:
        message = message_from_json(kept)
    if message is None:
        return _value(value)
    return Part(str(message), message=message)


def _changes(before: Any, after: Any) -> list[Change]:
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    kept_before, kept_after = before.get("messages"), after.get("messages")
    kept_before = kept_before if isinstance(kept_before, dict) else {}
    kept_after = kept_after if isinstance(kept_after, dict) else {}
    changes = []
    for key in list(before) + [k for k in after if k not in before]:
        if key == "messages" and (kept_before or kept_after):
            continue  # the messages of the values beside them, told with those values
        old, new = before.get(key), after.get(key)
        if old == new and key in before and key in after:
            continue
        name = FIELD_LABELS.get(key)
        changes.append(Change(Part(name, translate=True) if name else Part(key),
                              _kept(old, kept_before[key]) if key in kept_before else _value(old),
                              _kept(new, kept_after[key]) if key in kept_after else _value(new)))
    return changes


def tell(session: orm.Session, events: list[AuditEvent]) -> list[Story]:
    """One story per event, in the order given."""
    names = _Names(session, events)
    stories = []
    for e in events:
        actor, target = names.actor(e), names.target(e)
        before = e.before if isinstance(e.before, dict) else {}
        after = e.after if isinstance(e.after, dict) else {}
        params: dict[str, Part] = {"actor": actor, "target": target, "action": Part(audit_action(e.action), translate=True)}
        changes = _changes(e.before, e.after)
        if e.action == "score.saved":
            params.update(before=_value(before.get("value")), after=_value(after.get("value")))
            sentence = SENTENCES[e.action] if before.get("value") is not None else SCORE_FIRST
            changes = []
        elif e.action == "result.publish":
            params.update(version=_value(after.get("version")), digest=Part(str(after.get("digest", ""))[:12]))
            sentence = SENTENCES[e.action]
        elif e.action in SENTENCES:
            sentence = SENTENCES[e.action]
            params.update(reason=Part(str(after.get("reason", ""))), answer=Part(str(after.get("answer", ""))))
            if e.action.startswith(("result.approval.", "objection.", "award.")):
                changes = []
        elif e.action.startswith("auth.") and e.action.endswith("_failed"):
            sentence = FAILED
        elif "status" in before and "status" in after and before["status"] != after["status"] and target.text:
            params.update(before=_value(before["status"]), after=_value(after["status"]))
            sentence = STATUS
            changes = [c for c in changes if c.field.text != FIELD_LABELS["status"]]
        else:
            sentence = GENERIC if target.text else GENERIC_NO_TARGET
        raw = json.dumps({"id": e.id, "seq": e.seq, "at": e.at.isoformat(sep=" ", timespec="seconds") + "Z",
                          "actor_id": e.actor_id, "actor_label": e.actor_label, "action": e.action,
                          "target_type": e.target_type, "target_id": e.target_id, "before": e.before,
                          "after": e.after, "address": e.address, "prev_hash": e.prev_hash, "hash": e.hash},
                         ensure_ascii=False, indent=1, default=str)
        stories.append(Story(e, actor, audit_action(e.action), target, sentence, params, changes, raw))
    return stories
