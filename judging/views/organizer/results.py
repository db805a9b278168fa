"""The results tab: the ranked table with its explanations and analytics, tie and order decisions,
special awards, and publishing (the confirmation page and the publish itself)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from judging import charts, db, forms, scoring
from judging.models import Contest
from judging.services import audience, decisions, lifecycle, publishing, results, snapshots
from judging.services import charts as service_charts
from judging.services.errors import DomainError
from judging.views import chart_text
from judging.views.common import error_text, message_text
from judging.views.organizer import bp
from judging.views.organizer._shared import _contest, _invalid, _me, _nav, _run
from judging.views.organizer.approvals import approval_context


def _results_context(contest: Contest) -> dict:
    """Everything the results page shows, as finished rows (templates only display)."""
    s = db.session()
    ctx: dict[str, Any] = {"error": None, "rows": [], "ties": [], "order_groups": [], "analytics": [],
                           "screening": [], "specials": [], "decisions": [], "pending_diff": None, "versions": []}
    try:
        inputs, result = results.compute_with_inputs(s, contest)
        payload = publishing.build_payload(contest, inputs, result)
    except DomainError as error:
        ctx["error"] = error_text(error)
        return ctx
    names = {k: info.name for k, info in inputs.entrants.items()}
    deciding = {fe.entry: results.deciding_step_text(inputs, fe.tie_breaks) for fe in result.final}
    tiers = {t.key: t for t in inputs.tiers}
    specials = {sa_.key: sa_ for sa_ in inputs.special_types}
    for e in payload["entries"]:
        tier = e["tier"]
        ctx["rows"].append({
            "key": e["entry"], "name": e["name"], "title": e["project_title"], "rank": e["rank"],
            "score": e["score"], "n": e["n"], "recused": e["recused"],
            "tier_title": _("동점 결정 필요") if tier == "pending" else (e["tier_title"] or ""),
            "pending": tier == "pending", "tier_key": tier or "",
            "tie_break": deciding.get(e["entry"]), "explanation": e["explanation"], "message": e["message"],
            "special": specials[e["special_award"]].title if e["special_award"] in specials else None,
            "criteria": e["criteria"],
        })
    ctx["criteria_heads"] = payload["entries"][0]["criteria"] if payload["entries"] else []
    for tie in result.unresolved_ties:
        entries_here = [(k, names.get(k, k)) for k in tie.entries]
        if tie.kind == "tier":
            upper, lower = tiers.get(tie.boundary), tiers.get(tie.next_tier or "")
            form = forms.TierDecisionForm(prefix=f"tie-{tie.boundary}", formdata=None, tier=tie.boundary)
            form.entries.choices = entries_here
            text = _("공동 %(rank)s위 %(n)s곳이 '%(upper)s' 남은 %(places)s자리를 두고 동점입니다.",
                     rank=tie.rank, n=len(tie.entries), upper=upper.title if upper else tie.boundary, places=tie.places)
            if lower is not None:
                text += " " + _("고르지 않은 참가작은 '%(lower)s'(으)로 갑니다.", lower=lower.title)
            ctx["ties"].append({"kind": "tier", "text": text, "form": form,
                                "action": url_for(".decide_tier", slug=contest.slug)})
        else:
            rnd = inputs.round(tie.boundary)
            form = forms.AdvanceDecisionForm(prefix=f"cut-{tie.boundary}", formdata=None, round_key=tie.boundary)
            form.entries.choices = entries_here
            text = _("'%(round)s' 진출 경계에서 %(n)s곳이 남은 %(places)s자리를 두고 동점입니다.",
                     round=rnd.title if rnd else tie.boundary, n=len(tie.entries), places=tie.places)
            ctx["ties"].append({"kind": "cut", "text": text, "form": form,
                                "action": url_for(".decide_advance", slug=contest.slug)})
    if any(step.label == "decision" for step in inputs.spec.tie_break):
        groups: dict[int, list[str]] = {}
        for fe in result.final:
            if fe.rank is not None:
                groups.setdefault(fe.rank, []).append(fe.entry)
        for rank, keys in sorted(groups.items()):
            if len(keys) > 1:
                form = forms.OrderDecisionForm(prefix=f"order-{rank}", formdata=None, order=", ".join(keys))
                ctx["order_groups"].append({"rank": rank, "names": [f"{names[k]} ({k})" for k in keys], "form": form})
    judge_names = {j["key"]: j["name"] for j in payload["organizer_only"]["judges"]} \
        if "judges" in payload.get("organizer_only", {}) else dict(inputs.judge_names)
    round_titles = {r["key"]: r["title"] for r in payload["rounds"]}
    for a in payload.get("organizer_only", {}).get("analytics", []):
        agreement = a.get("agreement") or {}
        ctx["analytics"].append({
            "round": round_titles.get(a["round"], a["round"]),
            "judges": [{**{k: ("—" if v is None else v) for k, v in j.items()},
                        "name": judge_names.get(j["judge"], j["judge"])} for j in a["judges"]],
            "disagreements": [{**d, "name": names.get(d["entry"], d["entry"]),
                               "totals": ", ".join(f"{judge_names.get(j, j)} {t}" for j, t in d.get("totals", []))}
                              for d in a["disagreements"]],
            # agreement as people read it: 2 decimals (the core's display rule), band and reason translated
            "icc": _agreement_figure(agreement.get("icc")), "icc_band": _maybe(agreement.get("icc_band")),
            "kendall_w": _agreement_figure(agreement.get("kendall_w")),
            "kendall_band": _maybe(agreement.get("kendall_band")),
            "agreement_reason": _maybe(agreement.get("reason")),
            "agreement_method": agreement.get("method") or "", "missing": len(a.get("missing", [])),
        })
    for block in payload.get("screening", []):
        ctx["screening"].append({"round": round_titles.get(block["round"], block["round"]),
                                 "entries": block["entries"]})
    ctx["specials"] = payload["special_awards"]
    decision_rows = []
    stale = {d.id for d in inputs.stale_decisions(result)}
    ctx["stale_decisions"] = len(stale)
    for d in inputs.decisions:
        keys = [de.entry_id for de in d.entries]
        by_id = {info.entry_id: info.name for info in inputs.entrants.values()}
        what = {"tier": _("등급 경계 동점"), "order": _("순서 결정"), "advance": _("진출 결정"),
                "special": _("특별상")}.get(d.kind, d.kind)
        target = ""
        if d.kind == "tier" and d.tier_id:
            target = next((t.title for t in inputs.tiers if t.id == d.tier_id), "")
        if d.kind == "special" and d.special_award_id:
            target = next((x.title for x in inputs.special_types if x.id == d.special_award_id), "")
        decision_rows.append({"decision": d, "what": what, "target": target, "stale": d.id in stale,
                              "entries": ", ".join(by_id.get(k, "?") for k in keys),
                              "form": forms.WithdrawDecisionForm(prefix=f"wd{d.id}", formdata=None)})
    ctx["decisions"] = decision_rows
    special_form = forms.SpecialDesignationForm(formdata=None)
    special_form.award.choices = [(x.key, x.title) for x in inputs.special_types]
    special_form.entry.choices = [("", _("— 고르세요 —"))] + [(k, names[k]) for k in sorted(names, key=lambda k: names[k])]
    ctx["special_form"] = special_form if inputs.special_types else None
    latest = snapshots.latest_snapshot(s, contest)
    ctx["latest"] = latest
    diff = snapshots.snapshot_diff(latest, payload)
    ctx["pending_diff"] = diff
    ctx["pending_same"] = latest is not None and publishing.payload_digest(payload) == latest.digest
    versions = snapshots.snapshots(s, contest)
    for i, snap in enumerate(versions):
        previous = versions[i + 1] if i + 1 < len(versions) else None
        ctx["versions"].append({"snapshot": snap, "diff": snapshots.snapshot_diff(previous, snap) if previous else None})
    # The method and the tie-break steps in the reader's language (the snapshot keeps them in Korean).
    ctx["method_text"] = [message_text(line) for line in results.method_lines(inputs)]
    ctx["tie_break_text"] = [message_text(results.step_text(inputs, step.label)) for step in inputs.spec.tie_break]
    ctx["judge_count"] = payload["contest"]["judge_count"]
    ctx["unresolved"] = len(result.unresolved_ties)
    ctx["combination"] = payload.get("combination")
    ctx["audience"] = payload.get("audience")
    ctx["entry_names"] = {e["entry"]: e["name"] for e in payload["entries"]}
    _results_charts(ctx, contest, inputs, result)
    return ctx


def _agreement_figure(value: object) -> str | None:
    """An agreement coefficient from the payload, shown with 2 decimals (None stays None)."""
    if value is None:
        return None
    return scoring.display(Decimal(str(value)))


def _maybe(text: object) -> str | None:
    return _(str(text)) if text else None


def _results_charts(ctx: dict, contest: Contest, inputs: Any, result: Any) -> None:
    """The ranking chart, one judges chart per round and, with an audience round, the components'
    weights and turnout, each with the rows of its data table."""
    words = chart_text.words()
    ctx["audience_chart"] = None
    if inputs.spec.audience:
        check = audience.weight_check(contest, inputs, result)
        data = service_charts.weights_chart(check, audience.contest_turnout(db.session(), contest),
                                            _("반영 비율과 투표율"))
        if data is not None:
            # why no effective weight could be worked out is the core's text: in the reader's language
            data = dataclasses.replace(data, note=message_text(data.note) if data.note else None)
            ctx["audience_chart"] = {"svg": charts.svg_weights(data, words), "data": data}
    ranking = service_charts.ranking_chart(inputs, result, _("최종 순위"))
    ctx["ranking_chart"] = {"svg": charts.svg_ranking(ranking, words), "data": ranking}
    ctx["judges_charts"] = []
    for i, chart in enumerate(service_charts.judges_charts(inputs, result)):
        # the core's agreement band and reason are Korean data: shown in the reader's language
        chart = dataclasses.replace(
            chart, agreement_band=_(chart.agreement_band) if chart.agreement_band else None,
            agreement_note=_(chart.agreement_note) if chart.agreement_note else None)
        ctx["judges_charts"].append({"svg": charts.svg_judges(chart, words, prefix=f"judges-{i}"), "data": chart})


@bp.get("/c/<slug>/results")
def results_page(slug: str):
    """The ranked results with explanations, analytics, charts, ties to decide and published versions."""
    contest = _contest(slug)
    ctx = _results_context(contest)
    public_url = url_for("public.results", slug=slug) if "public.results" in current_app.view_functions else None
    return render_template("organizer/results.html", publish_form=forms.PublishForm(),
                           public_url=public_url,
                           **ctx, **_nav(contest, "results"))


def _results_back(slug: str, anchor: str = "") -> str:
    return url_for(".results_page", slug=slug) + (f"#{anchor}" if anchor else "")


@bp.post("/c/<slug>/results/tier")
def decide_tier(slug: str):
    """Record which tied entries take a tier's last places (managers only); refused when not a tie."""
    contest = _contest(slug)
    back = _results_back(slug, "ties")
    target = forms.DecisionTargetForm()
    if not target.validate():
        return _invalid(target, back)
    form = forms.TierDecisionForm(prefix=f"tie-{target.tier_key.data or ''}")
    form.entries.choices = [(e.entrant.key, e.entrant.key) for e in contest.entries]
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: decisions.record_tier_decision(s, contest, form.tier.data, form.entries.data or [],
                                                       form.reason.data, form.minutes.data or "", _me()),
                _("동점 결정을 기록했습니다."), back)


@bp.post("/c/<slug>/results/advance")
def decide_advance(slug: str):
    """Record which tied entries advance past a round's cut (managers only); refused when not a tie."""
    contest = _contest(slug)
    back = _results_back(slug, "ties")
    target = forms.DecisionTargetForm()
    if not target.validate():
        return _invalid(target, back)
    form = forms.AdvanceDecisionForm(prefix=f"cut-{target.round_key_prefix.data or ''}")
    form.entries.choices = [(e.entrant.key, e.entrant.key) for e in contest.entries]
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: decisions.record_advance_decision(s, contest, form.round_key.data, form.entries.data or [],
                                                          form.reason.data, form.minutes.data or "", _me()),
                _("진출 결정을 기록했습니다."), back)


@bp.post("/c/<slug>/results/order")
def decide_order(slug: str):
    """Record the order of entries tied on rank (managers only); refused unless it names exactly them."""
    contest = _contest(slug)
    back = _results_back(slug, "ties")
    target = forms.DecisionTargetForm()
    if not target.validate():
        return _invalid(target, back)
    form = forms.OrderDecisionForm(prefix=f"order-{target.rank.data or ''}")
    if not form.validate_on_submit():
        return _invalid(form, back)
    keys = [k.strip() for k in (form.order.data or "").replace("\n", ",").split(",") if k.strip()]
    return _run(lambda s: decisions.record_order_decision(s, contest, keys, form.reason.data, form.minutes.data or "",
                                                        _me()),
                _("순서 결정을 기록했습니다."), back)


@bp.post("/c/<slug>/results/special")
def designate_special(slug: str):
    """Designate an entry for a special award (managers only); refused when the form is wrong."""
    contest = _contest(slug)
    form = forms.SpecialDesignationForm()
    form.award.choices = [(x.key, x.title) for x in contest.special_awards]
    form.entry.choices = [("", "")] + [(e.key, e.name) for e in contest.entrants]
    back = _results_back(slug, "specials")
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: decisions.designate_special(s, contest, form.entry.data, form.award.data, form.reason.data,
                                                    _me()),
                _("특별상을 지정했습니다."), back)


@bp.post("/c/<slug>/results/decisions/<int:decision_id>/withdraw")
def withdraw_decision(slug: str, decision_id: int):
    """Withdraw a recorded decision with a reason (managers only)."""
    contest = _contest(slug)
    form = forms.WithdrawDecisionForm(prefix=f"wd{decision_id}")
    back = _results_back(slug, "decisions")
    if not form.validate_on_submit():
        return _invalid(form, back)
    return _run(lambda s: decisions.withdraw_decision(s, contest, decision_id, form.reason.data, _me()),
                _("결정을 철회했습니다."), back)


@bp.get("/c/<slug>/results/publish")
def publish_confirm(slug: str):
    """The confirmation page: what becomes public, what changes since the last version, what blocks."""
    s = db.session()
    contest = _contest(slug)
    ctx = _results_context(contest)
    blockers = lifecycle.preview_publish(s, contest)
    public_rows = [r for r in ctx["rows"] if r["tier_title"] or r["special"]]
    ctx.update(approval_context(contest))
    return render_template("organizer/publish_confirm.html", publish_form=forms.PublishForm(formdata=None),
                           blockers=blockers, public_rows=public_rows, **ctx, **_nav(contest, "results"))


@bp.post("/c/<slug>/results/publish")
def publish(slug: str):
    """Publish the results as a new version (managers only); refused with the reasons while anything blocks."""
    contest = _contest(slug)
    form = forms.PublishForm()
    back = url_for(".publish_confirm", slug=slug)
    if not form.validate_on_submit():
        return _invalid(form, back)
    try:
        snapshot = db.commit_retrying(lambda s: lifecycle.publish(
            s, contest, note=form.note.data or "", actor=_me(), accept_weights=bool(form.accept_weights.data)),
            keep_refused=False)
    except DomainError as error:
        problems = error.details.get("problems") if error.details else None
        weights = error.details.get("weights") if error.details else None
        if weights:
            flash(_("실제 가중치가 발표한 가중치와 다릅니다. 확인란에 표시한 뒤 다시 공개해 주세요."), "error")
            for line in weights:
                flash(message_text(line), "error")
        elif problems:
            flash(_("아직 공개할 수 없습니다."), "error")
            for line in problems:
                flash(message_text(line), "error")
        else:
            flash(error_text(error), "error")
        return redirect(back, code=303)
    flash(_("결과를 제%(v)s판으로 공개했습니다.", v=snapshot.version), "success")
    return redirect(_results_back(slug, "versions"), code=303)
