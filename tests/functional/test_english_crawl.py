"""A crawl of every page of every role in English (``?lang=en``) finds no Hangul outside names and
typed data.

The world: the demo (고양 2024 being judged, 2023 published) with certificates numbered and an
objection filed on 2023, and small contests in set-up, open for entries, judged with audience voting
open, locked, and published then unlocked by an accepted objection (an award revoked before). The readers: an organizer of each organization role (manager, staff, observer),
judges (still scoring, sheet submitted, not yet pledged), councils (of a published, a judged and an
open contest), the public and an audience voter. Each signs in with ``?lang=en`` and opens every GET
route of its blueprints (from ``app.url_map``, ids filled from the data), then every link those pages
show. Refused POSTs (their flash or error page) and the judge API's JSON refusals are checked too.
Korean the other rooms still write is listed in ``KNOWN_LEAKS`` by where it comes from; anything new
fails.

Dates on English pages are written the English way ("Dec 4, 2024"), never "2024. 12. 4.".

What is checked is what a reader sees: text outside scripts and styles, the ``title``,
``aria-label``, ``placeholder`` and ``alt`` attributes, submit buttons' values, ``data-*``
attributes (the page's scripts show them) and the strings of embedded JSON (``<script
type="application/json">``); for JSON responses every string. Anything under ``lang="ko"`` (the
language switch's "한국어") is Korean on purpose, and so is anything under ``translate="no"`` (the
audit page's raw record, shown as stored). Strings the fixture typed (the typed columns,
``TYPED_COLUMNS``) and the words of names are removed before looking for Hangul.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa

from judging.models import (
    Attachment,
    AudienceBallot,
    AudienceRound,
    AwardRevocation,
    AwardTier,
    Certificate,
    Conflict,
    Contest,
    Criterion,
    Decision,
    Entrant,
    Entry,
    EntryComment,
    Objection,
    ObjectionAttachment,
    Organization,
    ResultApproval,
    ResultSnapshot,
    Round,
    Sheet,
    SheetSignature,
    SpecialAward,
    User,
)
from judging.services import audience, certificates, lifecycle, objections
from tests.support.demo import load_demo
from tests.support.files import make_pdf
from tests.support.korean import HANGUL, HANGUL_RUN
from tests.support.pages import VisibleText, json_strings
from tests.support.scores import put_scores, submit_sheets

# Documents and files: not pages (their language is the document's, Korean by rule).
NOT_A_PAGE = re.compile(r"\.(pdf|hwpx|xlsx|csv|png|ttf|woff2?|js)$|/static/|/fonts/")
# The Korean way of writing a date ("2024. 12. 4."); English pages write "Dec 4, 2024".
DOT_DATE = re.compile(r"\b\d{4}\. \d{1,2}\. \d{1,2}\.")
PARAM = re.compile(r"<(?:([a-z]+)(?:\([^)]*\))?:)?([a-z_]+)>")

# Columns holding names: pages show parts of them too ("원신동" of "원신동 지역사회보장협의체").
NAME_COLUMNS = (Organization.name, Contest.title, Contest.organizer, Contest.issuer, Contest.issuer_name,
                Contest.venue, Round.title, Criterion.title, AwardTier.title, AwardTier.award_name,
                SpecialAward.title, SpecialAward.award_name, Entrant.name, Entrant.district, Entrant.contact_name,
                Entry.title, User.name, User.affiliation, AudienceRound.title, Certificate.recipient,
                Certificate.award_title, Certificate.number)
# Columns people type (in a form, a contest file or a spreadsheet): the names above, and what is
# written about an entry, a decision or a step (grounds, answers, reasons, notes, bodies). Only
# these count as typed: Korean the app writes itself into a record (a status, a warning, a reason it
# makes up, the audit trail) must be rendered in the reader's language, so it is not in this list.
# Certificate.revoke_reason is left out on purpose: revoking an award writes its own words there.
TYPED_COLUMNS = (*NAME_COLUMNS, Organization.slug, Contest.certificate_body, Contest.review_notes,
                 Criterion.guidance, Entrant.contact_email, Entry.summary, Entry.partners, Entry.period,
                 Entry.budget, Entry.body, Entry.return_reason, EntryComment.body, Attachment.original_name,
                 Conflict.reason, Decision.reason, Decision.minutes, Sheet.reopen_reason,
                 SheetSignature.void_reason, ResultSnapshot.note, ResultApproval.note, ResultApproval.reason,
                 Objection.grounds, Objection.answer, ObjectionAttachment.original_name, AwardRevocation.reason,
                 AudienceBallot.revoke_reason)

AUDIENCE_ROUND = """[[rounds]]
key = "crowd"
kind = "audience"
title = "주민 평가단"
weight = 30
"""
# Names chosen not to contain words the interface uses (a name's words are removed from pages).
CONTEST_TEXT = """
[contest]
slug = "{slug}"
title = "나눔 한마당 {slug}"
organizer = "한빛시"
issuer = "한빛시장"
held_on = 2024-12-04
final = "weighted"
tie_break = ["round:final", "decision"]

[[rounds]]
key = "final"
title = "본선"
weight = 70
entries = ["a", "b"]
criteria = [ {{ key = "all", title = "종합점", max = 100, scale = "points" }} ]

{audience}
[[tiers]]
key = "best"
title = "으뜸"
count = 1

[[tiers]]
key = "good"
title = "버금"
threshold = 60

[[entrants]]
key = "a"
name = "가람 협의체"
title = "가람 이웃 돌봄"

[[entrants]]
key = "b"
name = "누리 협의체"
title = "누리 안부 전화"

[[judges]]
key = "j1"
name = "한별"
"""

# ---------------------------------------------------------------------------------------------
# Korean still shown in English mode, by the room it comes from: patterns (regular expressions)
# of text the app writes in Korean, taken out of a leak (after the typed data) before looking
# for Hangul again, so anything NEW on the same page still fails. An entry goes as soon as its
# room renders the text in the reader's language; empty is the goal.
KNOWN_LEAKS: dict[str, str] = {
}


# Korean on purpose in English mode: the words of a Korean document shown for editing.
KOREAN_BY_RULE: dict[str, str] = {
    r"위 단체는 「\{contest\}」에서 \{award\}을 수상하였기에 그 공적을 높이 치하하여 이 상장을 수여합니다\.":
        "the certificate's body: certificates are printed in Korean, the box shows what will be printed",
}


def contest_text(slug: str, *, audience: bool = True) -> str:
    """The small contest's file: judges' and audience scores weighted, or the judges' alone."""
    if audience:
        return CONTEST_TEXT.format(slug=slug, audience=AUDIENCE_ROUND)
    text = CONTEST_TEXT.format(slug=slug, audience="")
    return text.replace('final = "weighted"\n', "").replace("weight = 70\n", "")


class Typed:
    """What the fixture typed: every text of the typed columns (``TYPED_COLUMNS``, removed whole,
    longest first) and the words of names (pages show parts of them)."""

    def __init__(self, session) -> None:  # noqa: ANN001
        strings: set[str] = set()
        for column in TYPED_COLUMNS:
            strings.update(v for v in session.scalars(sa.select(column)) if isinstance(v, str) and HANGUL.search(v))
        self.strings = sorted(strings, key=len, reverse=True)
        names = {v for column in NAME_COLUMNS for v in session.scalars(sa.select(column)) if v}
        self.words = {w for s in names for w in HANGUL_RUN.findall(s) if HANGUL.search(w)}

    def leak(self, text: str) -> str | None:
        """The text with typed data taken out, if Hangul is left; else None."""
        rest = text
        for s in self.strings:
            if s in rest:
                rest = rest.replace(s, " ")
        rest = HANGUL_RUN.sub(lambda m: " " if m.group(0) in self.words else m.group(0), rest)
        return " ".join(rest.split()) if HANGUL.search(rest) else None


def unknown(leak: str, met: dict[str, set[str]] | None = None, where: set[str] = frozenset()) -> str | None:
    """What is left of a leak once the known ones are taken out, if Hangul is left; else None.
    ``met`` collects where each known pattern was met."""
    for pattern in (*KOREAN_BY_RULE, *KNOWN_LEAKS):
        leak, n = re.subn(pattern, " ", leak)
        if n and met is not None:
            met.setdefault(pattern, set()).update(where)
    return leak if HANGUL.search(leak) else None


class Crawl:
    """Opens pages as one reader and records where Hangul is left."""

    def __init__(self, app, role: str) -> None:  # noqa: ANN001
        self.client = app.test_client()
        self.role = role
        self.texts: dict[str, set[str]] = defaultdict(set)  # what a reader saw -> where
        self.seen: set[str] = set()
        assert self.client.get("/sign-in?lang=en").status_code == 200  # remembered for the session

    def sign_in(self, login: str, secret: str) -> None:
        data = {"login": login, "password": secret} if login != "code" else {"code": secret}
        response = self.client.post("/sign-in" if login != "code" else "/sign-in/code", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:300]

    def check(self, where: str, response) -> list[str]:  # noqa: ANN001
        """Record the response's text; return the links an HTML page shows."""
        assert response.status_code < 500, f"{self.role} {where}: {response.status_code}"
        kind = response.mimetype or ""
        links: list[str] = []
        if kind == "text/html":
            body = response.get_data(as_text=True)
            if response.status_code == 200 and "<html" in body:
                assert '<html lang="en"' in body, f"{self.role} {where} is not rendered in English"
            page = VisibleText()
            page.feed(body)
            texts, links = page.texts, page.links
        elif kind.endswith("json"):
            texts = json_strings(response.get_json())
        else:
            return []
        for text in texts:
            if HANGUL.search(text) or DOT_DATE.search(text):
                self.texts[text].add(f"{self.role} {where}")
        return links

    def get(self, path: str) -> list[str]:
        self.seen.add(path)
        return self.check(f"GET {path}", self.client.get(path))

    def post(self, path: str, **kwargs) -> None:  # noqa: ANN003
        self.check(f"POST {path}", self.client.post(path, follow_redirects=True, **kwargs))

    def walk(self, start: list[str], limit: int = 400) -> None:
        """Open each path, then every same-site link the pages show (not the language switch,
        not documents), breadth first."""
        queue = list(start)
        while queue and len(self.seen) < limit:
            path = queue.pop(0)
            if path in self.seen:
                continue
            for href in self.get(path):
                target = urlsplit(urljoin(path, href))
                if target.scheme not in ("", "http") or target.netloc not in ("", "localhost", "testserver"):
                    continue
                link = target.path + (f"?{target.query}" if target.query else "")
                if "lang=" in target.query or NOT_A_PAGE.search(target.path) or link in self.seen:
                    continue
                queue.append(link)


def routes(app, blueprints: tuple[str, ...], ids: dict[str, str]) -> list[str]:  # noqa: ANN001
    """Every GET route of the blueprints with its parameters filled from ``ids`` (documents left out)."""
    paths = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".", 1)[0] not in blueprints or "GET" not in rule.methods:
            continue
        path = PARAM.sub(lambda m: ids.get(m.group(2), "1" if m.group(1) == "int" else "x"), rule.rule)
        if not NOT_A_PAGE.search(path):
            paths.append(path)
    return sorted(paths)


def contest_ids(contest: Contest) -> dict[str, str]:
    rnd = contest.rounds[0]
    entry = rnd.round_entries[0].entry
    attachment = next((a for e in contest.entries for a in e.attachments), None)
    return {"slug": contest.slug, "round_id": str(rnd.id), "entry_id": str(entry.id),
            "attachment_id": str(attachment.id) if attachment else "1"}


@pytest.fixture()
def world(app, session, make_user, make_contest):  # noqa: ANN001, ANN201
    """The demo with every screen populated, a contest with open audience voting, and a reader of
    each role."""
    load_demo(session, app.config["SECRET_KEY"])
    session.commit()
    c2024 = session.scalar(sa.select(Contest).where(Contest.slug == "goyang-2024"))
    c2023 = session.scalar(sa.select(Contest).where(Contest.slug == "goyang-2023"))
    issued = certificates.allocate(session, c2023)
    crowd = make_contest(slug="crowd-2024", text=contest_text("crowd-2024"), status="judging")
    draft = make_contest(slug="draft-2025", text=contest_text("draft-2025"))
    intake = make_contest(slug="intake-2025", text=contest_text("intake-2025"), status="open")
    # Scores final, not yet published; locked while its round was still open (a warning the lock records).
    locked = make_contest(slug="locked-2024", text=contest_text("locked-2024", audience=False), status="judging")
    locked.rounds[0].status = "open"
    put_scores(session, locked, [("final", "j1", "a", "all", 90), ("final", "j1", "b", "all", 70)])
    submit_sheets(session, locked)
    lifecycle.lock(session, locked, confirm=True, actor_label="test")
    session.commit()
    # Published, an award revoked (its certificate with it), then an objection accepted: unlocked for
    # the correction with the objection as the reason (words the app writes into its records).
    fixed = make_contest(slug="fixed-2024", text=contest_text("fixed-2024", audience=False), status="judging")
    put_scores(session, fixed, [("final", "j1", "a", "all", 90), ("final", "j1", "b", "all", 70)])
    submit_sheets(session, fixed)
    lifecycle.lock(session, fixed, confirm=True, actor_label="test")
    lifecycle.publish(session, fixed, actor_label="test")
    certificates.allocate(session, fixed)
    runner_up = next(e for e in fixed.entries if e.entrant.key == "b")
    objections.revoke_award(session, fixed, runner_up, "good", "제출 자료 불일치", actor=None)
    session.commit()
    fixed_council, _ = make_user("council", contest=fixed, entrant=runner_up.entrant)
    objection = objections.file(session, fixed, fixed_council, "합산 확인 요청")
    objections.accept(session, fixed, objection.id, "합산 오류 정정", actor=None)
    session.commit()
    aud = audience.get_round(session, crowd, "crowd")
    tokens = [card.token for card in audience.issue_ballots(session, aud, 2).cards]
    lifecycle.open_voting(session, aud)
    session.commit()
    organization = c2024.organization
    staff, staff_password = make_user("organizer", organization=organization, org_role="staff")
    observer, observer_password = make_user("organizer", organization=organization, org_role="observer")
    _j4, j4_code = make_user("judge", contest=c2024, judge_key="j4")
    newcomer, newcomer_code = make_user("judge", contest=c2024)
    entrant_2023 = next(e for e in c2023.entrants if e.key == "juyeop1")
    council_2023, council_password = make_user("council", contest=c2023, entrant=entrant_2023)
    council_intake, _ = make_user("council", contest=intake, entrant=intake.entrants[0])
    _j1, j1_code = make_user("judge", contest=c2024, judge_key="j1")
    return SimpleNamespace(c2024=c2024, c2023=c2023, crowd=crowd, draft=draft, intake=intake, locked=locked,
                           fixed=fixed,
                           tokens=tokens,
                           certificate=issued[0], council_intake=(council_intake.login, council_password),
                           j1_code=j1_code,
                           staff=(staff.login, staff_password), observer=(observer.login, observer_password),
                           j4_code=j4_code, newcomer_code=newcomer_code,
                           council_2023=(council_2023.login, council_password))


ORGANIZER_BLUEPRINTS = ("organizer", "ceremony", "public", "auth", "health")


def organizer_start(app, world) -> list[str]:  # noqa: ANN001
    start = ["/organizer/"]
    for contest in (world.c2024, world.c2023, world.crowd, world.draft, world.intake, world.locked, world.fixed):
        start += routes(app, ORGANIZER_BLUEPRINTS, contest_ids(contest))
    return start


def leak_key(text: str) -> str:
    """A leak as reported: numbers as ``#`` (one line for the same text with other scores)."""
    return re.sub(r"\d+", "#", text)


def test_every_page_of_every_role_is_english(app, session, world) -> None:  # noqa: ANN001
    crawls: list[Crawl] = []

    def crawl(role: str) -> Crawl:
        crawls.append(Crawl(app, role))
        return crawls[-1]

    # The council of 2023 objects first, so the organizer's objection pages have one to show.
    council = crawl("council-2023")
    council.sign_in(*world.council_2023)
    council.post("/council/result/objection", data={
        "grounds": "발표력 점수 합산이 잘못되었습니다.",
        "attachment": (io.BytesIO(make_pdf("score sheet copy")), "근거 자료.pdf")},
        content_type="multipart/form-data")
    council.walk(routes(app, ("council", "public"), contest_ids(world.c2023)))
    council.post("/council/result/objection", data={"grounds": ""})  # refused: no grounds

    gobong = crawl("council-2024")
    gobong.sign_in("gobong", "demo-council-2024")
    gobong.walk(routes(app, ("council",), contest_ids(world.c2024)))
    gobong.post("/council/result/objection", data={"grounds": "이의"})  # refused: nothing published

    applicant = crawl("council-intake")
    applicant.sign_in(*world.council_intake)
    applicant.walk(routes(app, ("council",), contest_ids(world.intake)))
    applicant.post("/council/entry/submit")  # refused: the entry is not complete

    manager = crawl("manager")
    manager.sign_in("organizer", "demo-organizer-2024")
    manager.walk(organizer_start(app, world), limit=900)
    manager.post("/organizer/c/goyang-2024/results/publish")  # refused: the scores are not locked
    manager.post(f"/organizer/c/goyang-2023/rounds/{world.c2023.rounds[0].id}/open")  # refused: published
    manager.post("/organizer/c/goyang-2024/judges", data={"name": ""})  # refused: no name
    manager.post("/organizer/c/locked-2024/unlock", data={"reason": ""})  # refused: no reason

    for role, (login, password) in (("staff", world.staff), ("observer", world.observer)):
        reader = crawl(role)
        reader.sign_in(login, password)
        reader.walk(organizer_start(app, world), limit=900)
    crawls[-1].post("/organizer/c/goyang-2024/results/publish")  # the observer is refused

    judge = crawl("judge")
    judge.sign_in("code", world.j4_code)
    judge.walk(routes(app, ("judge", "judge_offline"), contest_ids(world.c2024)))
    rnd = world.c2024.rounds[0]
    entry, criterion = rnd.round_entries[0].entry, rnd.criteria[0]
    for body in ({"entry": entry.id, "criterion": criterion.id, "value": "999", "version": 0},
                 {"entry": entry.id, "criterion": 2**30, "value": "1", "version": 0},
                 {"entry": entry.id}):
        judge.check("POST /judge/api/scores", judge.client.post("/judge/api/scores", json=body))
    judge.check("POST /judge/api/scores", judge.client.post(
        "/judge/api/scores", data="{not json", content_type="application/json"))
    judge.check("POST /judge/api/comments", judge.client.post("/judge/api/comments", json={"entry": entry.id}))

    done = crawl("judge-submitted")
    done.sign_in("code", world.j1_code)
    done.walk(routes(app, ("judge",), contest_ids(world.c2024)))

    newcomer = crawl("judge-newcomer")
    newcomer.sign_in("code", world.newcomer_code)
    newcomer.walk(["/judge/", "/judge/pledge"])
    newcomer.post("/judge/pledge", data={})  # refused: not agreed

    public = crawl("public")
    public.walk(["/", "/sign-in", "/verify", f"/verify/{world.certificate.number}",
                 f"/verify/{world.certificate.verify_token}", "/j/not-a-token", "/healthz", "/no-such-page",
                 *[f"/results/{c.slug}" for c in (world.c2024, world.c2023, world.crowd, world.draft)],
                 f"/ceremony/{world.c2023.slug}"])
    public.post("/sign-in", data={"login": "organizer", "password": "wrong"})
    public.post("/sign-in/code", data={"code": "000000"})

    voter = crawl("audience")
    voter.walk([f"/v/{world.tokens[0]}", "/v/not-a-token"])
    first = world.crowd.entries[0].id
    voter.post(f"/v/{world.tokens[0]}", data={f"r{first}": "4"})  # refused: one entry missing
    voter.post(f"/v/{world.tokens[0]}", data={f"r{e.id}": "4" for e in world.crowd.entries})
    voter.walk([f"/v/{world.tokens[0]}"])  # the used card
    voter.post(f"/v/{world.tokens[0]}", data={f"r{e.id}": "4" for e in world.crowd.entries})

    opened = {reader.role: len(reader.seen) for reader in crawls}
    assert opened["manager"] > 60 and opened["judge"] > 10 and opened["council-2023"] > 5, opened
    typed = Typed(session)  # everything typed so far, the objection included
    leaks: dict[str, set[str]] = defaultdict(set)
    met: dict[str, set[str]] = {}
    for reader in crawls:
        for text, where in reader.texts.items():
            found = typed.leak(text)
            if found and unknown(found, met, where):
                leaks[leak_key(found)] |= where
    new = {text: sorted(where)[:3] for text, where in leaks.items()}
    dates = {text: sorted(where)[:3] for reader in crawls for text, where in reader.texts.items()
             if DOT_DATE.search(text)}
    assert dates == {}, f"Korean-style dates on English pages: {dates}"
    gone = [pattern for pattern in (*KOREAN_BY_RULE, *KNOWN_LEAKS) if pattern not in met]
    print("pages opened:", opened, "known Korean met:", *(f"{p} on {sorted(w)[:4]}" for p, w in met.items()),
          "KNOWN_LEAKS no longer met (remove them):", *gone, sep="\n  ")
    assert new == {}, "Korean in English mode:\n" + "\n".join(
        f"  {text!r}: {where}" for text, where in sorted(new.items()))


def test_the_check_sees_korean(app, session, world) -> None:  # noqa: ANN001
    """The same sign-in page in Korean is reported, and a label next to a name still is."""
    typed = Typed(session)
    korean = VisibleText()
    korean.feed(app.test_client().get("/sign-in?lang=ko").get_data(as_text=True))
    assert "로그인" in korean.texts and typed.leak("로그인") == "로그인"
    assert "한국어" not in korean.texts  # the language switch is Korean on purpose
    judge_name = session.scalar(sa.select(User.name).where(User.judge_key == "j1"))
    assert typed.leak(f"{judge_name} Judge") is None
    assert typed.leak(f"{judge_name} 심사위원 홈") == "심사위원 홈"
    page = VisibleText()
    page.feed('<p title="제목">x</p><a lang="ko" href="?lang=ko">한국어</a>'
              '<script type="application/json">{"a": ["저장"]}</script><script>var t = "코드";</script>'
              '<pre translate="no">{"reason": "기록"}</pre>')
    assert page.texts == ["제목", "x", "저장"]


def test_dates_and_examples_on_pages_follow_the_reader(app, world) -> None:  # noqa: ANN001
    """An English page writes the contest's day the English way and gives English examples; the
    Korean page keeps 2024. 12. 4. and its Korean examples."""
    reader = Crawl(app, "manager")
    reader.sign_in("organizer", "demo-organizer-2024")
    english = reader.client.get("/organizer/").get_data(as_text=True)
    assert "Dec 4, 2024" in english and "2024. 12. 4." not in english
    korean = reader.client.get("/organizer/?lang=ko").get_data(as_text=True)
    assert "2024. 12. 4." in korean and "Dec 4, 2024" not in korean
    # the new-contest form's example title follows the reader too
    assert 'placeholder="2025 Community Welfare Awards"' in english
    assert 'placeholder="2025년 복지업무 우수 동 성과보고회"' in korean
    verified = reader.client.get(f"/verify/{world.certificate.verify_token}?lang=en").get_data(as_text=True)
    assert "December 6, 2023" in verified
    assert "2023년 12월 6일" in reader.client.get(f"/verify/{world.certificate.verify_token}?lang=ko").get_data(
        as_text=True)
